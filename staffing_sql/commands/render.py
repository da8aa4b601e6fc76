"""staffing-sql render: print exactly the SQL a template runs, for review."""

from __future__ import annotations

import click

from staffing_sql.catalog import normalise_context, representative_context
from staffing_sql.errors import CannotRun
from staffing_sql.manifest import load_manifest
from staffing_sql.templates import render as render_template, template_name


@click.command()
@click.argument("name")
@click.option("--dataset", default=None, help="Dataset a per-dataset template is rendered for (e.g. workers_500k).")
def render(name, dataset):
    """Print the rendered SQL of NAME (a path such as views/workers_safe.sql, or a bare name).

    The PII key never appears: macros read it from a session variable at run time.
    """
    try:
        resolved = template_name(name)
    except FileNotFoundError as exc:
        raise CannotRun(str(exc)) from None
    manifest = load_manifest()
    context = representative_context(resolved)
    if dataset:
        try:
            context = normalise_context(manifest.dataset(dataset))
        except KeyError:
            raise CannotRun(f"--dataset: no dataset named {dataset!r} in the manifest") from None
    try:
        click.echo(render_template(resolved, **context), nl=False)
    except Exception as exc:  # jinja2 UndefinedError and friends
        raise CannotRun(f"{resolved}: cannot render: {exc}") from None
