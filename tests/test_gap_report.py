"""The generated gap report: the committed copy equals a fresh one on the default lakehouse."""

from __future__ import annotations

import shutil

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


def test_check_fails_on_a_stale_report(default_lakehouse, tmp_path):
    stale = tmp_path / "reports"
    stale.mkdir()
    shutil.copy(COMMITTED, stale / COMMITTED.name)
    (stale / COMMITTED.name).write_text(COMMITTED.read_text().replace("500,000", "499,999"))
    result = run_cli("gap-report", "--data-dir", str(default_lakehouse.data_dir), "--check", "--reports-dir", str(stale))
    assert result.returncode == 1
    assert "gap report is stale" in result.stderr
    assert "499,999" in (stale / COMMITTED.name).read_text()  # --check writes nothing
