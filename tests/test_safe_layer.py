"""The safe layer: masked joins, the key nowhere, the phone fixup, the analyst database."""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import duckdb
import pytest

from conftest import TEST_KEY, make_layout, quiet, run_cli
from staffing_sql.key import DEVELOPMENT_KEY
from staffing_sql.paths import Layout
from staffing_sql.pipeline import Lakehouse, build_layers, discard_layers
from staffing_sql.templates import render_string

EMAIL = re.compile(r"[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}")
PHONE = re.compile(r"(?<![0-9A-Za-z_])(\+?1[ .-]?)?(\(\d{3}\)|\d{3})[ .-]?\d{3}[ .-]?\d{4}(?![0-9A-Za-z_])")
SAFE_RELATIONS = {"workers_safe", "workers_100k_safe", "ethereal_workers_safe", "candidates_safe", "jobs_safe",
                  "client_roster_safe", "sparse_workers_safe", "new_candidates_safe", "scenarios_safe",
                  "scenario_fills_safe", "scenario_assignments_safe", "lessons_safe", "fill_events", "staffing_answers"}


def build_args(layout, *extra):
    return ("build", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir), *extra)


@pytest.fixture(scope="module")
def built(minimal_lakehouse, tmp_path_factory):
    layout = make_layout(tmp_path_factory.mktemp("built"))
    shutil.copytree(minimal_lakehouse.data_dir, layout.data_dir)
    raw_before = {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in layout.data_dir.rglob("*") if p.is_file()}
    result = run_cli(*build_args(layout))
    assert result.returncode == 0, result.stderr[-2000:]
    return layout, result, raw_before


@pytest.fixture(scope="module")
def analyst(built):
    layout, _, _ = built
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    yield con
    con.close()


def word_windows(text: str) -> set[str]:
    """Every run of 2 or 3 consecutive words, lower-cased: full names are such runs."""
    words = re.findall(r"[\w.'-]+", text.lower())
    return {" ".join(words[i:i + n]) for n in (2, 3) for i in range(len(words) - n + 1)}


def raw(layout, dataset):
    return f"read_parquet('{layout.data_dir / 'datasets' / (dataset + '.parquet')}')"


def test_analyst_database_exposes_exactly_the_safe_relations(analyst):
    tables = {name for (name,) in analyst.execute("show tables").fetchall()}
    assert tables == SAFE_RELATIONS | {"audit_results", "build_info"}


def test_every_relation_lists_source_dataset_and_counts_match_raw(built, analyst):
    layout, _, _ = built
    for relation, dataset in [("workers_safe", "workers_500k"), ("workers_100k_safe", "workers_100k"),
                              ("ethereal_workers_safe", "ethereal_workers"), ("client_roster_safe", "client_workersi"),
                              ("sparse_workers_safe", "sparse_workers"), ("new_candidates_safe", "new_candidates"),
                              ("candidates_safe", "candidates"), ("jobs_safe", "job_orders")]:
        safe_count, sources = analyst.execute(
            f"select count(*), list(distinct source_dataset) from {relation}").fetchone()
        raw_count = duckdb.connect().execute(f"select count(*) from {raw(layout, dataset)}").fetchone()[0]
        assert (safe_count, sources) == (raw_count, [dataset])


def test_tokens_join_across_files_for_the_same_person(analyst):
    joined = analyst.execute("""
        select count(*), count(*) filter (where w.email_token = r.email_token and w.name_token = r.name_token
                                          and w.phone_token is not distinct from r.phone_token)
        from client_roster_safe r join workers_safe w using (worker_id)
    """).fetchone()
    assert joined[0] >= 160 and joined[0] == joined[1]


def test_restored_leading_zero_phone_token_equals_the_roster_string_token(built, analyst):
    layout, _, _ = built
    con = duckdb.connect()
    nine_digit = con.execute(
        f"select w.worker_id from {raw(layout, 'workers_500k')} w join {raw(layout, 'client_workersi')} r using (worker_id) "
        "where length(w.phone::varchar) = 9").fetchall()
    assert nine_digit, "the small lakehouse must hold a roster worker whose BIGINT phone lost its zero"
    for (worker_id,) in nine_digit:
        tokens = analyst.execute(
            "select w.phone_token, r.phone_token, w.phone_valid from workers_safe w join client_roster_safe r using (worker_id) "
            "where worker_id = ?", [worker_id]).fetchall()
        assert tokens
        # Same token for the same number; a restored 0NN area code is never a valid NANP number (contract §5 D).
        assert all(a == b and a is not None and not valid for a, b, valid in tokens)


