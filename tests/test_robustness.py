"""Hardening (issue 5): bad input, hostile values, paths, the key, concurrency, interruption.

Every case checks what a user relies on:
  what they see    one line on stderr naming the file and the problem, never a traceback;
  the exit code    2 = could not run, 1 = a blocking check failed, 0 = ok;
  what is on disk  the previous outputs byte-identical, no partial or temporary file,
                   and (case 9, in every test) the sha256 of every raw file unchanged.

The cases start from ``previous``: a small lakehouse already audited once, so
there are earlier outputs (layers, ledger, report, analyst database) to lose.
The README's "Failure behaviour" section lists the same cases, numbered alike.
"""

from __future__ import annotations

import fcntl
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_KEY, make_layout, run_cli, run_with_read_only
from staffing_sql.database import connect, execute, install_macros
from staffing_sql.documents import check_documents
from staffing_sql.errors import CannotRun
from staffing_sql.manifest import load_manifest, parse_manifest
from staffing_sql.outputs import LOCK_NAME, stale_spill_folders, stale_temporaries
from staffing_sql.paths import MANIFEST_PATH, PROJECT_ROOT, RAW_FOLDERS
from staffing_sql.quoting import quote_identifier

CHECK_COUNT = len(list((PROJECT_ROOT / "sql" / "audit").glob("assert_*.sql")))
OTHER_KEY = "robustness-other-key-0c4f"


# -- the workspace: a lakehouse with previous outputs, and what is on its disk ----

class Workspace:
    """data/, build/ and reports/ under one root, run through the CLI as a user would."""

    def __init__(self, root: Path):
        self.root = root
        self.layout = make_layout(root)

    def args(self, command: str, *extra: str) -> list[str]:
        layout = self.layout
        args = [command, "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir)]
        if command == "audit":
            args += ["--reports-dir", str(layout.reports_dir)]
        return args + list(extra)

    def run(self, command: str, *extra: str, env: dict | None = None) -> subprocess.CompletedProcess:
        return run_cli(*self.args(command, *extra), env=env)

    def disk(self) -> dict[str, str]:
        """sha256 of every file under the root (raw, outputs, reports), by relative path."""
        return {
            path.relative_to(self.root).as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
            for path in sorted(self.root.rglob("*")) if path.is_file()
        }

    def raw(self) -> dict[str, str]:
        return {path: digest for path, digest in self.disk().items()
                if path.split("/")[1] in RAW_FOLDERS}

    def ledger_runs(self) -> dict[str, list[dict]]:
        runs = {}
        for path in sorted((self.layout.out_dir / "audit" / "ledger").glob("*.json")):
            runs[path.stem] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
        return runs


@pytest.fixture(scope="module")
def previous(minimal_lakehouse, tmp_path_factory) -> Workspace:
    """The small lakehouse after one audit: the outputs a failing run must not damage."""
    workspace = Workspace(tmp_path_factory.mktemp("previous"))
    shutil.copytree(minimal_lakehouse.data_dir, workspace.layout.data_dir)
    result = workspace.run("audit")
    assert result.returncode == 1, result.stderr[-2000:]
    return workspace


@pytest.fixture()
def workspace(previous, tmp_path) -> Workspace:
    """A private copy of ``previous`` that a test may damage."""
    root = tmp_path / "ws"
    shutil.copytree(previous.root, root)
    return Workspace(root)


def assert_refused(result, *fragments: str) -> str:
    """Exit 2; the error is one line, the last, holding every fragment; no traceback.

    Lines before it may only be the run's own progress (its title and stage lines).
    """
    assert result.returncode == 2, result.stderr[-2000:]
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr
    *progress, error = lines
    assert error.startswith("staffing-sql: error: "), result.stderr
    assert all(line.startswith(("staffing-sql audit ", "  [")) for line in progress), result.stderr
    for fragment in fragments:
        assert fragment in error, error
    return error


def assert_refused_leaving_disk_as_it_was(workspace: Workspace, result, before: dict, *fragments: str) -> None:
    assert_refused(result, *fragments)
    assert workspace.disk() == before


def edit_parquet(path: Path, sql: str, params: dict | None = None) -> None:
    """Rewrite one parquet file of a test's own copy (table ``t``) with a statement."""
    con = duckdb.connect()
    con.execute("create table t as select * from read_parquet($path)", {"path": str(path)})
    if sql:
        con.execute(sql, params or {})
    con.execute("copy t to $path (format parquet)", {"path": str(path)})
    con.close()


def edit_json(path: Path, change) -> None:
    document = json.loads(path.read_text(encoding="utf-8"))
    change(document)
    path.write_text(json.dumps(document, ensure_ascii=False), encoding="utf-8")


# -- 1. missing, empty, truncated and non-parquet dataset files ---------------------

def _truncate(path: Path) -> None:
    data = path.read_bytes()
    path.write_bytes(data[: len(data) // 2])


DAMAGED_DATASETS = {
    "missing": ("job_orders.parquet", lambda p: p.unlink(), ("job_orders.parquet", "missing")),
    "zero-byte": ("sparse_workers.parquet", lambda p: p.write_bytes(b""), ("sparse_workers.parquet", "0 bytes")),
    "truncated": ("candidates.parquet", _truncate, ("candidates.parquet", "not a readable parquet")),
    "not-parquet": ("new_candidates.parquet", lambda p: p.write_text("name,phone\nx,y\n"),
                    ("new_candidates.parquet", "not a readable parquet")),
    "unknown-file": ("candidates_old.parquet", lambda p: p.write_bytes(b"PAR1"),
                     ("candidates_old.parquet", "not named by the manifest")),
}


@pytest.mark.parametrize("command", ["audit", "build"])
@pytest.mark.parametrize("case", sorted(DAMAGED_DATASETS))
def test_1_damaged_dataset_file_is_refused_and_nothing_is_written(workspace, command, case):
    name, damage, fragments = DAMAGED_DATASETS[case]
    damage(workspace.layout.datasets_dir / name)
    before = workspace.disk()
    result = workspace.run(command)
    assert_refused_leaving_disk_as_it_was(workspace, result, before, *fragments)


# -- 2. schema drift -------------------------------------------------------------------

SCHEMA_DRIFT = {
    "missing-column": ("alter table t drop column city", ("candidates.parquet", "column 'city'", "missing")),
    "changed-type": ("alter table t alter years_experience type varchar",
                     ("candidates.parquet", "column 'years_experience' is VARCHAR", "manifest says INTEGER")),
    "extra-column-without-pii-class": ("alter table t add column nickname varchar default 'Suzy'",
                                       ("candidates.parquet", "column 'nickname' is not in the manifest",
                                        "no PII class")),
}


@pytest.mark.parametrize("command", ["audit", "build"])
@pytest.mark.parametrize("case", sorted(SCHEMA_DRIFT))
def test_2_schema_drift_is_refused_before_the_safe_layer_is_touched(workspace, command, case):
    sql, fragments = SCHEMA_DRIFT[case]
    edit_parquet(workspace.layout.datasets_dir / "candidates.parquet", sql)
    before = workspace.disk()
    result = workspace.run(command)
    assert_refused_leaving_disk_as_it_was(workspace, result, before, *fragments)


# -- 3. scenario and lesson JSON ----------------------------------------------------------

def _first_fill(document: dict) -> dict:
    return document["fills"][0]


def _end_before_start(document: dict) -> None:
    fill = _first_fill(document)
    fill["shift_start"], fill["shift_end"] = "2026-03-05T14:00:00", "2026-03-05T06:00:00"


BAD_DOCUMENTS = {
    "negative-count": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=-2),
                       ("SCN-004.json", "$.fills[0].count", "positive integer")),
    "zero-count": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=0),
                   ("SCN-004.json", "$.fills[0].count", "positive integer")),
    "missing-key": ("scenarios/SCN-004.json", lambda d: d.pop("client_id"), ("SCN-004.json", "$.client_id", "missing")),
    "missing-nested-key": ("scenarios/SCN-004.json", lambda d: _first_fill(d).pop("job_order_id"),
                           ("SCN-004.json", "$.fills[0].job_order_id", "missing")),
    "wrong-type-count": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count="3"),
                         ("SCN-004.json", "$.fills[0].count", "must be an integer")),
    "wrong-type-fills": ("scenarios/SCN-004.json", lambda d: d.update(fills={"fill_id": "F1"}),
                         ("SCN-004.json", "$.fills", "must be a list")),
    "wrong-type-tags": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(tags="late"),
                        ("LSN-0002.json", "$.tags", "must be a list")),
    "impossible-plan-date": ("scenarios/SCN-004.json", lambda d: d.update(plan_date="2026-02-30"),
                             ("SCN-004.json", "$.plan_date", "not a valid date")),
    "impossible-shift-time": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(shift_start="2026-03-01T25:00:00"),
                              ("SCN-004.json", "$.fills[0].shift_start", "not a valid date")),
    "shift-end-before-start": ("scenarios/SCN-004.json", _end_before_start,
                               ("SCN-004.json", "$.fills[0].shift_end", "not after shift_start")),
    "shift-end-equals-start": ("scenarios/SCN-004.json",
                               lambda d: _first_fill(d).update(shift_end=_first_fill(d)["shift_start"]),
                               ("SCN-004.json", "$.fills[0].shift_end", "not after shift_start")),
    "negative-events": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_total=-1),
                        ("LSN-0002.json", "must not be negative")),
    "duplicate-scenario-id": ("scenarios/SCN-004.json", lambda d: d.update(scenario_id="SCN-001"),
                              ("SCN-004.json", "$.scenario_id: the same id as SCN-001.json")),
    "duplicate-lesson-id": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(lesson_id="LSN-0001"),
                            ("LSN-0002.json", "$.lesson_id: the same id as LSN-0001.json")),
}


