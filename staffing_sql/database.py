"""Open DuckDB and run rendered SQL with bound parameters."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb

from staffing_sql.quoting import quote_identifier
from staffing_sql.templates import render

# A named parameter in rendered SQL: ``$scale``. Values always travel this way.
_PARAMETER = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")


def referenced_parameters(sql: str) -> set[str]:
    return set(_PARAMETER.findall(sql))


def connect(database: str | Path = ":memory:", read_only: bool = False, threads: int | None = None):
    config = {}
    if threads:
        config["threads"] = threads
    return duckdb.connect(str(database), read_only=read_only, config=config)


def execute(con, sql: str, params: dict | None = None):
    """Execute one statement, binding only the parameters it names."""
    wanted = referenced_parameters(sql)
    supplied = params or {}
    missing = wanted - supplied.keys()
    if missing:
        raise KeyError(f"SQL needs parameters it was not given: {', '.join(sorted(missing))}")
    return con.execute(sql, {name: supplied[name] for name in wanted} if wanted else None)


def create_table_from_model(con, table: str, template: str, params: dict | None = None, **context) -> str:
    """Materialise a model (a template whose body is one SELECT) as a table.

    Returns the rendered SQL so callers can hash or show what ran.
    """
    body = render(template, **context).strip().rstrip(";")
    execute(con, f"create or replace table {quote_identifier(table)} as\n{body}", params)
    return body
