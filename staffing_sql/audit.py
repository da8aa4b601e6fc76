"""Run the SQL assertions under sql/audit/ and record every result.

An assertion is ``sql/audit/assert_<id>.sql``: a query selecting the offending
rows (zero rows = pass) with a header naming its id, phase, severity
(blocking | soft | info) and a one-line description.
"""

from __future__ import annotations

import json
import re
import time
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

import duckdb

from staffing_sql.database import referenced_parameters
from staffing_sql.errors import CannotRun
from staffing_sql.hashing import sha256_text
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.pipeline import Lakehouse, build_layers, document_paths
from staffing_sql.templates import render

AUDIT_DIR = PROJECT_ROOT / "sql" / "audit"
SEVERITIES = ("blocking", "soft", "info")
# Checks run phase by phase; provenance last, after every other read of the raw files.
PHASES = ("schema", "integrity", "normalisation", "pii", "derived", "decisions", "provenance")
SAMPLE_ROWS = 5
_HEADER = re.compile(r"^--\s*(id|phase|severity|description):\s*(.+?)\s*$", re.MULTILINE)


# Templates whose context the audit computes at run time get a representative
# one when rendered outside a run (lint, the gap report, `render`).
SAMPLE_CONTEXT = {
    "sql/audit/assert_no_pii_in_outputs.sql": {
        "text_columns": {
            "workers_safe": ["name_token", "communications"],
            "fill_events": ["worker_token", "lesson_ids"],
            "staffing_answers": ["text"],
        },
    },
}


def representative_context(template: str) -> dict:
    return SAMPLE_CONTEXT.get(template, {})


@dataclass(frozen=True)
class Assertion:
    id: str
    phase: str
    severity: str
    description: str
    template: str


def discover_assertions() -> list[Assertion]:
    assertions = []
    for path in sorted(AUDIT_DIR.glob("assert_*.sql")):
        template = path.relative_to(PROJECT_ROOT).as_posix()
        header = dict(_HEADER.findall(path.read_text(encoding="utf-8")))
        missing = [field for field in ("id", "phase", "severity", "description") if field not in header]
        if missing:
            raise CannotRun(f"{template}: header lacks {', '.join(missing)}")
        if header["severity"] not in SEVERITIES:
            raise CannotRun(f"{template}: severity must be one of {', '.join(SEVERITIES)}")
        if header["phase"] not in PHASES:
            raise CannotRun(f"{template}: phase must be one of {', '.join(PHASES)}")
        if f"assert_{header['id']}" != path.stem:
            raise CannotRun(f"{template}: id '{header['id']}' does not match the file name")
        assertions.append(Assertion(template=template, **header))
    return sorted(assertions, key=lambda assertion: (PHASES.index(assertion.phase), assertion.id))


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_assertion(con, assertion: Assertion, params: dict, context: dict) -> dict:
    """Run one assertion; never raises for a failing query (status 'error')."""
    started_at, started = utc_now(), time.perf_counter()
    sql = render(assertion.template, **context).strip().rstrip(";")
    result = {
        "check_id": assertion.id,
        "phase": assertion.phase,
        "severity": assertion.severity,
        "description": assertion.description,
        "sql_path": assertion.template,
        "sql_sha256": sha256_text(sql),
        "status": "error",
        "offending_rows": None,
        "samples": [],
        "breakdown": [],
        "error": None,
    }
    try:
        wanted = {name: params[name] for name in referenced_parameters(sql)}
        con.execute(f"create or replace temp table _offending as {sql}", wanted or None)
        count = con.execute("select count(*) from _offending").fetchone()[0]
        # Samples pass through redact_text as a last line of defence: assertions
        # select ids and tokens only, and a sample must never carry PII.
        # Sorted, so the same offending rows always give the same samples.
        samples = con.execute(
            f"select redact_text(to_json(o)::varchar, []::varchar[]) "
            f"from (from _offending order by all limit {SAMPLE_ROWS}) as o"
        ).fetchall()
        result.update(status="pass" if count == 0 else "fail", offending_rows=count,
                      samples=[json.loads(row[0]) for row in samples],
                      breakdown=breakdown(con) if count else [])
    except duckdb.Error as exc:
        # DuckDB messages can quote data values: record the kind, not the text.
        result["error"] = f"DuckDB {type(exc).__name__} while running {assertion.template}"
    except KeyError as exc:
        result["error"] = f"{assertion.template}: unknown parameter {exc}"
    result["started_at"] = started_at
    result["ended_at"] = utc_now()
    result["duration_s"] = round(time.perf_counter() - started, 4)
    return result


