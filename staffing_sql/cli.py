"""The ``staffing-sql`` command: a click group, one module per command."""

from __future__ import annotations

import sys

import click
import duckdb

from staffing_sql import __version__
from staffing_sql.commands.audit import audit
from staffing_sql.commands.build import build
from staffing_sql.commands.gap_report import gap_report
from staffing_sql.commands.generate import generate
from staffing_sql.commands.lint import lint
from staffing_sql.commands.normalize_phones import normalize_phones
from staffing_sql.commands.render import render
from staffing_sql.errors import EXIT_CANNOT_RUN

COMMANDS = [generate, normalize_phones, build, audit, gap_report, render, lint]


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="staffing-sql")
def cli():
    """DuckDB SQL-first lakehouse layer for staffing data."""


for _command in COMMANDS:
    cli.add_command(_command)


def main(argv=None) -> None:
    """Entry point: every failure is one line on stderr with a meaningful exit code."""
    prog = "staffing-sql"
    try:
        code = cli.main(args=argv, prog_name=prog, standalone_mode=False)
    except click.exceptions.Abort:
        click.echo(f"{prog}: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as exc:
        click.echo(f"{prog}: error: {' '.join(exc.format_message().split())}", err=True)
        sys.exit(exc.exit_code)
    except duckdb.Error as exc:
        # DuckDB messages can quote data; keep only the first line and never the values.
        kind = type(exc).__name__
        click.echo(f"{prog}: error: DuckDB {kind} while running (rerun with the failing file checked)", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except OSError as exc:
        click.echo(f"{prog}: error: {exc.filename or ''}: {exc.strerror or exc}", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    except Exception as exc:  # never a traceback; the type says where to look, no data is echoed
        click.echo(f"{prog}: error: internal {type(exc).__name__}; please report it with the command you ran", err=True)
        sys.exit(EXIT_CANNOT_RUN)
    sys.exit(code if isinstance(code, int) else 0)
