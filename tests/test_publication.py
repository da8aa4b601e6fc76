"""Publication gated on the PII scan, no PII in the output folder, the development key made visible.

Contract §6: build and audit stage their outputs, scan them, and publish only
when the scan passes; the normalised layer is computed on read (never written
under --out-dir); every output says which key made its tokens.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_KEY, make_layout, run_cli
from staffing_sql.key import DEVELOPMENT_KEY, key_fingerprint
from staffing_sql.outputs import LOCK_NAME
from staffing_sql.pipeline import HELD_PREFIX, TEST_LEAK_ENV, Lakehouse
from staffing_sql.publication import scan_texts

CHECK_COUNT = len(list(Path(__file__).resolve().parent.parent.glob("sql/audit/assert_*.sql")))
REFUSAL = re.compile(r"^  PII scan: (\w+)\.(\w+): ([\w ]+) in ([\d,]+) value\(s\)$")


def cli_args(command, layout, *extra):
    args = [command, "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir)]
    if command == "audit":
        args += ["--reports-dir", str(layout.reports_dir)]
    return (*args, *extra)


def without_key() -> dict:
    """An environment with no PII key at all: the development key is used."""
    return {"STAFFING_SQL_KEY": "", "STAFFING_SQL_KEY_FILE": ""}


def published_files(layout) -> dict[str, str]:
    """sha256 of every file under the output and reports folders, the ledger aside."""
    ledger = layout.out_dir / "audit" / "ledger"
    return {
        path.as_posix(): hashlib.sha256(path.read_bytes()).hexdigest()
        for root in (layout.out_dir, layout.reports_dir) for path in sorted(root.rglob("*"))
        if path.is_file() and ledger not in path.parents
    }


def ledger_runs(layout) -> dict[str, list[dict]]:
    runs = {}
    for path in sorted((layout.out_dir / "audit" / "ledger").glob("*.json")):
        runs[path.stem] = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    return runs


def first_roster_name(layout) -> str:
    """The raw name the test hook plants (the first worker by id)."""
    return duckdb.connect().execute(
        "select name from read_parquet($path) where name is not null order by worker_id limit 1",
        {"path": str(layout.datasets_dir / "workers_500k.parquet")}).fetchone()[0]


@pytest.fixture(scope="module")
def published(minimal_lakehouse, tmp_path_factory):
    """A lakehouse built, then audited (planted problems, known answers), with the development key."""
    layout = make_layout(tmp_path_factory.mktemp("published"))
    shutil.copytree(minimal_lakehouse.data_dir, layout.data_dir)
    built = run_cli(*cli_args("build", layout), env=without_key())
    assert built.returncode == 0, built.stderr[-2000:]
    audited = run_cli(*cli_args("audit", layout, "--format", "json", "--junit", str(layout.reports_dir / "junit.xml"),
                                "--known-answers", str(layout.data_dir / "GENERATED.json")), env=without_key())
    assert audited.returncode == 0, audited.stderr[-2000:]
    return layout, built, audited


def assigned_rows(layout, relation: str, name: str) -> int:
    """Rows of a derived ``relation`` whose scenario assigns someone sharing a word of ``name``
    (two letters or more): where the scan also reports the planted name as an assigned name."""
    parts = [part for part in re.findall(r"[a-z]+", name.lower()) if len(part) >= 2]
    return duckdb.connect().execute(
        f"""
        with assigned as (
            select distinct scenario_id
            from (
                select scenario_id, unnest(fill.assigned).name as assignee
                from (select scenario_id, unnest(fills) as fill
                      from read_json($scenarios, format = 'auto', union_by_name = true))
            )
            where list_has_any(regexp_extract_all(lower(assignee), '[a-z]+'), $parts)
        )
        select count(*)
        from read_parquet($derived) as output
        where output.scenario_id in (select scenario_id from assigned)
        """,
        {"scenarios": str(layout.data_dir / "scenarios" / "*.json"), "parts": parts,
         "derived": str(layout.out_dir / "derived" / f"{relation}.parquet")}).fetchone()[0]


def copy_workspace(source, root: Path):
    layout = make_layout(root)
    for folder in ("data_dir", "out_dir", "reports_dir"):
        shutil.copytree(getattr(source, folder), getattr(layout, folder))
    return layout


def refusal_lines(stderr: str) -> list[tuple[str, str, str, int]]:
    return [(m[1], m[2], m[3], int(m[4].replace(",", ""))) for line in stderr.splitlines() if (m := REFUSAL.match(line))]


# -- 1. publication gated on the scan ----------------------------------------------------------

# files: how many of the texts an audit is about to write (ledger, Markdown report, JSON results) hold the
# planted name too, in the samples of a failing check that reads the leaking column.
@pytest.mark.parametrize(("command", "leak", "files"), [("build", "fill_events.role", 0), ("audit", "fill_events.role", 3),
                                                         ("audit", "staffing_answers.text", 0)])
def test_a_leak_the_redactor_misses_refuses_publication_and_keeps_every_published_file(published, tmp_path, command,
                                                                                       leak, files):
    layout = copy_workspace(published[0], tmp_path)
    before, runs_before = published_files(layout), ledger_runs(layout)
    relation, column = leak.split(".")
    fill_rows = duckdb.connect().execute(
        f"select count(*) from read_parquet('{layout.out_dir / 'derived' / (relation + '.parquet')}')").fetchone()[0]

    result = run_cli(*cli_args(command, layout), env={TEST_LEAK_ENV: leak})

    assert result.returncode == 1, result.stderr[-2000:]
    assigned = assigned_rows(layout, relation, first_roster_name(layout))
    assert 0 < assigned < fill_rows  # the planted worker is assigned in some scenarios, not all
    expected = [(relation, column, "assigned name", assigned), (relation, column, "roster name", fill_rows)]
    if files:
        expected.append(("published_files", "text", "roster name", files))
    assert refusal_lines(result.stderr) == expected
    assert "publication refused" in result.stderr and "nothing was published" in result.stderr
    name = first_roster_name(layout)
    assert name not in result.stderr and name not in result.stdout
    assert result.stdout == ""  # --format json is not asked; nothing about the refused run goes to stdout
    # The analyst database, every parquet file and record, every report: byte for byte as published before.
    assert published_files(layout) == before
    # ... and the ledger gained exactly the failed run, its samples dropped, the refusal counted.
    runs = ledger_runs(layout)
    new = sorted(set(runs) - set(runs_before))
    assert len(new) == 1 and all(runs[run_id] == rows for run_id, rows in runs_before.items())
    rows = runs[new[0]]
    gate = [row for row in rows if row["check_id"] == "publication_scan"]
    assert len(gate) == 1 and gate[0]["status"] == "fail" and gate[0]["severity"] == "blocking"
    assert json.loads(gate[0]["samples_json"]) == [
        {"relation": r, "column_name": c, "kind": k, "hits": h} for r, c, k, h in expected]
    assert len(rows) == (CHECK_COUNT + 1 if command == "audit" else 1)
    assert all(row["samples_json"] == "[]" for row in rows if row["check_id"] != "publication_scan")
    assert {row["key_fingerprint"] for row in rows} == {key_fingerprint(TEST_KEY)}
    assert {row["development_key"] for row in rows} == {False}
    ledger_text = (layout.out_dir / "audit" / "ledger" / f"{new[0]}.json").read_text(encoding="utf-8")
    assert name not in ledger_text


def test_after_a_refused_audit_the_next_audit_publishes_and_lists_the_failed_run(published, tmp_path):
    layout = copy_workspace(published[0], tmp_path)
    refused = run_cli(*cli_args("audit", layout), env={TEST_LEAK_ENV: "fill_events.role"})
    assert refused.returncode == 1 and "publication refused" in refused.stderr
    generated = str(layout.data_dir / "GENERATED.json")
    result = run_cli(*cli_args("audit", layout, "--known-answers", generated))
    assert result.returncode == 0, result.stderr[-2000:]
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    rows = con.execute("select check_id, status from audit_results where check_id = 'publication_scan'").fetchall()
    assert rows == [("publication_scan", "fail")]
    assert con.execute("select count(distinct run_id) from audit_results").fetchone()[0] == 3
    name = first_roster_name(layout)
    fill_events = duckdb.connect().execute(
        f"select count(*) from read_parquet('{layout.out_dir / 'derived' / 'fill_events.parquet'}') "
        "where contains(role, $name)", {"name": name}).fetchone()[0]
    assert fill_events == 0


REUSED = "holds for the same bytes"


def scan_result(layout) -> dict:
    results = json.loads((layout.reports_dir / "audit-results.json").read_text(encoding="utf-8"))["results"]
    return next(r for r in results if r["check_id"] == "no_pii_in_outputs")


def test_an_audit_over_the_bytes_a_passing_scan_covered_reuses_its_verdict_and_any_change_scans_again(published, tmp_path):
    layout = copy_workspace(published[0], tmp_path)
    verdict_file = layout.out_dir / "audit" / "pii-scan.json"
    recorded = json.loads(verdict_file.read_text(encoding="utf-8"))
    audited_run = json.loads(published[2].stdout)["run"]["run_id"]
    # The fixture's audit ran right after its build: the build's verdict (a different run) was reused, not rewritten.
    assert recorded["status"] == "pass" and recorded["run_id"] != audited_run
    generated = str(layout.data_dir / "GENERATED.json")

    again = run_cli(*cli_args("audit", layout, "--known-answers", generated), env=without_key())
    assert again.returncode == 0, again.stderr[-2000:]
    assert f"the passing scan of run {recorded['run_id']} {REUSED}" in again.stderr
    assert scan_result(layout)["status"] == "pass" and scan_result(layout)["duration_s"] == 0.0
    assert json.loads(verdict_file.read_text(encoding="utf-8")) == recorded

    # A verdict recorded for other bytes (here: another key) is not this run's: the scan runs and records its own.
    verdict_file.write_text(json.dumps({**recorded, "key": "0" * 64}), encoding="utf-8")
    rescanned = run_cli(*cli_args("audit", layout, "--known-answers", generated), env=without_key())
    assert rescanned.returncode == 0, rescanned.stderr[-2000:]
    assert REUSED not in rescanned.stderr and scan_result(layout)["duration_s"] > 0
    assert json.loads(verdict_file.read_text(encoding="utf-8"))["key"] == recorded["key"]

    # A changed raw file rebuilds the safe layer: scanned again, whatever the record says.
    lessons = sorted((layout.data_dir / "_playbook_lessons").glob("LSN-*.json"))
    lessons[0].write_text(lessons[0].read_text(encoding="utf-8") + "\n", encoding="utf-8")
    changed = run_cli(*cli_args("audit", layout), env=without_key())
    assert REUSED not in changed.stderr and scan_result(layout)["duration_s"] > 0
    assert json.loads(verdict_file.read_text(encoding="utf-8"))["key"] != recorded["key"]


def test_the_scan_reads_the_texts_about_to_be_published(minimal_lakehouse, tmp_path):
    lake = Lakehouse.open(minimal_lakehouse, TEST_KEY, spill_dir=tmp_path / "spill")
    try:
        clean = scan_texts(lake, {"audit-report.md": "# audit\n- run `20261201T000000Z-42`, 1,234 rows, JO-000123\n"})
        assert clean.passed and clean.hits == []
        leaked = scan_texts(lake, {"audit-report.md": "ok", "audit-results.json": '{"note": "call (614) 555-0142"}',
                                   "20261201T000000Z-42.json": '{"samples_json": "mail ann.lee@example.com"}'})
    finally:
        lake.close()
    assert not leaked.passed
    assert leaked.hits == [("published_files", "text", "email", 1), ("published_files", "text", "phone", 1)]


# -- 2. no PII in the output folder --------------------------------------------------------------

def _raw_secrets(layout) -> tuple[set[str], set[str], set[str]]:
    con = duckdb.connect()
    datasets = layout.datasets_dir

    def values(sql: str) -> set[str]:
        return {row[0] for row in con.execute(sql).fetchall() if row[0]}

    names = set()
    for name in ("workers_500k", "sparse_workers", "new_candidates", "client_workersi"):
        names |= values(f"select lower(name) from read_parquet('{datasets / (name + '.parquet')}')")
    names |= values(f"select lower(first_name || ' ' || last_name) from read_parquet('{datasets / 'candidates.parquet'}')")
    emails = set()
    for name in ("workers_500k", "candidates", "new_candidates", "client_workersi"):
        emails |= values(f"select lower(email) from read_parquet('{datasets / (name + '.parquet')}')")
    phones = set()
    for name in ("workers_500k", "candidates", "new_candidates", "client_workersi", "sparse_workers"):
        digits = values(f"select regexp_replace(phone::varchar, '[^0-9]', '', 'g') "
                        f"from read_parquet('{datasets / (name + '.parquet')}')")
        phones |= {d[-10:] for d in digits if len(d) >= 10}
    return names, emails, phones


def _texts_of(path: Path) -> tuple[list[str], list[list[str]]]:
    """Every value of every column (as text) of a parquet or DuckDB file, or the file's text; and the column lists."""
    con = duckdb.connect()
    if path.suffix == ".parquet":
        relations = [f"read_parquet('{path}')"]
    elif path.suffix == ".duckdb":
        con.execute(f"attach '{path}' as published (read_only)")
        relations = [f'published."{t}"' for (t,) in con.execute(
            "select table_name from duckdb_tables() where database_name = 'published'").fetchall()]
        assert relations
    else:
        return [path.read_text(encoding="utf-8")], []
    texts, columns = [], []
    for relation in relations:
        names = [d[0] for d in con.execute(f"select * from {relation} limit 0").description]
        columns.append(names)
        for name in names:
            texts += [v for (v,) in con.execute(f'select "{name}"::varchar from {relation}').fetchall() if v]
    return texts, columns


