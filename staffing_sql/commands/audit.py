"""staffing-sql audit: gate, hash inputs, build, assert, record, report."""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

import click
import duckdb

from staffing_sql import __version__
from staffing_sql.audit import AuditSession, compare_known_answers, exit_code, utc_now
from staffing_sql.errors import CannotRun
from staffing_sql.hashing import atomic_write_text, canonical_json
from staffing_sql.options import key_options, layout_options, wait_option
from staffing_sql.outputs import exclusive_outputs
from staffing_sql.pipeline import Lakehouse, ledger_dir, output_hashes, write_analyst_database
from staffing_sql.reports import junit_xml, ledger_lines, markdown_report, terminal_table


def _echo(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@layout_options
@key_options
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text",
              help="json: print the run and every result as JSON on stdout.")
@click.option("--junit", "junit_path", type=click.Path(dir_okay=False), default=None,
              help="Also write JUnit XML for CI to this path.")
@click.option("--known-answers", "known_answers", type=click.Path(dir_okay=False), default=None,
              help="A generator record (data/GENERATED.json): pass when the checks that fail are exactly "
                   "the problems it planted, and nothing else blocking fails.")
@wait_option
def audit(layout, key, output_format, junit_path, known_answers, wait_seconds):
    """Run the main job: gate, build every layer, run every check, record and report."""
    planted = _read_planted(known_answers) if known_answers else None
    extra = (Path(junit_path).absolute(),) if junit_path else ()
    with exclusive_outputs(layout, wait_seconds, writes_reports=True, extra_files=extra):
        code, results = _run(layout, key, output_format, junit_path, judged_by_known_answers=planted is not None)
    if planted is not None:
        differences = compare_known_answers(results, planted)
        for difference in differences:
            _echo(f"  known answers: {difference}")
        if differences:
            _echo(f"  known answers: {len(differences)} difference(s) from {known_answers}")
            sys.exit(1)
        failing = sum(1 for r in results if r["status"] == "fail" and r["severity"] == "blocking")
        _echo(f"  known answers: the {failing} blocking checks that failed caught exactly the "
              f"{len(planted)} problems the generator planted; nothing else blocking failed")
        sys.exit(0)
    sys.exit(code)


def _read_planted(path: str) -> list[dict]:
    try:
        record = json.loads(Path(path).read_text(encoding="utf-8"))
        planted = record["planted"]
    except FileNotFoundError:
        raise CannotRun(f"{path}: known-answers file not found") from None
    except (ValueError, KeyError, TypeError):
        raise CannotRun(f"{path}: not a generator record (no 'planted' list)") from None
    if not isinstance(planted, list) or not all(isinstance(p, dict) and "check" in p for p in planted):
        raise CannotRun(f"{path}: 'planted' must be a list of problems with a 'check'")
    return planted


def _run(layout, key, output_format, junit_path, judged_by_known_answers=False) -> tuple[int, list[dict]]:
    run_id = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}"
    started_at = utc_now()
    _echo(f"staffing-sql audit {run_id}")
    _echo("  [1/5] gate and schema contract")
    lake = Lakehouse(layout, key)
    try:
        session = AuditSession(lake, echo=_echo)
        _echo(f"  [4/5] running {len(session.assertions)} checks")
        results = []
        for assertion in session.assertions:
            result = session.run(assertion)
            results.append(result)
            rows = "-" if result["offending_rows"] is None else result["offending_rows"]
            _echo(f"        {result['status']:<5} {assertion.id} ({rows})")
        input_records, layers = session.input_records, session.layers
    finally:
        lake.close()

    run = {
        "run_id": run_id,
        "started_at": started_at,
        "ended_at": utc_now(),
        "tool_version": __version__,
        "duckdb_version": duckdb.__version__,
        "inputs": input_records,
    }
    _echo("  [5/5] recording and reporting")
    ledger = ledger_dir(layout)
    atomic_write_text(ledger / f"{run_id}.json", ledger_lines(run, results))
    atomic_write_text(layout.reports_dir / "audit-report.md", markdown_report(run, results))
    atomic_write_text(layout.reports_dir / "audit-results.json", canonical_json({"run": run, "results": results}))
    if junit_path:
        atomic_write_text(Path(junit_path), junit_xml(run, results))
    tables = {**layers["safe"].outputs, **layers["derived"].outputs}
    write_analyst_database(layout, tables, output_hashes(layout, layers["safe"], layers["derived"]))
    code = exit_code(results)
    _echo("")
    _echo(terminal_table(results))
    _echo("")
    _echo(f"  report: {layout.reports_dir / 'audit-report.md'}   ledger: {ledger}")
    if judged_by_known_answers:
        _echo(f"  blocking checks failed: {'yes' if code else 'none'}; judged against the known answers:")
    else:
        _echo(f"  verdict: {'FAILED (a blocking check failed)' if code else 'ok (no blocking check failed)'}")
    if output_format == "json":
        click.echo(json.dumps({"run": run, "results": results}, ensure_ascii=False, indent=2))
    return code, results
