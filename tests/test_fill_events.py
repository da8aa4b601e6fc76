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
