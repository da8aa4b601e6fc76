"""The synthetic generator: sizes, types, determinism, planted problems, defects, shapes, bad input.

Every expectation is read from the contract (spec §3-4) or manifest.toml and
checked against the files the generator wrote, never against its own parameters.
"""

from __future__ import annotations

import collections
import hashlib
import json
import os
import re
import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path

import duckdb
import pytest

import staffing_sql
from conftest import SEED, SMALL_SCALE, build_lakehouse, run_cli, run_with_read_only
from staffing_sql.generator import MIN_SCALE, Sizes
from staffing_sql.manifest import load_manifest

RAW_FOLDERS = ("datasets", "scenarios", "_playbook_lessons")
SCORES = ("reliability", "responsiveness", "engagement", "compliance", "availability")
WORKER_FILES = ("workers_500k", "workers_100k", "ethereal_workers", "client_workersi", "client_workerskjkk")
PLANTED_KINDS = {
    "duplicate_worker_id": 1,
    "score_out_of_range": 3,
    "double_booking": 1,
    "worker_out_of_state": 1,
    "unknown_worker": 1,
    "foreign_job_order": 1,
    "over_assigned": 1,
    "lesson_total_mismatch": 1,
}
# The contract's sizes at scale 0.02 (and the fixed ones).
COUNTS_AT_002 = {
    "workers_500k": 10000,
    "workers_100k": 2000,
    "ethereal_workers": 200,
    "client_workersi": 160,
    "client_workerskjkk": 160,
    "sparse_workers": 200,
    "new_candidates": 3,
    "candidates": 20,
    "job_orders": 300,
}
# A scale whose rounded sizes do not divide evenly (500000 * s = 6174, 100000 * s = 1234.8).
UNEVEN_SCALE = 0.012348

UTC_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
LOCAL_STAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
US_PHONE = re.compile(r"^\(\d{3}\) \d{3}-\d{4}$")

MANIFEST = load_manifest()


# --------------------------------------------------------------------------- helpers


def parquet(data_dir: Path, dataset: str) -> str:
    """SQL text reading one dataset's parquet file (tmp paths hold no quotes)."""
    path = data_dir / "datasets" / MANIFEST.dataset(dataset).file
    assert "'" not in str(path)
    return f"read_parquet('{path}')"


def query(sql: str, params=None) -> list[tuple]:
    con = duckdb.connect()
    try:
        return con.execute(sql, params).fetchall()
    finally:
        con.close()


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def raw_hashes(data_dir: Path) -> dict[str, str]:
    """sha256 of every file under the raw folders, by path relative to data_dir."""
    found = {}
    for folder in RAW_FOLDERS:
        for path in sorted((data_dir / folder).rglob("*")):
            if path.is_file():
                found[path.relative_to(data_dir).as_posix()] = sha256(path)
    return found


def tree_hashes(root: Path) -> dict[str, str]:
    return {p.relative_to(root).as_posix(): sha256(p) for p in sorted(root.rglob("*")) if p.is_file()}


def load_documents(folder: Path) -> dict[str, dict]:
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.json"))}


def expected_rows(dataset, scale: float) -> int:
    return round(dataset.rows_at_scale_1 * scale) if dataset.scales else dataset.rows_at_scale_1


def planted_of(record: dict, kind: str) -> list[dict]:
    return [entry["detail"] for entry in record["planted"] if entry["kind"] == kind]


def assigned_entries(scenarios: dict[str, dict]):
    """(scenario, fill, position, entry) for every assigned entry of every scenario."""
    for scenario in scenarios.values():
        for fill in scenario["fills"]:
            for position, entry in enumerate(fill["assigned"], start=1):
                yield scenario, fill, position, entry


def staging_leftovers(data_dir: Path) -> list[str]:
    return sorted(p.name for p in data_dir.iterdir() if p.name.startswith((".generate-", ".retired-")))


# --------------------------------------------------------------------------- fixtures


@pytest.fixture(scope="module")
def data_dir(small_lakehouse) -> Path:
    return small_lakehouse.data_dir


