"""staffing-sql lint: SQL parses, safe views list columns, PII only masked; --engine spark: what does not port."""

from __future__ import annotations

import sys

import click

from staffing_sql.errors import EXIT_CHECK_FAILED
from staffing_sql.lint import run_lint
from staffing_sql.manifest import load_manifest


@click.command()
@click.option("--engine", type=click.Choice(["duckdb", "spark"]), default="duckdb", show_default=True,
              help="spark: list every construct of the rendered SQL that would not run the same on Spark (contract §9).")
def lint(engine):
    """Prove statically that every PII column reaches a safe view only through a masking macro."""
    if engine == "spark":
        _lint_spark()
        return
    findings = run_lint(load_manifest())
    for finding in findings:
        click.echo(f"lint: {finding}", err=True)
    if findings:
        click.echo(f"lint: {len(findings)} finding(s)", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    click.echo("lint: ok (every SQL file parses; every PII column of every safe view and derived model is masked)", err=True)


def _lint_spark():
    from staffing_sql.portable import spark_lint

    found = spark_lint(load_manifest())
    for template, problems in found.items():
        for problem in problems:
            click.echo(f"lint --engine spark: {template}: {problem}", err=True)
    if found:
        total = sum(len(problems) for problems in found.values())
        click.echo(f"lint --engine spark: {total} construct(s) in {len(found)} file(s) do not port to Spark yet "
                   "(docs/spark-port.md)", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    click.echo("lint --engine spark: ok (every rendered query transpiles to Spark SQL with the same meaning)", err=True)
