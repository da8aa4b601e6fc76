"""Open a lakehouse behind the gate and materialise its layers.

Each layer is a folder of parquet files written by rendered SQL models, plus a
BUILD.json record (inputs and outputs with sha256, the sha256 of each model's
rendered SQL, versions). A layer whose record still matches is not rebuilt.
Every file is written to a temporary name and renamed into place; the record
is written last, so an interrupted build is simply stale next time.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import sqlglot
from sqlglot import exp

from staffing_sql import __version__
from staffing_sql.database import connect, duckdb_macro_files, execute, install_macros
from staffing_sql.errors import CannotRun
from staffing_sql.gate import RawFile, open_lakehouse
from staffing_sql.hashing import (FileHashes, atomic_write_text, canonical_json, file_identity, sha256_file, sha256_text,
                                  temporary_sibling)
from staffing_sql.key import key_fingerprint
from staffing_sql.manifest import Manifest, load_manifest
from staffing_sql.paths import PROJECT_ROOT, Layout
from staffing_sql.quoting import quote_identifier, quote_literal
from staffing_sql.templates import render

RECORD_NAME = "BUILD.json"


@dataclass(frozen=True)
class Model:
    """One output of a layer: a relation name and the SQL that produces it."""

    name: str
    template: str
    sql: str


@dataclass
class LayerResult:
    name: str
    rebuilt: bool
    record: dict
    outputs: dict[str, Path] = field(default_factory=dict)


def register_relations(con, prefix: str | None, paths: dict[str, Path]) -> None:
    """Temp views ``<prefix>_<name>`` (or ``<name>``) over parquet files (never persisted)."""
    for name, path in paths.items():
        relation = f"{prefix}_{name}" if prefix else name
        con.execute(
            f"create or replace temp view {quote_identifier(relation)} as "
            f"select * from read_parquet({quote_literal(path)})"
        )


def _relative(path: Path, layout: Layout) -> str:
    for root in (layout.data_dir, layout.out_dir):
        try:
            return path.relative_to(root).as_posix()
        except ValueError:
            continue
    return path.as_posix()


def read_record(path: Path) -> dict | None:
    """A JSON record written by an earlier run, or None when absent or unreadable."""
    try:
        record = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return record if isinstance(record, dict) else None


def record_matches(previous: dict | None, expected: dict) -> bool:
    """Whether an earlier record holds every expected key with the same value."""
    return previous is not None and all(previous.get(key) == value for key, value in expected.items())


class Lakehouse:
    """A connection to one lakehouse that has passed the gate and schema checks."""

    def __init__(self, layout: Layout, key: str, manifest: Manifest | None = None, threads: int | None = None):
        self.layout = layout
        self.key = key
        self.manifest = manifest or load_manifest()
        self.hashes = FileHashes()
        self.con = connect(threads=threads, spill_dir=layout.spill_dir / str(os.getpid()))
        self.raw: dict[str, RawFile] = open_lakehouse(self.con, layout, self.manifest)
        self.register_raw()
        install_macros(self.con, key)

    def register_raw(self) -> None:
        """raw_<dataset> over every file the product reads (decision C leaves the anomaly out)."""
        register_relations(
            self.con, "raw",
            {name: raw.path for name, raw in self.raw.items() if raw.dataset.role != "excluded_anomaly"},
        )

    def register_excluded(self) -> None:
        """excluded_<dataset>, for the checks that must look at an excluded anomaly."""
        register_relations(
            self.con, "excluded",
            {name: raw.path for name, raw in self.raw.items() if raw.dataset.role == "excluded_anomaly"},
        )

    def close(self) -> None:
        self.con.close()

    # -- layers ---------------------------------------------------------------

    def layer_dir(self, name: str) -> Path:
        return self.layout.out_dir / name

    def materialise(self, layer: str, models: list[Model], inputs: list[Path], params: dict | None = None,
                    extra: dict | None = None, echo=None, prefix: str | None = None) -> LayerResult:
        """Write every model of a layer (or keep it, when its record still matches).

        Each output is registered as a relation (``<prefix>_<name>`` or
        ``<name>``): as soon as it is written, so a model may read the models
        listed before it in the same layer, and again under its final path.
        """
        folder = self.layer_dir(layer)
        outputs = {model.name: folder / f"{model.name}.parquet" for model in models}
        expected = {
            "layer": layer,
            "tool_version": __version__,
            "duckdb_version": duckdb.__version__,
            "inputs": [self.file_entry(path) for path in inputs],
            "models": {model.name: {"template": model.template, "sql_sha256": sha256_text(model.sql)} for model in models},
            "macros": {path.name: sha256_text(path.read_text(encoding="utf-8")) for path in duckdb_macro_files()},
            **(extra or {}),
        }
        previous = read_record(folder / RECORD_NAME)
        if self._fresh(previous, expected, outputs):
            register_relations(self.con, prefix, outputs)
            return LayerResult(layer, False, previous, outputs)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CannotRun(f"{folder}: output folder cannot be created ({exc.strerror})") from None
        staged = {}
        try:
            for model in models:
                temp = temporary_sibling(outputs[model.name])
                staged[model.name] = temp
                if echo:
                    echo(f"    {layer}/{model.name}")
                execute(self.con, f"copy ({model.sql.strip().rstrip(';')}) to $path (format parquet)",
                        {**(params or {}), "path": str(temp)})
                register_relations(self.con, prefix, {model.name: temp})
            for name, temp in staged.items():
                os.replace(temp, outputs[name])
        finally:
            for temp in staged.values():
                Path(temp).unlink(missing_ok=True)
        register_relations(self.con, prefix, outputs)
        record = {**expected, "outputs": [self.file_entry(path) for path in outputs.values()]}
        atomic_write_text(folder / RECORD_NAME, canonical_json(record))
        return LayerResult(layer, True, record, outputs)

    def file_entry(self, path: Path, fresh: bool = False) -> dict:
        """Path (relative to the data or output folder), sha256 and size of one file."""
        return {"path": _relative(path, self.layout), "sha256": self.hashes.sha256(path, fresh), "bytes": path.stat().st_size}

    def _fresh(self, previous: dict | None, expected: dict, outputs: dict[str, Path]) -> bool:
        if not record_matches(previous, expected):
            return False
        recorded = {entry["path"]: entry["sha256"] for entry in previous.get("outputs", [])}
        for path in outputs.values():
            if not path.is_file() or recorded.get(_relative(path, self.layout)) != self.hashes.sha256(path):
                return False
        return True


# -- the normalised and safe layers -------------------------------------------

def phone_datasets(manifest: Manifest) -> list:
    return [
        dataset for dataset in manifest.readable()
        if any(column.name == "phone" for column in dataset.columns)
    ]


def build_normalised(lake: Lakehouse, echo=None) -> LayerResult:
    """Decision D: every readable dataset with a phone column, phone fixed up."""
    datasets = phone_datasets(lake.manifest)
    models = [
        Model(
            name=dataset.name,
            template="sql/normalise/phones.sql",
            sql=render("sql/normalise/phones.sql", dataset=dataset, source_relation=f"raw_{dataset.name}"),
        )
        for dataset in datasets
    ]
    result = lake.materialise(
        "normalised",
        models,
        inputs=[lake.raw[dataset.name].path for dataset in datasets],
        extra={"fixup": "decision D: phone to VARCHAR (NNN) NNN-NNNN; 9-digit BIGINT phones get their leading 0 back; invalid numbers NULL and flagged"},
        echo=echo,
        prefix="normalised",
    )
    return result


SAFE_VIEW_DIR = PROJECT_ROOT / "views"


def safe_view_templates() -> list[str]:
    return [path.relative_to(PROJECT_ROOT).as_posix() for path in sorted(SAFE_VIEW_DIR.glob("*_safe.sql"))]


def relations_read(sql: str) -> set[str]:
    """Names of the tables and views a query reads (its own CTEs excluded)."""
    tree = sqlglot.parse_one(sql, read="duckdb")
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {table.name for table in tree.find_all(exp.Table) if table.name not in ctes}


def in_dependency_order(models: list[Model]) -> list[Model]:
    """Models ordered so that each comes after every model of the layer it reads (else name order).

    A safe view may read another safe view's output (the worker siblings reuse
    workers_safe's masked values); the layer writes that one first.
    """
    names = {model.name for model in models}
    reads = {model.name: relations_read(model.sql) & names - {model.name} for model in models}
    ordered: list[Model] = []
    pending = list(models)
    while pending:
        ready = [model for model in pending if reads[model.name] <= {done.name for done in ordered}]
        if not ready:
            raise CannotRun(f"safe views read each other in a cycle: {', '.join(sorted(m.name for m in pending))}")
        ordered += ready
        pending = [model for model in pending if model not in ready]
    return ordered


ROSTER_NAME_KEYS = "sql/safe/roster_name_keys.sql"


def _has_temp_table(lake: Lakehouse, name: str) -> bool:
    return bool(lake.con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = $name", {"name": name}
    ).fetchone()[0])


def register_document_relations(lake: Lakehouse) -> None:
    """raw_scenarios, raw_scenario_fills, raw_scenario_assignments, raw_lessons: the JSON files as tables.

    Temp tables, in memory for this run only (they hold names and free text),
    rendered from sql/raw/; the safe views read them, nothing else does.
    """
    params = {
        "scenario_paths": [str(path) for path in document_paths(lake, "scenarios")],
        "lesson_paths": [str(path) for path in document_paths(lake, "lessons")],
        "data_dir": str(lake.layout.data_dir),
    }
    for name in (relation.name for relation in lake.manifest.document_relations):
        if not _has_temp_table(lake, f"raw_{name}"):
            execute(lake.con, f"create temp table {quote_identifier('raw_' + name)} as {render(f'sql/raw/{name}.sql')}",
                    params)


def register_roster_name_keys(lake: Lakehouse) -> None:
    """roster_name_keys, the gate of the roster-name redaction: a temp table, in memory for this run only.

    Built once per run (every safe view and derived model with free text joins
    it); it holds roster names, so it is never written to a file.
    """
    if _has_temp_table(lake, "roster_name_keys"):
        return
    execute(lake.con, f"create temp table roster_name_keys as {render(ROSTER_NAME_KEYS)}",
            {"scenario_paths": [str(path) for path in document_paths(lake, "scenarios")]})


def roster_inputs(lake: Lakehouse) -> list[Path]:
    """Every file whose names roster_name_keys reads: the raw datasets and the scenarios."""
    return sorted(raw.path for raw in lake.raw.values() if raw.dataset.role != "excluded_anomaly") + document_paths(lake, "scenarios")


def build_safe(lake: Lakehouse, normalised: LayerResult, echo=None) -> LayerResult:
    """Decision B: every safe relation, from the normalised layer, raw job orders and the JSON files."""
    register_document_relations(lake)
    register_roster_name_keys(lake)
    models = in_dependency_order(
        [Model(name=Path(template).stem, template=template, sql=render(template)) for template in safe_view_templates()]
    )
    inputs = list(normalised.outputs.values()) + roster_inputs(lake) + document_paths(lake, "lessons")
    lessons = lake.manifest.document("lessons")
    return lake.materialise(
        "safe",
        models,
        inputs=inputs,
        params={"lesson_tags": list(lessons.incident_tags) + list(lessons.other_tags)},
        extra={"key_fingerprint": key_fingerprint(lake.key)},
        echo=echo,
    )


def analyst_database_path(layout: Layout) -> Path:
    return layout.out_dir / "analyst.duckdb"


def analyst_record_path(layout: Layout) -> Path:
    return layout.out_dir / "analyst.json"


def ledger_dir(layout: Layout) -> Path:
    return layout.out_dir / "audit" / "ledger"


def output_hashes(layout: Layout, *results: LayerResult) -> dict[str, str]:
    """sha256 of every output of these layers, by relation name, as their records hold it."""
    hashes = {}
    for result in results:
        recorded = {entry["path"]: entry["sha256"] for entry in result.record.get("outputs", [])}
        for name, path in result.outputs.items():
            hashes[name] = recorded.get(_relative(path, layout))
    return hashes


def write_analyst_database(layout: Layout, tables: dict[str, Path], hashes: dict[str, str] | None = None) -> Path:
    """The analyst's database: a table per safe/derived relation, and audit_results.

    Tables, not views over files: it holds no path and no key, opens anywhere,
    and is replaced atomically (built under a temporary name, then renamed).
    audit_results is the whole ledger history, whichever command rewrites it.
    analyst.json records the sha256 of the parquet file behind each table and
    the identity of the database written (file_identity: inode, size, times). When both
    still match (same outputs, and the database is the very file written then:
    opening it read-write and changing it moves its mtime), the tables are not
    copied again: the previous database is copied under the temporary name and
    only audit_results is replaced. The identity, not a sha256, because
    hashing the database costs as much as rebuilding it (1.5 GB at scale 10).
    """
    target = analyst_database_path(layout)
    record_path = analyst_record_path(layout)
    temp = temporary_sibling(target)
    temp.unlink(missing_ok=True)
    hashes = {name: (hashes or {}).get(name) or sha256_file(path) for name, path in tables.items()}
    expected = {"tool_version": __version__, "duckdb_version": duckdb.__version__, "tables": hashes}
    previous = read_record(record_path)
    reuse = (
        record_matches(previous, expected)
        and target.is_file()
        and previous.get("database_file") == file_identity(target)
    )
    try:
        if reuse:
            shutil.copyfile(target, temp)
        con = connect(temp)
        try:
            if reuse:
                con.execute("drop table if exists audit_results")
            else:
                for name, path in tables.items():
                    execute(con, f"create table {quote_identifier(name)} as select * from read_parquet($path)", {"path": str(path)})
            if any(ledger_dir(layout).glob("*.json")):
                execute(con, f"create table audit_results as {render('sql/audit_results.sql')}",
                        {"ledger": str(ledger_dir(layout) / "*.json")})
        finally:
            con.close()
        os.replace(temp, target)
    finally:
        temp.unlink(missing_ok=True)
        Path(str(temp) + ".wal").unlink(missing_ok=True)
    atomic_write_text(record_path, canonical_json({**expected, "database_file": file_identity(target)}))
    return target


# -- the derived layer -----------------------------------------------------------

def document_paths(lake: Lakehouse, name: str) -> list[Path]:
    documents = lake.manifest.document(name)
    return sorted((lake.layout.data_dir / documents.folder).glob(documents.glob))


def build_derived(lake: Lakehouse, safe: LayerResult, echo=None) -> LayerResult:
    """Decision A's fill_events and the staffing_answers corpus, from the safe relations only (contract §6)."""
    models = [
        Model(name, f"sql/derive/{name}.sql", render(f"sql/derive/{name}.sql"))
        for name in ("fill_events", "staffing_answers")
    ]
    return lake.materialise(
        "derived",
        models,
        inputs=list(safe.outputs.values()),
        params={"incident_tags": list(lake.manifest.document("lessons").incident_tags)},
        extra={"key_fingerprint": key_fingerprint(lake.key)},
        echo=echo,
    )


def build_layers(lake: Lakehouse, echo) -> dict[str, LayerResult]:
    """Normalised, safe, then derived; each rebuilt only when stale."""
    results = {}
    for name, step in (("normalised", lambda: build_normalised(lake, echo=echo)),
                       ("safe", lambda: build_safe(lake, results["normalised"], echo=echo)),
                       ("derived", lambda: build_derived(lake, results["safe"], echo=echo))):
        result = step()
        results[name] = result
        echo(f"  {name:<11} {'built' if result.rebuilt else 'up to date'} -> {lake.layer_dir(name)}")
    return results
