"""Render audit results: the terminal table, Markdown, JSON and JUnit XML."""

from __future__ import annotations

import json
from xml.sax.saxutils import escape, quoteattr


def terminal_table(results: list[dict]) -> str:
    lines = [f"  {'check':<34} {'severity':<9} {'status':<6} {'rows':>7} {'time':>7}"]
    for r in results:
        rows = "-" if r["offending_rows"] is None else f"{r['offending_rows']:,}"
        lines.append(f"  {r['check_id']:<34} {r['severity']:<9} {r['status']:<6} {rows:>7} {r['duration_s']:>6.2f}s")
    return "\n".join(lines)


def summary_counts(results: list[dict]) -> dict:
    counts = {"pass": 0, "fail": 0, "error": 0}
    for r in results:
        counts[r["status"]] += 1
    counts["blocking_failed"] = sum(1 for r in results if r["severity"] == "blocking" and r["status"] != "pass")
    return counts


DEVELOPMENT_KEY_WARNING = "DEVELOPMENT KEY: tokens are guessable"


def markdown_report(run: dict, results: list[dict]) -> str:
    counts = summary_counts(results)
    verdict = "FAILED: a blocking check did not pass" if counts["blocking_failed"] else "passed: no blocking check failed"
    verdict = f"**{verdict}**" + (f"; {DEVELOPMENT_KEY_WARNING}" if run.get("development_key") else "")
    lines = [
        "# Staffing lakehouse audit",
        "",
        f"- run: `{run['run_id']}`  ({run['started_at']} to {run['ended_at']})",
        f"- tool {run['tool_version']}, DuckDB {run['duckdb_version']}",
        f"- engine: {run.get('engine', 'duckdb')} {run.get('engine_version', run['duckdb_version'])}",
        f"- verdict: {verdict}",
        f"- PII key: fingerprint `{run.get('key_fingerprint')}`, development key: {'yes' if run.get('development_key') else 'no'}",
        f"- checks: {len(results)}; pass {counts['pass']}, fail {counts['fail']}, error {counts['error']}",
        "",
        "## Results",
        "",
        "| check | phase | severity | status | offending rows | description |",
        "|---|---|---|---|---|---|",
    ]
    for r in results:
        rows = "" if r["offending_rows"] is None else f"{r['offending_rows']:,}"
        lines.append(f"| `{r['check_id']}` | {r['phase']} | {r['severity']} | {r['status']} | {rows} | {r['description']} |")
    failures = [r for r in results if r["status"] != "pass"]
    if failures:
        lines += ["", "## Findings", ""]
        for r in failures:
            lines += [f"### `{r['check_id']}` ({r['severity']}, {r['status']})", "", r["description"], ""]
            if r.get("error"):
                lines += [f"Error: {r['error']}", ""]
            if r["samples"]:
                lines.append(f"First {len(r['samples'])} of {r['offending_rows']:,} offending rows (masked):")
                lines.append("")
                lines += [f"    {json.dumps(sample, ensure_ascii=False, sort_keys=True)}" for sample in r["samples"]]
                lines.append("")
            if line := breakdown_line(r):
                lines += [line, ""]
            lines += [f"SQL: `{r['sql_path']}` (sha256 `{r['sql_sha256'][:16]}…`)", ""]
    lines += ["", "## Inputs", "", "| path | bytes | sha256 |", "|---|---:|---|"]
    lines += [f"| `{i['path']}` | {i['bytes']:,} | `{i['sha256']}` |" for i in run["inputs"]]
    return "\n".join(lines) + "\n"


def breakdown_line(result: dict) -> str:
    """'By dataset: workers_500k 1,201; workers_100k 150', when the samples do not show every row."""
    breakdown = result.get("breakdown") or []
    if not breakdown or (result["offending_rows"] or 0) <= len(result["samples"]):
        return ""
    return "By dataset: " + "; ".join(f"{entry['dataset']} {entry['offending_rows']:,}" for entry in breakdown)


def junit_xml(run: dict, results: list[dict]) -> str:
    failures = sum(1 for r in results if r["status"] == "fail")
    errors = sum(1 for r in results if r["status"] == "error")
    total_time = sum(r["duration_s"] for r in results)
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuite name="staffing-sql audit" tests="{len(results)}" failures="{failures}" '
           f'errors="{errors}" time="{total_time:.3f}" timestamp={quoteattr(run["started_at"])}>',
           "  <properties>",
           f'    <property name="key_fingerprint" value={quoteattr(str(run.get("key_fingerprint")))}/>',
           f'    <property name="development_key" value="{"true" if run.get("development_key") else "false"}"/>',
           "  </properties>"]
    for r in results:
        out.append(f'  <testcase classname={quoteattr("audit." + r["phase"])} name={quoteattr(r["check_id"])} time="{r["duration_s"]:.3f}">')
        message = f"{r['severity']}: {r['offending_rows']} offending rows: {r['description']}"
        if r["status"] == "fail":
            body = "\n".join(json.dumps(s, sort_keys=True) for s in r["samples"])
            tag = "failure" if r["severity"] == "blocking" else "system-out"
            if tag == "failure":
                out.append(f'    <failure message={quoteattr(message)}>{escape(body)}</failure>')
            else:
                out.append(f"    <system-out>{escape(message)}</system-out>")
        elif r["status"] == "error":
            out.append(f'    <error message={quoteattr(r.get("error") or "error")}/>')
        out.append("  </testcase>")
    out.append("</testsuite>")
    return "\n".join(out) + "\n"


LEDGER_FIELDS = (
    "run_id", "check_id", "phase", "severity", "description", "status", "offending_rows", "samples_json",
    "breakdown", "error", "sql_path", "sql_sha256", "inputs", "tool_version", "duckdb_version", "started_at", "ended_at",
    "duration_s", "key_fingerprint", "development_key", "engine", "engine_version", "ran_on", "ran_on_reason",
)


def ledger_lines(run: dict, results: list[dict]) -> str:
    """One JSON line per result, with a fixed set of fields (sql/audit_results.sql reads them)."""
    lines = []
    for r in results:
        row = {
            **r,
            "run_id": run["run_id"],
            "samples_json": json.dumps(r["samples"], ensure_ascii=False, sort_keys=True),
            "inputs": run["inputs"],
            "tool_version": run["tool_version"],
            "duckdb_version": run["duckdb_version"],
            "engine": run.get("engine", "duckdb"),
            "engine_version": run.get("engine_version", run["duckdb_version"]),
            "ran_on": r.get("ran_on", "duckdb"),
            "key_fingerprint": run.get("key_fingerprint"),
            "development_key": run.get("development_key"),
        }
        lines.append(json.dumps({field: row.get(field) for field in LEDGER_FIELDS}, ensure_ascii=False))
    return "\n".join(lines) + "\n"
