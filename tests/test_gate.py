"""The start-up gate (decision C) and the schema contract: refuse with one line, exit 2."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from conftest import run_cli

BUILD_ARGS = ("build",)


@pytest.fixture()
def lakehouse_copy(small_lakehouse, tmp_path):
    """A private copy of the small lakehouse that a test may damage."""
    target = tmp_path / "data"
    shutil.copytree(small_lakehouse.data_dir, target)
    return target


def run_build(data_dir, tmp_path):
    return run_cli("build", "--data-dir", str(data_dir), "--out-dir", str(tmp_path / "build"))


def assert_refused(result, *fragments):
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.stderr
    for fragment in fragments:
        assert fragment in lines[0]


def test_unknown_parquet_is_refused_naming_it(lakehouse_copy, tmp_path):
    shutil.copy(lakehouse_copy / "datasets" / "candidates.parquet", lakehouse_copy / "datasets" / "candidates_old.parquet")
    result = run_build(lakehouse_copy, tmp_path)
    assert_refused(result, "candidates_old.parquet", "not named by the manifest")
    assert not (tmp_path / "build" / "safe").exists()


def test_missing_dataset_is_refused(lakehouse_copy, tmp_path):
    (lakehouse_copy / "datasets" / "job_orders.parquet").unlink()
    assert_refused(run_build(lakehouse_copy, tmp_path), "job_orders.parquet", "missing")


@pytest.mark.parametrize(
    "select, fragments",
    [
        ("select * exclude (city) from t", ("column 'city'", "missing")),
        ("select * replace (years_experience::varchar as years_experience) from t",
         ("column 'years_experience' is VARCHAR", "manifest says INTEGER")),
        ("select *, 'x' as nickname from t", ("column 'nickname' is not in the manifest", "no PII class")),
    ],
)
def test_schema_drift_is_refused_naming_file_and_column(lakehouse_copy, tmp_path, select, fragments):
    path = lakehouse_copy / "datasets" / "candidates.parquet"
    con = duckdb.connect()
    con.execute("create table t as select * from read_parquet($p)", {"p": str(path)})
    con.execute(f"copy ({select}) to $p (format parquet)", {"p": str(path)})
    assert_refused(run_build(lakehouse_copy, tmp_path), "candidates.parquet", *fragments)


def test_zero_byte_and_non_parquet_files_are_refused(lakehouse_copy, tmp_path):
    (lakehouse_copy / "datasets" / "sparse_workers.parquet").write_bytes(b"")
    assert_refused(run_build(lakehouse_copy, tmp_path), "sparse_workers.parquet", "0 bytes")
    (lakehouse_copy / "datasets" / "sparse_workers.parquet").write_text("name,phone\nx,y\n")
    assert_refused(run_build(lakehouse_copy, tmp_path), "sparse_workers.parquet", "not a readable parquet")


def test_truncated_parquet_is_refused(lakehouse_copy, tmp_path):
    path = lakehouse_copy / "datasets" / "candidates.parquet"
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])
    assert_refused(run_build(lakehouse_copy, tmp_path), "candidates.parquet", "not a readable parquet")


def edit_json(path, change):
    import json as _json
    document = _json.loads(path.read_text())
    change(document)
    path.write_text(_json.dumps(document))


@pytest.mark.parametrize(
    "file, change, fragments",
    [
        ("scenarios/SCN-004.json", lambda d: d["fills"][0].update(count=-2), ("SCN-004.json", "$.fills[0].count", "positive")),
        ("scenarios/SCN-004.json", lambda d: d["fills"][0].update(count=0), ("SCN-004.json", "$.fills[0].count", "positive")),
        ("scenarios/SCN-004.json", lambda d: d.pop("client_id"), ("SCN-004.json", "$.client_id", "missing")),
        ("scenarios/SCN-004.json", lambda d: d.update(plan_date="2026-02-30"), ("SCN-004.json", "$.plan_date", "not a valid date")),
        ("scenarios/SCN-004.json", lambda d: d["fills"][0].update(shift_end=d["fills"][0]["shift_start"]), ("$.fills[0].shift_end", "not after")),
        ("scenarios/SCN-004.json", lambda d: d["fills"][0].update(count="3"), ("$.fills[0].count", "must be an integer")),
        ("scenarios/SCN-004.json", lambda d: d.update(scenario_id="SCN-001"), ("SCN-004.json", "SCN-001 is also the id of SCN-001.json")),
        ("_playbook_lessons/LSN-0002.json", lambda d: d.update(tags="late"), ("LSN-0002.json", "$.tags", "must be a list")),
        ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_total=-1), ("LSN-0002.json", "must not be negative")),
    ],
)
def test_malformed_documents_are_refused_naming_file_and_json_path(lakehouse_copy, tmp_path, file, change, fragments):
    edit_json(lakehouse_copy / file, change)
    result = run_build(lakehouse_copy, tmp_path)
    assert_refused(result, *fragments)


def test_json_syntax_error_and_non_utf8_are_refused(lakehouse_copy, tmp_path):
    path = lakehouse_copy / "scenarios" / "SCN-010.json"
    path.write_text(path.read_text()[:-20])
    assert_refused(run_build(lakehouse_copy, tmp_path), "SCN-010.json", "not valid JSON", "line")
    path.write_bytes(b'{"scenario_id": "SCN-010", "notes": "caf\xe9"}')
    assert_refused(run_build(lakehouse_copy, tmp_path), "SCN-010.json", "not UTF-8")
