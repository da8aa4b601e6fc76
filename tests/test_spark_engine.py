"""`--engine spark` (contract §9, issue 13): the same build and audit on Apache Spark, compared with DuckDB.

One Spark build and one Spark audit of the minimal lakehouse (scale 0.01, every planted problem)
are shared by the module, beside the same two commands on DuckDB: the published parquet files
hold the same rows (fill_events' record_sha256 row for row), the audit's check results are the
same (status, offending rows, samples), and every run record names its engine. Bad input on the
Spark path is refused by the gate before Spark starts. Skips with the reason without pyspark.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_KEY, make_layout
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.spark import pyspark_missing

pytestmark = pytest.mark.skipif(pyspark_missing() is not None, reason=pyspark_missing() or "")

# A Spark build of the minimal lakehouse takes minutes on a loaded 2-core machine (run_cli's 600 s is too short).
TIMEOUT = 3600


def run(*args: str, env: dict | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "staffing_sql", *args], capture_output=True, text=True,
                          env={**os.environ, "STAFFING_SQL_KEY": TEST_KEY, **(env or {})}, cwd=PROJECT_ROOT,
                          timeout=TIMEOUT)


def layout_args(layout, *extra: str) -> list[str]:
    return ["--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir),
            "--reports-dir", str(layout.reports_dir), *extra]


def build_and_audit(data_dir: Path, root: Path, engine: str) -> dict:
    """`build`, then `audit --known-answers --format json` (its layers up to date), on one engine."""
    layout = make_layout(root)
    layout = type(layout)(data_dir=data_dir, out_dir=layout.out_dir, reports_dir=layout.reports_dir)
    started = time.perf_counter()
    build = run("build", *layout_args(layout)[:4], "--engine", engine)
    built = time.perf_counter()
    audit = run("audit", *layout_args(layout, "--known-answers", str(data_dir / "GENERATED.json"), "--format", "json"),
                env={"STAFFING_SQL_ENGINE": engine})
    print(f"{engine}: build {built - started:.0f} s, audit {time.perf_counter() - built:.0f} s")
    return {"layout": layout, "build": build, "audit": audit}


@pytest.fixture(scope="module")
def engines(minimal_lakehouse, tmp_path_factory) -> dict:
    root = tmp_path_factory.mktemp("engines")
    return {engine: build_and_audit(minimal_lakehouse.data_dir, root / engine, engine) for engine in ("duckdb", "spark")}


def published_tables(layout) -> dict[str, Path]:
    return {f"{layer}/{path.stem}": path for layer in ("safe", "derived")
            for path in sorted((layout.out_dir / layer).glob("*.parquet"))}


def test_both_engines_build_and_audit_the_known_answers(engines):
    for engine, runs in engines.items():
        assert runs["build"].returncode == 0, (engine, runs["build"].stderr[-2000:])
        assert runs["audit"].returncode == 0, (engine, runs["audit"].stderr[-2000:])
        assert "caught exactly the" in runs["audit"].stderr


def test_spark_publishes_the_same_rows_as_duckdb(engines):
    duck, spark = (published_tables(engines[engine]["layout"]) for engine in ("duckdb", "spark"))
    assert spark.keys() == duck.keys() and len(duck) > 10
    con = duckdb.connect()
    for name, path in duck.items():
        describe = "select column_name, column_type from (describe select * from read_parquet($path))"
        assert con.execute(describe, {"path": str(spark[name])}).fetchall() == \
            con.execute(describe, {"path": str(path)}).fetchall(), name
        rows = "select * from read_parquet($path) order by all"
        expected = con.execute(rows, {"path": str(path)}).fetchall()
        assert con.execute(rows, {"path": str(spark[name])}).fetchall() == expected, name
    ordered = "select event_id, record_sha256 from read_parquet($path)"
    fills = con.execute(ordered, {"path": str(duck["derived/fill_events"])}).fetchall()
    assert len(fills) > 100
    assert con.execute(ordered, {"path": str(spark["derived/fill_events"])}).fetchall() == fills


def test_the_analyst_database_is_a_duckdb_file_with_the_same_tables(engines):
    tables = {}
    for engine in ("duckdb", "spark"):
        con = duckdb.connect(str(engines[engine]["layout"].out_dir / "analyst.duckdb"), read_only=True)
        tables[engine] = con.execute("select table_name from duckdb_tables() order by all").fetchall()
    assert tables["spark"] == tables["duckdb"]


def check_results(runs: dict) -> dict[str, dict]:
    results = json.loads(runs["audit"].stdout)["results"]
    return {r["check_id"]: {"status": r["status"], "offending_rows": r["offending_rows"], "samples": r["samples"]}
            for r in results}


def test_spark_audit_gives_the_same_check_results(engines):
    duck, spark = check_results(engines["duckdb"]), check_results(engines["spark"])
    assert spark == duck
    assert sum(r["status"] == "fail" for r in duck.values()) >= 5


def test_most_checks_run_on_spark_and_the_others_say_why(engines):
    results = json.loads(engines["spark"]["audit"].stdout)["results"]
    on_duckdb = {r["check_id"]: r["ran_on_reason"] for r in results if r["ran_on"] == "duckdb"}
    assert all(on_duckdb.values()), on_duckdb
    assert "no_pii_in_outputs" in on_duckdb
    assert len(on_duckdb) <= 5, on_duckdb
    assert all(r["ran_on"] == "spark" for r in results if r["check_id"] not in on_duckdb)
    duck = json.loads(engines["duckdb"]["audit"].stdout)["results"]
    assert {(r["ran_on"], r["ran_on_reason"]) for r in duck} == {("duckdb", None)}


def test_every_run_record_names_the_engine_and_its_version(engines):
    import pyspark

    versions = {"duckdb": duckdb.__version__, "spark": pyspark.__version__}
    for engine, runs in engines.items():
        layout = runs["layout"]
        run_record = json.loads(runs["audit"].stdout)["run"]
        assert (run_record["engine"], run_record["engine_version"]) == (engine, versions[engine])
        assert run_record["duckdb_version"] == duckdb.__version__
        for layer in ("safe", "derived"):
            record = json.loads((layout.out_dir / layer / "BUILD.json").read_text())
            assert (record["engine"], record["engine_version"]) == (engine, versions[engine]), layer
        ledger = [json.loads(line) for path in sorted((layout.out_dir / "audit" / "ledger").glob("*.json"))
                  for line in path.read_text().splitlines()]
        assert ledger and {(row["engine"], row["engine_version"]) for row in ledger} == {(engine, versions[engine])}
        assert f"- engine: {engine} {versions[engine]}" in (layout.reports_dir / "audit-report.md").read_text()
        con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
        assert con.execute("select distinct engine from audit_results").fetchall() == [(engine,)]


def test_stderr_carries_only_the_tools_lines(engines):
    """Spark's log and the JVM's warnings are off: nothing of Spark's own reaches stderr."""
    for step in ("build", "audit"):
        stderr = engines["spark"][step].stderr
        for marker in (" WARN ", " ERROR ", " INFO ", "log4j", "WARNING:", "Exception", "[Stage", "setLogLevel"):
            assert marker not in stderr, (step, marker)


