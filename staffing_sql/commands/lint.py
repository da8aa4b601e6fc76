"""staffing-sql lint: SQL parses, safe views list columns, PII only masked."""

from __future__ import annotations

import sys

import click

from staffing_sql.errors import EXIT_CHECK_FAILED
from staffing_sql.lint import run_lint
from staffing_sql.manifest import load_manifest


@click.command()
def lint():
    """Prove statically that every PII column reaches a safe view only through a masking macro."""
    findings = run_lint(load_manifest())
    for finding in findings:
        click.echo(f"lint: {finding}", err=True)
    if findings:
        click.echo(f"lint: {len(findings)} finding(s)", err=True)
        sys.exit(EXIT_CHECK_FAILED)
    click.echo("lint: ok (every SQL file parses; every PII column of every safe view and derived model is masked)", err=True)
