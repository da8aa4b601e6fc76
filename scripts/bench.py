#!/usr/bin/env python3
"""make bench: time generate, build and audit against floors measured in the same run.

Every figure is a ratio to a floor taken on the same machine, in the same run:
  generate  -> floor: DuckDB writing the same number of rows of random text
               to parquet (the cost of the bytes, without the data's logic)
  build     -> floor: one DuckDB scan of every column the safe layer reads;
               also shown against a copy floor: DuckDB copying those columns
               to parquet once (the least a build that writes its outputs
               costs, before any masking)
  audit     -> floor: that scan of every input column plus sha256 of every
               input file (what any audit must at least do)
Each step runs as its own process; peak memory is that process's max RSS.

--baseline REV also times an earlier release, checked out as a git worktree
(never the working tree), on the same data in the same run: the cold build
and the warm audit of both, and their ratio (ours over the baseline's), which
holds on a noisy machine where seconds do not.
Usage: scripts/bench.py [--scales 1,10] [--root build/bench] [--baseline REV]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from staffing_sql.manifest import load_manifest  # noqa: E402

BENCH_KEY = "bench-key-not-secret"


def run(args: list[str], env: dict | None = None, project: Path = ROOT) -> tuple[float, float, int, float]:
    """(seconds, peak MiB, exit code, CPU seconds) of one CLI process of the project checked out at ``project``.

    CPU seconds (user + system, all threads) move less than wall seconds when
    other work shares the machine: both are reported."""
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "staffing_sql", *args], cwd=project,
                               env={**os.environ, "STAFFING_SQL_KEY": BENCH_KEY, "PYTHONPATH": str(project),
                                    **(env or {})},
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(process.pid, 0)
    return (time.perf_counter() - started, usage.ru_maxrss / 1024, os.waitstatus_to_exitcode(status),
            usage.ru_utime + usage.ru_stime)


def scan_floor(data_dir: Path) -> float:
    """One DuckDB scan of every column of every dataset (max() forces each column to be read)."""
    manifest = load_manifest()
    con = duckdb.connect()
    started = time.perf_counter()
    for dataset in manifest.datasets:
        columns = ", ".join(f'max("{column.name}")' for column in dataset.columns)
        con.execute(f"select {columns} from read_parquet($p)", {"p": str(data_dir / "datasets" / dataset.file)}).fetchall()
    for folder in ("scenarios", "_playbook_lessons"):
        con.execute("select count(*) from read_json_objects($p)", {"p": str(data_dir / folder / "*.json")}).fetchall()
    return time.perf_counter() - started


def copy_floor(data_dir: Path, target: Path) -> float:
    """DuckDB copying every column of every dataset to parquet once, with no logic."""
    manifest = load_manifest()
    con = duckdb.connect()
    started = time.perf_counter()
    for dataset in manifest.datasets:
        columns = ", ".join(f'"{column.name}"' for column in dataset.columns)
        con.execute(f"copy (select {columns} from read_parquet($p)) to $t (format parquet)",
                    {"p": str(data_dir / "datasets" / dataset.file), "t": str(target)})
    return time.perf_counter() - started


def hash_floor(data_dir: Path) -> float:
    started = time.perf_counter()
    for path in sorted(p for folder in ("datasets", "scenarios", "_playbook_lessons") for p in (data_dir / folder).iterdir()):
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return time.perf_counter() - started


def write_floor(rows: int, target: Path) -> float:
    con = duckdb.connect()
    started = time.perf_counter()
    con.execute(
        "copy (select i as id, md5(i::varchar) || repeat('x', 400) as text from range($n) t(i)) to $p (format parquet)",
        {"n": rows, "p": str(target)},
    )
    return time.perf_counter() - started


def baseline_worktree(revision: str, root: Path) -> Path:
    """A detached git worktree of ``revision`` under root (made anew each run)."""
    target = root / "baseline"
    subprocess.run(["git", "worktree", "remove", "--force", str(target)], cwd=ROOT, capture_output=True)
    shutil.rmtree(target, ignore_errors=True)
    subprocess.run(["git", "worktree", "add", "--detach", str(target), revision], cwd=ROOT, check=True,
                   capture_output=True)
    return target


def bench_baseline(baseline: Path, data: Path, root: Path, figures: dict) -> None:
    """The baseline's cold build and warm audit on the same data, and ours over theirs."""
    common = ["--data-dir", str(data), "--out-dir", str(root / "baseline-build"),
              "--reports-dir", str(root / "baseline-reports")]
    shutil.rmtree(root / "baseline-build", ignore_errors=True)
    seconds, peak, code, cpu = run(["build", *common], project=baseline)
    figures["baseline_build"] = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak), "exit": code,
                                 "ours_over_baseline": round(figures["build"]["seconds"] / seconds, 2),
                                 "cpu_ours_over_baseline": round(figures["build"]["cpu_s"] / cpu, 2)}
    run(["audit", *common], project=baseline)  # makes the baseline's layers up to date
    seconds, peak, code, cpu = run(["audit", *common], project=baseline)
    figures["baseline_audit_warm"] = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak), "exit": code,
                                      "ours_over_baseline": round(figures["audit_warm"]["seconds"] / seconds, 2),
                                      "cpu_ours_over_baseline": round(figures["audit_warm"]["cpu_s"] / cpu, 2)}


