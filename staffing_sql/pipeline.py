"""Open a lakehouse behind the gate and materialise its layers.

The normalised layer (decision D) is computed on read: temp views over the raw
files, so the output folder never holds a copy of raw PII. The safe and
derived layers are folders of parquet files written by rendered SQL models,
plus a BUILD.json record (inputs and outputs with sha256, the sha256 of each
model's rendered SQL, versions). A layer whose record still matches is not
rebuilt. A rebuilt layer is staged: every file is written under a temporary
name beside its target and registered as its relation from there, and nothing
is renamed into place until the caller publishes it (after the PII scan
passed, see staffing_sql.publication); the record is written last, so an
interrupted build is simply stale next time.
"""

from __future__ import annotations

import json
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from staffing_sql import __version__
from staffing_sql.catalog import (DOCUMENT_PARAMETERS, SESSION_TABLES, Model, Sources, derived_models,
                                  document_relation_template, normalised_model, safe_models, sources)
from staffing_sql.database import connect, duckdb_macro_files, execute, install_macros
from staffing_sql.engine import DuckDBEngine, EngineChoice, start_engine
from staffing_sql.errors import CannotRun
from staffing_sql.gate import RawFile, open_lakehouse
from staffing_sql.hashing import (FileHashes, atomic_write_text, canonical_json, file_identity, file_record,
                                  relative_path, sha256_file, sha256_text, temporary_sibling)
from staffing_sql.key import key_facts, key_fingerprint
from staffing_sql.manifest import Manifest, load_manifest
from staffing_sql.paths import Layout
from staffing_sql.quoting import quote_identifier, quote_literal
from staffing_sql.templates import render

RECORD_NAME = "BUILD.json"

# A test hook, honoured only to prove the publication gate: ``<relation>.<column>``
# makes the staged copy of that relation carry a raw roster name in that
# VARCHAR column, a leak the redactor misses on purpose, so the PII scan must
# refuse to publish. Never set it outside the test suite.
TEST_LEAK_ENV = "STAFFING_SQL_TEST_LEAK"


def leak_hook() -> tuple[str, str] | None:
    relation, _, column = os.environ.get(TEST_LEAK_ENV, "").partition(".")
    return (relation, column) if relation and column else None



@dataclass
class LayerResult:
    """A layer's outputs: where each relation's file is now, and where it is published.

    While staged, ``outputs`` are the temporary files and ``targets`` the
    final paths; ``publish`` renames one onto the other and writes the record.
    A layer that was up to date is already published (outputs == targets).
    """

    name: str
    rebuilt: bool
    record: dict
    outputs: dict[str, Path] = field(default_factory=dict)
    targets: dict[str, Path] = field(default_factory=dict)
    folder: Path | None = None
    published: bool = True

    def publish(self, mode: int | None = None) -> None:
        if self.published:
            return
        for name, temp in self.outputs.items():
            if mode is not None:
                os.chmod(temp, mode)
            os.replace(temp, self.targets[name])
        self.outputs = dict(self.targets)
        atomic_write_text(self.folder / RECORD_NAME, canonical_json(self.record))
        if mode is not None:
            os.chmod(self.folder / RECORD_NAME, mode)
        self.published = True

    def discard(self) -> None:
        """Delete the staged files of a layer that must not be published."""
        if self.published:
            return
        for temp in self.outputs.values():
            Path(temp).unlink(missing_ok=True)
        self.outputs = {}


def register_relations(con, prefix: str | None, paths: dict[str, Path]) -> None:
    """Temp views ``<prefix>_<name>`` (or ``<name>``) over parquet files (never persisted)."""
    for name, path in paths.items():
        relation = f"{prefix}_{name}" if prefix else name
        con.execute(
            f"create or replace temp view {quote_identifier(relation)} as "
            f"select * from read_parquet({quote_literal(path)})"
        )