def test_bad_input_on_spark_is_refused_by_the_gate_before_spark_starts(minimal_lakehouse, tmp_path):
    """The same one line and exit 2 as DuckDB; the master is no Spark master, so Spark never started."""
    data = tmp_path / "data"
    shutil.copytree(minimal_lakehouse.data_dir, data)
    scenario = sorted((data / "scenarios").glob("*.json"))[0]
    scenario.write_text(scenario.read_text()[:-20])
    lines = {}
    for engine in ("duckdb", "spark"):
        out = tmp_path / f"out-{engine}"
        result = run("build", "--data-dir", str(data), "--out-dir", str(out), "--engine", engine,
                     "--spark-master", "nowhere://no-spark-here")
        assert result.returncode == 2, result.stderr
        lines[engine] = result.stderr.strip().splitlines()
        assert len(lines[engine]) == 1 and scenario.name in lines[engine][0], lines[engine]
        assert not (out / "safe").exists()
    assert lines["spark"] == lines["duckdb"]


@pytest.mark.parametrize("option, line", [
    (("--spark-conf", "no-equals-sign"), "staffing-sql: error: --spark-conf 'no-equals-sign': expected key=value"),
    (("--spark-master", "nowhere://no-spark-here"),
     "staffing-sql: error: Spark did not start on master 'nowhere://no-spark-here' (PySparkRuntimeError)"),
])
def test_a_spark_setting_or_master_that_cannot_serve_is_one_line(minimal_lakehouse, tmp_path, option, line):
    result = run("build", "--data-dir", str(minimal_lakehouse.data_dir), "--out-dir", str(tmp_path / "out"),
                 "--engine", "spark", *option)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [line]
    assert not (tmp_path / "out" / "safe").exists()