def test_no_file_under_the_output_folder_is_a_normalised_copy_or_holds_raw_pii(published):
    layout, built, _ = published
    assert "computed on read" in built.stderr
    names, emails, phones = _raw_secrets(layout)
    assert len(names) > 100 and len(emails) > 100 and len(phones) > 100
    files = sorted(p for root in (layout.out_dir, layout.reports_dir) for p in root.rglob("*") if p.is_file())
    suffixes = {p.suffix for p in files}
    assert {".parquet", ".duckdb", ".json", ".md", ".xml"} <= suffixes
    assert not (layout.out_dir / "normalised").exists()
    email_pattern = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
    number_pattern = re.compile(r"\+?\d[\d ().\-/]{8,}\d")
    for path in files:
        texts, columns = _texts_of(path)
        for names_of_relation in columns:
            # A normalised copy is raw data with phone_status: raw name/email/phone columns beside it.
            assert not {"name", "email", "phone", "phone_status", "first_name"} & set(names_of_relation), path
        for text in texts:
            lowered = text.lower()
            words = re.findall(r"[\w.'-]+", lowered)
            windows = {" ".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}
            assert not windows & names, path
            assert not {e.lower() for e in email_pattern.findall(text)} & emails, path
            found = {re.sub(r"\D", "", n)[-10:] for n in number_pattern.findall(text)}
            assert not found & phones, path


