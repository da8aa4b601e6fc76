"""Build the synthetic staffing lakehouse from the SQL models in sql/generate/.

Python only decides sizes and which rows carry the planted problems, runs the
models in order, and writes files; every value is produced by the SQL.
"""

from __future__ import annotations

import json
import os
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import click
import duckdb

from staffing_sql import __version__
from staffing_sql.database import connect, create_table_from_model, execute
from staffing_sql.errors import CannotRun
from staffing_sql.hashing import atomic_write_text, canonical_json, file_record
from staffing_sql.manifest import load_manifest
from staffing_sql.outputs import process_is_alive
from staffing_sql.paths import PROJECT_ROOT, RAW_FOLDERS, Layout
from staffing_sql.quoting import quote_identifier

SEED_DIR = PROJECT_ROOT / "sql" / "generate" / "seeds"
MODEL_DIR = "sql/generate"

# Smallest scale at which every planted problem still has room (160 roster
# workers, a few ethereal workers per state for the scenarios).
MIN_SCALE = 0.01

# (table, file it is written to or None for an intermediate table). Order matters:
# a model reads the tables made before it.
PLAN = (
    ("vocabulary", None),
    ("workers_500k", "datasets/workers_500k.parquet"),
    ("workers_100k", "datasets/workers_100k.parquet"),
    ("ethereal_workers", "datasets/ethereal_workers.parquet"),
    ("client_workersi", "datasets/client_workersi.parquet"),
    ("sparse_workers", "datasets/sparse_workers.parquet"),
    ("new_candidates", "datasets/new_candidates.parquet"),
    ("candidates", "datasets/candidates.parquet"),
    ("job_orders", "datasets/job_orders.parquet"),
    ("scenario_plans", None),
    ("scenario_fills", None),
    ("scenario_assignments", None),
    ("lesson_records", None),
    ("scenario_documents", "scenarios"),
    ("lesson_documents", "_playbook_lessons"),
    ("planted_problems", None),
)
# Decision C's anomaly: a byte-for-byte copy of the roster under a typo name.
TYPO_COPY = ("client_workersi", "datasets/client_workerskjkk.parquet")


