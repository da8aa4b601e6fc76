"""Run one check (a SQL assertion) and judge a run's results.

A check is ``sql/audit/assert_<id>.sql`` (staffing_sql.catalog finds them and
reads their headers): a query selecting the offending rows, zero rows = pass.
"""

from __future__ import annotations

import json
import time
from datetime import datetime, timezone

import duckdb

from staffing_sql.catalog import Assertion
from staffing_sql.database import referenced_parameters
from staffing_sql.engine import DuckDBEngine
from staffing_sql.errors import CannotRun
from staffing_sql.hashing import sha256_text
from staffing_sql.templates import render

SAMPLE_ROWS = 5


def utc_now() -> str:
    return datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def run_assertion(con, assertion: Assertion, params: dict, context: dict, staged: list | None = None,
                  engine=None) -> dict:
    """Run one assertion; never raises for a failing query (status 'error').

    ``engine`` (staffing_sql.engine) runs the check's SQL into ``_offending``; a DuckDBEngine on
    ``con`` when None. The result names the engine that ran it (``ran_on``) and, when a Spark run ran it on
    DuckDB, why (``ran_on_reason``).

    Its samples (the first offending rows as JSON) pass through redact_text as
    a last line of defence: assertions select ids and tokens only, and a
    sample must never carry PII. Planning redact_text costs more than most
    checks, so a run of many checks passes ``staged``: the unredacted samples
    wait there (in memory, never written) and the result's samples stay []
    until redact_samples(con, staged) redacts them all in one query.
    """
    started_at, started = utc_now(), time.perf_counter()
    engine = engine or DuckDBEngine(con)
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
        "ran_on": engine.name,
        "ran_on_reason": None,
    }
    try:
        wanted = {name: params[name] for name in referenced_parameters(sql)}
        reason = engine.offending(sql, wanted)
        if reason:
            result.update(ran_on="duckdb", ran_on_reason=reason)
        count = con.execute("select count(*) from _offending").fetchone()[0]
        # Sorted, so the same offending rows always give the same samples.
        samples = [row[0] for row in con.execute(
            f"select to_json(o)::varchar from (from _offending order by all limit {SAMPLE_ROWS}) as o"
        ).fetchall()] if count else []
        result.update(status="pass" if count == 0 else "fail", offending_rows=count,
                      breakdown=breakdown(con) if count else [])
        if samples and staged is not None:
            staged.append((result, samples))
        elif samples:
            redact_samples(con, [(result, samples)])
    except duckdb.Error as exc:
        # DuckDB messages can quote data values: record the kind, not the text.
        result["error"] = f"DuckDB {type(exc).__name__} while running {assertion.template}"
    except KeyError as exc:
        result["error"] = f"{assertion.template}: unknown parameter {exc}"
    except CannotRun as exc:
        # Spark's errors reach here as one line naming the error class (portable._spark_error).
        result["error"] = f"{exc.message} ({assertion.template})"
    result["started_at"] = started_at
    result["ended_at"] = utc_now()
    result["duration_s"] = round(time.perf_counter() - started, 4)
    return result


def redact_samples(con, staged: list[tuple[dict, list[str]]]) -> None:
    """Fill in each staged result's samples, redacted, in one query; empties ``staged``."""
    texts = [text for _, samples in staged for text in samples]
    if not texts:
        return
    try:
        redacted = iter(con.execute("select list_transform($texts::varchar[], lambda _sample: redact_text(_sample, []::varchar[]))",
                                    {"texts": texts}).fetchone()[0])
    except duckdb.Error as exc:
        for result, _ in staged:
            result.update(status="error", samples=[],
                          error=f"DuckDB {type(exc).__name__} while redacting the samples of {result['sql_path']}")
    else:
        for result, samples in staged:
            result["samples"] = [json.loads(next(redacted)) for _ in samples]
    staged.clear()


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
