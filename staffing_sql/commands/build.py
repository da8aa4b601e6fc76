"""staffing-sql build: the safe and derived layers and the analyst database, published after the PII scan."""

from __future__ import annotations

import sys

import click

from staffing_sql.checks import text_columns, utc_now
from staffing_sql.errors import EXIT_CHECK_FAILED
from staffing_sql.options import engine_options, key_options, layout_options, wait_option
from staffing_sql.outputs import exclusive_outputs
from staffing_sql.pipeline import (Lakehouse, build_info, build_layers, discard_layers, output_hashes, publish_layers,
                                   raw_files, run_params, stage_analyst_database)
from staffing_sql.publication import new_run, record_verdict, refuse, scan_assertion, scan_layers
from staffing_sql.reports import DEVELOPMENT_KEY_WARNING


def _echo(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@layout_options
@key_options
@engine_options
@wait_option
def build(layout, key, engine, wait_seconds):
    """Build the safe and derived layers and the analyst database; publish them only if the PII scan passes."""
    run = new_run("build", key)
    with exclusive_outputs(layout, wait_seconds):
        lake = Lakehouse.open(layout, key, engine=engine)
        run = {**run, **lake.engine.facts()}
        layers = {}
        try:
            layers = build_layers(lake, _echo)
            _echo("  PII scan of the staged relations")
            columns = text_columns(lake.con, [name for result in layers.values() for name in result.outputs])
            verdict = scan_layers(lake, layers, scan_assertion(), run_params(lake), columns)
            if verdict.reused_from:
                _echo(f"  (every layer up to date: the passing scan of run {verdict.reused_from} holds for the same bytes)")
            if not verdict.passed:
                run = {**run, "ended_at": utc_now(), "inputs": [lake.file_entry(path) for path in raw_files(lake)]}
                refuse(lake, run, [], verdict, _echo)
                sys.exit(EXIT_CHECK_FAILED)
            tables = {**layers["safe"].outputs, **layers["derived"].outputs}
            database = stage_analyst_database(layout, tables, output_hashes(layout, layers["safe"], layers["derived"]),
                                              build_info(key))
            try:
                publish_layers(lake, layers)
                database = database.publish()
                record_verdict(lake, run, verdict)
            except BaseException:
                database.discard()
                raise
        finally:
            discard_layers(layers)
            lake.close()
    if run["development_key"]:
        _echo(f"  {DEVELOPMENT_KEY_WARNING} (key fingerprint {run['key_fingerprint']})")
    _echo(f"  analyst db  -> {database}  (open with: make shell)")
