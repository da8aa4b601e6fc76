"""The audit: known answers, a clean pass, the hashed ledger, reports, per-check fixtures."""

from __future__ import annotations

import hashlib
import json
import re
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path

import duckdb
import pytest

from conftest import SEED, TEST_KEY, make_layout, quiet, run_cli
from staffing_sql.audit import AuditSession, compare_known_answers
from staffing_sql.generator import generate_lakehouse
from staffing_sql.pipeline import Lakehouse, normalised_sql, phone_datasets, publish_layers, register_relations
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
def planted(small_lakehouse, tmp_path_factory):
    """One audit of the planted small lakehouse, through the CLI, with every output."""
    layout = copy_lakehouse(small_lakehouse, tmp_path_factory.mktemp("planted"))
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


def test_without_known_answers_a_blocking_failure_exits_1(small_lakehouse, tmp_path):
    layout = copy_lakehouse(small_lakehouse, tmp_path)
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


def test_changing_one_byte_of_an_input_changes_only_its_recorded_hash(small_lakehouse, tmp_path):
    layout = copy_lakehouse(small_lakehouse, tmp_path)
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


def test_analyst_database_holds_every_run_in_audit_results(small_lakehouse, tmp_path):
    layout = copy_lakehouse(small_lakehouse, tmp_path)
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
    lake = Lakehouse(layout, TEST_KEY)
    session = AuditSession(lake)
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


def test_enum_domains_reports_an_undocumented_status(session):
    override(session, "raw_candidates",
             "select * replace (case when candidate_id = 'CAND-00002' then 'ghosted' else status end as status) "
             f"from read_parquet('{session.lake.raw['candidates'].path}')")
    assert check(session, "enum_domains")["offending_rows"] == 1
    assert offending(session, "enum_domains") == [("candidates", "status", "ghosted", 1)]


def test_id_formats_reports_a_malformed_job_order_id(session):
    override(session, "raw_job_orders",
             "select * replace (case when job_order_id = 'JO-000007' then 'JO-7' else job_order_id end as job_order_id) "
             f"from read_parquet('{session.lake.raw['job_orders'].path}')")
    assert check(session, "id_formats")["offending_rows"] == 1
    assert offending(session, "id_formats") == [("job_orders", "job_order_id", "JO-7", 1)]


def test_ids_present_reports_a_null_key(session):
    override(session, "raw_candidates",
             "select * replace (case when candidate_id = 'CAND-00003' then null else candidate_id end as candidate_id) "
             f"from read_parquet('{session.lake.raw['candidates'].path}')")
    assert check(session, "ids_present")["offending_rows"] == 1
    assert offending(session, "ids_present") == [("candidates", "candidate_id", 1)]


def test_siblings_match_canonical_reports_a_drifted_sibling_row(session):
    override(session, "normalised_workers_100k",
             f"select * replace (case when worker_id = 10 then 0.5 else reliability end as reliability) "
             f"from ({normalised(session, 'workers_100k')})")
    assert check(session, "siblings_match_canonical")["offending_rows"] == 1
    assert offending(session, "siblings_match_canonical") == [("workers_100k", 10)]


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


def test_fill_ledger_complete_reports_a_missing_slot(session):
    path = session.lake.layer_dir("derived") / "fill_events.parquet"
    override(session, "fill_events", f"select * from read_parquet('{path}') where event_id <> 'SCN-001/F1/1'")
    assert check(session, "fill_ledger_complete")["offending_rows"] == 1
    assert offending(session, "fill_ledger_complete") == [("SCN-001", "F1", "slot rows differ from count")]


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
    try:
        assert check(session, "raw_files_unchanged")["offending_rows"] == 1
        assert offending(session, "raw_files_unchanged")[0][0] == "scenarios/SCN-001.json"
    finally:
        del session.params["end_hashes"]


def test_schema_check_reports_drift_against_another_manifest(session, tmp_path):
    from staffing_sql.manifest import parse_manifest
    from staffing_sql.paths import MANIFEST_PATH
    text = MANIFEST_PATH.read_text().replace(
        '{ name = "years_experience", type = "INTEGER"', '{ name = "years_experience", type = "BIGINT"')
    (tmp_path / "manifest.toml").write_text(text)
    drifted = parse_manifest(tmp_path / "manifest.toml")
    assert check(session, "schema_matches_manifest", manifest=drifted)["offending_rows"] == 1
    assert offending(session, "schema_matches_manifest") == [("candidates", "years_experience", "BIGINT", "INTEGER", "type differs")]


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


def normalised(session, dataset):
    """The normalised layer's SQL for one dataset (it is computed on read, over raw_<dataset>)."""
    return normalised_sql(session.lake.manifest.dataset(dataset)).strip().rstrip(";")


def test_phones_are_strings_reports_an_unformatted_phone_marked_valid(session):
    assert check(session, "phones_are_strings")["offending_rows"] == 0
    override(session, "normalised_candidates",
             "select * replace (case when candidate_id = 'CAND-00001' then '614-555-0142' else phone end as phone, "
             "case when candidate_id = 'CAND-00001' then 'valid' else phone_status end as phone_status) "
             f"from ({normalised(session, 'candidates')})")
    assert check(session, "phones_are_strings")["offending_rows"] == 1
    assert offending(session, "phones_are_strings") == [("candidates", "phone neither formatted nor flagged", 1)]


def test_phones_valid_passes_without_invalid_numbers_and_reports_each_one(session):
    datasets = [dataset.name for dataset in phone_datasets(session.lake.manifest)]
    assert len(datasets) == 7
    for name in datasets:
        override(session, f"normalised_{name}",
                 f"select * from ({normalised(session, name)}) where phone_status <> 'invalid'")
    assert check(session, "phones_valid")["offending_rows"] == 0
    override(session, "normalised_candidates",
             "select * replace (case when candidate_id = 'CAND-00002' then null else phone end as phone, "
             "case when candidate_id = 'CAND-00002' then 'invalid' else phone_status end as phone_status) "
             f"from ({normalised(session, 'candidates')}) where phone_status <> 'invalid'")
    assert check(session, "phones_valid")["offending_rows"] == 1
    assert offending(session, "phones_valid") == [("candidates", "CAND-00002", "invalid")]
