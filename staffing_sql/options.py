"""Options shared by every command that touches a lakehouse."""

from __future__ import annotations

import functools

import click

from staffing_sql.paths import Layout


def layout_options(command):
    """Add --data-dir / --out-dir / --reports-dir and pass a ``layout``."""

    @click.option(
        "--data-dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Lakehouse root holding datasets/, scenarios/, _playbook_lessons/ "
        "[env STAFFING_SQL_DATA_DIR; default ./data].",
    )
    @click.option(
        "--out-dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Where normalised, safe, derived and audit outputs go "
        "[env STAFFING_SQL_OUT_DIR; default ./build].",
    )
    @click.option(
        "--reports-dir",
        type=click.Path(file_okay=False),
        default=None,
        help="Where reports go [env STAFFING_SQL_REPORTS_DIR; default ./reports/staffing].",
    )
    @functools.wraps(command)
    def wrapper(*args, data_dir, out_dir, reports_dir, **kwargs):
        layout = Layout.from_options(data_dir, out_dir, reports_dir)
        return command(*args, layout=layout, **kwargs)

    return wrapper
