"""End to end: the public PII case file planted across every free-text field, built and audited,
then every file under the output and reports folders read back and searched in folded form.

The planted lakehouse is a small generated one whose free text is replaced by
the cases of tests/pii_cases/cases.json:
  - a worker's communications and resume_text: the case, in the row of its
    own person (the row's name becomes own_name);
  - a job order's description, a fill line's role, the notes of sparse
    workers past those, and the texts of workers past the roster rows: the
    cases with no own person (someone on a roster, an email, a phone, an
    SSN, a negative; negatives first);
  - a sparse worker's notes: the case, in the row of its own person;
  - a scenario's notes and the lessons of that scenario: the name_assigned
    cases, with the case's people as the scenario's assigned workers;
  - everyone a case names is on the worker roster.
Nothing a case lists as PII may be found anywhere (parquet and DuckDB files
through DuckDB, every column; reports, ledger and JSON as text), and every
planted negative must come through byte for byte into its safe relation.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from conftest import build_lakehouse, run_cli
from staffing_sql.quoting import quote_identifier
from test_pii_cases import CASES, NOT_COVERED, fold

PLANTED = [case for case in CASES if case["id"] not in NOT_COVERED]
OWN = [case for case in PLANTED if case["kind"] == "name_own"]
ASSIGNED = [case for case in PLANTED if case["kind"] == "name_assigned"]
# negatives first: they go into job descriptions, where the test looks for them byte for byte
FREE = sorted((case for case in PLANTED if case["kind"] not in ("name_own", "name_assigned")),
              key=lambda case: case["kind"] != "negative")


def _rewrite(con, path: Path, sql: str, params: dict) -> None:
    """Replace one raw parquet of the test's own lakehouse by the query's result (same columns, same types)."""
    con.execute(f"copy ({sql}) to '{path}.new' (format parquet)", params)
    Path(f"{path}.new").replace(path)


def plant(layout) -> None:
    datasets = layout.data_dir / "datasets"
    con = duckdb.connect()
    people = sorted({name for case in PLANTED for name in [case["own_name"], *case["roster"]] if name})
    workers = datasets / "workers_500k.parquet"
    own_texts = [{"row": i + 1, "name": case["own_name"], "text": case["text"]} for i, case in enumerate(OWN)]
    roster = [{"row": len(OWN) + i + 1, "name": name} for i, name in enumerate(people)]
    jobs = datasets / "job_orders.parquet"
    job_count = con.execute("select count(*) from read_parquet($p)", {"p": str(jobs)}).fetchone()[0]
    sparse = datasets / "sparse_workers.parquet"
    sparse_count = con.execute("select count(*) from read_parquet($p)", {"p": str(sparse)}).fetchone()[0]
    # the free cases neither the job orders nor the sparse workers have room for (PII cases: the
    # negatives come first): in the texts of workers past the roster rows, who keep their own names
    spill = FREE[job_count + sparse_count - len(OWN):]
    own_texts += [{"row": len(OWN) + len(people) + i + 1, "name": None, "text": case["text"]} for i, case in enumerate(spill)]
    _rewrite(con, workers, """
        with raw as (select *, row_number() over () as file_row from read_parquet($path)),
        own as (select unnest($own, recursive := true)),
        roster as (select unnest($roster, recursive := true))
        select
            raw.worker_id, coalesce(own.name, roster.name, raw.name) as name, raw.role, raw.email, raw.phone,
            raw.city, raw.state, raw.zip, raw.skills, raw.certifications, raw.archetype, raw.reliability,
            raw.responsiveness, raw.engagement, raw.compliance, raw.availability,
            coalesce(own.text, raw.communications) as communications,
            coalesce(own.text, raw.resume_text) as resume_text,
        from raw
        left join own on own.row = raw.file_row
        left join roster on roster.row = raw.file_row
        order by raw.file_row
    """, {"path": str(workers), "own": own_texts, "roster": roster})
    free = [{"row": i + 1, "text": case["text"]} for i, case in enumerate(FREE[:job_count])]
    _rewrite(con, jobs, """
        with raw as (select *, row_number() over () as file_row from read_parquet($path)),
        free as (select unnest($free, recursive := true))
        select raw.* exclude (file_row, description), coalesce(free.text, raw.description) as description,
        from raw left join free on free.row = raw.file_row order by raw.file_row
    """, {"path": str(jobs), "free": free})
    # the own-name cases in their person's row, then the free cases the job orders had no room for
    own_sparse = [{"row": i + 1, "name": case["own_name"], "text": case["text"]} for i, case in enumerate(OWN)]
    own_sparse += [{"row": len(OWN) + i + 1, "name": None, "text": case["text"]}
                   for i, case in enumerate(FREE[job_count:job_count + sparse_count - len(OWN)])]
    assert len(own_sparse) <= sparse_count
    workers_count = con.execute("select count(*) from read_parquet($p)", {"p": str(workers)}).fetchone()[0]
    assert len(OWN) + len(people) + len(spill) <= workers_count
    _rewrite(con, sparse, """
        with raw as (select *, row_number() over () as file_row from read_parquet($path)),
        own as (select unnest($own, recursive := true))
        select coalesce(own.name, raw.name) as name, raw.phone, raw.role, raw.city, raw.state,
               coalesce(own.text, raw.notes) as notes,
        from raw left join own on own.row = raw.file_row order by raw.file_row
    """, {"path": str(sparse), "own": own_sparse})
    scenarios = sorted((layout.data_dir / "scenarios").glob("SCN-*.json"))
    lessons = sorted((layout.data_dir / "_playbook_lessons").glob("LSN-*.json"))
    for index, path in enumerate(scenarios):
        document = json.loads(path.read_text(encoding="utf-8"))
        if index < len(ASSIGNED):
            case = ASSIGNED[index]
            document["notes"] = case["text"]
            assigned = document["fills"][0]["assigned"]
            for position, person in enumerate(case["roster"]):
                if position < len(assigned):
                    assigned[position]["name"] = person
                else:
                    assigned.append({"worker_id": 1000000 + index * 10 + position, "name": person})
            for lesson_path in lessons:
                lesson = json.loads(lesson_path.read_text(encoding="utf-8"))
                if lesson["scenario_id"] == document["scenario_id"]:
                    lesson["lesson"] = case["text"]
                    lesson_path.write_text(json.dumps(lesson, ensure_ascii=False, indent=2), encoding="utf-8")
        free_case = FREE[index % len(FREE)]
        document["fills"][0]["role"] = free_case["text"]
        path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")


@pytest.fixture(scope="module")
def planted(tmp_path_factory):
    layout = build_lakehouse(tmp_path_factory.mktemp("planted"), scale=0.01)
    plant(layout)
    common = ["--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir), "--reports-dir", str(layout.reports_dir)]
    build = run_cli("build", *common)
    audit = run_cli("audit", *common, "--format", "json")
    return layout, build, audit


def _database_texts(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    texts = []
    for (table,) in con.execute("select table_name from information_schema.tables").fetchall():
        columns = [row[0] for row in con.execute(f"describe {quote_identifier(table)}").fetchall()]
        for column in map(quote_identifier, columns):
            texts += [row[0] for row in con.execute(
                f"select cast({column} as varchar) from {quote_identifier(table)} where {column} is not null").fetchall()]
    return texts


def _parquet_texts(path: Path) -> list[str]:
    con = duckdb.connect()
    columns = [row[0] for row in con.execute("describe select * from read_parquet($p)", {"p": str(path)}).fetchall()]
    texts = []
    for column in map(quote_identifier, columns):
        texts += [row[0] for row in con.execute(
            f"select cast({column} as varchar) from read_parquet($p) where {column} is not null", {"p": str(path)}).fetchall()]
    return texts


def every_output_text(layout) -> dict[str, list[str]]:
    found = {}
    for folder in (layout.out_dir, layout.reports_dir):
        for path in sorted(p for p in folder.rglob("*") if p.is_file() and ".spill" not in p.parts):
            if path.suffix == ".parquet":
                found[str(path)] = _parquet_texts(path)
            elif path.suffix == ".duckdb":
                found[str(path)] = _database_texts(path)
            elif path.suffix != ".lock":
                found[str(path)] = [path.read_text(encoding="utf-8", errors="replace")]
    return found


def test_the_planted_lakehouse_builds_and_audits(planted):
    _, build, audit = planted
    assert build.returncode == 0, build.stderr[-2000:]
    results = {r["check_id"]: r for r in json.loads(audit.stdout)["results"]}
    assert results["no_pii_in_outputs"]["status"] == "pass", results["no_pii_in_outputs"]


def _survives(span: str, folded_text: str) -> bool:
    return re.search(r"(?<![a-z0-9])" + re.escape(fold(span)) + r"(?![a-z0-9])", folded_text) is not None


def test_no_planted_pii_is_found_in_any_output_file(planted):
    """Emails, phones, SSNs and roster full names: nowhere in any file under the output and reports folders."""
    layout, _, _ = planted
    outputs = every_output_text(layout)
    assert any(path.endswith("analyst.duckdb") for path in outputs)
    folded = {path: fold("\n".join(texts)) for path, texts in outputs.items()}
    # One pass per file with every span as one alternation: it matches somewhere exactly when some span
    # survives somewhere (at a leak's position at least that span's alternative matches); the per-span
    # search below then names the leaks.
    spans = sorted({fold(span) for case in FREE for span in case["pii"]}, key=len, reverse=True)
    any_span = re.compile(r"(?<![a-z0-9])(?:" + "|".join(map(re.escape, spans)) + r")(?![a-z0-9])")
    suspects = {path: text for path, text in folded.items() if any_span.search(text)}
    leaks = [(case["id"], Path(path).name)
             for case in FREE for span in case["pii"] for path, text in suspects.items() if _survives(span, text)]
    assert leaks == []


def test_no_part_of_a_planted_persons_name_is_left_in_their_own_texts(planted):
    """The row's own person and a scenario's assigned workers by any part: a lone first name is PII only
    there (elsewhere 'John' may be someone else, or part of '@john_smith'), so their own outputs are searched."""
    layout, _, _ = planted
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    worker_ids = [row[0] for row in duckdb.connect().execute(
        "select worker_id from read_parquet($p) limit $n",
        {"p": str(layout.data_dir / "datasets" / "workers_500k.parquet"), "n": len(OWN)}).fetchall()]
    sparse_notes = [row[0] for row in con.execute("select notes from sparse_workers_safe").fetchall()]
    scenario_ids = [path.stem for path in sorted((layout.data_dir / "scenarios").glob("SCN-*.json"))]
    leaks = []
    for index, case in enumerate(OWN):
        texts = [text for row in con.execute(
            "select communications, resume_text from workers_safe where worker_id = $id", {"id": worker_ids[index]}
        ).fetchall() for text in row] + [sparse_notes[index]]
        assert len(texts) == 3, case["id"]
        leaks += [(case["id"], span) for span in case["pii"] if _survives(span, fold("\n".join(texts)))]
    for index, case in enumerate(ASSIGNED):
        texts = [row[0] for row in con.execute(
            "select notes from scenarios_safe where scenario_id = $id "
            "union all select lesson from lessons_safe where scenario_id = $id "
            "union all select text from staffing_answers where scenario_id = $id", {"id": scenario_ids[index]}
        ).fetchall()]
        assert texts, case["id"]
        leaks += [(case["id"], span) for span in case["pii"] if _survives(span, fold("\n".join(texts)))]
    assert leaks == []


def test_planted_negatives_come_through_byte_for_byte(planted):
    layout, _, _ = planted
    con = duckdb.connect(str(layout.out_dir / "analyst.duckdb"), read_only=True)
    descriptions = {row[0] for row in con.execute("select description from jobs_safe").fetchall()}
    negatives = [case["text"] for case in FREE if case["kind"] == "negative"]
    assert negatives and [text for text in negatives if text not in descriptions] == []