def breakdown(con) -> list[dict]:
    """Offending rows per dataset, most first, when the check names a dataset.

    Five samples cannot say where a thousand offending rows are; this can.
    Dataset names come from the manifest, never from the data.
    """
    columns = [row[0] for row in con.execute("select column_name from (describe _offending)").fetchall()]
    if "dataset" not in columns:
        return []
    rows = con.execute(
        "select dataset, count(*) as offending_rows from _offending "
        "group by dataset order by offending_rows desc, dataset"
    ).fetchall()
    return [{"dataset": dataset, "offending_rows": rows_} for dataset, rows_ in rows]


def exit_code(results: list[dict]) -> int:
    blocking_failed = any(r["severity"] == "blocking" and r["status"] != "pass" for r in results)
    return 1 if blocking_failed else 0


def compare_known_answers(results: list[dict], planted: list[dict]) -> list[str]:
    """Differences between what failed and what the generator planted.

    Each planted problem names the check that must catch it; a check must
    fail with exactly as many offending rows as problems were planted for it,
    and no other blocking check may fail. Empty list: the audit caught
    exactly the known answers.
    """
    expected: dict[str, int] = {}
    for problem in planted:
        expected[problem["check"]] = expected.get(problem["check"], 0) + 1
    by_id = {r["check_id"]: r for r in results}
    differences = []
    for check_id, count in sorted(expected.items()):
        result = by_id.get(check_id)
        if result is None:
            differences.append(f"{check_id}: planted {count} problem(s), but no such check ran")
        elif result["status"] != "fail" or result["offending_rows"] != count:
            differences.append(
                f"{check_id}: planted {count} problem(s), check reported {result['status']} "
                f"with {result['offending_rows']} offending row(s)"
            )
    for r in results:
        if r["severity"] == "blocking" and r["status"] != "pass" and r["check_id"] not in expected:
            differences.append(f"{r['check_id']}: {r['status']} but nothing was planted for it")
    return differences


def text_columns(con, relations: list[str]) -> dict[str, list[str]]:
    """Every text column (VARCHAR or VARCHAR[]) of the output relations, for the PII scan."""
    rows = con.execute(
        "select table_name, column_name from information_schema.columns "
        "where table_name in (select unnest($relations)) and data_type in ('VARCHAR', 'VARCHAR[]') "
        "order by table_name, ordinal_position",
        {"relations": relations},
    ).fetchall()
    found: dict[str, list[str]] = {}
    for relation, column in rows:
        found.setdefault(relation, []).append(column)
    return found


class AuditSession:
    """Everything a check needs: inputs hashed, layers built, parameters bound.

    Raw inputs are listed and hashed before anything is built (the layers'
    staleness records reuse those hashes while the files are unchanged); the
    provenance phase lists the raw folders again and hashes what it finds,
    fresh, after every other check, so raw_files_unchanged sees a file that
    changed, appeared or vanished during the run.
    """

    def __init__(self, lake: Lakehouse, echo=lambda message: None):
        self.lake = lake
        self.inputs = self.list_raw_files()
        echo(f"  [2/5] hashing {len(self.inputs)} input files")
        self.input_records = self.hash_inputs()
        echo("  [3/5] building layers (each only when stale)")
        self.layers = build_layers(lake, echo)
        lake.register_excluded()
        self.assertions = discover_assertions()
        self.params = {
            "start_hashes": [{"path": r["path"], "sha256": r["sha256"]} for r in self.input_records],
            "scenario_paths": [str(path) for path in document_paths(lake, "scenarios")],
            "lesson_paths": [str(path) for path in document_paths(lake, "lessons")],
            "data_dir": str(lake.layout.data_dir),
            "incident_tags": list(lake.manifest.document("lessons").incident_tags),
        }
        outputs = [*self.layers["safe"].outputs, *self.layers["derived"].outputs]
        self.context = {"text_columns": text_columns(lake.con, outputs)}

    def list_raw_files(self) -> list[Path]:
        """The raw files on disk now, by the rules the gate reads them with."""
        datasets = sorted(self.lake.layout.datasets_dir.glob("*.parquet"))
        return datasets + document_paths(self.lake, "scenarios") + document_paths(self.lake, "lessons")

    def hash_inputs(self) -> list[dict]:
        return [self.lake.file_entry(path) for path in self.inputs]

    def hash_raw_files_now(self) -> list[dict]:
        """{path, sha256} of every raw file present at the end of the run."""
        entries = []
        for path in self.list_raw_files():
            try:
                entry = self.lake.file_entry(path, fresh=True)
            except FileNotFoundError:
                continue  # vanished between the listing and the hash: reported as vanished
            entries.append({"path": entry["path"], "sha256": entry["sha256"]})
        return entries

    def assertion(self, check_id: str) -> Assertion:
        for assertion in self.assertions:
            if assertion.id == check_id:
                return assertion
        raise KeyError(check_id)

    def run(self, assertion: Assertion, **context) -> dict:
        if assertion.phase == "provenance" and "end_hashes" not in self.params:
            self.params["end_hashes"] = self.hash_raw_files_now()
        return run_assertion(self.lake.con, assertion, self.params, {**self.context, **context})
