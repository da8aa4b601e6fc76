"""Static checks over the rendered SQL (sqlglot, DuckDB dialect).

1. Every SQL file renders and parses.
2. Every manifest column has a PII class (the manifest parser fails closed).
3. No ``select *`` anywhere in a safe view: safe views list their columns.
4. The PII proof: from sqlglot's column lineage, every output column of every
   relation of the analyst database (the safe views, then the derived models
   under sql/derive/) that derives from a column of class name, email, phone
   or free_text does so only through a masking macro (pii_token, redact_text,
   redact_text_with) or a domain check (values_in, value_like) at some step of
   every path;
   otherwise the finding names the file, the output column and the path. The
   JSON files are relations with classes too (the manifest's
   document_relations), so a derived model reading a scenario's raw names
   fails the proof.
5. Fail closed: only the classes none and financial, and a safe view output
   lint proved ('masked'), may reach an output unmasked. Manifest columns
   carry their class; a safe view's output columns get one when lint has
   checked that view (safe views are checked in dependency order, so a view
   that reads another safe view sees what was proven about it). A column of
   any other relation, or one lint could not prove, counts as PII.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp
from sqlglot.errors import SqlglotError
from sqlglot.lineage import Node, lineage

from staffing_sql.catalog import (Model, all_templates, derived_templates, in_dependency_order,
                                  render_contexts, safe_view_templates)
from staffing_sql.manifest import Manifest
from staffing_sql.templates import is_duckdb_macro_file, is_jinja_macro_file, render

# pii_token and redact_text (redact_text_with: the same with the forms
# prepared) mask; values_in and value_like let only a column's domain through
# (a tag from the manifest's list, a state code).
MASKING_FUNCTIONS = {"pii_token", "redact_text", "redact_text_with", "values_in", "value_like"}
# The class of a safe view's output column that lint proved: it derives from
# PII only through a masking macro (or not at all).
PROVEN_SAFE = "masked"
# The class of a column lint knows nothing about, and of a safe view's output
# whose lineage could not be followed: both treated as PII.
UNCLASSIFIED = "unclassified"
UNPROVEN = "unproven"
# Fail closed: only these classes may reach a safe output unmasked.
NOT_SENSITIVE = {"none", "financial", PROVEN_SAFE}
# Lineage needs a relation's column names, not their types, to follow a path.
UNTYPED = "UNKNOWN"
DIALECT = "duckdb"


@dataclass(frozen=True)
class Finding:
    file: str
    message: str

    def __str__(self) -> str:
        return f"{self.file}: {self.message}"


@dataclass(frozen=True)
class ViewLint:
    """What lint found in one safe view and the class each output column earned."""

    findings: list[Finding]
    output_classes: dict[str, str]


def relation_schemas(manifest: Manifest) -> tuple[dict, dict]:
    """Column types and PII classes of every relation a safe view may read."""
    types, classes = {}, {}
    for dataset in manifest.readable():
        columns = {column.name: column for column in dataset.columns}
        types[dataset.relation] = {name: column.type for name, column in columns.items()}
        classes[dataset.relation] = {name: column.pii for name, column in columns.items()}
    for dataset in manifest.phone_datasets():
        raw, normalised = dataset.relation, dataset.normalised_relation
        types[normalised] = {**types[raw], "phone": "VARCHAR", "phone_status": "VARCHAR"}
        classes[normalised] = {**classes[raw], "phone_status": "none"}
    for relation in manifest.document_relations:
        types[relation.relation] = {column.name: column.type for column in relation.columns}
        classes[relation.relation] = {column.name: column.pii for column in relation.columns}
    # the roster-name gate (sql/safe/roster_name_keys.sql): roster names, in name forms
    types["roster_name_keys"] = {"gram": "VARCHAR", "forms": "VARCHAR[]"}
    classes["roster_name_keys"] = {"gram": "name", "forms": "name"}
    return types, classes


def lint_targets(manifest: Manifest) -> list[tuple[str, dict]]:
    """(template, context) for every SQL file the product renders, once per context it is rendered with."""
    return [(template, context) for template in all_templates() for context in render_contexts(template, manifest)]


def _statements(sql: str) -> list[exp.Expression]:
    return [statement for statement in sqlglot.parse(sql, read=DIALECT) if statement is not None]


def _is_masked(column: exp.Column) -> bool:
    node = column.parent
    while node is not None:
        if isinstance(node, exp.Anonymous) and node.name.lower() in MASKING_FUNCTIONS:
            return True
        node = node.parent
    return False


def _split_name(name: str) -> tuple[str, str]:
    """A lineage node's ``relation.column`` as plain names (``"worker_id"`` written quoted is worker_id)."""
    table, _, column = name.rpartition(".")
    return tuple(part[1:-1].replace('""', '"') if len(part) > 1 and part[0] == part[-1] == '"' else part
                 for part in (table, column))