def _relative(path: Path, layout: Layout) -> str:
    return relative_path(path, (layout.data_dir, layout.out_dir))


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
    """A connection to one lakehouse that has passed the gate and schema checks: see Lakehouse.open."""

    def __init__(self, layout: Layout, key: str | None, manifest: Manifest, con, spill_dir: Path):
        self.layout = layout
        self.key = key
        self.manifest = manifest
        self.con = con
        self.spill_dir = spill_dir
        self.raw: dict[str, RawFile] = {}
        self.hashes = FileHashes()
        self.normalised_held = False
        self.engine = DuckDBEngine(con)

    @classmethod
    def open(cls, layout: Layout, key: str | None, manifest: Manifest | None = None, threads: int | None = None,
             spill_dir: Path | None = None, engine: EngineChoice | None = None) -> "Lakehouse":
        """The gate (every input check, nothing written), then the raw and normalised relations and the macros,
        then the engine (``engine``: DuckDB unless Spark is asked for; no engine starts before the gate passed)."""
        spill_dir = spill_dir or layout.spill_dir / str(os.getpid())
        lake = cls(layout, key, manifest or load_manifest(), connect(threads=threads, spill_dir=spill_dir), spill_dir)
        try:
            lake.raw = open_lakehouse(lake.con, layout, lake.manifest)
            lake.register_raw()
            install_macros(lake.con, key)
            lake.register_normalised()
            lake.engine = start_engine(engine, lake, run_params(lake))
        except BaseException:
            lake.close()
            raise
        return lake

    def register_raw(self) -> None:
        """raw_<dataset> over every file the product reads (decision C leaves the anomaly out)."""
        register_relations(self.con, None, {raw.dataset.relation: raw.path for raw in self.raw.values()
                                            if not raw.dataset.excluded})

    def register_excluded(self) -> None:
        """excluded_<dataset>, for the checks that must look at an excluded anomaly."""
        register_relations(self.con, None, {raw.dataset.relation: raw.path for raw in self.raw.values()
                                            if raw.dataset.excluded})

    def hold_normalised(self) -> None:
        """Compute the phone fixup once for this session, before the audit's checks read it.

        A view is expanded into every query that reads it, and every
        reference to its phone or phone_status re-runs the fixup's regular
        expressions (a check naming phone three times runs them three times
        per row). So each dataset's fixed phones are computed once into a
        narrow temp table (raw phone, phone, phone_status: in DuckDB, never
        a file), in file order, and normalised_<dataset> becomes the raw
        file beside it row by row (a positional join). Every row checks
        that its raw phone is the one the held row was computed from, so a
        misaligned row fails the query instead of lending a phone to
        someone else. The build does not hold them: the safe layer reads
        each view in one streaming pass.
        """
        if self.normalised_held:
            return
        for dataset in self.manifest.phone_datasets():
            self.con.execute(
                f"create or replace temp table {quote_identifier(HELD_PREFIX + dataset.name)} as "
                f"select source.phone as raw_phone, fixed.phone, fixed.phone_status "
                f"from {quote_identifier(dataset.relation)} as source "
                f"positional join ({normalised_sql(dataset).strip().rstrip(';')}) as fixed"
            )
        self.normalised_held = True
        self.register_normalised()

    def register_normalised(self) -> None:
        """normalised_<dataset> as temp views: over the held tables once held, else computed on read."""
        register_normalised(self.con, self.manifest, held=self.normalised_held)

    def close(self) -> None:
        try:
            self.engine.close()
        finally:
            self.con.close()
            shutil.rmtree(self.spill_dir, ignore_errors=True)

    def register_outputs(self, prefix: str | None, paths: dict[str, Path]) -> None:
        """A layer's files as relations on DuckDB (the scan, the analyst database) and on the engine."""
        register_relations(self.con, prefix, paths)
        self.engine.register({(f"{prefix}_{name}" if prefix else name): path for name, path in paths.items()})

    # -- layers ---------------------------------------------------------------

    def layer_dir(self, name: str) -> Path:
        return self.layout.out_dir / name

    def materialise(self, layer: str, models: list[Model], inputs: list[Path], params: dict | None = None,
                    extra: dict | None = None, echo=None, prefix: str | None = None,
                    folder: Path | None = None, prepare=None) -> LayerResult:
        """Stage every model of a layer (or keep it, when its record still matches).

        Each output is registered as a relation (``<prefix>_<name>`` or
        ``<name>``) as soon as it is written, so a model may read the models
        listed before it in the same layer. Nothing is renamed into place
        here: the caller publishes the result (LayerResult.publish) or
        discards it. ``prepare`` (optional) runs once, only when the layer
        is rebuilt: what its models read but a fresh layer does not need.
        """
        folder = folder or self.layer_dir(layer)
        targets = {model.name: folder / f"{model.name}.parquet" for model in models}
        expected = {
            "layer": layer,
            "tool_version": __version__,
            "duckdb_version": duckdb.__version__,
            **self.engine.facts(),
            "inputs": [self.file_entry(path) for path in inputs],
            "models": {model.name: {"template": model.template, "sql_sha256": sha256_text(model.sql)} for model in models},
            "macros": {path.name: sha256_text(path.read_text(encoding="utf-8")) for path in duckdb_macro_files()},
            **(extra or {}),
        }
        leak = leak_hook()
        previous = read_record(folder / RECORD_NAME)
        if self._fresh(previous, expected, targets) and not (leak and leak[0] in targets):
            self.register_outputs(prefix, targets)
            return LayerResult(layer, False, previous, dict(targets), targets, folder)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise CannotRun(f"{folder}: output folder cannot be created ({exc.strerror})") from None
        if prepare:
            prepare()
        staged = {}
        try:
            for model in models:
                temp = temporary_sibling(targets[model.name])
                staged[model.name] = temp
                if echo:
                    echo(f"    {layer}/{model.name}")
                self.engine.write(model.sql, params or {}, temp)
                if leak and leak[0] == model.name:
                    self._plant_test_leak(temp, leak[1])
                self.register_outputs(prefix, {model.name: temp})
        except BaseException:
            for temp in staged.values():
                Path(temp).unlink(missing_ok=True)
            raise
        record = {
            **expected,
            "outputs": [file_record(temp, self.roots, self.hashes, shown_as=targets[name]) for name, temp in staged.items()],
        }
        return LayerResult(layer, True, record, staged, targets, folder, published=False)

    def publish(self, result: LayerResult, prefix: str | None = None, mode: int | None = None) -> None:
        """Rename a staged layer into place and point its relations at the published files."""
        if not result.published:
            result.publish(mode)
            self.register_outputs(prefix, result.outputs)

    def _plant_test_leak(self, path: Path, column: str) -> None:
        """The test hook (see leak_hook): a raw roster name appended to ``column`` of every staged row."""
        planted = temporary_sibling(path.with_name("leak-" + path.name))
        execute(
            self.con,
            f"copy (select * replace ({quote_identifier(column)} || ' ' || "
            f"(select name from raw_workers_500k where name is not null order by worker_id limit 1) "
            f"as {quote_identifier(column)}) from read_parquet($source)) to $path (format parquet)",
            {"source": str(path), "path": str(planted)},
        )
        os.replace(planted, path)

    @property
    def roots(self) -> tuple[Path, Path]:
        """Recorded paths are relative to the data or the output folder."""
        return (self.layout.data_dir, self.layout.out_dir)

    def file_entry(self, path: Path, fresh: bool = False) -> dict:
        """file_record of one file of this lakehouse, with this run's hashes."""
        return file_record(path, self.roots, self.hashes, fresh)

    def _fresh(self, previous: dict | None, expected: dict, outputs: dict[str, Path]) -> bool:
        if not record_matches(previous, expected):
            return False
        recorded = {entry["path"]: entry["sha256"] for entry in previous.get("outputs", [])}
        for path in outputs.values():
            if not path.is_file() or recorded.get(_relative(path, self.layout)) != self.hashes.sha256(path):
                return False
        return True


