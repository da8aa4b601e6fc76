"""staffing-sql audit: gate, hash inputs, build (staged), assert, scan, then publish, record and report."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import click

from staffing_sql.audit import AuditSession, compare_known_answers, exit_code, utc_now
from staffing_sql.errors import EXIT_CHECK_FAILED, CannotRun
from staffing_sql.hashing import atomic_write_text, canonical_json, temporary_sibling
from staffing_sql.options import key_options, layout_options, wait_option
from staffing_sql.outputs import exclusive_outputs
from staffing_sql.pipeline import (Lakehouse, build_info, discard_layers, ledger_dir, output_hashes, publish_layers,
                                   stage_analyst_database)
from staffing_sql.publication import SCAN_CHECK, combined, new_run, record_verdict, refuse, scan_layers, scan_texts
from staffing_sql.reports import DEVELOPMENT_KEY_WARNING, junit_xml, ledger_lines, markdown_report, terminal_table


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
        code, results, published = _run(layout, key, output_format, junit_path,
                                        judged_by_known_answers=planted is not None)
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


def _run(layout, key, output_format, junit_path, judged_by_known_answers=False) -> tuple[int, list[dict], bool]:
    run = new_run("audit", key)
    _echo(f"staffing-sql audit {run['run_id']}")
    _echo("  [1/5] gate and schema contract")
    lake = Lakehouse(layout, key)
    layers = {}
    try:
        session = AuditSession(lake, echo=_echo)
        layers = session.layers
        lake.hold_normalised()  # several checks read the normalised relations
        _echo(f"  [4/5] running {len(session.assertions)} checks")
        results, outputs_scan = [], None
        for assertion in session.assertions:
            if assertion.id == SCAN_CHECK:
                # The check is also the publication gate over the staged relations: keep every row it found.
                outputs_scan = scan_layers(lake, layers, assertion, session.params, session.context["text_columns"])
                result = outputs_scan.result
                if outputs_scan.reused_from:
                    _echo(f"        (every layer up to date: the passing scan of run {outputs_scan.reused_from} "
                          "holds for the same bytes)")
            else:
                result = session.run(assertion)
            results.append(result)
            rows = "-" if result["offending_rows"] is None else result["offending_rows"]
            _echo(f"        {result['status']:<5} {assertion.id} ({rows})")
        run = {**run, "ended_at": utc_now(), "inputs": session.input_records}

        _echo("  [5/5] scanning what is about to be published, then recording and reporting")
        ledger = ledger_dir(layout) / f"{run['run_id']}.json"
        report = layout.reports_dir / "audit-report.md"
        results_json = layout.reports_dir / "audit-results.json"
        texts = {
            ledger: ledger_lines(run, results),
            report: markdown_report(run, results),
            results_json: canonical_json({"run": run, "results": results}),
        }
        if junit_path:
            texts[Path(junit_path)] = junit_xml(run, results)
        files_scan = scan_texts(lake, {path.name: text for path, text in texts.items()}, session.assertion(SCAN_CHECK),
                                session.params)
        verdict = combined(outputs_scan, files_scan)
        if not verdict.passed:
            _echo("")
            _echo(terminal_table(results))
            _echo("")
            refuse(lake, run, results, verdict, _echo)
            return EXIT_CHECK_FAILED, results, False
        staged_ledger = temporary_sibling(ledger)
        atomic_write_text(staged_ledger, texts.pop(ledger))
        try:
            tables = {**layers["safe"].outputs, **layers["derived"].outputs}
            database = stage_analyst_database(layout, tables, output_hashes(layout, layers["safe"], layers["derived"]),
                                              build_info(key), staged_ledger)
            try:
                publish_layers(lake, layers)
                database.publish()
                record_verdict(lake, run, outputs_scan)
            except BaseException:
                database.discard()
                raise
            os.replace(staged_ledger, ledger)
        finally:
            staged_ledger.unlink(missing_ok=True)
        for path, text in texts.items():
            atomic_write_text(path, text)
    finally:
        discard_layers(layers)
        lake.close()

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