@pytest.mark.parametrize("case", sorted(BAD_DOCUMENTS))
def test_3_malformed_document_is_refused_naming_file_and_json_path(workspace, case):
    file, change, fragments = BAD_DOCUMENTS[case]
    edit_json(workspace.layout.data_dir / file, change)
    before = workspace.disk()
    result = workspace.run("audit")
    assert_refused_leaving_disk_as_it_was(workspace, result, before, *fragments)


UNREADABLE_DOCUMENTS = {
    "syntax-error": (lambda p: p.write_text(p.read_text()[:-20]), ("SCN-010.json", "not valid JSON", "line")),
    "zero-byte": (lambda p: p.write_bytes(b""), ("SCN-010.json", "not valid JSON", "line 1 column 1")),
    "non-utf8": (lambda p: p.write_bytes(b'{"scenario_id": "SCN-010", "notes": "caf\xe9"}'),
                 ("SCN-010.json", "not UTF-8", "byte 40")),
    "not-an-object": (lambda p: p.write_text("[1, 2, 3]"), ("SCN-010.json", "$", "must be an object")),
}


@pytest.mark.parametrize("case", sorted(UNREADABLE_DOCUMENTS))
def test_3_unreadable_document_is_refused_naming_the_file(workspace, case):
    damage, fragments = UNREADABLE_DOCUMENTS[case]
    damage(workspace.layout.scenarios_dir / "SCN-010.json")
    before = workspace.disk()
    result = workspace.run("audit")
    assert_refused_leaving_disk_as_it_was(workspace, result, before, *fragments)


# -- 3. (continued) what Python's json module accepts but the contract or DuckDB's reader does not --

SLOT_LIMIT = load_manifest().document("scenarios").max_slots_per_fill
NOT_IN_SHAPE = "not a key of the contract's {} shape (a field without a PII class is refused)"
RAW = "<<raw JSON goes here>>"


def edit_json_raw(path: Path, change, raw: str) -> None:
    """edit_json, then put raw JSON text (what json.dumps cannot write) where ``change`` put RAW."""
    edit_json(path, change)
    text = path.read_text(encoding="utf-8")
    assert text.count(json.dumps(RAW)) == 1
    path.write_text(text.replace(json.dumps(RAW), raw), encoding="utf-8", errors="surrogatepass")


