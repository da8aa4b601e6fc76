"""staffing-sql build: the normalised and safe layers and the analyst database."""

from __future__ import annotations

import click

from staffing_sql.options import key_options, layout_options, wait_option
from staffing_sql.outputs import exclusive_outputs
from staffing_sql.pipeline import Lakehouse, build_layers, output_hashes, write_analyst_database


def _echo(message: str) -> None:
    click.echo(message, err=True)


@click.command()
@layout_options
@key_options
@wait_option
def build(layout, key, wait_seconds):
    """Build the normalised, safe and derived layers and the analyst database."""
    with exclusive_outputs(layout, wait_seconds):
        lake = Lakehouse(layout, key)
        try:
            results = build_layers(lake, _echo)
        finally:
            lake.close()
        database = write_analyst_database(layout, {**results["safe"].outputs, **results["derived"].outputs},
                                          output_hashes(layout, results["safe"], results["derived"]))
    _echo(f"  analyst db  -> {database}  (open with: make shell)")