def test_no_contact_details_or_raw_names_in_any_text_of_the_analyst_database(built, analyst):
    layout, _, _ = built
    names = {n for (n,) in duckdb.connect().execute(
        f"select distinct lower(name) from {raw(layout, 'workers_500k')} "
        f"union select distinct lower(first_name || ' ' || last_name) from {raw(layout, 'candidates')}").fetchall()}
    for relation in SAFE_RELATIONS:
        columns = [c for c, t in analyst.execute(f"select column_name, column_type from (describe {relation})").fetchall()
                   if t.startswith("VARCHAR")]
        for column in columns:
            for (value,) in analyst.execute(f'select distinct "{column}"::varchar from {relation}').fetchall():
                if value is None:
                    continue
                assert not EMAIL.search(value), (relation, column)
                assert not PHONE.search(value), (relation, column)
                assert not re.search(r"\b\d{3}-\d{2}-\d{4}\b", value), (relation, column)
                assert not (word_windows(value) & names), (relation, column)


def test_the_key_appears_in_no_output_byte(built):
    layout, result, _ = built
    key = TEST_KEY.encode()
    outputs = [p for p in layout.out_dir.rglob("*") if p.is_file()]
    assert outputs
    for path in outputs:
        assert key not in path.read_bytes(), path
    assert TEST_KEY not in result.stderr and TEST_KEY not in result.stdout
    rendered = run_cli("render", "views/workers_safe.sql")
    assert rendered.returncode == 0 and "workers_safe" in rendered.stdout, rendered.stderr
    assert TEST_KEY not in rendered.stdout and "getvariable('pii_key')" not in rendered.stdout


def test_a_different_key_gives_different_tokens(built, tmp_path):
    layout, _, _ = built
    other = make_layout(tmp_path)
    shutil.copytree(layout.data_dir, other.data_dir)
    assert run_cli(*build_args(other), env={"STAFFING_SQL_KEY": "another-key"}).returncode == 0
    first = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True).execute(
        "select email_token from workers_safe order by worker_id limit 50").fetchall()
    second = duckdb.connect(str(other.out_dir / "analyst.duckdb"), read_only=True).execute(
        "select email_token from workers_safe order by worker_id limit 50").fetchall()
    assert all(a != b for a, b in zip(first, second))


def test_raw_files_are_byte_for_byte_unchanged_by_build(built):
    layout, _, raw_before = built
    assert raw_before == {p: hashlib.sha256(p.read_bytes()).hexdigest() for p in layout.data_dir.rglob("*") if p.is_file()}


@pytest.fixture(scope="module")
def normalised_out(built, tmp_path_factory):
    """Decision D materialised by normalize-phones into a folder outside the output folder."""
    layout, _, _ = built
    out = tmp_path_factory.mktemp("downstream") / "normalised"
    result = run_cli("normalize-phones", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir),
                     "--out", str(out))
    assert result.returncode == 0, result.stderr[-2000:]
    return layout, out


def test_phone_fixup_records_inputs_outputs_and_is_idempotent(normalised_out):
    layout, out = normalised_out
    record = json.loads((out / "BUILD.json").read_text())
    assert len(record["inputs"]) == len(record["outputs"]) == 7
    for entry in record["inputs"]:
        assert entry["sha256"] == hashlib.sha256((layout.data_dir / entry["path"]).read_bytes()).hexdigest()
    for entry in record["outputs"]:
        assert entry["sha256"] == hashlib.sha256((out / entry["path"]).read_bytes()).hexdigest()
    before = {e["path"]: e["sha256"] for e in record["outputs"]}
    args = ("normalize-phones", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir), "--out", str(out))
    again = run_cli(*args)
    assert again.returncode == 0 and "already up to date" in again.stderr
    shutil.rmtree(out)
    rebuilt = run_cli(*args)
    assert rebuilt.returncode == 0 and "written" in rebuilt.stderr
    after = json.loads((out / "BUILD.json").read_text())
    assert {e["path"]: e["sha256"] for e in after["outputs"]} == before


def test_normalised_workers_phone_is_a_formatted_string_or_flagged(normalised_out):
    _, out = normalised_out
    rows = duckdb.connect().execute(
        f"select phone_status, count(*), count(phone) from read_parquet('{out / 'workers_500k.parquet'}') "
        "group by all order by 1").fetchall()
    by_status = {status: (n, with_phone) for status, n, with_phone in rows}
    assert set(by_status) <= {"valid", "invalid_area_code", "invalid"}
    # restored 9-digit integers keep their zero in the string and are flagged (contract §5 D)
    assert by_status["invalid_area_code"][0] > 0 and by_status["invalid_area_code"][0] == by_status["invalid_area_code"][1]
    assert by_status["invalid"][1] == 0  # flagged, never guessed


