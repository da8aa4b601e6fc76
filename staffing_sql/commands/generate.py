"""staffing-sql generate: write the deterministic synthetic lakehouse."""

from __future__ import annotations

import click

from staffing_sql.errors import CannotRun
from staffing_sql.generator import MIN_SCALE, generate_lakehouse
from staffing_sql.options import layout_options


def _positive_scale(ctx, param, value):
    if value is None:
        return 1.0
    try:
        scale = float(value)
    except ValueError:
        raise CannotRun(f"--scale must be a positive number, got {value!r}") from None
    if not scale > 0 or scale == float("inf"):
        raise CannotRun(f"--scale must be a positive number, got {value!r}")
    if scale < MIN_SCALE:
        raise CannotRun(f"--scale must be at least {MIN_SCALE} so every planted problem fits, got {value!r}")
    return scale


def _integer_seed(ctx, param, value):
    try:
        return int(value, 10)
    except (TypeError, ValueError):
        raise CannotRun(f"--seed must be an integer, got {value!r}") from None


@click.command()
@layout_options
@click.option("--scale", callback=_positive_scale, default=None, metavar="S",
              help="Multiply workers, candidates and job orders (1 = the contract's sizes).")
@click.option("--seed", callback=_integer_seed, default="42", show_default=True, metavar="N",
              help="Seed of every pseudo-random draw (md5 of seed and stable keys).")
@click.option("--force", is_flag=True, help="Replace an existing generated lakehouse.")
@click.option("--no-plant", is_flag=True,
              help="Plant no known problems: only the contract's incidental defects (every blocking check passes).")
def generate(layout, scale, seed, force, no_plant):
    """Generate the synthetic staffing lakehouse (contract §3-4, defects included)."""
    generate_lakehouse(layout, seed=seed, scale=scale, force=force, plant=not no_plant)