@pytest.fixture(scope="module")
def record(data_dir) -> dict:
    return json.loads((data_dir / "GENERATED.json").read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def scenarios(data_dir) -> dict[str, dict]:
    """Scenario documents by scenario_id."""
    return {doc["scenario_id"]: doc for doc in load_documents(data_dir / "scenarios").values()}


@pytest.fixture(scope="module")
def lessons(data_dir) -> dict[str, dict]:
    """Lesson documents by lesson_id."""
    return {doc["lesson_id"]: doc for doc in load_documents(data_dir / "_playbook_lessons").values()}


@pytest.fixture(scope="module")
def ethereal(data_dir) -> dict[int, tuple]:
    rows = query(f"select worker_id, name, state from {parquet(data_dir, 'ethereal_workers')}")
    return {row[0]: row for row in rows}


@pytest.fixture(scope="module")
def job_orders(data_dir) -> dict[str, tuple]:
    rows = query(f"select job_order_id, client_id, title from {parquet(data_dir, 'job_orders')}")
    return {row[0]: row for row in rows}


@pytest.fixture(scope="module")
def twin_lakehouse(tmp_path_factory):
    """A second generation with the same seed and scale as small_lakehouse."""
    return build_lakehouse(tmp_path_factory.mktemp("twin"), seed=SEED, scale=SMALL_SCALE)


@pytest.fixture(scope="module")
def other_seed_lakehouse(tmp_path_factory):
    return build_lakehouse(tmp_path_factory.mktemp("seed43"), seed=SEED + 1, scale=SMALL_SCALE)


@pytest.fixture(scope="module")
def min_scale_lakehouse(tmp_path_factory):
    return build_lakehouse(tmp_path_factory.mktemp("minscale"), seed=SEED, scale=MIN_SCALE)


# --------------------------------------------------------------------------- 1. sizes and types


def test_sizes_at_scale_1_are_the_contract_table():
    sizes = Sizes.at(1)
    assert (sizes.workers, sizes.workers_100k, sizes.ethereal, sizes.candidates, sizes.job_orders) == (
        500000,
        100000,
        10000,
        1000,
        15000,
    )


def test_sizes_at_default_test_scale():
    sizes = Sizes.at(0.02)
    assert (sizes.workers, sizes.workers_100k, sizes.ethereal, sizes.candidates, sizes.job_orders) == (
        10000,
        2000,
        200,
        20,
        300,
    )


@pytest.mark.parametrize("dataset", [d.name for d in MANIFEST.datasets])
def test_columns_and_types_equal_manifest(data_dir, dataset):
    declared = MANIFEST.dataset(dataset)
    described = query(f"describe select * from {parquet(data_dir, dataset)}")
    actual = [(row[0], row[1]) for row in described]
    assert actual == [(column.name, column.type) for column in declared.columns]


@pytest.mark.parametrize("dataset", [d.name for d in MANIFEST.datasets])
def test_row_counts_equal_manifest(data_dir, dataset):
    declared = MANIFEST.dataset(dataset)
    (count,) = query(f"select count(*) from {parquet(data_dir, dataset)}")[0]
    assert count == expected_rows(declared, SMALL_SCALE)


def test_manifest_same_columns_as_inherit_columns():
    assert MANIFEST.dataset("workers_100k").columns == MANIFEST.dataset("workers_500k").columns
    assert MANIFEST.dataset("ethereal_workers").columns == MANIFEST.dataset("workers_500k").columns
    assert MANIFEST.dataset("client_workerskjkk").columns == MANIFEST.dataset("client_workersi").columns


def test_row_counts_at_scale_002_are_the_contract_numbers(data_dir, record):
    actual = {
        name: query(f"select count(*) from {parquet(data_dir, name)}")[0][0] for name in COUNTS_AT_002
    }
    assert actual == COUNTS_AT_002
    assert record["row_counts"] == COUNTS_AT_002
    # Exactly the nine manifest files, nothing else, in datasets/.
    assert sorted(p.name for p in (data_dir / "datasets").iterdir()) == sorted(MANIFEST.files)


def test_document_file_counts_and_names(data_dir):
    scenario_doc = MANIFEST.document("scenarios")
    lesson_doc = MANIFEST.document("lessons")
    scenario_files = sorted(p.name for p in (data_dir / "scenarios").iterdir())
    lesson_files = sorted(p.name for p in (data_dir / "_playbook_lessons").iterdir())
    assert len(scenario_files) == scenario_doc.files_at_scale_1 == 44
    assert len(lesson_files) == lesson_doc.files_at_scale_1 == 64
    assert scenario_files == [f"SCN-{i:03d}.json" for i in range(1, 45)]
    assert lesson_files == [f"LSN-{i:04d}.json" for i in range(1, 65)]


def test_row_counts_at_min_scale(min_scale_lakehouse):
    data = min_scale_lakehouse.data_dir
    for dataset in MANIFEST.datasets:
        (count,) = query(f"select count(*) from {parquet(data, dataset.name)}")[0]
        assert count == expected_rows(dataset, MIN_SCALE), dataset.name
    assert len(list((data / "scenarios").glob("SCN-*.json"))) == 44
    assert len(list((data / "_playbook_lessons").glob("LSN-*.json"))) == 64


def test_row_counts_at_an_uneven_scale(tmp_path):
    """round(rows_at_scale_1 * scale) must hold at any accepted scale, not only round ones."""
    data = build_lakehouse(tmp_path, scale=UNEVEN_SCALE).data_dir
    expected = {d.name: expected_rows(d, UNEVEN_SCALE) for d in MANIFEST.datasets}
    actual = {d.name: query(f"select count(*) from {parquet(data, d.name)}")[0][0] for d in MANIFEST.datasets}
    assert actual == expected


def test_worker_ids_sequential_from_1_except_the_planted_duplicate(data_dir, record):
    ids = [row[0] for row in query(f"select worker_id from {parquet(data_dir, 'workers_500k')} order by worker_id")]
    n = len(ids)
    (duplicate,) = planted_of(record, "duplicate_worker_id")
    counts = collections.Counter(ids)
    missing = set(range(1, n + 1)) - set(ids)
    assert ids[0] == 1 and ids[-1] <= n
    assert [i for i, c in counts.items() if c > 1] == [duplicate["worker_id"]]
    assert len(missing) == 1  # the row that took the duplicate id lost its own


@pytest.mark.parametrize(
    "dataset,column",
    [(d.name, c.name) for d in MANIFEST.datasets for c in d.columns if c.pattern],
)
def test_patterned_columns_match_in_full(data_dir, dataset, column):
    pattern = MANIFEST.dataset(dataset).column(column).pattern
    rows = query(
        f"select count(*), count(*) filter (where not regexp_full_match({column}, $p)) from {parquet(data_dir, dataset)}",
        {"p": pattern.lstrip("^").rstrip("$")},
    )
    total, bad = rows[0]
    assert total > 0 and bad == 0


# --------------------------------------------------------------------------- 2. determinism


def test_same_seed_same_scale_gives_identical_bytes(small_lakehouse, twin_lakehouse):
    first = raw_hashes(small_lakehouse.data_dir)
    second = raw_hashes(twin_lakehouse.data_dir)
    assert len(first) == 9 + 44 + 64
    assert first == second
    assert (small_lakehouse.data_dir / "GENERATED.json").read_bytes() == (
        twin_lakehouse.data_dir / "GENERATED.json"
    ).read_bytes()


def test_different_seed_gives_different_files(small_lakehouse, other_seed_lakehouse):
    first = raw_hashes(small_lakehouse.data_dir)
    second = raw_hashes(other_seed_lakehouse.data_dir)
    assert first.keys() == second.keys()
    for name in MANIFEST.files:
        assert first[f"datasets/{name}"] != second[f"datasets/{name}"], name
    differing_scenarios = [k for k in first if k.startswith("scenarios/") and first[k] != second[k]]
    assert len(differing_scenarios) >= 40
    other = json.loads((other_seed_lakehouse.data_dir / "GENERATED.json").read_text())
    assert other["seed"] == SEED + 1


# --------------------------------------------------------------------------- 3. planted problems and the record


def test_generated_record_metadata(record):
    assert record["seed"] == SEED
    assert record["scale"] == SMALL_SCALE
    assert record["tool_version"] == staffing_sql.__version__
    assert record["duckdb_version"] == duckdb.__version__


def test_generated_record_files_match_hashlib_and_stat(data_dir, record):
    listed = {entry["path"]: entry for entry in record["files"]}
    on_disk = raw_hashes(data_dir)
    assert set(listed) == set(on_disk)
    for path, entry in listed.items():
        assert entry["sha256"] == on_disk[path], path
        assert entry["bytes"] == os.stat(data_dir / path).st_size, path


def test_every_planted_kind_is_listed(record):
    kinds = collections.Counter(entry["kind"] for entry in record["planted"])
    assert dict(kinds) == PLANTED_KINDS


def test_planted_duplicate_worker_id(data_dir, record):
    (detail,) = planted_of(record, "duplicate_worker_id")
    rows = query(
        f"select name, email from {parquet(data_dir, 'workers_500k')} where worker_id = $id",
        {"id": detail["worker_id"]},
    )
    assert len(rows) == detail["rows"] == 2
    assert rows[0] != rows[1]  # two different people share one id
    dupes = query(
        f"select worker_id from {parquet(data_dir, 'workers_500k')} group by worker_id having count(*) > 1"
    )
    assert dupes == [(detail["worker_id"],)]
    for sibling in ("workers_100k", "ethereal_workers", "client_workersi"):
        (total, distinct) = query(f"select count(*), count(distinct worker_id) from {parquet(data_dir, sibling)}")[0]
        assert total == distinct, sibling


def test_planted_scores_out_of_range(data_dir, record):
    details = planted_of(record, "score_out_of_range")
    assert len(details) == 3
    for detail in details:
        assert detail["column"] in SCORES
        (value,) = query(
            f"select {detail['column']} from {parquet(data_dir, 'workers_500k')} where worker_id = $id",
            {"id": detail["worker_id"]},
        )[0]
        assert value == pytest.approx(detail["value"])
        assert not 0 <= value <= 1
    outside = query(
        f"select count(*) from {parquet(data_dir, 'workers_500k')} where "
        + " or ".join(f"{s} not between 0 and 1" for s in SCORES)
    )[0][0]
    assert outside == 3


def test_planted_double_booking(record, scenarios):
    (detail,) = planted_of(record, "double_booking")
    worker = detail["worker_id"]
    first_id, second_id = detail["scenario_ids"]
    assert first_id != second_id
    shifts = []
    for scenario_id, fill_id in zip(detail["scenario_ids"], detail["fill_ids"]):
        (fill,) = [f for f in scenarios[scenario_id]["fills"] if f["fill_id"] == fill_id]
        assert worker in [a["worker_id"] for a in fill["assigned"]]
        shifts.append((datetime.fromisoformat(fill["shift_start"]), datetime.fromisoformat(fill["shift_end"])))
    (start_a, end_a), (start_b, end_b) = shifts
    assert start_a < end_b and start_b < end_a
    assert scenarios[first_id]["plan_date"] == scenarios[second_id]["plan_date"]

    # Independently: it is the only overlapping pair of shifts of one worker anywhere.
    placed = collections.defaultdict(list)
    for scenario, fill, _position, entry in assigned_entries(scenarios):
        placed[entry["worker_id"]].append(
            (scenario["scenario_id"], fill["fill_id"],
             datetime.fromisoformat(fill["shift_start"]), datetime.fromisoformat(fill["shift_end"]))
        )
    overlaps = []
    for worker_id, shifts_of in placed.items():
        shifts_of.sort()
        for i, a in enumerate(shifts_of):
            for b in shifts_of[i + 1:]:
                if a[2] < b[3] and b[2] < a[3]:
                    overlaps.append((worker_id, [a[0], b[0]], [a[1], b[1]]))
    assert overlaps == [(worker, detail["scenario_ids"], detail["fill_ids"])]


def test_planted_worker_out_of_state(record, scenarios, ethereal):
    (detail,) = planted_of(record, "worker_out_of_state")
    scenario = scenarios[detail["scenario_id"]]
    (fill,) = [f for f in scenario["fills"] if f["fill_id"] == detail["fill_id"]]
    assert detail["worker_id"] in [a["worker_id"] for a in fill["assigned"][: fill["count"]]]
    worker_state = ethereal[detail["worker_id"]][2]
    assert worker_state == detail["worker_state"]
    assert scenario["site"]["state"] == detail["site_state"]
    assert worker_state != scenario["site"]["state"]


def test_planted_unknown_worker(data_dir, record, scenarios):
    (detail,) = planted_of(record, "unknown_worker")
    (fill,) = [f for f in scenarios[detail["scenario_id"]]["fills"] if f["fill_id"] == detail["fill_id"]]
    assert detail["worker_id"] in [a["worker_id"] for a in fill["assigned"]]
    for dataset in WORKER_FILES:
        hits = query(
            f"select count(*) from {parquet(data_dir, dataset)} where worker_id = $id", {"id": detail["worker_id"]}
        )[0][0]
        assert hits == 0, dataset


def test_planted_foreign_job_order(record, scenarios, job_orders):
    (detail,) = planted_of(record, "foreign_job_order")
    scenario = scenarios[detail["scenario_id"]]
    (fill,) = [f for f in scenario["fills"] if f["fill_id"] == detail["fill_id"]]
    assert fill["job_order_id"] == detail["job_order_id"]
    order = job_orders[fill["job_order_id"]]
    assert order[1] == detail["order_client_id"]
    assert scenario["client_id"] == detail["scenario_client_id"]
    assert order[1] != scenario["client_id"]


def test_planted_over_assigned(record, scenarios):
    (detail,) = planted_of(record, "over_assigned")
    (fill,) = [f for f in scenarios[detail["scenario_id"]]["fills"] if f["fill_id"] == detail["fill_id"]]
    assert fill["count"] == detail["count"]
    assert len(fill["assigned"]) == fill["count"] + 1 == detail["assigned"]
    assert len({a["worker_id"] for a in fill["assigned"]}) == len(fill["assigned"])


def test_planted_lesson_total_mismatch(record, scenarios, lessons):
    (detail,) = planted_of(record, "lesson_total_mismatch")
    lesson = lessons[detail["lesson_id"]]
    assert lesson["scenario_id"] == detail["scenario_id"]
    slots = sum(fill["count"] for fill in scenarios[lesson["scenario_id"]]["fills"])
    assert detail["slots"] == slots
    assert lesson["events_total"] == detail["events_total"]
    assert lesson["events_total"] != slots


def test_every_planted_kind_present_at_min_scale(min_scale_lakehouse):
    data = min_scale_lakehouse.data_dir
    record = json.loads((data / "GENERATED.json").read_text())
    kinds = collections.Counter(entry["kind"] for entry in record["planted"])
    assert dict(kinds) == PLANTED_KINDS
    (unknown,) = planted_of(record, "unknown_worker")
    assert query(
        f"select count(*) from {parquet(data, 'workers_500k')} where worker_id = $id", {"id": unknown["worker_id"]}
    )[0][0] == 0
    (over,) = planted_of(record, "over_assigned")
    scenario = json.loads((data / "scenarios" / f"{over['scenario_id']}.json").read_text())
    (fill,) = [f for f in scenario["fills"] if f["fill_id"] == over["fill_id"]]
    assert len(fill["assigned"]) == fill["count"] + 1


# --------------------------------------------------------------------------- 4. contract defects


def test_worker_phone_is_bigint_and_some_lost_the_leading_zero(data_dir):
    (phone_type,) = [row[1] for row in query(f"describe select phone from {parquet(data_dir, 'workers_500k')}")]
    assert phone_type == "BIGINT"
    lengths = dict(
        query(f"select length(phone::varchar), count(*) from {parquet(data_dir, 'workers_500k')} group by all")
    )
    total = sum(lengths.values())
    assert lengths.get(10, 0) > 0.9 * total
    assert 0 < lengths.get(9, 0) < 0.1 * total


def test_typo_copy_has_the_same_rows_and_bytes(data_dir):
    roster = parquet(data_dir, "client_workersi")
    typo = parquet(data_dir, "client_workerskjkk")
    assert query(f"select count(*) from (select * from {roster} except all select * from {typo})")[0][0] == 0
    assert query(f"select count(*) from (select * from {typo} except all select * from {roster})")[0][0] == 0
    assert query(f"select count(*) from {typo}")[0][0] == 160
    assert sha256(data_dir / "datasets" / "client_workersi.parquet") == sha256(
        data_dir / "datasets" / "client_workerskjkk.parquet"
    )


def test_roster_phone_is_formatted_text_of_the_canonical_number(data_dir):
    rows = query(
        f"""
        select roster.phone, canonical.phone, roster.name = canonical.name and roster.state = canonical.state
        from {parquet(data_dir, 'client_workersi')} as roster
        left join {parquet(data_dir, 'workers_500k')} as canonical using (worker_id)
        """
    )
    assert len(rows) == 160
    for formatted, number, same_person in rows:
        assert US_PHONE.match(formatted), formatted
        assert number is not None and same_person
        assert re.sub(r"\D", "", formatted) == str(number).rjust(10, "0")


def test_lessons_name_assigned_workers_in_any_case(scenarios, lessons):
    exact, other_case = 0, 0
    for lesson in lessons.values():
        if lesson["scenario_id"] is None:
            continue
        names = {a["name"] for f in scenarios[lesson["scenario_id"]]["fills"] for a in f["assigned"]}
        if any(name in lesson["lesson"] for name in names):
            exact += 1
        elif any(name.lower() in lesson["lesson"].lower() for name in names):
            other_case += 1
    assert exact >= 5
    assert other_case >= 5


def test_scenario_notes_name_assigned_workers(scenarios):
    naming = [
        s for s in scenarios.values() if any(a["name"] in s["notes"] for f in s["fills"] for a in f["assigned"])
    ]
    assert len(naming) >= 5
    assert len(naming) < len(scenarios)


def test_free_text_carries_contact_details(data_dir):
    row = query(
        f"""
        select
            count(*) filter (where contains(resume_text, email)),
            count(*) filter (where regexp_matches(resume_text, '\\(\\d{{3}}\\) \\d{{3}}-\\d{{4}}')),
            count(*) filter (where contains(communications, email)),
            count(*) filter (where regexp_matches(communications, '\\d{{3}}-\\d{{3}}-\\d{{3,4}}')),
            count(*) filter (where contains(communications, split_part(name, ' ', 1))),
            count(*)
        from {parquet(data_dir, 'workers_500k')}
        """
    )[0]
    resume_email, resume_phone, comm_email, comm_phone, comm_first_name, total = row
    for count in (resume_email, resume_phone, comm_email, comm_phone, comm_first_name):
        assert 0 < count < total


def test_sparse_worker_phones_come_in_messy_shapes(data_dir):
    phones = [row[0] for row in query(f"select phone from {parquet(data_dir, 'sparse_workers')}")]
    shapes = {
        "dots": re.compile(r"^\d{3}\.\d{3}\.\d{4}$"),
        "plain": re.compile(r"^\d{10}$"),
        "parentheses": re.compile(r"^\(\d{3}\) \d{3}-\d{4}$"),
        "empty": re.compile(r"^$"),
    }
    for shape, pattern in shapes.items():
        assert any(pattern.match(phone or "") for phone in phones), shape
    notes = [row[0] for row in query(f"select notes from {parquet(data_dir, 'sparse_workers')}")]
    assert any("@" in note for note in notes)
    assert any(re.search(r"\d{3}-\d{3}-\d{4}", note) for note in notes)


@pytest.mark.parametrize(
    "dataset,column",
    [(d.name, c.name) for d in MANIFEST.datasets for c in d.columns if c.values],
)
def test_enum_values_within_manifest(data_dir, dataset, column):
    allowed = set(MANIFEST.dataset(dataset).column(column).values)
    seen = {row[0] for row in query(f"select distinct {column} from {parquet(data_dir, dataset)}")}
    assert seen <= allowed
    assert len(seen) >= 3


@pytest.mark.parametrize("sibling", ["workers_100k", "ethereal_workers"])
def test_sibling_rows_equal_canonical_rows(data_dir, sibling):
    canonical = parquet(data_dir, "workers_500k")
    rows = parquet(data_dir, sibling)
    assert query(f"select count(*) from (select * from {rows} except all select * from {canonical})")[0][0] == 0
    # The same worker_id gives the same row, column by column.
    mismatched = query(
        f"""
        select count(*) from {rows} as s
        left join {canonical} as c using (worker_id)
        where c.worker_id is null or s is distinct from c
        """
    )
    assert mismatched == [(0,)]


def test_job_order_descriptions_carry_requirements(data_dir):
    rows = query(f"select description, pay_rate from {parquet(data_dir, 'job_orders')}")
    for description, pay_rate in rows:
        assert "Requires:" in description
        assert "+ years exp" in description
        rate = re.search(r"\$(\d+\.\d{2})/hr", description)
        assert rate and float(rate.group(1)) == pytest.approx(pay_rate)
    assert 0 < sum("Need " in d for d, _ in rows) < len(rows)
    assert 0 < sum(re.search(r"Start 2026-\d{2}-\d{2}", d) is not None for d, _ in rows) < len(rows)


# --------------------------------------------------------------------------- 5. JSON shapes


def test_scenario_documents_match_contract_shape(data_dir, scenarios):
    for path in sorted((data_dir / "scenarios").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert isinstance(doc, dict)
        assert list(doc) == ["scenario_id", "client_id", "plan_date", "created_at", "site", "fills", "notes"]
        assert path.name == f"{doc['scenario_id']}.json"
        assert re.fullmatch(r"SCN-\d{3}", doc["scenario_id"])
        assert re.fullmatch(r"CLI-\d{5}", doc["client_id"])
        assert ISO_DATE.match(doc["plan_date"])
        plan_date = date.fromisoformat(doc["plan_date"])
        assert UTC_STAMP.match(doc["created_at"])
        assert datetime.fromisoformat(doc["created_at"][:-1]).date() < plan_date
        assert list(doc["site"]) == ["city", "state", "zip"]
        assert isinstance(doc["site"]["city"], str) and doc["site"]["city"]
        assert re.fullmatch(r"[A-Z]{2}", doc["site"]["state"])
        assert re.fullmatch(r"\d{5}", doc["site"]["zip"])
        assert isinstance(doc["notes"], str)
        assert isinstance(doc["fills"], list) and doc["fills"]
        for number, fill in enumerate(doc["fills"], start=1):
            assert list(fill) == ["fill_id", "job_order_id", "role", "count", "shift_start", "shift_end", "assigned"]
            assert fill["fill_id"] == f"F{number}"
            assert re.fullmatch(r"JO-\d{6}", fill["job_order_id"])
            assert isinstance(fill["role"], str) and fill["role"]
            assert type(fill["count"]) is int and fill["count"] >= 1
            assert LOCAL_STAMP.match(fill["shift_start"]) and LOCAL_STAMP.match(fill["shift_end"])
            start = datetime.fromisoformat(fill["shift_start"])
            end = datetime.fromisoformat(fill["shift_end"])
            # A shift starts on the plan date and ends by the midnight that closes it
            # (15:30 + 8.5 h ends at 00:00 the next day); 8 or 8.5 hours long.
            assert start.date() == plan_date
            assert end <= datetime.combine(plan_date + timedelta(days=1), time(0, 0))
            assert end - start in (timedelta(hours=8), timedelta(hours=8, minutes=30))
            assert isinstance(fill["assigned"], list)
            for entry in fill["assigned"]:
                assert list(entry) == ["worker_id", "name"]
                assert type(entry["worker_id"]) is int
                assert isinstance(entry["name"], str) and entry["name"]
    # Unfilled slots exist: some lines name fewer workers than their count.
    assert any(len(f["assigned"]) < f["count"] for s in scenarios.values() for f in s["fills"])


def test_lesson_documents_match_contract_shape(data_dir, scenarios):
    for path in sorted((data_dir / "_playbook_lessons").glob("*.json")):
        doc = json.loads(path.read_text(encoding="utf-8"))
        assert list(doc) == ["lesson_id", "scenario_id", "recorded_at", "events_total", "events_ok", "lesson", "tags"]
        assert path.name == f"{doc['lesson_id']}.json"
        assert re.fullmatch(r"LSN-\d{4}", doc["lesson_id"])
        assert doc["scenario_id"] is None or doc["scenario_id"] in scenarios
        assert UTC_STAMP.match(doc["recorded_at"])
        if doc["scenario_id"] is not None:
            recorded = datetime.fromisoformat(doc["recorded_at"][:-1])
            assert recorded.date() > date.fromisoformat(scenarios[doc["scenario_id"]]["plan_date"])
        assert type(doc["events_total"]) is int and type(doc["events_ok"]) is int
        assert 0 <= doc["events_ok"] <= doc["events_total"]
        assert isinstance(doc["lesson"], str) and doc["lesson"]
        assert isinstance(doc["tags"], list) and doc["tags"]
        assert all(isinstance(tag, str) for tag in doc["tags"])


def test_lesson_tags_within_manifest(lessons):
    documents = MANIFEST.document("lessons")
    allowed = set(documents.incident_tags) | set(documents.other_tags)
    used = {tag for lesson in lessons.values() for tag in lesson["tags"]}
    assert used <= allowed
    assert used & set(documents.incident_tags)
    assert used & set(documents.other_tags)


def test_some_scenarios_have_several_lessons_and_some_none(scenarios, lessons):
    per_scenario = collections.Counter(l["scenario_id"] for l in lessons.values() if l["scenario_id"])
    assert any(count >= 2 for count in per_scenario.values())
    assert set(scenarios) - set(per_scenario)
    assert any(l["scenario_id"] is None for l in lessons.values())


def test_lesson_events_describe_the_whole_scenario(record, scenarios, lessons):
    (planted,) = planted_of(record, "lesson_total_mismatch")
    mismatched = set()
    by_scenario = collections.defaultdict(set)
    for lesson in lessons.values():
        if lesson["scenario_id"] is None:
            assert (lesson["events_total"], lesson["events_ok"]) == (0, 0)
            continue
        fills = scenarios[lesson["scenario_id"]]["fills"]
        slots = sum(f["count"] for f in fills)
        filled = sum(min(len(f["assigned"]), f["count"]) for f in fills)
        if lesson["events_total"] != slots:
            mismatched.add(lesson["lesson_id"])
        else:
            by_scenario[lesson["scenario_id"]].add((lesson["events_total"], lesson["events_ok"]))
        assert lesson["events_ok"] <= filled
    assert mismatched == {planted["lesson_id"]}
    # Every lesson of one scenario tells the same totals.
    assert all(len(values) == 1 for values in by_scenario.values())


def test_assigned_workers_come_from_ethereal_workers_in_the_site_state(record, scenarios, ethereal):
    (unknown,) = planted_of(record, "unknown_worker")
    (out_of_state,) = planted_of(record, "worker_out_of_state")
    not_in_roster, wrong_state, wrong_name = set(), set(), []
    for scenario, fill, _position, entry in assigned_entries(scenarios):
        key = (scenario["scenario_id"], fill["fill_id"], entry["worker_id"])
        roster = ethereal.get(entry["worker_id"])
        if roster is None:
            not_in_roster.add(key)
            continue
        if roster[2] != scenario["site"]["state"]:
            wrong_state.add(key)
        if roster[1] != entry["name"]:
            wrong_name.append(key)
    assert not_in_roster == {(unknown["scenario_id"], unknown["fill_id"], unknown["worker_id"])}
    assert wrong_state == {(out_of_state["scenario_id"], out_of_state["fill_id"], out_of_state["worker_id"])}
    assert wrong_name == []


def test_fills_use_the_clients_job_orders_and_their_titles(record, scenarios, job_orders):
    (foreign,) = planted_of(record, "foreign_job_order")
    (over,) = planted_of(record, "over_assigned")
    wrong_client, over_count = set(), set()
    for scenario in scenarios.values():
        for fill in scenario["fills"]:
            order = job_orders.get(fill["job_order_id"])
            assert order is not None, fill["job_order_id"]
            assert fill["role"] == order[2]
            if order[1] != scenario["client_id"]:
                wrong_client.add((scenario["scenario_id"], fill["fill_id"]))
            if len(fill["assigned"]) > fill["count"]:
                over_count.add((scenario["scenario_id"], fill["fill_id"]))
    assert wrong_client == {(foreign["scenario_id"], foreign["fill_id"])}
    assert over_count == {(over["scenario_id"], over["fill_id"])}


# --------------------------------------------------------------------------- 6. bad input through the CLI


def assert_one_line_error(result, *fragments: str) -> None:
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Traceback" not in result.stdout
    for fragment in fragments:
        assert fragment in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, lines


@pytest.mark.parametrize(
    "args,fragment",
    [
        (["--scale", "0"], "--scale"),
        (["--scale", "-1"], "--scale"),
        (["--scale", "abc"], "--scale"),
        (["--seed", "1.5"], "--seed"),
        (["--seed", "x"], "--seed"),
    ],
    ids=["scale-0", "scale-negative", "scale-abc", "seed-float", "seed-x"],
)
def test_bad_option_values_are_refused(tmp_path, args, fragment):
    target = tmp_path / "lake" / "data"
    result = run_cli("generate", "--data-dir", str(target), *args)
    assert_one_line_error(result, fragment)
    assert not (tmp_path / "lake").exists()


def test_non_empty_target_without_force_is_refused(tmp_path, small_lakehouse):
    target = tmp_path / "data"
    shutil.copytree(small_lakehouse.data_dir, target)
    before = tree_hashes(target)
    result = run_cli("generate", "--data-dir", str(target), "--scale", "0.02")
    assert result.returncode == 2
    assert str(target) in result.stderr
    assert "--force" in result.stderr
    assert tree_hashes(target) == before
    assert staging_leftovers(target) == []
    assert_one_line_error(result)


def test_unwritable_target_is_refused(tmp_path):
    parent = tmp_path / "read-only"
    parent.mkdir()
    target = parent / "lake" / "data"
    result = run_with_read_only([parent], ["generate", "--data-dir", str(target), "--scale", "0.01"])
    assert result.returncode == 2
    assert f"{parent}: target folder is not writable" in result.stderr
    assert list(parent.iterdir()) == []
    assert_one_line_error(result)


def test_target_below_a_file_is_refused(tmp_path):
    """A target whose parent is a file cannot be written, whoever runs the test."""
    blocker = tmp_path / "blocker"
    blocker.write_text("not a folder\n")
    result = run_cli("generate", "--data-dir", str(blocker / "data"), "--scale", "0.01")
    assert result.returncode == 2
    assert str(blocker) in result.stderr
    assert blocker.read_text() == "not a folder\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["blocker"]
    assert_one_line_error(result)


def test_force_replaces_an_existing_lakehouse(tmp_path, small_lakehouse):
    target = tmp_path / "data"
    shutil.copytree(small_lakehouse.data_dir, target)
    old = raw_hashes(target)
    result = run_cli("generate", "--data-dir", str(target), "--scale", "0.02", "--seed", "7", "--force")
    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stderr
    assert staging_leftovers(target) == []
    assert sorted(p.name for p in target.iterdir()) == ["GENERATED.json", "_playbook_lessons", "datasets", "scenarios"]
    record = json.loads((target / "GENERATED.json").read_text())
    assert record["seed"] == 7 and record["scale"] == 0.02
    new = raw_hashes(target)
    assert new.keys() == old.keys()
    assert {entry["path"]: entry["sha256"] for entry in record["files"]} == new
    assert new["datasets/workers_500k.parquet"] != old["datasets/workers_500k.parquet"]