def assert_refused_with(workspace: Workspace, result, before: dict, message: str) -> None:
    """Exit 2, exactly this one-line error, and every file on disk as it was."""
    error = assert_refused(result)
    assert error == f"staffing-sql: error: {message}"
    assert workspace.disk() == before


def _first_assigned(document: dict) -> dict:
    return _first_fill(document)["assigned"][0]


# (file, change, raw JSON put where change put RAW or None, the JSON path and problem)
OUT_OF_CONTRACT_DOCUMENTS = {
    "count-3-million": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=3_000_000), None,
                        f"$.fills[0].count: more than {SLOT_LIMIT} slots (max_slots_per_fill in manifest.toml)"),
    "count-2^31": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=2**31), None,
                   f"$.fills[0].count: more than {SLOT_LIMIT} slots (max_slots_per_fill in manifest.toml)"),
    "count-5000-digits": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=RAW), "9" * 5000,
                          f"$.fills[0].count: more than {SLOT_LIMIT} slots (max_slots_per_fill in manifest.toml)"),
    "count-float": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=RAW), "3.0",
                    "$.fills[0].count: must be an integer"),
    "count-nan": ("scenarios/SCN-004.json", lambda d: _first_fill(d).update(count=RAW), "NaN",
                  "$.fills[0].count: NaN and Infinity are not JSON numbers"),
    "events-total-infinity": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_total=RAW), "Infinity",
                              "$.events_total: NaN and Infinity are not JSON numbers"),
    "events-total-2^31": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_total=2**31), None,
                          "$.events_total: more than 2147483647 (the INTEGER column it is read into)"),
    "events-ok-2^31": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_ok=2**31), None,
                       "$.events_ok: more than 2147483647 (the INTEGER column it is read into)"),
    "events-ok-negative": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_ok=-1), None,
                           "$.events_ok: must not be negative"),
    "events-ok-above-total": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(events_ok=d["events_total"] + 1),
                              None, "$.events_ok: must not exceed events_total"),
    "worker-id-2^63": ("scenarios/SCN-004.json", lambda d: _first_assigned(d).update(worker_id=2**63), None,
                       "$.fills[0].assigned[0].worker_id: out of the BIGINT range (-2^63 to 2^63-1)"),
    "worker-id-below-minus-2^63": ("scenarios/SCN-004.json", lambda d: _first_assigned(d).update(worker_id=-(2**63) - 1),
                                   None, "$.fills[0].assigned[0].worker_id: out of the BIGINT range (-2^63 to 2^63-1)"),
    "duplicate-key": ("scenarios/SCN-004.json", lambda d: d.update(client_id=RAW),
                      '"CLI-00001", "client_id": "CLI-00002"', "$.client_id: appears twice in one object"),
    "duplicate-nested-key": ("scenarios/SCN-004.json", lambda d: _first_assigned(d).update(worker_id=RAW),
                             '7, "worker_id": 8', "$.fills[0].assigned[0].worker_id: appears twice in one object"),
    "lone-surrogate": ("scenarios/SCN-004.json", lambda d: d.update(notes=RAW), '"call \\ud800 back"',
                       "$.notes: holds an unpaired surrogate escape (\\ud800-\\udfff), not valid Unicode"),
    "lone-surrogate-in-a-tag": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(tags=RAW), '["\\udc00"]',
                                "$.tags[0]: holds an unpaired surrogate escape (\\ud800-\\udfff), not valid Unicode"),
    "nested-100k-deep": ("scenarios/SCN-004.json", lambda d: d.update(notes=RAW), "[" * 100_000 + "]" * 100_000,
                         "$.notes" + "[0]" * 15 + ": nested more than 16 levels deep"),
    # A key the contract does not define is named by its position: the key itself may be data.
    "unknown-key": ("scenarios/SCN-004.json", lambda d: d.update({"Ann Lee (614) 555-0142": "x"}), None,
                    "$.<key 8>: " + NOT_IN_SHAPE.format("scenario")),
    "unknown-nested-key": ("scenarios/SCN-004.json", lambda d: _first_assigned(d).update(email="ann.lee@example.com"),
                           None, "$.fills[0].assigned[0].<key 3>: " + NOT_IN_SHAPE.format("scenario")),
    "unknown-lesson-key": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(reviewer="Ann Lee"), None,
                           "$.<key 8>: " + NOT_IN_SHAPE.format("lesson")),
    "unknown-key-nested-deep": ("scenarios/SCN-004.json", lambda d: d.update(extra=RAW), "[" * 50_000 + "]" * 50_000,
                                "$.<key 8>" + "[0]" * 15 + ": nested more than 16 levels deep"),
    # The value is never quoted: it may be a name or a phone number.
    "plan-date-holding-pii": ("scenarios/SCN-004.json", lambda d: d.update(plan_date="Ann Lee (614) 555-0142"), None,
                              "$.plan_date: not a valid date/time (YYYY-MM-DD)"),
    "recorded-at-holding-pii": ("_playbook_lessons/LSN-0002.json", lambda d: d.update(recorded_at="ann.lee@example.com"),
                                None, "$.recorded_at: not a valid date/time (YYYY-MM-DDTHH:MM:SSZ)"),
}


@pytest.mark.parametrize("case", sorted(OUT_OF_CONTRACT_DOCUMENTS))
def test_3_json_python_accepts_but_the_contract_or_duckdb_refuses_is_refused_naming_file_and_path(workspace, case):
    file, change, raw, problem = OUT_OF_CONTRACT_DOCUMENTS[case]
    path = workspace.layout.data_dir / file
    if raw is None:
        edit_json(path, change)
    else:
        edit_json_raw(path, change, raw)
    before = workspace.disk()
    result = workspace.run("audit")
    assert_refused_with(workspace, result, before, f"{path}: {problem}")
    # Exact planted values: a bare "555" would also match the run id's clock time.
    for secret in ("Ann Lee", "555-0142", "ann.lee"):
        assert secret not in result.stderr + result.stdout


