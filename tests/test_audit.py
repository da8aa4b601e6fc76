"""The audit: known answers, a clean pass, the hashed ledger, reports, per-check fixtures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from datetime import datetime
from pathlib import Path

import duckdb
import pytest

from conftest import SEED, TEST_KEY, make_layout, quiet, run_cli
from staffing_sql.audit import prepare
from staffing_sql.checks import compare_known_answers, redact_samples
from staffing_sql.database import install_macros
from staffing_sql.generator import generate_lakehouse
from staffing_sql.pipeline import Lakehouse, normalised_sql, publish_layers, register_relations
from staffing_sql.templates import render

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![0-9A-Za-z_])(\+?1[ .-]?)?(\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?![0-9A-Za-z_])")


def audit_args(layout, *extra):
    return ("audit", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir),
            "--reports-dir", str(layout.reports_dir), *extra)


def copy_lakehouse(source, root: Path):
    layout = make_layout(root)
    shutil.copytree(source.data_dir, layout.data_dir)
    return layout


@pytest.fixture(scope="module")
def planted(minimal_lakehouse, tmp_path_factory):
    """One audit of the planted small lakehouse, through the CLI, with every output."""
    layout = copy_lakehouse(minimal_lakehouse, tmp_path_factory.mktemp("planted"))
    junit = layout.reports_dir / "junit.xml"
    result = run_cli(*audit_args(layout, "--format", "json", "--junit", str(junit),
                                 "--known-answers", str(layout.data_dir / "GENERATED.json")))
    return layout, result, json.loads(result.stdout)


def ledger_rows(layout):
    rows = []
    for path in sorted((layout.out_dir / "audit" / "ledger").glob("*.json")):
        rows += [json.loads(line) for line in path.read_text().splitlines()]
    return rows


def test_known_answers_the_failures_are_exactly_the_planted_problems(planted):
    layout, result, output = planted
    assert result.returncode == 0, result.stderr[-2000:]
    assert "caught exactly the 10 problems" in result.stderr
    record = json.loads((layout.data_dir / "GENERATED.json").read_text())
    expected = {}
    for problem in record["planted"]:
        expected[problem["check"]] = expected.get(problem["check"], 0) + 1
    failed = {r["check_id"]: r["offending_rows"] for r in output["results"]
              if r["severity"] == "blocking" and r["status"] != "pass"}
    assert failed == expected
    assert expected == {"ids_unique": 1, "scores_in_range": 3, "no_overlapping_shifts": 1,
                        "worker_lives_in_site_state": 1, "assigned_worker_exists": 1,
                        "job_order_belongs_to_client": 1, "assigned_within_count": 1, "lesson_totals_agree": 1}
    soft = {r["check_id"] for r in output["results"] if r["severity"] == "soft" and r["status"] == "fail"}
    assert soft == {"phones_valid"}  # the contract's incidental defect: numbers that cannot be valid


def test_without_known_answers_a_blocking_failure_exits_1(minimal_lakehouse, tmp_path):
    layout = copy_lakehouse(minimal_lakehouse, tmp_path)
    result = run_cli(*audit_args(layout))
    assert result.returncode == 1
    assert "FAILED" in result.stderr


def test_known_answers_detects_a_missed_problem():
    results = [{"check_id": "ids_unique", "severity": "blocking", "status": "pass", "offending_rows": 0},
               {"check_id": "enum_domains", "severity": "blocking", "status": "fail", "offending_rows": 2}]
    planted = [{"check": "ids_unique"}]
    assert compare_known_answers(results, planted) == [
        "ids_unique: planted 1 problem(s), check reported pass with 0 offending row(s)",
        "enum_domains: fail but nothing was planted for it",
    ]


def test_a_clean_lakehouse_passes_every_blocking_check(tmp_path):
    layout = make_layout(tmp_path)
    generate_lakehouse(layout, seed=SEED, scale=0.01, force=False, echo=quiet, plant=False)
    result = run_cli(*audit_args(layout, "--format", "json"))
    assert result.returncode == 0, result.stderr[-2000:]
    results = json.loads(result.stdout)["results"]
    assert [r["check_id"] for r in results if r["severity"] == "blocking" and r["status"] != "pass"] == []
    assert len(results) >= 20


def test_ledger_records_every_input_with_hashlib_sha256_and_size(planted):
    layout, _, output = planted
    rows = ledger_rows(layout)
    assert {row["check_id"] for row in rows} == {r["check_id"] for r in output["results"]}
    inputs = rows[0]["inputs"]
    assert len(inputs) == 9 + 44 + 64
    for entry in inputs:
        path = layout.data_dir / entry["path"]
        assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
        assert entry["bytes"] == path.stat().st_size
    for row in rows:
        assert set(row) >= {"run_id", "check_id", "phase", "severity", "status", "offending_rows", "samples_json",
                            "sql_sha256", "inputs", "tool_version", "duckdb_version", "started_at", "ended_at",
                            "duration_s"}
        assert re.fullmatch(r"[0-9a-f]{64}", row["sql_sha256"])


def test_recorded_sql_hash_is_the_hash_of_the_rendered_sql(planted):
    layout, _, output = planted
    by_id = {r["check_id"]: r for r in output["results"]}
    sql = render("sql/audit/assert_ids_unique.sql").strip().rstrip(";")
    assert by_id["ids_unique"]["sql_sha256"] == hashlib.sha256(sql.encode()).hexdigest()


def test_samples_are_masked_and_hold_no_contact_details_or_names(planted):
    layout, _, output = planted
    names = set()
    con = duckdb.connect()
    for (name,) in con.execute("select distinct lower(name) from read_parquet($p)",
                               {"p": str(layout.data_dir / "datasets" / "workers_500k.parquet")}).fetchall():
        names.add(name)
    texts = [json.dumps(r["samples"]) for r in output["results"]]
    texts += [row["samples_json"] for row in ledger_rows(layout)]
    texts.append((layout.reports_dir / "audit-report.md").read_text())
    for text in texts:
        assert not EMAIL.search(text)
        assert not PHONE.search(text)
        lowered = text.lower()
        assert not [name for name in names if name in lowered]
    assert any(r["samples"] for r in output["results"])


def test_staged_samples_are_redacted_in_one_query_each_back_to_its_own_check():
    con = duckdb.connect()
    install_macros(con, TEST_KEY)
    first, second = {"sql_path": "a.sql", "samples": []}, {"sql_path": "b.sql", "samples": []}
    staged = [(first, ['{"note": "mail ann.lee@example.com", "worker_id": 7}']),
              (second, ['{"worker_id": 8}', '{"note": "call 614-555-0142", "worker_id": 9}'])]
    redact_samples(con, staged)
    assert staged == []
    [note] = first["samples"]
    assert note["worker_id"] == 7 and note["note"].startswith("mail email_") and "ann" not in note["note"]
    assert second["samples"][0] == {"worker_id": 8}
    assert second["samples"][1]["worker_id"] == 9 and "555" not in second["samples"][1]["note"]
    assert second["samples"][1]["note"].startswith("call ")


def test_reports_markdown_and_junit(planted):
    layout, _, output = planted
    report = (layout.reports_dir / "audit-report.md").read_text()
    for r in output["results"]:
        assert f"`{r['check_id']}`" in report
    assert "### `no_overlapping_shifts` (blocking, fail)" in report
    suite = ET.parse(layout.reports_dir / "junit.xml").getroot()
    assert suite.get("tests") == str(len(output["results"]))
    failures = [case.get("name") for case in suite.iter("testcase") if case.find("failure") is not None]
    assert sorted(failures) == sorted(r["check_id"] for r in output["results"]
                                      if r["severity"] == "blocking" and r["status"] == "fail")


KEY_FIELDS = {"worker_id", "candidate_id", "job_order_id", "scenario_id", "lesson_id", "event_id", "first_event_id",
              "row_key", "key_value", "sample_keys", "path"}


def test_every_sample_names_its_row(planted):
    _, _, output = planted
    failing = [r for r in output["results"] if r["status"] == "fail"]
    assert len(failing) >= 9
    for r in failing:
        assert r["samples"], r["check_id"]
        for sample in r["samples"]:
            assert KEY_FIELDS & set(sample), (r["check_id"], sorted(sample))


def test_a_check_with_many_rows_reports_them_by_dataset_in_json_ledger_and_report(planted):
    layout, _, output = planted
    phones = next(r for r in output["results"] if r["check_id"] == "phones_valid")
    counts = {}
    lake = Lakehouse.open(layout, TEST_KEY)  # the normalised relations are computed on read
    try:
        for dataset in lake.manifest.phone_datasets():
            counts[dataset.name] = lake.con.execute(
                f"select count(*) from normalised_{dataset.name} where phone_status in ('invalid', 'invalid_area_code')"
            ).fetchone()[0]
    finally:
        lake.close()
    expected = sorted(((d, n) for d, n in counts.items() if n), key=lambda item: (-item[1], item[0]))
    assert len(expected) >= 3
    assert phones["breakdown"] == [{"dataset": d, "offending_rows": n} for d, n in expected]
    assert sum(n for _, n in expected) == phones["offending_rows"] > len(phones["samples"])
    [row] = [row for row in ledger_rows(layout) if row["check_id"] == "phones_valid"]
    assert row["breakdown"] == phones["breakdown"]
    report = (layout.reports_dir / "audit-report.md").read_text()
    assert "By dataset: " + "; ".join(f"{d} {n:,}" for d, n in expected) + "\n" in report


def test_markdown_breakdown_line_only_when_the_samples_do_not_show_every_row():
    from staffing_sql.reports import markdown_report
    run = {"run_id": "r1", "started_at": "t0", "ended_at": "t1", "tool_version": "0", "duckdb_version": "0", "inputs": []}
    base = {"check_id": "phones_valid", "phase": "normalisation", "severity": "soft", "status": "fail",
            "description": "d", "sql_path": "sql/audit/assert_phones_valid.sql", "sql_sha256": "0" * 64, "error": None}
    many = dict(base, offending_rows=1351, samples=[{"dataset": "workers_500k", "row_key": "7"}],
                breakdown=[{"dataset": "workers_500k", "offending_rows": 1201}, {"dataset": "workers_100k", "offending_rows": 150}])
    assert "By dataset: workers_500k 1,201; workers_100k 150\n" in markdown_report(run, [many])
    few = dict(base, offending_rows=1, samples=[{"dataset": "workers_500k", "row_key": "7"}],
               breakdown=[{"dataset": "workers_500k", "offending_rows": 1}])
    assert "By dataset" not in markdown_report(run, [few])


def test_changing_one_byte_of_an_input_changes_only_its_recorded_hash(minimal_lakehouse, tmp_path):
    layout = copy_lakehouse(minimal_lakehouse, tmp_path)
    assert run_cli(*audit_args(layout)).returncode == 1
    target = layout.data_dir / "scenarios" / "SCN-003.json"
    text = target.read_text()
    assert "PPE required" in text
    target.write_text(text.replace("PPE required", "PPE requires", 1))
    assert run_cli(*audit_args(layout)).returncode == 1
    runs = {}
    for row in ledger_rows(layout):
        runs[row["run_id"]] = {entry["path"]: entry["sha256"] for entry in row["inputs"]}
    first, second = (runs[run] for run in sorted(runs))
    changed = sorted(path for path in first if first[path] != second[path])
    assert changed == ["scenarios/SCN-003.json"]
    assert second["scenarios/SCN-003.json"] == hashlib.sha256(target.read_bytes()).hexdigest()


def test_analyst_database_holds_every_run_in_audit_results(minimal_lakehouse, tmp_path):
    layout = copy_lakehouse(minimal_lakehouse, tmp_path)
    for _ in range(2):
        run_cli(*audit_args(layout))
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    runs = con.execute("select count(distinct run_id), count(*) from audit_results").fetchone()
    checks = len(list(Path("sql/audit").glob("assert_*.sql")))
    assert runs == (2, 2 * checks)


# -- per-check fixtures: a change that must make one check fail with exact rows --

@pytest.fixture(scope="module")
def clean_session(tmp_path_factory):
    """A clean lakehouse (no planted problems) opened for in-process checks."""
    layout = make_layout(tmp_path_factory.mktemp("clean"))
    generate_lakehouse(layout, seed=SEED, scale=0.01, force=False, echo=quiet, plant=False)
    lake = Lakehouse.open(layout, TEST_KEY)
    session = prepare(lake)
    publish_layers(lake, session.layers)  # the per-check tests read the layers' files where they are published
    yield session
    lake.close()


def check(session, check_id, **context):
    result = session.run(session.assertion(check_id), **context)
    assert result["status"] != "error", result["error"]
    return result


def offending(session, check_id):
    return session.lake.con.execute("select * from _offending").fetchall()



def test_every_blocking_check_passes_on_the_clean_lakehouse(clean_session):
    failing = [a.id for a in clean_session.assertions
               if a.severity == "blocking" and a.phase != "provenance" and check(clean_session, a.id)["status"] != "pass"]
    assert failing == []


def override(session, relation, sql):
    """Shadow a relation for the rest of a test (restored by the caller's fixture scope)."""
    session.lake.con.execute(f'create or replace temp view "{relation}" as {sql}')


@pytest.fixture()
def session(clean_session):
    """The clean session; every relation a test shadows is registered again afterwards."""
    yield clean_session
    lake = clean_session.lake
    lake.register_raw()
    lake.register_excluded()
    lake.register_normalised()
    register_relations(lake.con, None, {**clean_session.layers["safe"].outputs, **clean_session.layers["derived"].outputs})


def sorted_rows(session, check_id):
    return sorted(offending(session, check_id), key=repr)


def test_enum_domains_names_the_rows_holding_an_undocumented_or_null_status(session):
    override(session, "raw_candidates",
             "select * replace (case when candidate_id in ('CAND-00004', 'CAND-00002') then 'ghosted' "
             "when candidate_id = 'CAND-00003' then null else status end as status) "
             f"from read_parquet('{session.lake.raw['candidates'].path}')")
    assert check(session, "enum_domains")["offending_rows"] == 2
    assert sorted_rows(session, "enum_domains") == [
        ("candidates", "status", "ghosted", 2, ["CAND-00002", "CAND-00004"]),
        ("candidates", "status", None, 1, ["CAND-00003"]),
    ]


def test_enum_domains_lists_at_most_five_keys_in_key_order(session):
    override(session, "raw_workers_500k",
             "select * replace (case when worker_id <= 7 then 'nomad' else archetype end as archetype) "
             f"from read_parquet('{session.lake.raw['workers_500k'].path}') order by worker_id desc")
    result = check(session, "enum_domains")
    assert offending(session, "enum_domains") == [("workers_500k", "archetype", "nomad", 7, ["1", "2", "3", "4", "5"])]
    assert result["samples"] == [{"dataset": "workers_500k", "column_name": "archetype", "value": "nomad",
                                  "row_count": 7, "sample_keys": ["1", "2", "3", "4", "5"]}]


def test_id_formats_names_the_file_and_the_rows_of_each_malformed_value(session):
    override(session, "raw_job_orders",
             "select * replace (case when job_order_id = 'JO-000007' then 'JO-7' else job_order_id end as job_order_id, "
             "case when job_order_id in ('JO-000005', 'JO-000003') then 'Ohio' else state end as state) "
             f"from read_parquet('{session.lake.raw['job_orders'].path}')")
    assert check(session, "id_formats")["offending_rows"] == 2
    assert sorted_rows(session, "id_formats") == [
        ("job_orders", "datasets/job_orders.parquet", "job_order_id", "JO-7", 1, ["JO-7"]),
        ("job_orders", "datasets/job_orders.parquet", "state", "Ohio", 2, ["JO-000003", "JO-000005"]),
    ]


def test_id_formats_names_a_row_of_a_dataset_without_a_key_by_its_position(session):
    path = session.lake.raw["sparse_workers"].path
    override(session, "raw_sparse_workers",
             "select * exclude (position) replace (case when position = 4 then 'ohio' else state end as state) "
             f"from (select *, row_number() over () as position from read_parquet('{path}'))")
    assert check(session, "id_formats")["offending_rows"] == 1
    assert offending(session, "id_formats") == [
        ("sparse_workers", "datasets/sparse_workers.parquet", "state", "ohio", 1, ["row 4"])]


def test_ids_present_names_a_null_key_by_its_position_in_the_file(session):
    override(session, "raw_candidates",
             "select * replace (case when candidate_id in ('CAND-00003', 'CAND-00007') then null else candidate_id end as candidate_id) "
             f"from read_parquet('{session.lake.raw['candidates'].path}')")
    assert check(session, "ids_present")["offending_rows"] == 1
    assert offending(session, "ids_present") == [("candidates", "candidate_id", 2, ["row 3", "row 7"])]


def test_ids_unique_reports_a_repeated_key(session):
    path = session.lake.raw["job_orders"].path
    override(session, "raw_job_orders",
             f"select * from read_parquet('{path}') union all select * from read_parquet('{path}') where job_order_id = 'JO-000002'")
    assert check(session, "ids_unique")["offending_rows"] == 1
    assert offending(session, "ids_unique") == [("job_orders", "JO-000002", 2)]


def test_scores_in_range_reports_an_out_of_range_and_a_null_score(session):
    path = session.lake.raw["workers_100k"].path
    override(session, "raw_workers_100k",
             "select * replace (case when worker_id = 10 then 1.5 else reliability end as reliability, "
             "case when worker_id = 20 then null else compliance end as compliance) "
             f"from read_parquet('{path}')")
    assert check(session, "scores_in_range")["offending_rows"] == 2
    assert sorted_rows(session, "scores_in_range") == [
        ("workers_100k", 10, "reliability", 1.5), ("workers_100k", 20, "compliance", None)]


def normalised_relation(session, dataset):
    return f"({normalised(session, dataset)})"


def test_siblings_match_canonical_names_the_differing_columns(session):
    override(session, "normalised_workers_100k",
             "select * replace (case when worker_id = 10 then 0.5 else reliability end as reliability, "
             "case when worker_id = 10 then 'Atlantis' else city end as city) "
             f"from {normalised_relation(session, 'workers_100k')}")
    assert check(session, "siblings_match_canonical")["offending_rows"] == 1
    assert offending(session, "siblings_match_canonical") == [("workers_100k", 10, "row differs", ["city", "reliability"])]


def test_siblings_match_canonical_reports_ethereal_and_roster_rows(session):
    con = session.lake.con
    ethereal = con.execute(f"select min(worker_id), max(worker_id) from {normalised_relation(session, 'ethereal_workers')}").fetchone()
    roster = con.execute(f"select min(worker_id) from {normalised_relation(session, 'client_workersi')}").fetchone()[0]
    override(session, "normalised_ethereal_workers",
             f"select * replace (case when worker_id = {ethereal[0]} then 'at_risk_edited' else archetype end as archetype, "
             f"case when worker_id = {ethereal[1]} then 99999999 else worker_id end as worker_id) "
             f"from {normalised_relation(session, 'ethereal_workers')}")
    override(session, "normalised_client_workersi",
             f"select * replace (case when worker_id = {roster} then skills || ', juggling' else skills end as skills) "
             f"from {normalised_relation(session, 'client_workersi')}")
    assert check(session, "siblings_match_canonical")["offending_rows"] == 3
    assert sorted_rows(session, "siblings_match_canonical") == sorted([
        ("client_workersi", roster, "row differs", ["skills"]),
        ("ethereal_workers", ethereal[0], "row differs", ["archetype"]),
        ("ethereal_workers", 99999999, "worker_id not in workers_500k", None),
    ], key=repr)


def test_typo_copy_check_reports_a_row_that_differs(session):
    path = session.lake.raw["client_workerskjkk"].path
    first_id = session.lake.con.execute(f"select min(worker_id) from read_parquet('{path}')").fetchone()[0]
    override(session, "excluded_client_workerskjkk",
             f"select * replace (case when worker_id = {first_id} then archetype || '_edited' else archetype end as archetype) "
             f"from read_parquet('{path}')")
    assert check(session, "typo_copy_duplicates_roster")["offending_rows"] == 2
    assert sorted(offending(session, "typo_copy_duplicates_roster")) == [
        ("only in client_workersi", first_id), ("only in client_workerskjkk", first_id)]


def test_role_matches_order_reports_a_wrong_role(session):
    path = session.lake.layer_dir("derived") / "fill_events.parquet"
    override(session, "fill_events",
             f"select * replace (case when event_id like 'SCN-002/F1/%' then 'Astronaut' else role end as role) from read_parquet('{path}')")
    assert check(session, "role_matches_order")["offending_rows"] == 1
    scenario, fill, _, role, _ = offending(session, "role_matches_order")[0]
    assert (scenario, fill, role) == ("SCN-002", "F1", "Astronaut")


def fill_events_relation(session):
    return f"read_parquet('{session.lake.layer_dir('derived') / 'fill_events.parquet'}')"


def test_fill_ledger_complete_reports_a_missing_slot(session):
    path = session.lake.layer_dir("derived") / "fill_events.parquet"
    override(session, "fill_events", f"select * from read_parquet('{path}') where event_id <> 'SCN-001/F1/1'")
    assert check(session, "fill_ledger_complete")["offending_rows"] == 1
    assert offending(session, "fill_ledger_complete") == [("SCN-001", "F1", "slot rows differ from count")]


def test_fill_ledger_complete_reports_a_repeated_event_id_and_missing_provenance(session):
    events = fill_events_relation(session)
    assert session.lake.con.execute(f"select count(*) from {events} where event_id like 'SCN-001/F1/%'").fetchone()[0] >= 2
    override(session, "fill_events",
             "select * replace (case when event_id = 'SCN-001/F1/2' then 'SCN-001/F1/1' else event_id end as event_id, "
             "case when event_id = 'SCN-003/F1/1' then null else source_sha256 end as source_sha256) "
             f"from {events}")
    assert check(session, "fill_ledger_complete")["offending_rows"] == 2
    assert sorted_rows(session, "fill_ledger_complete") == [
        ("SCN-001", "F1", "repeated event_id"), ("SCN-003", "F1", "missing provenance")]


def test_job_order_belongs_to_client_reports_a_job_order_not_found(session):
    events = fill_events_relation(session)
    client = session.lake.con.execute(f"select any_value(client_id) from {events} where scenario_id = 'SCN-002'").fetchone()[0]
    override(session, "fill_events",
             "select * replace (case when event_id like 'SCN-002/F1/%' then 'JO-999999' else job_order_id end as job_order_id) "
             f"from {events}")
    assert check(session, "job_order_belongs_to_client")["offending_rows"] == 1
    assert offending(session, "job_order_belongs_to_client") == [
        ("SCN-002", "F1", "JO-999999", client, None, "job order not found")]


def shift_pair(session, second_start, second_end):
    """Two slots of one worker: 06:00-14:00 and second_start-second_end, on days no other shift uses."""
    events = fill_events_relation(session)
    (first, worker), (second, _) = session.lake.con.execute(
        f"select event_id, worker_id from {events} where worker_id is not null order by event_id limit 2").fetchall()
    override(session, "fill_events",
             f"select * replace (case when event_id = '{second}' then {worker} else worker_id end as worker_id, "
             f"case when event_id = '{first}' then timestamp '2031-01-01 06:00' "
             f"when event_id = '{second}' then timestamp '{second_start}' else shift_start end as shift_start, "
             f"case when event_id = '{first}' then timestamp '2031-01-01 14:00' "
             f"when event_id = '{second}' then timestamp '{second_end}' else shift_end end as shift_end) "
             f"from {events}")
    return worker, first, second


@pytest.mark.parametrize(("second_start", "second_end"), [
    ("2031-01-01 14:00", "2031-01-01 22:00"),  # the second starts when the first ends
    ("2030-12-31 22:00", "2031-01-01 06:00"),  # the second ends when the first starts
])
def test_no_overlapping_shifts_lets_a_shift_start_when_the_last_one_ends(session, second_start, second_end):
    shift_pair(session, second_start, second_end)
    assert check(session, "no_overlapping_shifts")["offending_rows"] == 0


def test_no_overlapping_shifts_reports_shifts_that_overlap_by_a_minute(session):
    worker, first, second = shift_pair(session, "2031-01-01 13:59", "2031-01-01 22:00")
    assert check(session, "no_overlapping_shifts")["offending_rows"] == 1
    assert offending(session, "no_overlapping_shifts") == [
        (worker, first, second, datetime(2031, 1, 1, 6, 0), datetime(2031, 1, 1, 13, 59))]


def test_no_pii_in_outputs_reports_a_leaked_email_phone_and_name(session):
    path = session.lake.layer_dir("safe") / "jobs_safe.parquet"
    name = session.lake.con.execute("select name from raw_workers_500k limit 1").fetchone()[0]
    override(session, "jobs_safe",
             f"select * replace (case when job_order_id = 'JO-000001' then 'ask ann.lee@example.com or 614-555-0142' "
             f"else description end as description) from read_parquet('{path}')")
    path = session.lake.layer_dir("derived") / "staffing_answers.parquet"
    override(session, "staffing_answers",
             f"select * replace (case when doc_id = 'LSN-0001' then text || ' ' || $${name}$$ else text end as text) "
             f"from read_parquet('{path}')")
    assert check(session, "no_pii_in_outputs")["offending_rows"] == 3
    assert offending(session, "no_pii_in_outputs") == [
        ("jobs_safe", "description", "email", 1),
        ("jobs_safe", "description", "phone", 1),
        ("staffing_answers", "text", "roster name", 1),
    ]


def test_raw_files_unchanged_reports_a_changed_file(session):
    start = session.params["start_hashes"]
    session.params["end_hashes"] = [dict(entry, sha256="0" * 64) if entry["path"] == "scenarios/SCN-001.json" else entry
                                    for entry in start]
    before = next(entry["sha256"] for entry in start if entry["path"] == "scenarios/SCN-001.json")
    try:
        assert check(session, "raw_files_unchanged")["offending_rows"] == 1
        assert offending(session, "raw_files_unchanged") == [("scenarios/SCN-001.json", "changed", before, "0" * 64)]
    finally:
        del session.params["end_hashes"]


def test_raw_files_unchanged_reports_files_that_appear_vanish_or_change_during_the_run(tmp_path):
    layout = make_layout(tmp_path)
    generate_lakehouse(layout, seed=SEED, scale=0.01, force=False, echo=quiet, plant=False)
    lake = Lakehouse.open(layout, TEST_KEY)
    try:
        session = prepare(lake)  # lists and hashes the raw files, builds the layers
        start = {entry["path"]: entry["sha256"] for entry in session.params["start_hashes"]}
        vanishing = layout.lessons_dir / "LSN-0002.json"
        changing = layout.scenarios_dir / "SCN-003.json"
        vanishing.unlink()
        shutil.copy(layout.scenarios_dir / "SCN-001.json", layout.scenarios_dir / "SCN-900.json")
        shutil.copy(layout.datasets_dir / "new_candidates.parquet", layout.datasets_dir / "new_candidates_copy.parquet")
        changing.write_bytes(changing.read_bytes() + b" ")
        sha = lambda path: hashlib.sha256(path.read_bytes()).hexdigest()  # noqa: E731
        result = check(session, "raw_files_unchanged")
        assert result["offending_rows"] == 4
        assert sorted(offending(session, "raw_files_unchanged")) == [
            ("_playbook_lessons/LSN-0002.json", "vanished", start["_playbook_lessons/LSN-0002.json"], None),
            ("datasets/new_candidates_copy.parquet", "appeared", None, sha(layout.datasets_dir / "new_candidates_copy.parquet")),
            ("scenarios/SCN-003.json", "changed", start["scenarios/SCN-003.json"], sha(changing)),
            ("scenarios/SCN-900.json", "appeared", None, sha(layout.scenarios_dir / "SCN-900.json")),
        ]
    finally:
        lake.close()


def test_schema_check_reports_drift_against_another_manifest(session, tmp_path):
    from staffing_sql.manifest import parse_manifest
    from staffing_sql.paths import MANIFEST_PATH
    text = MANIFEST_PATH.read_text().replace(
        '{ name = "years_experience", type = "INTEGER"', '{ name = "years_experience", type = "BIGINT"')
    (tmp_path / "manifest.toml").write_text(text)
    drifted = parse_manifest(tmp_path / "manifest.toml")
    assert check(session, "schema_matches_manifest", manifest=drifted)["offending_rows"] == 1
    assert offending(session, "schema_matches_manifest") == [
        ("candidates", "datasets/candidates.parquet", "years_experience", "BIGINT", "INTEGER", "type differs")]


def test_schema_check_reports_a_missing_column_and_one_not_in_the_manifest(session, tmp_path):
    from staffing_sql.manifest import parse_manifest
    from staffing_sql.paths import MANIFEST_PATH
    text = MANIFEST_PATH.read_text()
    skills = '  { name = "skills", type = "VARCHAR", pii = "none" },\n'
    years = '  { name = "years_experience", type = "INTEGER", pii = "none" },\n'
    assert text.index(skills) < text.index(years) < text.index('name = "job_orders"')  # both are candidates columns
    text = text.replace(skills, "", 1).replace(years, years + '  { name = "nickname", type = "VARCHAR", pii = "none" },\n', 1)
    (tmp_path / "manifest.toml").write_text(text)
    drifted = parse_manifest(tmp_path / "manifest.toml")
    assert check(session, "schema_matches_manifest", manifest=drifted)["offending_rows"] == 2
    assert sorted_rows(session, "schema_matches_manifest") == [
        ("candidates", "datasets/candidates.parquet", "nickname", "VARCHAR", None, "missing"),
        ("candidates", "datasets/candidates.parquet", "skills", None, "VARCHAR", "not in manifest"),
    ]


def test_samples_of_planted_checks_point_at_exactly_the_planted_rows(planted):
    layout, _, output = planted
    by_id = {r["check_id"]: r for r in output["results"]}
    record = json.loads((layout.data_dir / "GENERATED.json").read_text())
    details = {}
    for problem in record["planted"]:
        details.setdefault(problem["kind"], []).append(problem["detail"])
    assert by_id["ids_unique"]["samples"] == [
        {"dataset": "workers_500k", "key_value": str(details["duplicate_worker_id"][0]["worker_id"]), "row_count": 2}]
    assert sorted((s["worker_id"], s["column_name"], s["value"]) for s in by_id["scores_in_range"]["samples"]) == sorted(
        (d["worker_id"], d["column"], d["value"]) for d in details["score_out_of_range"])
    [double] = details["double_booking"]
    [sample] = by_id["no_overlapping_shifts"]["samples"]
    assert sample["worker_id"] == double["worker_id"]
    assert {sample["first_event_id"].split("/")[0], sample["second_event_id"].split("/")[0]} == set(double["scenario_ids"])
    [away] = details["worker_out_of_state"]
    [sample] = by_id["worker_lives_in_site_state"]["samples"]
    assert (sample["scenario_id"], sample["worker_id"], sample["worker_state"], sample["site_state"]) == (
        away["scenario_id"], away["worker_id"], away["worker_state"], away["site_state"])
    [unknown] = details["unknown_worker"]
    [sample] = by_id["assigned_worker_exists"]["samples"]
    assert (sample["scenario_id"], sample["fill_id"], sample["worker_id"]) == (
        unknown["scenario_id"], unknown["fill_id"], unknown["worker_id"])
    [foreign] = details["foreign_job_order"]
    [sample] = by_id["job_order_belongs_to_client"]["samples"]
    assert (sample["scenario_id"], sample["job_order_id"], sample["order_client_id"], sample["problem"]) == (
        foreign["scenario_id"], foreign["job_order_id"], foreign["order_client_id"], "job order of another client")
    [over] = details["over_assigned"]
    assert by_id["assigned_within_count"]["samples"] == [
        {"scenario_id": over["scenario_id"], "fill_id": over["fill_id"], "slot_count": over["count"],
         "assigned_count": over["assigned"]}]
    [mismatch] = details["lesson_total_mismatch"]
    [sample] = by_id["lesson_totals_agree"]["samples"]
    assert (sample["lesson_id"], sample["events_total"], sample["derived_total"]) == (
        mismatch["lesson_id"], mismatch["events_total"], mismatch["slots"])


@pytest.fixture()
def documents(session, tmp_path):
    """Swap in edited copies of scenario or lesson files for one test: documents(kind, name, change)."""
    original = {kind: list(session.params[kind]) for kind in ("scenario_paths", "lesson_paths")}

    def edit(kind: str, source_name: str, change, new_name: str | None = None) -> None:
        source = next(Path(p) for p in original[kind] if Path(p).name == source_name)
        document = json.loads(source.read_text(encoding="utf-8"))
        change(document)
        target = tmp_path / (new_name or source_name)
        target.write_text(json.dumps(document), encoding="utf-8")
        kept = [p for p in session.params[kind] if Path(p).name != source_name or new_name]
        session.params[kind] = sorted(kept + [str(target)])

    yield edit
    session.params.update(original)


def test_lessons_name_known_scenarios_reports_a_lesson_about_a_missing_scenario(session, documents):
    assert check(session, "lessons_name_known_scenarios")["offending_rows"] == 0
    documents("lesson_paths", "LSN-0002.json", lambda d: d.update(scenario_id="SCN-999"))
    assert check(session, "lessons_name_known_scenarios")["offending_rows"] == 1
    assert offending(session, "lessons_name_known_scenarios") == [("LSN-0002", "SCN-999")]
    # the orphan is that check's finding, not also a totals disagreement
    assert check(session, "lesson_totals_agree")["offending_rows"] == 0


def test_lesson_totals_agree_counts_a_scenario_without_fill_lines_as_zero(session, documents):
    documents("scenario_paths", "SCN-001.json", lambda d: d.update(scenario_id="SCN-900", fills=[]), "SCN-900.json")
    documents("lesson_paths", "LSN-0001.json",
              lambda d: d.update(lesson_id="LSN-0900", scenario_id="SCN-900", events_total=0, events_ok=0), "LSN-0900.json")
    assert check(session, "lesson_totals_agree")["offending_rows"] == 0
    documents("lesson_paths", "LSN-0001.json",
              lambda d: d.update(lesson_id="LSN-0901", scenario_id="SCN-900", events_total=2, events_ok=1), "LSN-0901.json")
    assert check(session, "lesson_totals_agree")["offending_rows"] == 1
    assert offending(session, "lesson_totals_agree") == [("LSN-0901", "SCN-900", 2, 0, 1, 0)]


def test_lesson_totals_agree_reports_a_lesson_whose_ok_count_alone_is_wrong(session, documents):
    events = session.lake.con.execute(
        "select count(*), count(*) filter (where outcome = 'filled') from fill_events where scenario_id = 'SCN-001'").fetchone()
    assert events[0] > 0
    documents("lesson_paths", "LSN-0001.json",
              lambda d: d.update(lesson_id="LSN-0902", scenario_id="SCN-001", events_total=events[0], events_ok=events[1] + 1),
              "LSN-0902.json")
    assert check(session, "lesson_totals_agree")["offending_rows"] == 1
    assert offending(session, "lesson_totals_agree") == [
        ("LSN-0902", "SCN-001", events[0], events[0], events[1] + 1, events[1])]


def normalised(session, dataset):
    """The normalised layer's SQL for one dataset (it is computed on read, over raw_<dataset>)."""
    return normalised_sql(session.lake.manifest.dataset(dataset)).strip().rstrip(";")


def test_phones_are_strings_reports_an_unformatted_phone_marked_valid(session):
    assert check(session, "phones_are_strings")["offending_rows"] == 0
    override(session, "normalised_candidates",
             "select * replace (case when candidate_id in ('CAND-00001', 'CAND-00004') then '614-555-0142' else phone end as phone, "
             "case when candidate_id in ('CAND-00001', 'CAND-00004') then 'valid' "
             "when candidate_id = 'CAND-00006' then null else phone_status end as phone_status) "
             f"from ({normalised(session, 'candidates')})")
    assert check(session, "phones_are_strings")["offending_rows"] == 1
    assert offending(session, "phones_are_strings") == [
        ("candidates", "phone neither formatted nor flagged", 3, ["CAND-00001", "CAND-00004", "CAND-00006"])]


def test_phones_are_strings_reports_a_phone_column_left_bigint(session):
    relation = f"({normalised(session, 'new_candidates')})"
    phones = session.lake.con.execute(f"select count(phone) from {relation}").fetchone()[0]
    assert phones > 0
    override(session, "normalised_new_candidates",
             f"select * replace (regexp_replace(phone, '[^0-9]', '', 'g')::bigint as phone) from {relation}")
    assert check(session, "phones_are_strings")["offending_rows"] == 2
    assert sorted_rows(session, "phones_are_strings") == [
        ("new_candidates", "phone is BIGINT", 1, []),
        ("new_candidates", "phone neither formatted nor flagged", phones, [f"row {n}" for n in range(1, phones + 1)][:5]),
    ]


def every_phone_valid(session, name):
    return f"select * replace ('valid' as phone_status) from ({normalised(session, name)})"


def test_phones_valid_passes_without_invalid_numbers_and_reports_each_one(session):
    datasets = [dataset.name for dataset in session.lake.manifest.phone_datasets()]
    assert len(datasets) == 7 and "workers_500k" in datasets and "sparse_workers" in datasets
    for name in datasets:
        override(session, f"normalised_{name}", every_phone_valid(session, name))
    assert check(session, "phones_valid")["offending_rows"] == 0
    override(session, "normalised_candidates",
             "select * replace (case when candidate_id = 'CAND-00002' then null else phone end as phone, "
             "case when candidate_id = 'CAND-00002' then 'invalid' else 'valid' end as phone_status) "
             f"from ({normalised(session, 'candidates')})")
    # A BIGINT that lost its zero, restored by the fixup's own macros: kept in the string, never valid.
    override(session, "normalised_workers_500k",
             "select * replace (case when worker_id = 3 then normalize_phone(513555019::bigint, restore_leading_zero := true) "
             "else phone end as phone, "
             "case when worker_id in (3, 8) then phone_status(513555019::bigint, restore_leading_zero := true) "
             "else 'valid' end as phone_status) "
             f"from ({normalised(session, 'workers_500k')})")
    sparse = f"({normalised(session, 'sparse_workers')})"
    override(session, "normalised_sparse_workers",
             "select * exclude (position) replace (case when position = 2 then 'invalid' else 'valid' end as phone_status) "
             f"from (select *, row_number() over () as position from {sparse})")
    result = check(session, "phones_valid")
    assert result["offending_rows"] == 4
    assert sorted_rows(session, "phones_valid") == [
        ("candidates", "CAND-00002", "invalid"),
        ("sparse_workers", "row 2", "invalid"),
        ("workers_500k", "3", "invalid_area_code"),
        ("workers_500k", "8", "invalid_area_code"),
    ]
    assert session.lake.con.execute("select phone from normalised_workers_500k where worker_id = 3").fetchone()[0] == "(051) 355-5019"
    assert result["breakdown"] == [{"dataset": "workers_500k", "offending_rows": 2},
                                   {"dataset": "candidates", "offending_rows": 1},
                                   {"dataset": "sparse_workers", "offending_rows": 1}]
