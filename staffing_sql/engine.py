"""The engine a build or audit runs the project's SQL on (contract §9): DuckDB (the default) or Apache Spark.

One pipeline whatever the engine: the gate (DuckDB, before any engine starts), the staging and the
atomic publication, the PII scan (DuckDB over the staged parquet files), the analyst database (a
DuckDB file), the ledger and the reports. The engine only runs the templates: it writes a model's
rows to its staged parquet file, reads a staged or published file as the relation later models and
checks read, and puts a check's offending rows into DuckDB's ``_offending`` table, where the count,
the samples and the breakdown are read the same way for both engines (staffing_sql.checks).

On Spark, a check whose SQL does not port faithfully yet (portable.to_spark refuses it), reads
DuckDB's catalog, or binds a parameter Spark cannot carry, runs on DuckDB over the same files
Spark wrote; its result says so (``ran_on``, ``ran_on_reason``).
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from staffing_sql.database import execute
from staffing_sql.errors import CannotRun

ENGINES = ("duckdb", "spark")
ENV_ENGINE = "STAFFING_SQL_ENGINE"
ENV_SPARK_MASTER = "STAFFING_SQL_SPARK_MASTER"

SCAN_ON_DUCKDB = "the publication's PII scan runs on DuckDB over the staged files, whatever the engine"


@dataclass(frozen=True)
class EngineChoice:
    """What the command line asked for: the engine, and for Spark its master and settings."""

    name: str = "duckdb"
    master: str = "local[2]"
    settings: dict = field(default_factory=dict)


def engine_choice(name: str, master: str, settings: tuple[str, ...] = ()) -> EngineChoice:
    """Parse ``--spark-conf key=value`` (repeatable); a malformed one is a one-line error."""
    parsed = {}
    for setting in settings:
        key, sep, value = setting.partition("=")
        if not sep or not key.strip():
            raise CannotRun(f"--spark-conf {setting.split('=')[0][:60]!r}: expected key=value")
        parsed[key.strip()] = value
    return EngineChoice(name, master, parsed)


def _copy_sql(sql: str) -> str:
    return f"copy ({sql.strip().rstrip(';')}) to $path (format parquet)"


class DuckDBEngine:
    """The default: every template runs on the lakehouse's own DuckDB connection."""

    name = "duckdb"

    def __init__(self, con):
        self.con = con
        self.version = duckdb.__version__

    def facts(self) -> dict:
        return {"engine": self.name, "engine_version": self.version}

    def write(self, sql: str, params: dict, path: Path) -> None:
        execute(self.con, _copy_sql(sql), {**params, "path": str(path)})

    def register(self, relations: dict[str, Path]) -> None:
        """DuckDB's relations are registered by the pipeline itself (register_relations)."""

    def offending(self, sql: str, params: dict) -> str | None:
        """``_offending`` from the check's SQL; None: it ran here."""
        self.con.execute(f"create or replace temp table _offending as {sql}", params or None)
        return None

    def close(self) -> None:
        pass