def _check_one(tmp_path: Path, source: Path, kind: str, change) -> None:
    document = json.loads(source.read_text(encoding="utf-8"))
    change(document)
    target = tmp_path / source.name
    target.write_text(json.dumps(document), encoding="utf-8")
    check_documents([target], load_manifest().document(kind))


@pytest.mark.parametrize("change, kind, file", [
    (lambda d: _first_fill(d).update(count=SLOT_LIMIT), "scenarios", "SCN-004.json"),
    (lambda d: _first_assigned(d).update(worker_id=2**63 - 1), "scenarios", "SCN-004.json"),
    (lambda d: _first_assigned(d).update(worker_id=-(2**63)), "scenarios", "SCN-004.json"),
    (lambda d: d.update(events_total=2**31 - 1, events_ok=2**31 - 1), "lessons", "LSN-0002.json"),
    (lambda d: d.update(events_total=0, events_ok=0), "lessons", "LSN-0002.json"),
], ids=["count-at-the-slot-limit", "worker-id-2^63-1", "worker-id-minus-2^63", "events-2^31-1", "events-0"])
def test_3_each_limit_is_inclusive(minimal_lakehouse, tmp_path, change, kind, file):
    folder = "scenarios" if kind == "scenarios" else "_playbook_lessons"
    _check_one(tmp_path, minimal_lakehouse.data_dir / folder / file, kind, change)  # raises if refused


def test_3_a_byte_order_mark_is_read_like_the_same_file_without_it(workspace):
    path = workspace.layout.scenarios_dir / "SCN-004.json"
    path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    result = workspace.run("build")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "derived     built" in result.stderr  # its bytes changed, so it was read again
    fill_events = workspace.layout.out_dir / "derived" / "fill_events.parquet"
    slots = duckdb.connect().execute("select count(*) from read_parquet($path) where scenario_id = 'SCN-004'",
                                     {"path": str(fill_events)}).fetchone()[0]
    assert slots == 4 + 3


def test_3_a_document_duckdbs_reader_refuses_is_refused_at_the_gate(workspace):
    """The gate reads every file with DuckDB's reader too: Python's json accepts a 17 MB object, DuckDB does not."""
    path = workspace.layout.scenarios_dir / "SCN-004.json"
    edit_json(path, lambda d: d.update(notes="lorem ipsum " * 1_500_000))
    before = workspace.disk()
    result = workspace.run("audit")
    assert_refused_with(workspace, result, before,
                        f"{path}: DuckDB's JSON reader cannot read it with the contract's column types "
                        f"(InvalidInputException)")


@pytest.mark.parametrize("bad_document", ["duplicate-key", "oversized-for-duckdb"])
def test_3_a_changed_parquet_and_a_bad_document_write_nothing(workspace, bad_document):
    """Every input is validated before the first write: the changed parquet rebuilds no layer."""
    edit_parquet(workspace.layout.datasets_dir / "candidates.parquet", "update t set city = 'Springfield'")
    path = workspace.layout.scenarios_dir / "SCN-004.json"
    if bad_document == "duplicate-key":
        edit_json_raw(path, lambda d: d.update(client_id=RAW), '"CLI-00001", "client_id": "CLI-00002"')
    else:
        edit_json(path, lambda d: d.update(notes="lorem ipsum " * 1_500_000))
    before = workspace.disk()
    for command in ("build", "audit"):
        assert_refused_leaving_disk_as_it_was(workspace, workspace.run(command), before, str(path))


@pytest.mark.parametrize("command", ["audit", "build"])
@pytest.mark.parametrize("folder, name", [("scenarios", "scenarios"), ("_playbook_lessons", "lessons")])
def test_3_a_missing_document_folder_is_refused_before_any_work(workspace, command, folder, name):
    # A changed parquet: a refusal that came after the first layer was written would show on disk.
    edit_parquet(workspace.layout.datasets_dir / "candidates.parquet", "update t set city = 'Springfield'")
    shutil.rmtree(workspace.layout.data_dir / folder)
    before = workspace.disk()
    result = workspace.run(command)
    assert_refused_with(workspace, result, before, f"{workspace.layout.data_dir / folder}: {name} folder not found")


STRAY_FILES = {
    "lower-case-name": ("scenarios", "scn-099.json"),
    "upper-case-extension": ("scenarios", "SCN-098.JSON"),
    "text-file": ("scenarios", "notes.txt"),
    "backup-copy": ("_playbook_lessons", "LSN-0002.json.bak"),
    "lesson-in-the-scenario-folder": ("scenarios", "LSN-0002.json"),
}


@pytest.mark.parametrize("case", sorted(STRAY_FILES))
def test_3_a_file_the_glob_would_skip_is_refused_naming_it(workspace, case):
    folder, name = STRAY_FILES[case]
    glob = "SCN-*.json" if folder == "scenarios" else "LSN-*.json"
    stray = workspace.layout.data_dir / folder / name
    stray.write_bytes((workspace.layout.lessons_dir / "LSN-0002.json").read_bytes())
    before = workspace.disk()
    result = workspace.run("audit")
    assert_refused_with(workspace, result, before,
                        f"{stray}: not a file named {glob}, so it would not be read; the start-up gate refuses "
                        f"to run (decision C: rename it or move it out of {folder}/)")


@pytest.mark.parametrize("name", ["archive", "SCN-050.json"])
def test_3_a_folder_inside_a_document_folder_is_refused_naming_it(workspace, name):
    inner = workspace.layout.scenarios_dir / name
    inner.mkdir()
    (inner / "SCN-001.json").write_bytes((workspace.layout.scenarios_dir / "SCN-001.json").read_bytes())
    before = workspace.disk()
    result = workspace.run("build")
    assert_refused_with(workspace, result, before,
                        f"{inner}: a folder inside scenarios/; the start-up gate refuses to run "
                        f"(decision C: move it out of scenarios/)")


