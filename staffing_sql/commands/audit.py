"""staffing-sql audit: the options, the output lock, staffing_sql.audit.run_audit, then the verdict."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from staffing_sql.audit import run_audit
from staffing_sql.checks import compare_known_answers, exit_code
from staffing_sql.errors import EXIT_CHECK_FAILED, CannotRun
from staffing_sql.options import engine_options, key_options, layout_options, wait_option
from staffing_sql.outputs import exclusive_outputs
from staffing_sql.pipeline import ledger_dir
from staffing_sql.reports import DEVELOPMENT_KEY_WARNING, terminal_table


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
@engine_options
@wait_option
def audit(layout, key, output_format, junit_path, known_answers, engine, wait_seconds):
    """Run the main job: gate, build every layer, run every check, record and report."""
    planted = _read_planted(known_answers) if known_answers else None
    extra = (Path(junit_path).absolute(),) if junit_path else ()
    with exclusive_outputs(layout, wait_seconds, writes_reports=True, extra_files=extra):
        code, results, published = _run(layout, key, output_format, junit_path,
                                        judged_by_known_answers=planted is not None, engine=engine)
    if not published:
        sys.exit(EXIT_CHECK_FAILED)
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


def _run(layout, key, output_format, junit_path, judged_by_known_answers=False,
         engine=None) -> tuple[int, list[dict], bool]:
    outcome = run_audit(layout, key, _echo, junit_path, engine=engine)
    run, results = outcome.run, outcome.results
    if not outcome.published:
        return EXIT_CHECK_FAILED, results, False
    code = exit_code(results)
    _echo("")
    _echo(terminal_table(results))
    _echo("")
    _echo(f"  report: {layout.reports_dir / 'audit-report.md'}   ledger: {ledger_dir(layout)}")
    if run["development_key"]:
        _echo(f"  {DEVELOPMENT_KEY_WARNING} (key fingerprint {run['key_fingerprint']})")
    if judged_by_known_answers:
        _echo(f"  blocking checks failed: {'yes' if code else 'none'}; judged against the known answers:")
    else:
        _echo(f"  verdict: {'FAILED (a blocking check failed)' if code else 'ok (no blocking check failed)'}")
    if output_format == "json":
        click.echo(json.dumps({"run": run, "results": results}, ensure_ascii=False, indent=2))
    return code, results, True
