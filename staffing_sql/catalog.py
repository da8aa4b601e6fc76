"""The catalog: which models and checks exist, what each reads, in which order, with which context.

Every command asks this module and nothing else globs the SQL folders. What a
model reads comes from its rendered SQL alone (sqlglot): the relations it
selects from and the file lists it binds (``$scenario_paths``,
``$lesson_paths``). Relations resolve to the files under them through the
manifest's naming rule (Dataset.relation, normalised_relation) and the SQL of
the relations a run builds in memory, so a layer's staleness record lists
exactly the files its SQL reads, and the build order within a layer follows
those reads.

It renders and parses; it never opens a lakehouse or runs a query, so lint and
render depend on it and the manifest only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import sqlglot
from sqlglot import exp

from staffing_sql.database import referenced_parameters
from staffing_sql.errors import CannotRun
from staffing_sql.manifest import Dataset, Manifest
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.templates import macro_templates, render

# -- templates --------------------------------------------------------------------

SAFE_VIEW_DIR = "views"
DERIVED_DIR = "sql/derive"
CHECK_DIR = "sql/audit"
DOCUMENT_RELATION_DIR = "sql/raw"
NORMALISE_TEMPLATE = "sql/normalise/phones.sql"
# Temp tables a run builds from their own SQL before the safe layer reads them.
SESSION_TABLES = {"roster_name_keys": "sql/safe/roster_name_keys.sql"}
# A file-list parameter names the JSON files of one manifest documents entry.
DOCUMENT_PARAMETERS = {"scenario_paths": "scenarios", "lesson_paths": "lessons"}

# Templates whose context the audit computes at run time get a representative
# one when rendered outside a run (lint, the gap report, `render`).
SAMPLE_CONTEXT = {
    "sql/audit/assert_no_pii_in_outputs.sql": {
        "text_columns": {
            "workers_safe": ["name_token", "communications"],
            "fill_events": ["worker_token", "lesson_ids"],
            "staffing_answers": ["text"],
        },
    },
}


def _templates(folder: str, pattern: str = "*.sql") -> list[str]:
    return [path.relative_to(PROJECT_ROOT).as_posix() for path in sorted((PROJECT_ROOT / folder).glob(pattern))]


def normalise_context(dataset: Dataset) -> dict:
    return {"dataset": dataset, "source_relation": dataset.relation}


def representative_context(template: str) -> dict:
    return SAMPLE_CONTEXT.get(template, {})


def render_contexts(template: str, manifest: Manifest) -> list[dict]:
    """Every context a template is rendered with: one per phone dataset for the fixup, else one."""
    if template == NORMALISE_TEMPLATE:
        return [normalise_context(dataset) for dataset in manifest.phone_datasets()]
    return [representative_context(template)]


def all_templates() -> list[str]:
    """Every SQL file under sql/, views/ and the macro folders."""
    return _templates("sql", "**/*.sql") + _templates(SAFE_VIEW_DIR) + macro_templates()


# -- what a query reads -----------------------------------------------------------

@lru_cache(maxsize=None)
def _parsed(sql: str) -> exp.Expression:
    """One parse per distinct SQL text in a run: a run asks of the same model several times (read only)."""
    return sqlglot.parse_one(sql, read="duckdb")


def relations_read(sql: str) -> frozenset[str]:
    """Names of the tables and views a query reads (its own CTEs, table functions and information_schema excluded)."""
    tree = _parsed(sql)
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return frozenset(table.name for table in tree.find_all(exp.Table)
                     if table.name and table.name not in ctes and table.db != "information_schema")


def schemas_read(sql: str) -> frozenset[str]:
    """The relations whose columns a query looks up: every name in a string literal, when it reads information_schema."""
    tree = _parsed(sql)
    if not any(table.db == "information_schema" for table in tree.find_all(exp.Table)):
        return frozenset()
    return frozenset(literal.this for literal in tree.find_all(exp.Literal) if literal.is_string)


def documents_read(sql: str) -> set[str]:
    """The manifest documents whose file list a query binds (``$scenario_paths`` -> scenarios)."""
    return {DOCUMENT_PARAMETERS[name] for name in referenced_parameters(sql) if name in DOCUMENT_PARAMETERS}


@dataclass(frozen=True)
class Model:
    """One output of a layer: a relation name and the SQL that produces it."""

    name: str
    template: str
    sql: str

    @property
    def reads(self) -> set[str]:
        return relations_read(self.sql) - {self.name}


def in_dependency_order(models: list[Model]) -> list[Model]:
    """Models ordered so that each comes after every model of the layer it reads (else name order).

    A safe view may read another safe view's output (the worker siblings reuse
    workers_safe's masked values); the layer writes that one first.
    """
    names = {model.name for model in models}
    reads = {model.name: model.reads & names for model in models}
    ordered: list[Model] = []
    pending = list(models)
    while pending:
        ready = [model for model in pending if reads[model.name] <= {done.name for done in ordered}]
        if not ready:
            raise CannotRun(f"models read each other in a cycle: {', '.join(sorted(m.name for m in pending))}")
        ordered += ready
        pending = [model for model in pending if model not in ready]
    return ordered


def _model(template: str, **context) -> Model:
    return Model(name=Path(template).stem, template=template, sql=render(template, **context))


def safe_view_templates() -> list[str]:
    return _templates(SAFE_VIEW_DIR, "*_safe.sql")


def derived_templates() -> list[str]:
    return _templates(DERIVED_DIR)


def safe_models() -> list[Model]:
    """The safe layer (decision B), in the order it is built."""
    return in_dependency_order([_model(template) for template in safe_view_templates()])


def derived_models() -> list[Model]:
    """The derived layer (decision A and the corpus), in the order it is built."""
    return in_dependency_order([_model(template) for template in derived_templates()])


def normalised_model(dataset: Dataset) -> Model:
    return Model(name=dataset.name, template=NORMALISE_TEMPLATE,
                 sql=render(NORMALISE_TEMPLATE, **normalise_context(dataset)))


def document_relation_template(name: str) -> str:
    return f"{DOCUMENT_RELATION_DIR}/{name}.sql"


# -- what a layer reads, down to the files ----------------------------------------

@dataclass
class Sources:
    """The raw files under what some SQL reads: datasets, document folders, and models of earlier layers."""

    datasets: set[str] = field(default_factory=set)
    documents: set[str] = field(default_factory=set)
    upstream: set[str] = field(default_factory=set)


def sources(models: list[Model], manifest: Manifest, upstream: list[Model] = ()) -> Sources:
    """Everything a layer's models read, followed down to the raw files.

    A relation of the layer itself is not a source; one of ``upstream`` (an
    earlier layer) is recorded as such. A relation the catalog cannot place
    fails the run: a staleness record that missed an input would keep a
    stale layer.
    """
    found = Sources()
    own = {model.name for model in models}
    earlier = {model.name for model in upstream}
    by_relation: dict[str, tuple[str, object]] = {}
    for dataset in manifest.datasets:
        by_relation[dataset.relation] = ("dataset", dataset)
    for dataset in manifest.phone_datasets():
        by_relation[dataset.normalised_relation] = ("sql", normalised_model(dataset).sql)
    for relation in manifest.document_relations:
        by_relation[relation.relation] = ("sql", render(document_relation_template(relation.name)))
    for name, template in SESSION_TABLES.items():
        by_relation[name] = ("sql", render(template))

    seen: set[str] = set()

    def follow(sql: str, reader: str) -> None:
        found.documents |= documents_read(sql)
        for relation in sorted(relations_read(sql)):
            if relation in own or relation in seen:
                continue
            if relation in earlier:
                found.upstream.add(relation)
                continue
            kind, value = by_relation.get(relation, (None, None))
            if kind is None:
                raise CannotRun(f"{reader}: reads {relation}, which is no raw, normalised, document or "
                                f"session relation and no model of this or an earlier layer")
            seen.add(relation)
            if kind == "dataset":
                found.datasets.add(value.name)
            else:
                follow(value, relation)

    for model in models:
        follow(model.sql, model.template)
    return found


# -- checks -------------------------------------------------------------------------

SEVERITIES = ("blocking", "soft", "info")
# Checks run phase by phase; provenance last, after every other read of the raw files.
PHASES = ("schema", "integrity", "normalisation", "pii", "derived", "decisions", "provenance")
_HEADER = re.compile(r"^--\s*(id|phase|severity|description):\s*(.+?)\s*$", re.MULTILINE)


@dataclass(frozen=True)
class Assertion:
    id: str
    phase: str
    severity: str
    description: str
    template: str


def assertions() -> list[Assertion]:
    """Every ``sql/audit/assert_<id>.sql``, by phase then id, with its header checked."""
    found = []
    for template in _templates(CHECK_DIR, "assert_*.sql"):
        header = dict(_HEADER.findall((PROJECT_ROOT / template).read_text(encoding="utf-8")))
        missing = [name for name in ("id", "phase", "severity", "description") if name not in header]
        if missing:
            raise CannotRun(f"{template}: header lacks {', '.join(missing)}")
        if header["severity"] not in SEVERITIES:
            raise CannotRun(f"{template}: severity must be one of {', '.join(SEVERITIES)}")
        if header["phase"] not in PHASES:
            raise CannotRun(f"{template}: phase must be one of {', '.join(PHASES)}")
        if f"assert_{header['id']}" != Path(template).stem:
            raise CannotRun(f"{template}: id '{header['id']}' does not match the file name")
        found.append(Assertion(template=template, **header))
    return sorted(found, key=lambda assertion: (PHASES.index(assertion.phase), assertion.id))


def assertion(check_id: str) -> Assertion:
    for candidate in assertions():
        if candidate.id == check_id:
            return candidate
    raise KeyError(check_id)


def check_reads(check: Assertion) -> tuple[set[str], set[str]]:
    """The relations (rows or columns) and the document folders a check reads directly, in its representative context."""
    sql = render(check.template, **representative_context(check.template))
    return relations_read(sql) | schemas_read(sql), documents_read(sql)