# -- the normalised and safe layers -------------------------------------------

NORMALISE_FIXUP = ("decision D: phone to VARCHAR (NNN) NNN-NNNN; 9-digit BIGINT phones get their leading 0 back; "
                   "invalid numbers NULL and flagged")


def normalised_sql(dataset) -> str:
    return normalised_model(dataset).sql


HELD_PREFIX = "_held_normalised_"


def register_normalised(con, manifest: Manifest, held: bool = False) -> None:
    """normalised_<dataset>: decision D computed on read, a temp view over raw_<dataset>.

    The normalised layer is raw data with its phones fixed, PII by design: it
    is never written into the output folder (contract §2, §6). A user who
    needs it materialised names a folder: ``normalize-phones --out DIR``.
    ``held``: read the fixed phones from Lakehouse.hold_normalised's tables.
    """
    for dataset in manifest.phone_datasets():
        relation = quote_identifier(dataset.normalised_relation)
        if not held:
            con.execute(f"create or replace temp view {relation} as {normalised_sql(dataset).strip().rstrip(';')}")
            continue
        # Same columns, same order as sql/normalise/phones.sql.
        guard = (f"held.raw_phone is not distinct from source.phone or "
                 f"error({quote_literal(dataset.normalised_relation + ': held phones out of step with the raw file')})")
        columns = []
        for column in dataset.columns:
            if column.name == "phone":
                columns += [f"case when {guard} then held.phone end as phone",
                            f"case when {guard} then held.phone_status end as phone_status"]
            else:
                columns.append(f"source.{quote_identifier(column.name)}")
        con.execute(
            f"create or replace temp view {relation} as select {', '.join(columns)} "
            f"from {quote_identifier(dataset.relation)} as source "
            f"positional join {quote_identifier(HELD_PREFIX + dataset.name)} as held"
        )


