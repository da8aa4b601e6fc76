"""Publication gated on the PII scan (contract §6).

build and audit stage every output first: the layers' parquet files and the
analyst database under temporary names beside their targets, the reports and
this run's ledger file as text in memory. The scan
(sql/audit/assert_no_pii_in_outputs.sql, run through run_assertion) reads the
staged relations under their final names and a temp table
``published_files(path, text)`` holding the texts about to be written. Only
when it finds nothing is anything renamed into place. Otherwise the staged
files are deleted, the previously published outputs stay byte for byte as
they were, the run exits 1 with one line per (relation, column, kind) and a
count (never a value), and the failed run goes into the ledger: every
result without its samples (they may be what leaked), plus a
``publication_scan`` row whose samples are those (relation, column, kind,
count) lines.

A passing scan of the staged relations is recorded (out/audit/pii-scan.json)
under a key: the sha256 of the scan's rendered SQL, the parameters it binds,
every scanned relation's file sha256, every raw input file's sha256 and the
tool and DuckDB versions. A later run whose layers are all up to date
computes the same key from the same bytes, so the verdict is that run's too:
the scan is a pure function of them. Only such a run skips it (the audit
right after a build, an audit with nothing changed); any changed byte, SQL
or version scans again. The texts about to be written are always scanned.
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass

import duckdb

from staffing_sql import __version__
from staffing_sql import catalog
from staffing_sql.catalog import Assertion
from staffing_sql.checks import run_assertion, text_columns, utc_now
from staffing_sql.database import referenced_parameters
from staffing_sql.hashing import atomic_write_text, canonical_json, sha256_text
from staffing_sql.key import key_facts
from staffing_sql.pipeline import Lakehouse, LayerResult, ledger_dir, read_record, run_params
from staffing_sql.templates import render
from staffing_sql.reports import ledger_lines

SCAN_CHECK = "no_pii_in_outputs"
PUBLISHED_FILES = "published_files"
VERDICT_RECORD = "pii-scan.json"
GATE_CHECK = "publication_scan"
GATE_DESCRIPTION = ("Publication gate: the PII scan of every staged relation, report and ledger sample; "
                    "on a failure nothing was published and the previous outputs were kept")


def new_run(command: str, key: str) -> dict:
    """The fields every ledger run record and report carries, fixed when the run starts."""
    return {
        "run_id": time.strftime("%Y%m%dT%H%M%SZ", time.gmtime()) + f"-{os.getpid()}",
        "command": command,
        "started_at": utc_now(),
        "tool_version": __version__,
        "duckdb_version": duckdb.__version__,
        **key_facts(key),
    }


@dataclass
class ScanResult:
    """What the scan found: its check result (status, counts) and every (relation, column, kind, hits) row."""

    result: dict
    hits: list[tuple[str, str, str, int]]
    key: str | None = None
    reused_from: str | None = None

    @property
    def passed(self) -> bool:
        return self.result["status"] == "pass"


def scan_assertion() -> Assertion:
    return catalog.assertion(SCAN_CHECK)


def scan(con, assertion: Assertion, params: dict, columns: dict[str, list[str]]) -> ScanResult:
    """Run the PII scan over ``columns`` ({relation: its text columns}); keep every offending row."""
    result = run_assertion(con, assertion, params, {"text_columns": columns})
    hits = []
    if result["status"] == "fail":
        hits = [tuple(row) for row in con.execute(
            "select relation, column_name, kind, hits from _offending order by relation, column_name, kind").fetchall()]
    return ScanResult(result, hits)


def verdict_path(lake: Lakehouse):
    return ledger_dir(lake.layout).parent / VERDICT_RECORD


def _portable(value, data_dir: str):
    """A parameter as the key holds it: paths under the data folder made relative (their bytes are in inputs)."""
    if isinstance(value, list):
        return [_portable(item, data_dir) for item in value]
    if isinstance(value, str) and (value == data_dir or value.startswith(data_dir + os.sep)):
        return os.path.relpath(value, data_dir)
    return value


def verdict_key(assertion: Assertion, params: dict, columns: dict[str, list[str]],
                layers: dict[str, LayerResult], data_dir: str) -> str:
    """What the scan of these layers' relations is a function of (see the module's docstring)."""
    sql = render(assertion.template, text_columns=columns).strip().rstrip(";")
    return sha256_text(canonical_json({
        "sql_sha256": sha256_text(sql),
        "params": {name: _portable(params[name], data_dir) for name in sorted(referenced_parameters(sql))},
        "outputs": sorted((entry["path"], entry["sha256"]) for layer in layers.values()
                          for entry in layer.record.get("outputs", [])),
        "inputs": sorted({(entry["path"], entry["sha256"]) for layer in layers.values()
                          for entry in layer.record.get("inputs", [])}),
        "tool_version": __version__,
        "duckdb_version": duckdb.__version__,
    }))


def scan_layers(lake: Lakehouse, layers: dict[str, LayerResult], assertion: Assertion, params: dict,
                columns: dict[str, list[str]]) -> ScanResult:
    """The scan of the staged relations, or the recorded verdict when every layer is up to date and its key holds."""
    key = verdict_key(assertion, params, columns, layers, str(lake.layout.data_dir))
    recorded = read_record(verdict_path(lake)) or {}
    if not any(layer.rebuilt for layer in layers.values()) and recorded.get("key") == key \
            and recorded.get("status") == "pass":
        now = utc_now()
        result = {
            "check_id": assertion.id, "phase": assertion.phase, "severity": assertion.severity,
            "description": assertion.description, "sql_path": assertion.template,
            "sql_sha256": recorded["sql_sha256"], "status": "pass", "offending_rows": 0, "samples": [],
            "breakdown": [], "error": None, "ran_on": "duckdb", "ran_on_reason": None,
            "started_at": now, "ended_at": now, "duration_s": 0.0,
        }
        return ScanResult(result, [], key, recorded["run_id"])
    verdict = scan(lake.con, assertion, params, columns)
    verdict.key = key
    return verdict


def record_verdict(lake: Lakehouse, run: dict, verdict: ScanResult) -> None:
    """After publication: the passing verdict and its key, for the next run over the same bytes."""
    if verdict.passed and verdict.key and not verdict.reused_from:
        atomic_write_text(verdict_path(lake), canonical_json({
            "key": verdict.key, "run_id": run["run_id"], "sql_sha256": verdict.result["sql_sha256"],
            "status": "pass"}))


def scan_texts(lake: Lakehouse, texts: dict[str, str], assertion: Assertion | None = None,
               params: dict | None = None) -> ScanResult:
    """Scan the texts about to be written (reports, ledger lines), loaded as published_files(path, text)."""
    lake.con.execute(f"create or replace temp table {PUBLISHED_FILES} (path varchar, text varchar)")
    lake.con.executemany(f"insert into {PUBLISHED_FILES} values (?, ?)", sorted(texts.items()))
    assertion = assertion or scan_assertion()
    return scan(lake.con, assertion, params or run_params(lake), {PUBLISHED_FILES: ["path", "text"]})


def combined(*scans: ScanResult) -> ScanResult:
    """One verdict from several scans: it passes only when each passed."""
    failed = next((s for s in scans if s.result["status"] == "error"), None)
    failed = failed or next((s for s in scans if not s.passed), None)
    hits = sorted(hit for s in scans for hit in s.hits)
    return ScanResult((failed or scans[0]).result, hits)


def gate_result(verdict: ScanResult) -> dict:
    """The ledger row of a refused publication: one sample per (relation, column, kind), counts only."""
    return {
        **verdict.result,
        "check_id": GATE_CHECK,
        "description": GATE_DESCRIPTION,
        "status": "error" if verdict.result["status"] == "error" else "fail",
        "offending_rows": len(verdict.hits),
        "samples": [{"relation": relation, "column_name": column, "kind": kind, "hits": hits}
                    for relation, column, kind, hits in verdict.hits],
    }


def refuse(lake: Lakehouse, run: dict, results: list[dict], verdict: ScanResult, echo) -> None:
    """Report a refused publication on stderr and record the failed run in the ledger (nothing else is written)."""
    run = {**run, "ended_at": utc_now()}
    recorded = [{**r, "samples": []} for r in results] + [gate_result(verdict)]
    ledger = ledger_dir(lake.layout) / f"{run['run_id']}.json"
    atomic_write_text(ledger, ledger_lines(run, recorded))
    for relation, column, kind, hits in verdict.hits:
        echo(f"  PII scan: {relation}.{column}: {kind} in {hits:,} value(s)")
    if verdict.result["status"] == "error":
        echo(f"  PII scan: could not run ({verdict.result['error']})")
    echo(f"  publication refused: the PII scan of the staged outputs did not pass "
         f"({len(verdict.hits)} relation/column/kind line(s)); nothing was published, the previous outputs are "
         f"unchanged; failed run recorded in {ledger}")