def test_rebuild_is_byte_identical(built, tmp_path):
    layout, _, _ = built
    other = make_layout(tmp_path)
    shutil.copytree(layout.data_dir, other.data_dir)
    assert run_cli(*build_args(other)).returncode == 0
    for folder in ("safe", "derived"):
        outputs = sorted((layout.out_dir / folder).glob("*.parquet"))
        assert outputs, folder
        assert sorted(path.name for path in outputs) == sorted(path.name for path in (other.out_dir / folder).glob("*.parquet"))
        for path in outputs:
            assert path.read_bytes() == (other.out_dir / folder / path.name).read_bytes(), path


def test_the_shell_and_python_open_the_analyst_database(built):
    layout, _, _ = built
    shell = Path(sys.executable).parent / "duckdb"
    result = subprocess.run([str(shell), "-readonly", str(layout.out_dir / "analyst.duckdb"), "-csv", "-c",
                             "select count(*) from (select * from workers_safe limit 5);"],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "5"


def test_development_key_warns_loudly(built, tmp_path):
    layout, _, _ = built
    other = make_layout(tmp_path)
    shutil.copytree(layout.data_dir, other.data_dir)
    env = {k: v for k, v in os.environ.items() if not k.startswith("STAFFING_SQL_KEY")}
    result = subprocess.run([sys.executable, "-m", "staffing_sql", *build_args(other)],
                            capture_output=True, text=True, env=env, timeout=300)
    assert result.returncode == 0
    assert "DEVELOPMENT key" in result.stderr
    assert DEVELOPMENT_KEY not in result.stderr


def test_build_after_an_audit_keeps_the_audit_history(minimal_lakehouse, tmp_path):
    layout = make_layout(tmp_path)
    shutil.copytree(minimal_lakehouse.data_dir, layout.data_dir)
    common = ("--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir), "--reports-dir", str(layout.reports_dir))
    assert run_cli("audit", *common).returncode == 1
    assert run_cli("build", *common[:4]).returncode == 0
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    assert con.execute("select count(distinct run_id) from audit_results").fetchone()[0] == 1


def test_a_sibling_reusing_workers_safe_equals_masking_every_row_itself(minimal_lakehouse, tmp_path):
    """sibling_workers_safe takes workers_safe's values for rows identical to their canonical row and masks the
    rest (a drifted row): the relation must be what masked_workers gives for every row, row for row, in file order."""
    layout = make_layout(tmp_path)
    shutil.copytree(minimal_lakehouse.data_dir, layout.data_dir)
    siblings = layout.data_dir / "datasets" / "workers_100k.parquet"
    drifted = tmp_path / "drifted.parquet"
    # Every third row drifts: its communications name the worker and give an email and a phone.
    duckdb.connect().execute(
        f"copy (select * replace (case when worker_id % 3 = 0 then communications || ' | call ' || name || "
        f"' at ' || email || ' or 614-555-0142' else communications end as communications) "
        f"from read_parquet('{siblings}')) to '{drifted}' (format parquet)")
    os.replace(drifted, siblings)
    lake = Lakehouse.open(layout, TEST_KEY)
    layers = {}
    try:
        layers = build_layers(lake, quiet)
        relation = layers["safe"].outputs["workers_100k_safe"]
        reused_and_masked = lake.con.execute(f"select * from read_parquet('{relation}')").fetchall()
        masked_here = lake.con.execute(render_string(
            "with workers as (select *, row_number() over () as file_row from normalised_workers_100k), "
            "masked as ({{ masked_workers('workers_100k', 'workers') }}) "
            "select * exclude (file_row) from masked order by file_row")).fetchall()
        drifted_rows = lake.con.execute("select count(*) from normalised_workers_100k where worker_id % 3 = 0").fetchone()[0]
    finally:
        discard_layers(layers)
        lake.close()
    assert drifted_rows > 0 and len(masked_here) > drifted_rows
    assert reused_and_masked == masked_here


def test_roster_name_keys_is_built_only_when_the_safe_layer_is(built):
    """roster_name_keys (the roster-name gate, half of a warm audit's work at scale 0.1) serves only the safe
    models: a run whose safe layer is up to date does not build it; a run that rebuilds the layer does."""
    layout, _, _ = built
    uses = {}
    for run, out_dir in (("fresh", layout.out_dir), ("cold", layout.out_dir.parent / "cold-out")):
        lake = Lakehouse.open(Layout(layout.data_dir, out_dir, layout.reports_dir), TEST_KEY)
        layers = {}
        try:
            layers = build_layers(lake, quiet)
            uses[run] = (layers["safe"].rebuilt, lake.con.execute(
                "select count(*) from duckdb_tables() where temporary and table_name = 'roster_name_keys'").fetchone()[0])
        finally:
            discard_layers(layers)
            lake.close()
    assert uses == {"fresh": (False, 0), "cold": (True, 1)}
