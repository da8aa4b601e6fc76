"""The generated gap report: the committed copy equals a fresh one on the default lakehouse.

The freshness test needs the scale-1 lakehouse (the committed report's
figures are scale 1's), which costs more than the rest of a test file: it is
marked slow and runs in `make check` (CI runs `make test` and `make check`);
`--check` itself is tested here on the small lakehouse.
"""

from __future__ import annotations

import pytest

from conftest import make_layout, quiet, run_cli
from staffing_sql.generator import generate_lakehouse
from staffing_sql.paths import PROJECT_ROOT

COMMITTED = PROJECT_ROOT / "reports" / "staffing" / "synthetic-data-gap-report.md"


@pytest.fixture(scope="module")
def default_lakehouse(tmp_path_factory):
    """The built-in lakehouse exactly as `make audit` makes it: scale 1, seed 42."""
    layout = make_layout(tmp_path_factory.mktemp("default"))
    generate_lakehouse(layout, seed=42, scale=1, force=False, echo=quiet)
    return layout


@pytest.mark.slow
def test_committed_gap_report_is_fresh(default_lakehouse):
    result = run_cli("gap-report", "--data-dir", str(default_lakehouse.data_dir), "--check",
                     "--reports-dir", str(COMMITTED.parent))
    assert result.returncode == 0, result.stderr


def test_row_counts_equal_the_contract_table():
    report = COMMITTED.read_text()
    for stream, rows in [("candidates", "1,000"), ("job_orders", "15,000"), ("workers_500k", "500,000"),
                         ("workers_100k", "100,000"), ("ethereal_workers", "10,000"), ("client_workersi", "160"),
                         ("client_workerskjkk", "160"), ("sparse_workers", "200"), ("new_candidates", "3")]:
        assert f"| {stream} | `datasets/{stream}.parquet` | {rows} |" in report
    assert "| scenarios | `scenarios/SCN-*.json` | 44 files |" in report
    assert "| lessons | `_playbook_lessons/LSN-*.json` | 64 files |" in report


def test_check_passes_on_a_fresh_report_and_fails_on_a_stale_one(small_lakehouse, tmp_path):
    reports = tmp_path / "reports"
    data = ("--data-dir", str(small_lakehouse.data_dir), "--reports-dir", str(reports))
    assert run_cli("gap-report", *data).returncode == 0
    written = reports / COMMITTED.name
    fresh = written.read_text()
    assert "| workers_500k | `datasets/workers_500k.parquet` | 10,000 |" in fresh
    assert run_cli("gap-report", *data, "--check").returncode == 0
    written.write_text(fresh.replace("| 10,000 |", "| 9,999 |", 1))
    result = run_cli("gap-report", *data, "--check")
    assert result.returncode == 1
    assert "gap report is stale" in result.stderr
    assert "| 9,999 |" in written.read_text()  # --check writes nothing