@dataclass(frozen=True)
class Sizes:
    workers: int
    workers_100k: int
    ethereal: int
    candidates: int
    job_orders: int
    clients: int

    @classmethod
    def at(cls, scale: float) -> "Sizes":
        """The manifest's rows_at_scale_1 of each dataset that scales, times scale."""
        def rows(dataset: str) -> int:
            return round(load_manifest().dataset(dataset).rows_at_scale_1 * scale)

        job_orders = rows("job_orders")
        return cls(
            workers=rows("workers_500k"),
            workers_100k=rows("workers_100k"),
            ethereal=rows("ethereal_workers"),
            candidates=rows("candidates"),
            job_orders=job_orders,
            clients=max(10, job_orders // 30),
        )


# What the plants point at when --no-plant asks for none: ids no row has.
NO_WORKER, NO_SCENARIO, NO_LESSON = 0, "SCN-000", "LSN-0000"


def parameters(seed: int, scale: float, plant: bool = True) -> dict:
    """Every value the models bind: sizes and the rows that carry planted problems.

    Planted worker ids avoid the residues the siblings and roster sample
    (0 and 4 mod 5 for workers_100k and ethereal_workers, 2 mod 5 for the
    roster), so each problem shows up exactly once, in workers_500k. With
    plant=False every plant points at an id no row has: the lakehouse keeps
    the contract's incidental defects and nothing else.
    """
    sizes = Sizes.at(scale)
    n = sizes.workers
    params = {
        "seed": seed,
        "worker_count": n,
        "rows_100k": sizes.workers_100k,
        "rows_ethereal": sizes.ethereal,
        "candidate_count": sizes.candidates,
        "job_order_count": sizes.job_orders,
        "client_count": sizes.clients,
        "duplicate_row": 5 * (n // 5) - 1,
        "duplicate_of": 5 * (n // 10) + 3,
        "out_of_range_ids": [5 * (n // 35) + 1, 5 * (n // 15) + 3, 5 * (n // 10) + 1],
        "double_booking_scenarios": ["SCN-007", "SCN-008"],
        "out_of_state_scenario": "SCN-012",
        "unknown_worker_scenario": "SCN-015",
        "unknown_worker_id": n * 10 + 7,
        "foreign_order_scenario": "SCN-019",
        "over_assigned_scenario": "SCN-023",
        "total_mismatch_lesson": "LSN-0003",
        "total_mismatch_scenario": "SCN-027",
    }
    if not plant:
        params.update(
            duplicate_row=NO_WORKER,
            out_of_range_ids=[],
            double_booking_scenarios=[NO_SCENARIO, NO_SCENARIO],
            out_of_state_scenario=NO_SCENARIO,
            unknown_worker_scenario=NO_SCENARIO,
            foreign_order_scenario=NO_SCENARIO,
            over_assigned_scenario=NO_SCENARIO,
            total_mismatch_lesson=NO_LESSON,
        )
    return params


def _load_seeds(con) -> None:
    for seed_file in sorted(SEED_DIR.glob("*.csv")):
        table = quote_identifier(f"seed_{seed_file.stem}")
        execute(
            con,
            f"create table {table} as select * from read_csv($path, header = true, all_varchar = false, auto_detect = true)",
            {"path": str(seed_file)},
        )


def _write_documents(con, table: str, folder: Path) -> int:
    folder.mkdir(parents=True, exist_ok=True)
    rows = con.execute(
        f"select file_name, document from {quote_identifier(table)} order by file_name"
    ).fetchall()
    for file_name, document in rows:
        text = json.dumps(json.loads(document), indent=2, ensure_ascii=False) + "\n"
        (folder / file_name).write_text(text, encoding="utf-8")
    return len(rows)


def _copy_parquet(con, table: str, target: Path) -> int:
    target.parent.mkdir(parents=True, exist_ok=True)
    execute(con, f"copy {quote_identifier(table)} to $path (format parquet)", {"path": str(target)})
    return con.execute(f"select count(*) from {quote_identifier(table)}").fetchone()[0]


def _existing_raw(layout: Layout) -> list[Path]:
    found = [
        layout.data_dir / folder
        for folder in RAW_FOLDERS
        if (layout.data_dir / folder).exists() and any((layout.data_dir / folder).iterdir())
    ]
    if layout.generated_record.exists():
        found.append(layout.generated_record)
    return found


def _check_target(layout: Layout, force: bool) -> None:
    existing = _existing_raw(layout)
    if existing and not force:
        raise CannotRun(
            f"{existing[0]}: raw data already exists; pass --force to replace the generated lakehouse"
        )
    probe = layout.data_dir
    while not probe.exists():
        probe = probe.parent
    if not probe.is_dir() or not os.access(probe, os.W_OK | os.X_OK):
        raise CannotRun(f"{probe}: target folder is not writable")


def generate_lakehouse(layout: Layout, seed: int, scale: float, force: bool, echo=click.echo,
                       plant: bool = True) -> dict:
    _check_target(layout, force)
    echo(f"generating the synthetic lakehouse: scale {scale:g}, seed {seed}"
         f"{'' if plant else ', no planted problems'}", err=True)
    params = parameters(seed, scale, plant)
    layout.data_dir.mkdir(parents=True, exist_ok=True)
    _remove_leftovers_of_killed_runs(layout)
    staging = layout.data_dir / f".generate-{os.getpid()}"
    retired = layout.data_dir / f".retired-{os.getpid()}"
    spill = layout.data_dir / f".spill-{os.getpid()}"
    shutil.rmtree(staging, ignore_errors=True)
    try:
        con = connect(spill_dir=spill)
        _load_seeds(con)
        started = time.perf_counter()
        outputs = [entry for entry in PLAN if entry[1]] + [TYPO_COPY]
        written = 0
        for table, target in PLAN:
            step_started = time.perf_counter()
            create_table_from_model(con, table, f"{MODEL_DIR}/{table}.sql", params)
            if target is None:
                continue
            written += 1
            if target.endswith(".parquet"):
                rows = _copy_parquet(con, table, staging / target)
                label = Path(target).name
            else:
                rows = _write_documents(con, table, staging / target)
                label = f"{target}/ ({rows} files)"
            echo(
                f"  [{written:2d}/{len(outputs)}] {label:<36} {rows:>9,} rows"
                f" {time.perf_counter() - step_started:6.1f}s",
                err=True,
            )
        table, target = TYPO_COPY
        step_started = time.perf_counter()
        rows = _copy_parquet(con, table, staging / target)
        echo(
            f"  [{len(outputs):2d}/{len(outputs)}] {Path(target).name:<36} {rows:>9,} rows"
            f" {time.perf_counter() - step_started:6.1f}s",
            err=True,
        )
        record = _record(con, layout, staging, seed, scale, params)
        con.close()
        # No record while the folders are swapped: an interrupted swap leaves
        # a lakehouse without GENERATED.json, never one with a wrong record.
        layout.generated_record.unlink(missing_ok=True)
        _swap_into_place(layout, staging, retired)
        atomic_write_text(layout.generated_record, canonical_json(record))
        echo(f"  generated in {time.perf_counter() - started:.1f}s -> {layout.data_dir}", err=True)
        return record
    finally:
        for leftover in (staging, retired, spill):
            shutil.rmtree(leftover, ignore_errors=True)


def _record(con, layout: Layout, staging: Path, seed: int, scale: float, params: dict) -> dict:
    planted = [
        dict(zip(("kind", "check", "dataset", "detail"), row[:3] + (json.loads(row[3]),)))
        for row in con.execute(
            "select kind, check_id, dataset, detail from planted_problems order by kind, check_id, detail"
        ).fetchall()
    ]
    files = []
    for path in sorted(p for folder in RAW_FOLDERS for p in (staging / folder).rglob("*") if p.is_file()):
        entry = file_record(path, (staging,))
        files.append(entry)
    row_counts = {
        table: con.execute(f"select count(*) from {quote_identifier(table)}").fetchone()[0]
        for table, target in PLAN
        if target and target.endswith(".parquet")
    }
    row_counts["client_workerskjkk"] = row_counts["client_workersi"]
    return {
        "generator": "staffing-sql generate",
        "tool_version": __version__,
        "duckdb_version": duckdb.__version__,
        "seed": seed,
        "scale": scale,
        "parameters": params,
        "row_counts": row_counts,
        "planted": planted,
        "files": files,
    }


_WORK_FOLDER_PREFIXES = (".generate-", ".retired-", ".spill-")


def _remove_leftovers_of_killed_runs(layout: Layout) -> None:
    """Work folders (.generate-PID, .retired-PID, .spill-PID) whose process is gone."""
    for path in layout.data_dir.iterdir():
        prefix = next((p for p in _WORK_FOLDER_PREFIXES if path.name.startswith(p)), None)
        pid = path.name[len(prefix):] if prefix else ""
        if pid.isdigit() and not process_is_alive(int(pid)) and path.is_dir():
            shutil.rmtree(path, ignore_errors=True)


def _swap_into_place(layout: Layout, staging: Path, retired: Path) -> None:
    """Replace each raw folder by its staged twin with one rename each."""
    retired.mkdir(exist_ok=True)
    for folder in RAW_FOLDERS:
        current = layout.data_dir / folder
        if current.exists():
            current.rename(retired / folder)
        (staging / folder).rename(current)