def bench_scale(scale: float, root: Path, baseline: Path | None = None) -> dict:
    data, out, reports = root / f"s{scale:g}" / "data", root / f"s{scale:g}" / "build", root / f"s{scale:g}" / "reports"
    shutil.rmtree(root / f"s{scale:g}", ignore_errors=True)
    figures = {"scale": scale}
    seconds, peak, code, cpu = run(["generate", "--data-dir", str(data), "--scale", str(scale)])
    floor = write_floor(round(610_000 * scale), root / "floor.parquet")
    figures["generate"] = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak), "floor_s": round(floor, 2),
                           "ratio": round(seconds / floor, 1), "exit": code}
    scan = scan_floor(data)
    hashed = hash_floor(data)
    copied = copy_floor(data, root / "floor.parquet")
    common = ["--data-dir", str(data), "--out-dir", str(out), "--reports-dir", str(reports)]
    seconds, peak, code, cpu = run(["build", *common])
    figures["build"] = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak), "floor_s": round(scan, 2),
                        "ratio": round(seconds / scan, 1), "exit": code,
                        "copy_floor_s": round(copied, 2), "copy_ratio": round(seconds / copied, 1)}
    shutil.rmtree(out, ignore_errors=True)
    seconds, peak, code, cpu = run(["audit", *common])
    floor = scan + hashed
    figures["audit"] = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak), "floor_s": round(floor, 2),
                        "ratio": round(seconds / floor, 1), "exit": code}
    seconds, peak, code, cpu = run(["audit", *common])
    figures["audit_warm"] = {"seconds": round(seconds, 2), "cpu_s": round(cpu, 2), "peak_mib": round(peak), "floor_s": round(floor, 2),
                             "ratio": round(seconds / floor, 1), "exit": code}
    if baseline is not None:
        bench_baseline(baseline, data, root / f"s{scale:g}", figures)
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scales", default="1,10")
    parser.add_argument("--root", default=str(ROOT / "build" / "bench"))
    parser.add_argument("--baseline", default=None, help="a git revision to time beside this one (a worktree)")
    args = parser.parse_args()
    root = Path(args.root)
    root.mkdir(parents=True, exist_ok=True)
    baseline = baseline_worktree(args.baseline, root) if args.baseline else None
    results = [bench_scale(float(scale), root, baseline) for scale in args.scales.split(",")]
    print(f"{'scale':>5} {'step':<11} {'seconds':>8} {'floor s':>8} {'ratio':>6} {'peak MiB':>9} {'exit':>4}")
    for figures in results:
        for step in ("generate", "build", "audit", "audit_warm"):
            f = figures[step]
            print(f"{figures['scale']:>5g} {step:<11} {f['seconds']:>8.2f} {f['floor_s']:>8.2f} {f['ratio']:>6.1f} {f['peak_mib']:>9,} {f['exit']:>4}")
    for figures in results:
        f = figures["build"]
        print(f"scale {figures['scale']:g} build against the copy floor ({f['copy_floor_s']:.2f} s): {f['copy_ratio']:.1f}x")
    for figures in results:
        if "baseline_build" in figures:
            b, w = figures["baseline_build"], figures["baseline_audit_warm"]
            print(f"scale {figures['scale']:g} against {args.baseline}: build {figures['build']['seconds']:.2f} s vs "
                  f"{b['seconds']:.2f} s ({b['ours_over_baseline']:.2f}x), warm audit {figures['audit_warm']['seconds']:.2f} s "
                  f"vs {w['seconds']:.2f} s ({w['ours_over_baseline']:.2f}x); in CPU seconds: build "
                  f"{b['cpu_ours_over_baseline']:.2f}x, warm audit {w['cpu_ours_over_baseline']:.2f}x")
    if len(results) > 1:
        first, last = results[0], results[-1]
        growth = last["audit"]["seconds"] / first["audit"]["seconds"]
        print(f"audit time, scale {last['scale']:g} over scale {first['scale']:g}: {growth:.1f}x")
    (root / "bench.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
