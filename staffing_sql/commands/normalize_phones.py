"""staffing-sql normalize-phones: decision D's fixup alone (idempotent)."""

from __future__ import annotations

import click

from staffing_sql.options import layout_options, wait_option
from staffing_sql.outputs import exclusive_outputs
from staffing_sql.pipeline import Lakehouse, build_normalised


@click.command("normalize-phones")
@layout_options
@wait_option
def normalize_phones(layout, wait_seconds):
    """Write the normalised layer: phones as '(NNN) NNN-NNNN' strings, flagged when invalid."""
    with exclusive_outputs(layout, wait_seconds):
        # The fixup needs no PII key: it tokenises nothing.
        lake = Lakehouse(layout, key=None)
        try:
            result = build_normalised(lake)
        finally:
            lake.close()
    state = "written" if result.rebuilt else "already up to date"
    click.echo(f"normalised layer {state}: {lake.layer_dir('normalised')}", err=True)