def normalised_sql_hashes(manifest: Manifest) -> dict[str, str]:
    return {dataset.name: sha256_text(normalised_sql(dataset)) for dataset in manifest.phone_datasets()}


def write_normalised(lake: Lakehouse, folder: Path, echo=None) -> LayerResult:
    """Decision D materialised for downstream systems, into a folder the user named (files 0600)."""
    models = [normalised_model(dataset) for dataset in lake.manifest.phone_datasets()]
    result = lake.materialise(
        "normalised",
        models,
        inputs=source_paths(lake, sources(models, lake.manifest)),
        extra={"fixup": NORMALISE_FIXUP},
        echo=echo,
        prefix="materialised_normalised",
        folder=folder,
    )
    lake.publish(result, prefix="materialised_normalised", mode=0o600)
    return result


def _has_temp_table(lake: Lakehouse, name: str) -> bool:
    return bool(lake.con.execute(
        "select count(*) from duckdb_tables() where temporary and table_name = $name", {"name": name}
    ).fetchone()[0])


def register_document_relations(lake: Lakehouse) -> None:
    """raw_scenarios, raw_scenario_fills, raw_scenario_assignments, raw_lessons: the JSON files as tables.

    Temp tables, in memory for this run only (they hold names and free text),
    rendered from sql/raw/; the safe views read them, nothing else does.
    """
    for relation in lake.manifest.document_relations:
        if not _has_temp_table(lake, relation.relation):
            execute(lake.con, f"create temp table {quote_identifier(relation.relation)} as "
                              f"{render(document_relation_template(relation.name))}", run_params(lake))


def register_session_tables(lake: Lakehouse) -> None:
    """roster_name_keys (catalog.SESSION_TABLES), the gate of the roster-name redaction: in memory for this run only.

    Built once per run (every safe view and derived model with free text joins
    it); it holds roster names, so it is never written to a file.
    """
    for name, template in SESSION_TABLES.items():
        if not _has_temp_table(lake, name):
            execute(lake.con, f"create temp table {quote_identifier(name)} as {render(template)}", run_params(lake))


def source_paths(lake: Lakehouse, found: Sources) -> list[Path]:
    """The raw files under what a layer's SQL reads (catalog.sources): datasets by path, then each document folder's files."""
    paths = sorted(lake.raw[name].path for name in found.datasets)
    for documents in lake.manifest.documents:
        if documents.name in found.documents:
            paths += document_paths(lake, documents.name)
    return paths


