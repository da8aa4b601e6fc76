"""fill_events outcomes (contract §7), derived from a scenario and lessons written for the test."""

from __future__ import annotations

import json

import duckdb

from conftest import SEED, TEST_KEY, make_layout, quiet
from staffing_sql.generator import generate_lakehouse
from staffing_sql.pipeline import Lakehouse, build_layers, publish_layers


def test_incident_filled_and_unfilled_slots(tmp_path):
    layout = make_layout(tmp_path)
    generate_lakehouse(layout, seed=SEED, scale=0.01, force=False, echo=quiet, plant=False)
    scenario = json.loads((layout.scenarios_dir / "SCN-001.json").read_text())
    first, second = scenario["fills"][0]["assigned"][:2]
    workers = str(layout.datasets_dir / "workers_500k.parquet")
    names = dict(duckdb.connect().execute(
        "select worker_id, name from read_parquet($p) where worker_id in ($a, $b)",
        {"p": workers, "a": first["worker_id"], "b": second["worker_id"]}).fetchall())
    scenario["fills"] = [dict(scenario["fills"][0], fill_id="F1", count=3, assigned=[first, second])]
    (layout.scenarios_dir / "SCN-001.json").write_text(json.dumps(scenario))
    for path in layout.lessons_dir.glob("*.json"):
        path.unlink()

    def lesson(lesson_id, scenario_id, text, tags):
        document = {"lesson_id": lesson_id, "scenario_id": scenario_id, "recorded_at": "2026-03-03T09:12:00Z",
                    "events_total": 3, "events_ok": 1, "lesson": text, "tags": tags}
        (layout.lessons_dir / f"{lesson_id}.json").write_text(json.dumps(document))

    lesson("LSN-0001", "SCN-001", f"{names[first['worker_id']].upper()} was a no-show at 6am.", ["no_show"])
    lesson("LSN-0002", "SCN-001", f"Client praised {names[second['worker_id']]}; keep on the list.", ["ok"])
    # an incident naming the second worker, but in another scenario: not this slot's outcome
    lesson("LSN-0003", "SCN-002", f"{names[second['worker_id']]} walked off the line.", ["walk_off"])

    lake = Lakehouse.open(layout, TEST_KEY)
    try:
        publish_layers(lake, build_layers(lake, quiet))
    finally:
        lake.close()
    rows = duckdb.connect().execute(
        "select event_id, slot, worker_id, outcome, lesson_ids, incident_lesson_ids from read_parquet($p) "
        "where scenario_id = 'SCN-001' order by slot",
        {"p": str(layout.out_dir / "derived" / "fill_events.parquet")}).fetchall()
    assert rows == [
        ("SCN-001/F1/1", 1, first["worker_id"], "incident", ["LSN-0001", "LSN-0002"], ["LSN-0001"]),
        ("SCN-001/F1/2", 2, second["worker_id"], "filled", ["LSN-0001", "LSN-0002"], []),
        ("SCN-001/F1/3", 3, None, "unfilled", ["LSN-0001", "LSN-0002"], []),
    ]


def test_scenario_fill_lines_numbers_each_line_by_its_position(tmp_path):
    """scenario_fill_lines (macros/jinja): one row per entry of a file's fills list, numbered from 1 in list
    order, a repeated fill_id kept apart by its position; a file with no fills gives no row."""
    from staffing_sql.templates import render_string

    def scenario(scenario_id, fills):
        path = tmp_path / f"{scenario_id}.json"
        path.write_text(json.dumps({"scenario_id": scenario_id, "client_id": "C1", "plan_date": "2026-03-02",
                                    "created_at": "x", "site": {"city": "a", "state": "OH", "zip": "43215"},
                                    "fills": fills, "notes": ""}))
        return str(path)

    def fill(fill_id, assigned):
        return {"fill_id": fill_id, "job_order_id": "JO-1", "role": "Picker", "count": 1,
                "shift_start": "2026-03-02T06:00:00", "shift_end": "2026-03-02T14:00:00",
                "assigned": [{"worker_id": worker, "name": "x"} for worker in assigned]}

    paths = sorted([scenario("SCN-1", [fill("F2", [7]), fill("F1", []), fill("F2", [8, 9])]), scenario("SCN-2", [])])
    rows = duckdb.connect().execute(render_string(
        "select scenario_id, fill_position, fill.fill_id, [a.worker_id for a in fill.assigned] "
        "from {{ scenario_fill_lines('$paths') }} order by all"), {"paths": paths}).fetchall()
    assert rows == [("SCN-1", 1, "F2", [7]), ("SCN-1", 2, "F1", []), ("SCN-1", 3, "F2", [8, 9])]