def test_normalize_phones_refuses_the_output_reports_and_data_folders(published, tmp_path):
    layout = published[0]
    before = published_files(layout)
    for folder in (layout.out_dir / "normalised", layout.out_dir, layout.reports_dir / "x", layout.data_dir / "out"):
        result = run_cli("normalize-phones", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir),
                         "--reports-dir", str(layout.reports_dir), "--out", str(folder))
        assert result.returncode == 2, result.stderr
        lines = result.stderr.strip().splitlines()
        assert len(lines) == 1 and str(folder) in lines[0] and "hold PII" in lines[0], lines
        assert not folder.exists() or folder in (layout.out_dir,)
    assert published_files(layout) == before


def test_normalize_phones_writes_owner_only_files_with_their_sha256_record(published, tmp_path):
    layout = published[0]
    out = tmp_path / "downstream"
    result = run_cli("normalize-phones", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir), "--out", str(out))
    assert result.returncode == 0, result.stderr
    files = sorted(p for p in out.iterdir())
    assert [p.name for p in files] == ["BUILD.json", "candidates.parquet", "client_workersi.parquet",
                                       "ethereal_workers.parquet", "new_candidates.parquet", "sparse_workers.parquet",
                                       "workers_100k.parquet", "workers_500k.parquet"]
    assert {oct(p.stat().st_mode & 0o777) for p in files} == {"0o600"}
    assert oct(out.stat().st_mode & 0o777) == "0o700"
    record = json.loads((out / "BUILD.json").read_text())
    assert {Path(e["path"]).name: e["sha256"] for e in record["outputs"]} == {
        p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in files if p.suffix == ".parquet"}
    statuses = duckdb.connect().execute(
        "select count(*) filter (where phone_status = 'invalid_area_code' and phone like '(0%') "
        f"from read_parquet('{out / 'workers_500k.parquet'}')"
    ).fetchone()[0]
    assert statuses > 0  # restored 9-digit integers: their zero kept in the string, flagged (decision D)