def build_safe(lake: Lakehouse, echo=None) -> LayerResult:
    """Decision B: every safe relation, from the normalised views (computed on read), raw job orders and the JSON files."""
    register_document_relations(lake)
    models = safe_models()
    # The normalised views, the JSON relations and roster_name_keys are not
    # files: the record lists the raw files under them, and holds the fixup's
    # rendered SQL too. roster_name_keys is built only when the layer is
    # (it costs half of an audit whose safe layer is up to date).
    return lake.materialise(
        "safe",
        models,
        inputs=source_paths(lake, sources(models, lake.manifest)),
        params=run_params(lake),
        extra={"key_fingerprint": key_fingerprint(lake.key), "normalise_sql_sha256": normalised_sql_hashes(lake.manifest),
               "fixup": NORMALISE_FIXUP},
        echo=echo,
        prepare=lambda: register_session_tables(lake),
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
        for name, path in result.targets.items():
            hashes[name] = recorded.get(_relative(path, layout))
    return hashes


BUILD_INFO_COLUMNS = ("key_fingerprint", "development_key", "tool_version", "duckdb_version")


def build_info(key: str) -> dict:
    """The analyst database's build_info row: which key made its tokens, and with what."""
    return {**key_facts(key), "tool_version": __version__, "duckdb_version": duckdb.__version__}


def ledger_files(layout: Layout) -> list[Path]:
    return sorted(ledger_dir(layout).glob("*.json"))


@dataclass
class StagedDatabase:
    """An analyst database written under a temporary name, renamed into place by publish()."""

    layout: Layout
    temp: Path
    record: dict

    def publish(self) -> Path:
        target = analyst_database_path(self.layout)
        os.replace(self.temp, target)
        atomic_write_text(analyst_record_path(self.layout), canonical_json({**self.record, "database_file": file_identity(target)}))
        return target

    def discard(self) -> None:
        self.temp.unlink(missing_ok=True)
        Path(str(self.temp) + ".wal").unlink(missing_ok=True)


def stage_analyst_database(layout: Layout, tables: dict[str, Path], hashes: dict[str, str] | None,
                           info: dict, staged_ledger: Path | None = None) -> StagedDatabase:
    """The analyst's database, staged: a table per safe/derived relation, audit_results and build_info.

    Tables, not views over files: it holds no path and no key and opens
    anywhere. ``tables`` are the files the relations are read from now (staged
    or published); ``hashes`` their sha256 as published. audit_results is the
    whole ledger history (the published runs, plus ``staged_ledger``, this
    run's, not yet renamed into place); it exists, empty, before the first
    audit, with the same columns. build_info is one row (BUILD_INFO_COLUMNS).
    analyst.json records the sha256 of the parquet file behind each table and
    the identity of the database written (file_identity: inode, size, times). When both
    still match (same outputs, and the database is the very file written then:
    opening it read-write and changing it moves its mtime), the tables are not
    copied again: the previous database is copied under the temporary name and
    only audit_results and build_info are replaced. The identity, not a sha256,
    because hashing the database costs as much as rebuilding it (1.5 GB at scale 10).
    """
    target = analyst_database_path(layout)
    temp = temporary_sibling(target)
    staged = StagedDatabase(layout, temp, {})
    staged.discard()
    hashes = {name: (hashes or {}).get(name) or sha256_file(path) for name, path in tables.items()}
    expected = {"tool_version": __version__, "duckdb_version": duckdb.__version__, "tables": hashes}
    previous = read_record(analyst_record_path(layout))
    reuse = (
        record_matches(previous, expected)
        and target.is_file()
        and previous.get("database_file") == file_identity(target)
    )
    ledger = ledger_files(layout) + ([staged_ledger] if staged_ledger else [])
    # read_json needs a file: before the first audit, an empty one gives the empty table.
    empty = temporary_sibling(ledger_dir(layout) / "empty.json")
    try:
        if not ledger:
            empty.parent.mkdir(parents=True, exist_ok=True)
            empty.write_bytes(b"")
        if reuse:
            shutil.copyfile(target, temp)
        con = connect(temp)
        try:
            if reuse:
                con.execute("drop table if exists audit_results")
                con.execute("drop table if exists build_info")
            else:
                for name, path in tables.items():
                    execute(con, f"create table {quote_identifier(name)} as select * from read_parquet($path)", {"path": str(path)})
            execute(con, f"create table audit_results as {render('sql/audit_results.sql')}",
                    {"ledger": [str(path) for path in ledger] or [str(empty)]})
            columns = ", ".join(f"${name} as {quote_identifier(name)}" for name in BUILD_INFO_COLUMNS)
            execute(con, f"create table build_info as select {columns}", {name: info[name] for name in BUILD_INFO_COLUMNS})
        finally:
            con.close()
    except BaseException:
        staged.discard()
        raise
    finally:
        empty.unlink(missing_ok=True)
        Path(str(temp) + ".wal").unlink(missing_ok=True)
    staged.record = expected
    return staged


# -- the derived layer -----------------------------------------------------------

def document_paths(lake: Lakehouse, name: str) -> list[Path]:
    documents = lake.manifest.document(name)
    return sorted((lake.layout.data_dir / documents.folder).glob(documents.glob))


def run_params(lake: Lakehouse) -> dict:
    """The values a model or check may bind (each binds only the $names it holds).

    Each document folder's files under the parameter the catalog names it by
    (``$scenario_paths``, ``$lesson_paths``), the data folder (recorded paths
    are relative to it) and the manifest's lesson tags.
    """
    lessons = lake.manifest.document("lessons")
    return {
        **{name: [str(path) for path in document_paths(lake, documents)] for name, documents in DOCUMENT_PARAMETERS.items()},
        "data_dir": str(lake.layout.data_dir),
        "incident_tags": list(lessons.incident_tags),
        "lesson_tags": list(lessons.incident_tags) + list(lessons.other_tags),
    }


def raw_files(lake: Lakehouse) -> list[Path]:
    """The raw files on disk now, by the rules the gate reads them with: the parquet files, scenarios, lessons."""
    datasets = sorted(lake.layout.datasets_dir.glob("*.parquet"))
    return datasets + document_paths(lake, "scenarios") + document_paths(lake, "lessons")


def build_derived(lake: Lakehouse, safe: LayerResult, echo=None) -> LayerResult:
    """Decision A's fill_events and the staffing_answers corpus, from the safe relations only (contract §6)."""
    models = derived_models()
    found = sources(models, lake.manifest, upstream=safe_models())
    # Its inputs are the safe outputs its SQL reads, by their sha256 (staged outputs have temporary names).
    safe_outputs = {name: sha256 for name, sha256 in output_hashes(lake.layout, safe).items() if name in found.upstream}
    return lake.materialise(
        "derived",
        models,
        inputs=source_paths(lake, found),
        params=run_params(lake),
        extra={"key_fingerprint": key_fingerprint(lake.key), "safe_outputs": safe_outputs},
        echo=echo,
    )


def build_layers(lake: Lakehouse, echo) -> dict[str, LayerResult]:
    """Safe, then derived, each rebuilt (staged) only when stale; the normalised layer is read on the fly.

    Nothing is published here: see staffing_sql.publication.
    """
    echo(f"  {'normalised':<11} computed on read (views over the raw files; never written to {lake.layout.out_dir})")
    results = {}
    for name, step in (("safe", lambda: build_safe(lake, echo=echo)),
                       ("derived", lambda: build_derived(lake, results["safe"], echo=echo))):
        result = step()
        results[name] = result
        echo(f"  {name:<11} {'built (staged)' if result.rebuilt else 'up to date'} -> {lake.layer_dir(name)}")
    return results


def publish_layers(lake: Lakehouse, layers: dict[str, LayerResult]) -> None:
    for result in layers.values():
        lake.publish(result)


def discard_layers(layers: dict[str, LayerResult]) -> None:
    for result in layers.values():
        result.discard()