def test_3_hidden_files_in_a_document_folder_are_left_alone(workspace):
    """.DS_Store and editor swap files are made by tools, not meant as input: not read, not refused."""
    (workspace.layout.scenarios_dir / ".DS_Store").write_bytes(b"\x00\x00\x00\x01Bud1")
    (workspace.layout.lessons_dir / ".LSN-0002.json.swp").write_bytes(b"b0VIM 9.0")
    result = workspace.run("build")
    assert result.returncode == 0, result.stderr[-2000:]
    assert "derived     up to date" in result.stderr


def test_the_slot_limit_in_the_manifest_must_be_a_positive_integer(tmp_path):
    text = MANIFEST_PATH.read_text(encoding="utf-8")
    for bad in ("0", '"10"', "true", str(2**31)):
        manifest = tmp_path / "manifest.toml"
        manifest.write_text(text.replace("max_slots_per_fill = 10000", f"max_slots_per_fill = {bad}"), encoding="utf-8")
        with pytest.raises(CannotRun) as refused:
            parse_manifest(manifest)
        assert refused.value.message == ("manifest.toml documents 'scenarios': "
                                         "max_slots_per_fill must be an integer from 1 to 2147483647")


def test_3_lesson_pointing_to_a_missing_scenario_is_a_failed_check_not_a_crash(workspace):
    """The audit can go on: the lesson is recorded as the offending row of its own check."""
    edit_json(workspace.layout.lessons_dir / "LSN-0002.json", lambda d: d.update(scenario_id="SCN-999"))
    raw_before = workspace.raw()
    result = workspace.run("audit", "--format", "json")
    assert result.returncode == 1, result.stderr[-2000:]
    assert "Traceback" not in result.stderr
    by_check = {r["check_id"]: r for r in json.loads(result.stdout)["results"]}
    orphan = by_check["lessons_name_known_scenarios"]
    assert (orphan["status"], orphan["offending_rows"]) == ("fail", 1)
    assert orphan["samples"] == [{"lesson_id": "LSN-0002", "scenario_id": "SCN-999"}]
    assert all(r["status"] != "error" for r in by_check.values())
    runs = workspace.ledger_runs()
    assert len(runs) == 2 and all(len(rows) == CHECK_COUNT for rows in runs.values())
    assert workspace.raw() == raw_before


# -- 4. hostile values --------------------------------------------------------------------

MEGABYTE = 1 << 20
HOSTILE_PEOPLE = [
    # (name, email inside the notes); each name is distinctive enough to search for
    ("Seán O'Brien-Ñúñez", "sean.obrien@example.com"),
    ('Zoë "Zed" Back\\Slash', "zoe.zed@example.org"),
    ("Bobby'); DELETE FROM students;-- Tablesworth", "bobby.tables@example.com"),
    ("Percival 100%_Wildcard", "percival@example.net"),
    ("Rexford (.*)+[a-z]{2,}$^ Regex", "rexford@example.com"),
    ("Emojina 😀🚀 Rocketson", "emojina@example.com"),
    ("מרים כהן\u202eRtloverride", "miriam@example.co.il"),
    ("Nulla\x00Bytesworth Person", "nulla@example.com"),
    ("{{ Jinjaford }} {% raw %} $pii_key", "jinja@example.com"),
]
# Text that is not PII and must come through redaction byte for byte.
HOSTILE_TAIL = ("quote ' apostrophe '' double \" backslash \\ C:\\temp\\n percent 100% _under_ "
                "metachars ^$.*+?()[]{}| emoji 😀🚀 rtl עברית عربي \u202e nul \x00 end "
                "'); drop table workers_safe; -- {{ 7*7 }} $key %s")
HOSTILE_LESSON = "Lesson with " + HOSTILE_TAIL + " contact ops.lead@example.com or 614-555-0142."
BIG_TAIL = "end of a very long note"


def _hostile_notes(name: str, email: str) -> str:
    return f"Spoke with {name} today; mail {email} or call 614-555-0142. {HOSTILE_TAIL}"