def _edge_masked(parent: Node, child: Node) -> bool:
    """True when every reference to ``child`` inside ``parent``'s expression is masked."""
    table, column = _split_name(child.name)
    references = [
        ref for ref in parent.expression.find_all(exp.Column)
        if ref.name == column and (not table or ref.table in ("", table))
    ]
    return bool(references) and all(_is_masked(ref) for ref in references)


def _leaks(node: Node, path: list[Node], classes: dict) -> list[tuple[list[Node], str]]:
    path = path + [node]
    if isinstance(node.expression, exp.Table) or not node.downstream:
        table, column = _split_name(node.name)
        relation = node.expression.name if isinstance(node.expression, exp.Table) else table
        pii = classes.get(relation, {}).get(column)
        reads_columns = isinstance(node.expression, exp.Table) or any(node.expression.find_all(exp.Column))
        if reads_columns and pii is None:
            pii = UNCLASSIFIED  # neither a manifest column nor a proven safe output: treated as PII
        if reads_columns and pii not in NOT_SENSITIVE:
            masked = any(_edge_masked(parent, child) for parent, child in zip(path, path[1:]))
            if not masked:
                return [(path, pii)]
        return []
    found = []
    for child in node.downstream:
        found += _leaks(child, path, classes)
    return found


def check_safe_view(template: str, sql: str, types: dict, classes: dict) -> ViewLint:
    """The PII proof of one safe view; an output column with a finding keeps the class it exposes."""
    statements = _statements(sql)
    if len(statements) != 1 or not isinstance(statements[0], exp.Query):
        return ViewLint([Finding(template, "a safe view must be exactly one SELECT statement")], {})
    query = statements[0]
    if any(query.find_all(exp.Star)):
        return ViewLint([Finding(template, "select * in a safe view: list the columns explicitly")], {})
    findings, output_classes = [], {}
    for output in query.selects:
        name = output.alias_or_name
        output_classes[name] = PROVEN_SAFE
        try:
            root = lineage(name, sql, schema=types, dialect=DIALECT)
        except SqlglotError as exc:
            findings.append(Finding(template, f"output column '{name}': lineage failed: {exc}"))
            output_classes[name] = UNPROVEN
            continue
        for path, pii in _leaks(root, [], classes):
            route = " <- ".join(node.name for node in path)
            if pii == UNCLASSIFIED:
                message = (f"output column '{name}' reads a column with no PII class (neither a manifest column "
                           f"nor a safe view output lint proved): {route}")
            else:
                message = f"output column '{name}' exposes {pii} column without a masking macro: {route}"
            findings.append(Finding(template, message))
            output_classes[name] = pii
    return ViewLint(findings, output_classes)


def run_lint(manifest: Manifest) -> list[Finding]:
    findings: list[Finding] = []
    types, classes = relation_schemas(manifest)
    safe = set(safe_view_templates())
    derived = set(derived_templates())
    safe_views: list[Model] = []
    derived_models: list[Model] = []
    for template, context in lint_targets(manifest):
        try:
            sql = render(template, **context)
        except Exception as exc:  # a template that does not render is a finding, not a crash
            findings.append(Finding(template, f"does not render: {' '.join(str(exc).split())}"))
            continue
        if not sql.strip() or is_jinja_macro_file(template):
            continue  # Jinja macro files render to nothing
        if is_duckdb_macro_file(template):
            # DuckDB macro definitions (default parameters, ``:=``) are beyond
            # sqlglot's DuckDB dialect: DuckDB's own parser checks them.
            try:
                duckdb.connect().extract_statements(sql)
            except duckdb.Error as exc:
                findings.append(Finding(template, f"does not parse: {' '.join(str(exc).split())[:200]}"))
            continue
        try:
            _statements(sql)
        except SqlglotError as exc:
            first = " ".join(str(exc).split())[:200]
            findings.append(Finding(template, f"does not parse as DuckDB SQL: {first}"))
            continue
        if template in safe:
            safe_views.append(Model(name=Path(template).stem, template=template, sql=sql))
        if template in derived:
            derived_models.append(Model(name=Path(template).stem, template=template, sql=sql))
    # Derived models come after every safe view: they may read only what lint proved safe.
    for view in in_dependency_order(safe_views) + in_dependency_order(derived_models):
        checked = check_safe_view(view.template, view.sql, types, classes)
        findings += checked.findings
        types[view.name] = {column: UNTYPED for column in checked.output_classes}
        classes[view.name] = checked.output_classes
    return findings