# -- 3. the development key visible --------------------------------------------------------------

def test_the_development_key_is_visible_in_every_output(published):
    layout, _, audited = published
    fingerprint = key_fingerprint(DEVELOPMENT_KEY)
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    info = con.execute("select key_fingerprint, development_key, tool_version, duckdb_version from build_info").fetchall()
    assert info == [(fingerprint, True, "0.1.0", duckdb.__version__)]
    assert con.execute("select count(*), count(*) filter (where development_key and key_fingerprint = $f) "
                       "from audit_results", {"f": fingerprint}).fetchone() == (CHECK_COUNT, CHECK_COUNT)
    report = (layout.reports_dir / "audit-report.md").read_text(encoding="utf-8")
    verdict = [line for line in report.splitlines() if line.startswith("- verdict:")]
    assert len(verdict) == 1 and verdict[0].endswith("DEVELOPMENT KEY: tokens are guessable")
    assert f"- PII key: fingerprint `{fingerprint}`, development key: yes" in report
    for run in (json.loads((layout.reports_dir / "audit-results.json").read_text())["run"], json.loads(audited.stdout)["run"]):
        assert (run["key_fingerprint"], run["development_key"]) == (fingerprint, True)
    properties = {p.get("name"): p.get("value")
                  for p in ET.parse(layout.reports_dir / "junit.xml").getroot().find("properties")}
    assert properties == {"key_fingerprint": fingerprint, "development_key": "true"}
    for rows in ledger_runs(layout).values():
        assert {(row["key_fingerprint"], row["development_key"]) for row in rows} == {(fingerprint, True)}
    assert DEVELOPMENT_KEY not in report