def _big_notes(name: str, email: str) -> str:
    filler = "lorem ipsum dolor " * (MEGABYTE // 18 + 1)
    return f"{filler}{name} wrote from {email}; call (412) 555-0199. {BIG_TAIL}"


@pytest.fixture(scope="module")
def hostile(previous, tmp_path_factory):
    """The small lakehouse with hostile names, phones and free text, audited with known answers."""
    workspace = Workspace(tmp_path_factory.mktemp("hostile"))
    shutil.copytree(previous.layout.data_dir, workspace.layout.data_dir)
    con = duckdb.connect()
    sparse = workspace.layout.datasets_dir / "sparse_workers.parquet"
    con.execute("create table t as select * from read_parquet($path)", {"path": str(sparse)})
    rows = [(name, _hostile_notes(name, email), "'; select 1; --") for name, email in HOSTILE_PEOPLE]
    rows.append(("Maximilian Megabyte", _big_notes("Maximilian Megabyte", "max.mega@example.com"), None))
    for row_number, (name, notes, phone) in enumerate(rows):
        con.execute("update t set name = $name, notes = $notes, phone = coalesce($phone, phone) "
                    "where rowid = $row", {"name": name, "notes": notes, "phone": phone, "row": row_number})
    con.execute("copy t to $path (format parquet)", {"path": str(sparse)})
    con.close()
    edit_json(workspace.layout.lessons_dir / "LSN-0003.json", lambda d: d.update(lesson=HOSTILE_LESSON))
    raw_before = workspace.raw()
    generated = str(workspace.layout.data_dir / "GENERATED.json")
    result = workspace.run("audit", "--format", "json", "--known-answers", generated)
    return workspace, result, raw_before, rows


def _text_values(path: Path) -> list[str]:
    """Every value of one parquet output as text (lists and structs spelled out)."""
    con = duckdb.connect()
    columns = [row[0] for row in con.execute("describe select * from read_parquet($path)", {"path": str(path)}).fetchall()]
    values = []
    for column in map(quote_identifier, columns):
        values += [row[0] for row in con.execute(
            f"select cast({column} as varchar) from read_parquet($path) where {column} is not null",
            {"path": str(path)},
        ).fetchall()]
    return values


def test_4_hostile_values_change_no_verdict_and_break_no_check(hostile):
    workspace, result, raw_before, _ = hostile
    assert result.returncode == 0, result.stderr[-3000:]
    assert "caught exactly the" in result.stderr
    results = json.loads(result.stdout)["results"]
    assert [r["check_id"] for r in results if r["status"] == "error"] == []
    assert {r["check_id"]: r["status"] for r in results}["no_pii_in_outputs"] == "pass"
    assert workspace.raw() == raw_before


def test_4_hostile_names_and_emails_reach_no_output(hostile):
    workspace, _, _, rows = hostile
    secrets = [name for name, _, _ in rows] + [email for _, email in HOSTILE_PEOPLE] + ["max.mega@example.com"]
    outputs = sorted(path for layer in ("safe", "derived") for path in (workspace.layout.out_dir / layer).glob("*.parquet"))
    assert len(outputs) == 14  # 12 safe relations (8 datasets, 4 for the JSON files) and 2 derived
    texts = [value for path in outputs for value in _text_values(path)]
    for path in [*workspace.layout.reports_dir.iterdir(), *(workspace.layout.out_dir / "audit" / "ledger").iterdir()]:
        texts.append(path.read_text(encoding="utf-8"))
    for secret in secrets:
        leaks = [text[:80] for text in texts if secret in text]
        assert leaks == [], (secret, leaks[:3])


def test_4_redaction_keeps_hostile_text_verbatim_and_tokens_the_people(hostile):
    workspace, _, _, rows = hostile
    con = connect()
    install_macros(con, TEST_KEY)
    safe = workspace.layout.out_dir / "safe" / "sparse_workers_safe.parquet"
    for name, notes, _ in rows:
        expected_token, expected_notes = execute(
            con, "select pii_token($name, 'name'), redact_text($notes, name_forms($name, true))",
            {"name": name, "notes": notes}).fetchone()
        found = execute(con, "select notes from read_parquet($path) where name_token = $token",
                        {"path": str(safe), "token": expected_token}).fetchall()
        assert found == [(expected_notes,)], name
        assert name not in expected_notes and "614-555-0142" not in expected_notes
        if notes.endswith(HOSTILE_TAIL):
            assert expected_notes.endswith(HOSTILE_TAIL)
            assert expected_token in expected_notes
        else:  # the 1 MB cell: the same length class, its tail intact, its contacts replaced
            assert len(expected_notes) > MEGABYTE and expected_notes.endswith(BIG_TAIL)
            assert "(412) 555-0199" not in expected_notes and "@example.com" not in expected_notes


def test_4_hostile_lesson_text_reaches_the_corpus_as_data(hostile):
    workspace, _, _, _ = hostile
    corpus = workspace.layout.out_dir / "derived" / "staffing_answers.parquet"
    con = duckdb.connect()
    (text,) = con.execute("select text from read_parquet($path) where doc_id = 'LSN-0003'",
                          {"path": str(corpus)}).fetchone()
    assert HOSTILE_TAIL in text
    assert "ops.lead@example.com" not in text and "614-555-0142" not in text
    analyst = duckdb.connect(str(workspace.layout.out_dir / "analyst.duckdb"), read_only=True)
    assert analyst.execute("select count(*) from workers_safe").fetchone()[0] > 0


# -- 5. paths -------------------------------------------------------------------------------

def test_5_folders_with_spaces_quotes_and_non_ascii_letters_work(previous, tmp_path):
    workspace = Workspace(tmp_path / "lake with spaces 'single' \"double\" Zürich 東京 $HOME;")
    shutil.copytree(previous.layout.data_dir, workspace.layout.data_dir)
    raw_before = workspace.raw()
    generated = str(workspace.layout.data_dir / "GENERATED.json")
    result = workspace.run("audit", "--known-answers", generated)
    assert result.returncode == 0, result.stderr[-2000:]
    analyst = duckdb.connect(str(workspace.layout.out_dir / "analyst.duckdb"), read_only=True)
    assert analyst.execute("select count(distinct run_id) from audit_results").fetchone()[0] == 1
    paths = [entry["path"] for entry in json.loads((workspace.layout.out_dir / "safe" / "BUILD.json").read_text())["inputs"]]
    assert all(not path.startswith("/") for path in paths)
    assert workspace.raw() == raw_before


def test_5_a_read_only_raw_folder_works(previous, tmp_path):
    workspace = Workspace(tmp_path)
    shutil.copytree(previous.layout.data_dir, workspace.layout.data_dir)
    raw_before = workspace.raw()
    generated = str(workspace.layout.data_dir / "GENERATED.json")
    result = run_with_read_only([workspace.layout.data_dir], workspace.args("audit", "--known-answers", generated))
    assert result.returncode == 0, result.stderr[-2000:]
    assert (workspace.layout.out_dir / "analyst.duckdb").is_file()
    assert (workspace.layout.reports_dir / "audit-report.md").is_file()
    assert workspace.raw() == raw_before


@pytest.mark.parametrize("which", ["out", "reports"])
def test_5_an_unwritable_output_folder_is_refused_before_any_work(workspace, which):
    """Nothing is built or recorded when a folder the run must write to cannot be written."""
    locked = workspace.root / "locked"
    locked.mkdir()
    target = locked / "target"
    args = workspace.args("audit")
    args[args.index(f"--{which}-dir") + 1] = str(target)
    before = workspace.disk()
    result = run_with_read_only([locked], args)
    line = assert_refused(result, str(target), "cannot be written")
    assert "Read-only file system" in line or "Permission denied" in line
    assert workspace.disk() == before


def test_5_an_output_folder_below_a_file_is_refused(workspace):
    blocker = workspace.root / "blocker"
    blocker.write_text("a file, not a folder\n")
    before = workspace.disk()
    result = run_cli("build", "--data-dir", str(workspace.layout.data_dir), "--out-dir", str(blocker / "build"))
    assert_refused_leaving_disk_as_it_was(workspace, result, before, str(blocker / "build"), "cannot be written")


# -- 6. the key -------------------------------------------------------------------------------

def _without_key() -> dict:
    return {name: value for name, value in os.environ.items() if not name.startswith("STAFFING_SQL_KEY")}


@pytest.mark.parametrize("strict", ["--strict", "STAFFING_SQL_STRICT=1"])
def test_6_strict_run_without_a_key_is_refused(workspace, strict):
    env = _without_key()
    extra = []
    if strict.startswith("--"):
        extra.append(strict)
    else:
        env["STAFFING_SQL_STRICT"] = "1"
    before = workspace.disk()
    result = subprocess.run([sys.executable, "-m", "staffing_sql", *workspace.args("audit", *extra)],
                            capture_output=True, text=True, env=env, cwd=PROJECT_ROOT, timeout=120)
    assert_refused_leaving_disk_as_it_was(workspace, result, before, "no PII key", "strict mode")


def test_6_missing_or_empty_key_file_is_refused_without_echoing_the_key(workspace, tmp_path):
    empty = tmp_path / "empty.key"
    empty.write_text("   \n")
    before = workspace.disk()
    for key_file, fragment in ((tmp_path / "nope.key", "key file not found"), (empty, "key file is empty"),
                               (tmp_path, "is a directory")):
        result = workspace.run("audit", "--key-file", str(key_file))
        assert_refused_leaving_disk_as_it_was(workspace, result, before, fragment)
        assert TEST_KEY not in result.stderr + result.stdout


# -- 7. concurrency -----------------------------------------------------------------------------

def _start(workspace: Workspace, command: str, *extra: str, key: str = TEST_KEY) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "staffing_sql", *workspace.args(command, *extra)],
                            env={**os.environ, "STAFFING_SQL_KEY": key}, cwd=PROJECT_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_7_two_audits_started_together_run_one_after_the_other(workspace):
    raw_before = workspace.raw()
    # A fresh key makes each run rebuild the safe and derived layers: real work to collide on.
    # The wait outlasts a whole run on a loaded machine (the 30 s default did not under load 8 on 2 cores).
    runs = [_start(workspace, "audit", "--wait", "280", key=OTHER_KEY) for _ in range(2)]
    codes = [process.wait(timeout=300) for process in runs]
    assert codes == [1, 1], [process.stderr.read()[-1500:] for process in runs]
    ledger = workspace.ledger_runs()
    assert len(ledger) == 3  # the previous run and the two new ones, each whole
    for rows in ledger.values():
        assert len(rows) == CHECK_COUNT and len({row["run_id"] for row in rows}) == 1
    spans = sorted((min(r["started_at"] for r in rows), max(r["ended_at"] for r in rows)) for rows in ledger.values())
    assert all(earlier[1] <= later[0] for earlier, later in zip(spans, spans[1:]))  # checks never interleave
    analyst = duckdb.connect(str(workspace.layout.out_dir / "analyst.duckdb"), read_only=True)
    assert analyst.execute("select count(distinct run_id), count(*) from audit_results").fetchone() == (3, 3 * CHECK_COUNT)
    assert workspace.raw() == raw_before


