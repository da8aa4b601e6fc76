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
        help="Where safe, derived and audit outputs go "
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


def key_options(command):
    """Add --key-file / --strict and pass the loaded ``key``."""

    @click.option(
        "--key-file",
        type=click.Path(dir_okay=False),
        default=None,
        help="File holding the PII key [env STAFFING_SQL_KEY_FILE; or the key in STAFFING_SQL_KEY].",
    )
    @click.option(
        "--strict",
        is_flag=True,
        default=False,
        help="Production mode: refuse to run without a real key [env STAFFING_SQL_STRICT=1].",
    )
    @functools.wraps(command)
    def wrapper(*args, key_file, strict, **kwargs):
        from staffing_sql.key import load_key

        return command(*args, key=load_key(key_file, strict), **kwargs)

    return wrapper


def wait_option(command):
    """Add --wait: how long to wait for another run writing the same outputs."""
    return click.option(
        "--wait", "wait_seconds", type=click.FloatRange(min=0), default=30.0, show_default=True,
        help="Seconds to wait for another staffing-sql run writing the same outputs before refusing.",
    )(command)


def engine_options(command):
    """Add --engine / --spark-master / --spark-conf and pass an ``engine`` (staffing_sql.engine.EngineChoice)."""
    from staffing_sql.engine import ENGINES, ENV_ENGINE, ENV_SPARK_MASTER, engine_choice
    from staffing_sql.spark import DEFAULT_MASTER

    @click.option(
        "--engine",
        type=click.Choice(ENGINES),
        envvar=ENV_ENGINE,
        default="duckdb",
        show_default=True,
        help="Where the SQL runs: DuckDB on this machine, or Apache Spark (pip install -e '.[spark]', Java 17) "
        f"[env {ENV_ENGINE}].",
    )
    @click.option(
        "--spark-master",
        envvar=ENV_SPARK_MASTER,
        default=DEFAULT_MASTER,
        show_default=True,
        help=f"With --engine spark: the master URL (local[N], spark://host:7077, yarn) [env {ENV_SPARK_MASTER}].",
    )
    @click.option(
        "--spark-conf",
        "spark_conf",
        multiple=True,
        metavar="KEY=VALUE",
        help="With --engine spark: a Spark setting (repeatable), over the project's session settings.",
    )
    @functools.wraps(command)
    def wrapper(*args, engine, spark_master, spark_conf, **kwargs):
        return command(*args, engine=engine_choice(engine, spark_master, spark_conf), **kwargs)

    return wrapper