def test_a_real_key_is_recorded_as_such(published, tmp_path):
    layout = copy_workspace(published[0], tmp_path)
    result = run_cli(*cli_args("audit", layout, "--junit", str(layout.reports_dir / "junit.xml")))
    assert result.returncode == 1, result.stderr[-2000:]
    fingerprint = key_fingerprint(TEST_KEY)
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    assert con.execute("select key_fingerprint, development_key from build_info").fetchall() == [(fingerprint, False)]
    report = (layout.reports_dir / "audit-report.md").read_text(encoding="utf-8")
    assert "DEVELOPMENT KEY" not in report and f"fingerprint `{fingerprint}`, development key: no" in report
    run = json.loads((layout.reports_dir / "audit-results.json").read_text())["run"]
    assert (run["key_fingerprint"], run["development_key"]) == (fingerprint, False)
    properties = {p.get("name"): p.get("value")
                  for p in ET.parse(layout.reports_dir / "junit.xml").getroot().find("properties")}
    assert properties == {"key_fingerprint": fingerprint, "development_key": "false"}
    assert "DEVELOPMENT KEY" not in result.stderr and TEST_KEY not in result.stderr


# -- 4. issue 11: audit_results before any audit; a wrong data folder leaves nothing -------------

def test_a_database_built_before_any_audit_has_an_empty_audit_results_with_the_audited_columns(published, minimal_lakehouse, tmp_path):
    layout = make_layout(tmp_path)
    shutil.copytree(minimal_lakehouse.data_dir, layout.data_dir)
    assert run_cli(*cli_args("build", layout)).returncode == 0
    fresh = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    audited = duckdb.connect(str(published[0].out_dir / "analyst.duckdb"), read_only=True)
    assert fresh.execute("select count(*) from audit_results").fetchone() == (0,)
    assert audited.execute("select count(*) from audit_results").fetchone() == (CHECK_COUNT,)
    columns = "select column_name, column_type from (describe audit_results)"
    assert fresh.execute(columns).fetchall() == audited.execute(columns).fetchall()
    assert len(fresh.execute(columns).fetchall()) == 24