@contextmanager
def _lock_held_by_another_run(workspace: Workspace):
    with open(workspace.layout.out_dir / LOCK_NAME, "a+") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


@pytest.mark.parametrize("command", ["audit", "build"])
def test_7_a_writer_refuses_after_its_wait_while_another_run_holds_the_outputs(workspace, command):
    before = workspace.disk()
    with _lock_held_by_another_run(workspace):
        result = workspace.run(command, "--wait", "0.5")
    assert_refused_leaving_disk_as_it_was(workspace, result, before, str(workspace.layout.out_dir),
                                          "another staffing-sql run is writing these outputs", "waited 0.5s")


def test_7_an_audit_waits_for_the_run_holding_the_outputs_then_runs(workspace):
    with _lock_held_by_another_run(workspace):
        waiting = _start(workspace, "audit", "--wait", "120")
        time.sleep(2)
        assert waiting.poll() is None
        assert len(workspace.ledger_runs()) == 1
    assert waiting.wait(timeout=300) == 1, waiting.stderr.read()[-1500:]
    assert len(workspace.ledger_runs()) == 2


# -- 8. interruption ------------------------------------------------------------------------------

def _kill_when_printed(process: subprocess.Popen, marker: str) -> None:
    """SIGKILL the process as soon as a stderr line contains ``marker``."""
    seen = []
    for line in process.stderr:
        seen.append(line)
        if marker in line:
            process.send_signal(signal.SIGKILL)
            process.wait()
            return
    process.wait()
    pytest.fail(f"never printed {marker!r}: {''.join(seen)[-1500:]}")


@pytest.fixture(scope="module")
def rebuilt_with_other_key(previous, tmp_path_factory) -> Workspace:
    """What a complete run with OTHER_KEY writes: the 'new version' of every layer file."""
    workspace = Workspace(tmp_path_factory.mktemp("reference"))
    shutil.copytree(previous.root, workspace.root, dirs_exist_ok=True)
    assert workspace.run("audit", env={"STAFFING_SQL_KEY": OTHER_KEY}).returncode == 1
    return workspace


LAYER_FILES = ("safe", "derived")


def _layer_files(workspace: Workspace) -> dict[str, bytes]:
    return {path.relative_to(workspace.layout.out_dir).as_posix(): path.read_bytes()
            for layer in LAYER_FILES for path in sorted((workspace.layout.out_dir / layer).glob("*"))
            if path.is_file() and not path.name.startswith(".")}


def _without_run_line(report: bytes) -> bytes:
    """A report with its run line (run id and times) blanked: two complete runs on the same inputs then agree."""
    return re.sub(rb"(?m)^- run: .*$", b"- run:", report)


