"""The audit, as one sequence: gate, hash, build the stale layers, run the checks, scan, record and publish.

run_audit is the whole job; the command parses options, takes the output lock
and calls it. Raw inputs are listed and hashed before anything is built (the
layers' staleness records reuse those hashes while the files are unchanged);
the provenance phase lists the raw folders again and hashes what it finds,
fresh, after every other check, so raw_files_unchanged sees a file that
changed, appeared or vanished during the run. Nothing is published before the
PII scan of everything about to be written passed (staffing_sql.publication).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

from staffing_sql import catalog
from staffing_sql.catalog import Assertion
from staffing_sql.engine import SCAN_ON_DUCKDB, EngineChoice
from staffing_sql.checks import redact_samples, run_assertion, text_columns, utc_now
from staffing_sql.hashing import atomic_write_text, canonical_json, temporary_sibling
from staffing_sql.paths import Layout
from staffing_sql.pipeline import (LayerResult, Lakehouse, build_info, build_layers, discard_layers, ledger_dir,
                                   output_hashes, publish_layers, raw_files, run_params, stage_analyst_database)
from staffing_sql.publication import (SCAN_CHECK, ScanResult, combined, new_run, record_verdict, refuse, scan_layers,
                                      scan_texts)
from staffing_sql.reports import junit_xml, ledger_lines, markdown_report, terminal_table


@dataclass
class AuditSession:
    """What every check of one run reads: the lakehouse, its layers (staged), the bound parameters."""

    lake: Lakehouse
    layers: dict[str, LayerResult]
    input_records: list[dict]
    assertions: list[Assertion]
    params: dict
    context: dict

    def assertion(self, check_id: str) -> Assertion:
        for assertion in self.assertions:
            if assertion.id == check_id:
                return assertion
        raise KeyError(check_id)

    def run(self, assertion: Assertion, staged: list | None = None, **context) -> dict:
        """One check; with ``staged``, its samples wait there for redact_samples (see run_assertion)."""
        if assertion.phase == "provenance" and "end_hashes" not in self.params:
            self.params["end_hashes"] = hash_raw_files_now(self.lake)
        return run_assertion(self.lake.con, assertion, self.params, {**self.context, **context}, staged,
                             engine=self.lake.engine)


def hash_raw_files_now(lake: Lakehouse) -> list[dict]:
    """{path, sha256} of every raw file present at the end of the run."""
    entries = []
    for path in raw_files(lake):
        try:
            entry = lake.file_entry(path, fresh=True)
        except FileNotFoundError:
            continue  # vanished between the listing and the hash: reported as vanished
        entries.append({"path": entry["path"], "sha256": entry["sha256"]})
    return entries


def check_params(lake: Lakehouse, input_records: list[dict]) -> dict:
    """The parameters the checks bind: the run's, and the raw files' hashes at the start (raw_files_unchanged)."""
    return {"start_hashes": [{"path": r["path"], "sha256": r["sha256"]} for r in input_records], **run_params(lake)}


def prepare(lake: Lakehouse, echo=lambda message: None) -> AuditSession:
    """Steps 2 and 3: hash every raw file, then build (stage) each stale layer."""
    inputs = raw_files(lake)
    echo(f"  [2/5] hashing {len(inputs)} input files")
    input_records = [lake.file_entry(path) for path in inputs]
    echo("  [3/5] building layers (each only when stale)")
    layers = build_layers(lake, echo)
    lake.register_excluded()
    outputs = [*layers["safe"].outputs, *layers["derived"].outputs]
    return AuditSession(lake, layers, input_records, catalog.assertions(), check_params(lake, input_records),
                        {"text_columns": text_columns(lake.con, outputs)})


def run_checks(session: AuditSession, echo) -> tuple[list[dict], ScanResult | None]:
    """Step 4: every check in order; the PII scan keeps every row it found (it also gates publication)."""
    results, outputs_scan, staged = [], None, []
    for assertion in session.assertions:
        if assertion.id == SCAN_CHECK:
            outputs_scan = scan_layers(session.lake, session.layers, assertion, session.params,
                                       session.context["text_columns"])
            result = outputs_scan.result
            if session.lake.engine.name != "duckdb":
                result["ran_on_reason"] = SCAN_ON_DUCKDB
            if outputs_scan.reused_from:
                echo(f"        (every layer up to date: the passing scan of run {outputs_scan.reused_from} "
                     "holds for the same bytes)")
        else:
            result = session.run(assertion, staged)
        results.append(result)
        rows = "-" if result["offending_rows"] is None else result["offending_rows"]
        echo(f"        {result['status']:<5} {assertion.id} ({rows})")
    redact_samples(session.lake.con, staged)
    return results, outputs_scan


@dataclass
class AuditOutcome:
    run: dict
    results: list[dict]
    published: bool


def run_audit(layout: Layout, key: str, echo, junit_path: str | None = None,
              engine: EngineChoice | None = None) -> AuditOutcome:
    """The main job, start to end. Refused publication: the failed run is in the ledger, nothing else is written."""
    run = new_run("audit", key)
    echo(f"staffing-sql audit {run['run_id']}")
    echo("  [1/5] gate and schema contract")
    lake = Lakehouse.open(layout, key, engine=engine)
    run = {**run, **lake.engine.facts()}
    layers = {}
    try:
        session = prepare(lake, echo)
        layers = session.layers
        lake.hold_normalised()  # several checks read the normalised relations
        echo(f"  [4/5] running {len(session.assertions)} checks")
        results, outputs_scan = run_checks(session, echo)
        run = {**run, "ended_at": utc_now(), "inputs": session.input_records}

        echo("  [5/5] scanning what is about to be published, then recording and reporting")
        ledger = ledger_dir(layout) / f"{run['run_id']}.json"
        texts = {
            ledger: ledger_lines(run, results),
            layout.reports_dir / "audit-report.md": markdown_report(run, results),
            layout.reports_dir / "audit-results.json": canonical_json({"run": run, "results": results}),
        }
        if junit_path:
            texts[Path(junit_path)] = junit_xml(run, results)
        files_scan = scan_texts(lake, {path.name: text for path, text in texts.items()}, session.assertion(SCAN_CHECK),
                                session.params)
        verdict = combined(outputs_scan, files_scan)
        if not verdict.passed:
            echo("")
            echo(terminal_table(results))
            echo("")
            refuse(lake, run, results, verdict, echo)
            return AuditOutcome(run, results, published=False)
        _publish(lake, layers, key, ledger, texts)
        record_verdict(lake, run, outputs_scan)
    finally:
        discard_layers(layers)
        lake.close()
    return AuditOutcome(run, results, published=True)


def _publish(lake: Lakehouse, layers: dict[str, LayerResult], key: str, ledger: Path, texts: dict[Path, str]) -> None:
    """The layers and the analyst database (with this run's ledger in audit_results), the ledger, the reports."""
    layout = lake.layout
    staged_ledger = temporary_sibling(ledger)
    atomic_write_text(staged_ledger, texts.pop(ledger))
    try:
        tables = {**layers["safe"].outputs, **layers["derived"].outputs}
        database = stage_analyst_database(layout, tables, output_hashes(layout, layers["safe"], layers["derived"]),
                                          build_info(key), staged_ledger)
        try:
            publish_layers(lake, layers)
            database.publish()
        except BaseException:
            database.discard()
            raise
        os.replace(staged_ledger, ledger)
    finally:
        staged_ledger.unlink(missing_ok=True)
    for path, text in texts.items():
        atomic_write_text(path, text)