class SparkEngine:
    """Spark reads the raw parquet and JSON files where they lie and runs the transpiled templates.

    Its relations are Spark temp views: raw_<dataset> (and excluded_<dataset>) over the raw parquet,
    normalised_<dataset> (the phone fixup, transpiled), the JSON relations (staffing_sql.spark),
    roster_name_keys (cached in Spark's memory, never a file), and each safe or derived output over
    its staged, then published, file. A model's rows are written by Spark as part files in the run's
    scratch folder, in partition order, then copied by DuckDB into the one staged file in the layer's
    folder, in the same order (so the layer, its record and the analyst database are as on DuckDB).
    """

    name = "spark"

    def __init__(self, con, choice: EngineChoice, lake, params: dict, scratch: Path):
        from staffing_sql import portable, spark
        from staffing_sql.hashing import sha256_text
        from staffing_sql.spark import start_session

        # What ran is the transpiled SQL: a layer built by another translation is stale.
        self.translation = sha256_text("".join(Path(module.__file__).read_text(encoding="utf-8")
                                               for module in (portable, spark)))
        self.con = con
        self.key = lake.key
        self.scratch = scratch
        try:
            self.spark = start_session(choice.master, choice.settings)
        except CannotRun:
            raise
        except Exception as exc:  # noqa: BLE001 - one line naming the error's kind, as for a query
            raise CannotRun(f"Spark did not start on master {choice.master!r} ({type(exc).__name__})") from None
        self.version = self.spark.version
        self._serial = 0
        self._register_inputs(lake, params)

    def facts(self) -> dict:
        return {"engine": self.name, "engine_version": self.version, "translation_sha256": self.translation}

    def _frame(self, sql: str, params: dict | None = None):
        from staffing_sql.portable import spark_dataframe, to_spark
        from staffing_sql.spark import spark_params

        return spark_dataframe(self.spark, to_spark(sql), self.key, spark_params(params) if params else None)

    def _register_inputs(self, lake, params: dict) -> None:
        from staffing_sql.catalog import SESSION_TABLES, normalised_model
        from staffing_sql.spark import register_document_relations
        from staffing_sql.templates import render

        self.register({raw.dataset.relation: raw.path for raw in lake.raw.values()})
        for dataset in lake.manifest.phone_datasets():
            self._frame(normalised_model(dataset).sql).createOrReplaceTempView(dataset.normalised_relation)
        register_document_relations(self.spark, lake.manifest, params)
        for name, template in SESSION_TABLES.items():
            # Every redacting view joins it: computed once, held in Spark's memory for this run only.
            frame = self._frame(render(template), params)
            frame.cache()
            frame.createOrReplaceTempView(name)

    def register(self, relations: dict[str, Path]) -> None:
        """Each file as a Spark view, read where it lies. Spark skips a file whose name starts with
        '.' or '_' (a staged output's does): such a file is read through a hard link (a copy across
        file systems) named for the relation, in the run's scratch folder. Raw files are never linked."""
        from staffing_sql.spark import spark_path

        for name, path in relations.items():
            path = Path(path)
            if path.name.startswith((".", "_")):
                path = self._visible(name, path)
            self._run(lambda: self.spark.read.parquet(spark_path(os.path.abspath(path)))
                      .createOrReplaceTempView(name))

    def _visible(self, name: str, path: Path) -> Path:
        folder = self.scratch / "relations"
        folder.mkdir(parents=True, exist_ok=True)
        link = folder / f"{name}.parquet"
        link.unlink(missing_ok=True)
        try:
            os.link(path, link)
        except OSError:
            shutil.copyfile(path, link)
        return link

    def _run(self, step):
        from staffing_sql.portable import _spark_error

        try:
            return step()
        except CannotRun:
            raise
        except Exception as exc:  # noqa: BLE001 - a Spark message may quote the key or data
            raise _spark_error(exc) from None

    def _write_parts(self, sql: str, params: dict, folder: Path) -> list[Path]:
        """The query's rows as Spark's part files in ``folder``, in partition (so query) order."""
        from staffing_sql.spark import spark_path

        frame = self._frame(sql, params)
        self._run(lambda: frame.write.mode("overwrite").parquet(spark_path(os.path.abspath(folder))))
        parts = sorted(folder.glob("part-*.parquet"))
        if not parts:
            raise CannotRun(f"Spark wrote no parquet file for {folder.name}")
        return parts

    def write(self, sql: str, params: dict, path: Path) -> None:
        # In the run's scratch folder (<out>/.spill/<pid>): swept after a killed run like DuckDB's spill files.
        folder = self.scratch / "parts" / path.name
        shutil.rmtree(folder, ignore_errors=True)
        try:
            parts = self._write_parts(sql, params, folder)
            execute(self.con, "copy (select * from read_parquet($parts)) to $path (format parquet)",
                    {"parts": [str(part) for part in parts], "path": str(path)})
        finally:
            shutil.rmtree(folder, ignore_errors=True)

    def offending(self, sql: str, params: dict) -> str | None:
        """``_offending`` from the check's SQL run on Spark, or on DuckDB with the reason it did not port."""
        reason = duckdb_only_reason(sql, params)
        if reason:
            self.con.execute(f"create or replace temp table _offending as {sql}", params or None)
            return reason
        self._serial += 1
        folder = self.scratch / f"offending-{self._serial}"
        shutil.rmtree(folder, ignore_errors=True)
        try:
            parts = self._write_parts(sql, params, folder)
            execute(self.con, "create or replace temp table _offending as select * from read_parquet($parts)",
                    {"parts": [str(part) for part in parts]})
        finally:
            shutil.rmtree(folder, ignore_errors=True)
        return None

    def close(self) -> None:
        self.spark.stop()


def duckdb_only_reason(sql: str, params: dict) -> str | None:
    """Why a check's SQL runs on DuckDB on a Spark run, or None when Spark runs it."""
    from staffing_sql.portable import translate

    problems = translate(sql).problems
    if problems:
        constructs = ", ".join(dict.fromkeys(problem.construct for problem in problems))
        return f"does not port to Spark yet ({constructs}): ran on DuckDB, over the raw files and the files Spark wrote"
    if "information_schema" in sql.lower():
        return "reads DuckDB's catalog (information_schema): ran on DuckDB, over the raw files and the files Spark wrote"
    for name, value in (params or {}).items():
        if isinstance(value, list) and any(isinstance(item, dict) for item in value):
            return f"binds ${name}, a list of records Spark's parameters cannot carry: ran on DuckDB, over the same files"
    return None


def start_engine(choice: EngineChoice | None, lake, params: dict):
    """The engine for a lakehouse that passed the gate."""
    if choice is None or choice.name == "duckdb":
        return DuckDBEngine(lake.con)
    if choice.name == "spark":
        return SparkEngine(lake.con, choice, lake, params, lake.spill_dir / "spark")
    raise CannotRun(f"--engine {choice.name!r}: expected one of {', '.join(ENGINES)}")