def _assert_old_or_new_and_recoverable(workspace: Workspace, old: dict, new: dict, raw_before: dict,
                                       old_ledger: dict, old_report: bytes, new_report: bytes) -> None:
    after = _layer_files(workspace)
    for name in sorted(old.keys() | after.keys()):
        if name not in after:  # only a layer record may be absent: the layer is then stale and rebuilt
            assert name.endswith("/BUILD.json"), f"{name} vanished"
            continue
        assert after[name] in (old.get(name), new[name]), f"{name} is neither the old nor the new version"
    runs = workspace.ledger_runs()
    for run_id, rows in old_ledger.items():
        assert runs[run_id] == rows
    for rows in runs.values():
        assert len(rows) == CHECK_COUNT
    report = (workspace.layout.reports_dir / "audit-report.md").read_bytes()
    # the old report, or the killed run's complete one (the same as the reference run's), never a partial one
    assert report == old_report or _without_run_line(report) == _without_run_line(new_report)
    duckdb.connect(str(workspace.layout.out_dir / "analyst.duckdb"), read_only=True).close()
    # The next run succeeds, leaves no temporary file and writes exactly the new version.
    generated = str(workspace.layout.data_dir / "GENERATED.json")
    result = workspace.run("audit", "--known-answers", generated, env={"STAFFING_SQL_KEY": OTHER_KEY})
    assert result.returncode == 0, result.stderr[-2000:]
    assert stale_temporaries(workspace.layout.out_dir) == []
    assert stale_temporaries(workspace.layout.reports_dir) == []
    assert stale_spill_folders(workspace.layout) == []
    assert _layer_files(workspace) == new
    assert workspace.raw() == raw_before


AUDIT_KILL_POINTS = ["safe/workers_safe", "safe/sparse_workers_safe",
                     "derived/fill_events", "[4/5]", "lesson_totals_agree", "[5/5]"]


@pytest.mark.parametrize("marker", AUDIT_KILL_POINTS)
def test_8_sigkill_of_the_audit_leaves_old_or_new_files_never_partial(workspace, rebuilt_with_other_key, marker):
    old, new = _layer_files(workspace), _layer_files(rebuilt_with_other_key)
    old_ledger = workspace.ledger_runs()
    old_report = (workspace.layout.reports_dir / "audit-report.md").read_bytes()
    raw_before = workspace.raw()
    _kill_when_printed(_start(workspace, "audit", key=OTHER_KEY), marker)
    new_report = (rebuilt_with_other_key.layout.reports_dir / "audit-report.md").read_bytes()
    _assert_old_or_new_and_recoverable(workspace, old, new, raw_before, old_ledger, old_report, new_report)


@pytest.mark.parametrize("marker", ["safe/workers_safe", "safe/jobs_safe", "derived/fill_events", "derived     built"])
def test_8_sigkill_of_the_build_leaves_old_or_new_files_never_partial(workspace, rebuilt_with_other_key, marker):
    old, new = _layer_files(workspace), _layer_files(rebuilt_with_other_key)
    old_ledger = workspace.ledger_runs()
    old_report = (workspace.layout.reports_dir / "audit-report.md").read_bytes()
    raw_before = workspace.raw()
    _kill_when_printed(_start(workspace, "build", key=OTHER_KEY), marker)
    new_report = (rebuilt_with_other_key.layout.reports_dir / "audit-report.md").read_bytes()
    _assert_old_or_new_and_recoverable(workspace, old, new, raw_before, old_ledger, old_report, new_report)


@pytest.mark.parametrize("marker", ["[ 1/", "[ 6/", "scenarios/"])
def test_8_sigkill_of_generate_leaves_the_old_lakehouse_and_the_next_generate_cleans_up(workspace, marker):
    raw_before = workspace.raw()
    record_before = workspace.layout.generated_record.read_bytes()
    process = subprocess.Popen(
        [sys.executable, "-m", "staffing_sql", "generate", "--data-dir", str(workspace.layout.data_dir),
         "--scale", "0.02", "--seed", "7", "--force"],
        cwd=PROJECT_ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _kill_when_printed(process, marker)
    assert workspace.raw() == raw_before
    assert workspace.layout.generated_record.read_bytes() == record_before
    result = run_cli("generate", "--data-dir", str(workspace.layout.data_dir), "--scale", "0.02", "--seed", "7", "--force")
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in workspace.layout.data_dir.iterdir()) == ["GENERATED.json", *sorted(RAW_FOLDERS)]
    assert json.loads(workspace.layout.generated_record.read_text())["seed"] == 7


def test_8_the_sweep_removes_only_temporaries_of_writers_that_are_gone(workspace):
    ended = subprocess.Popen(["true"])  # a process that has ended: its pid is a writer that is gone
    ended.wait()
    safe = workspace.layout.out_dir / "safe"
    dead = [safe / f".workers_safe.parquet.{ended.pid}.tmp", workspace.layout.reports_dir / f".audit-report.md.{ended.pid}.tmp",
            workspace.layout.spill_dir / str(ended.pid) / "duckdb_temp_block"]
    live = [safe / f".jobs_safe.parquet.{os.getpid()}.tmp", workspace.layout.spill_dir / str(os.getpid()) / "duckdb_temp_block"]
    for path in dead + live:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(b"partial")
    assert workspace.run("audit").returncode == 1
    assert [path for path in dead if path.exists()] == []
    assert [path for path in live if not path.exists()] == []


def test_an_analyst_database_changed_since_it_was_written_is_rebuilt_not_reused(workspace):
    """The analyst database is reused only while it is the very file the last run wrote."""
    database = workspace.layout.out_dir / "analyst.duckdb"
    con = duckdb.connect(str(database))
    con.execute("delete from workers_safe where worker_id in (select worker_id from workers_safe limit 5)")
    con.execute("create table analyst_scratch as select 1 as x")
    con.close()
    result = workspace.run("build")
    assert result.returncode == 0, result.stderr[-2000:]
    analyst = duckdb.connect(str(database), read_only=True)
    tables = {name for (name,) in analyst.execute("select table_name from information_schema.tables").fetchall()}
    assert "analyst_scratch" not in tables
    rows = analyst.execute("select count(*) from workers_safe").fetchone()[0]
    expected = duckdb.connect().execute("select count(*) from read_parquet($path)",
                                        {"path": str(workspace.layout.out_dir / "safe" / "workers_safe.parquet")}).fetchone()[0]
    assert rows == expected
