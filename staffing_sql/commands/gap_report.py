"""staffing-sql gap-report: regenerate the synthetic-data gap report."""

from __future__ import annotations

import difflib
import sys

import click

from staffing_sql.errors import EXIT_CHECK_FAILED
from staffing_sql.gap_report import REPORT_NAME, build_gap_report
from staffing_sql.hashing import atomic_write_text
from staffing_sql.options import layout_options
from staffing_sql.pipeline import Lakehouse


@click.command("gap-report")
@layout_options
@click.option("--check", is_flag=True, help="Exit 1 when the committed report differs from a fresh one; write nothing.")
def gap_report(layout, check):
    """Regenerate reports/staffing/synthetic-data-gap-report.md from the data and the manifest."""
    lake = Lakehouse.open(layout, key=None)
    try:
        fresh = build_gap_report(lake)
    finally:
        lake.close()
    target = layout.reports_dir / REPORT_NAME
    if check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        if current == fresh:
            click.echo(f"gap report up to date: {target}", err=True)
            return
        diff = difflib.unified_diff(current.splitlines(), fresh.splitlines(), "committed", "fresh", lineterm="", n=0)
        for line in list(diff)[:40]:
            click.echo(line, err=True)
        click.echo(f"gap report is stale: run `staffing-sql gap-report` and commit {target}", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    atomic_write_text(target, fresh)
    click.echo(f"gap report written: {target}", err=True)