@pytest.mark.parametrize("command", ["audit", "build"])
def test_a_missing_data_folder_is_refused_before_the_lock_and_leaves_nothing(tmp_path, command):
    layout = make_layout(tmp_path)
    layout = type(layout)(data_dir=tmp_path / "nonexistent", out_dir=layout.out_dir, reports_dir=layout.reports_dir)
    result = run_cli(*cli_args(command, layout))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and str(layout.datasets_dir) in lines[0] and "not found" in lines[0], lines
    assert not (layout.out_dir / LOCK_NAME).exists() and not layout.spill_dir.exists()
    assert not layout.out_dir.exists() and not layout.reports_dir.exists()
    assert os.listdir(tmp_path) == []


def test_normalize_phones_validates_the_input_before_creating_its_folder(tmp_path):
    out = tmp_path / "downstream"
    result = run_cli("normalize-phones", "--data-dir", str(tmp_path / "nonexistent"), "--out-dir", str(tmp_path / "build"),
                     "--out", str(out))
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "datasets folder not found" in lines[0], lines
    assert os.listdir(tmp_path) == []


def test_the_normalised_relations_held_for_the_checks_equal_the_on_read_ones_row_for_row(minimal_lakehouse, tmp_path):
    lake = Lakehouse.open(minimal_lakehouse, TEST_KEY, spill_dir=tmp_path / "spill")
    try:
        datasets = [dataset.name for dataset in lake.manifest.phone_datasets()]
        assert len(datasets) == 7
        on_read = {name: lake.con.execute(f"select * from normalised_{name}").fetchall() for name in datasets}
        lake.hold_normalised()
        for name in datasets:
            assert lake.con.execute(f"select * from normalised_{name}").fetchall() == on_read[name], name
        assert on_read["workers_500k"][0] == lake.con.execute(
            "select * from normalised_workers_500k where worker_id = $id", {"id": on_read["workers_500k"][0][0]}).fetchone()
        # Held phones out of step with the raw file fail the query: a phone is never lent to another row.
        lake.con.execute(f"create or replace temp table {HELD_PREFIX}candidates as "
                         f"select * from {HELD_PREFIX}candidates order by raw_phone desc")
        with pytest.raises(duckdb.Error, match="held phones out of step"):
            lake.con.execute("select candidate_id, phone from normalised_candidates").fetchall()
    finally:
        lake.close()
