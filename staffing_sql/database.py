"""Open DuckDB and run rendered SQL with bound parameters."""

from __future__ import annotations

import os
import re
from pathlib import Path

import duckdb

from staffing_sql.quoting import quote_identifier
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.templates import is_duckdb_macro_file, macro_templates, render

# A named parameter in rendered SQL: ``$scale``. Values always travel this way.
_PARAMETER = re.compile(r"(?<![\w$])\$([A-Za-z_][A-Za-z0-9_]*)")


def referenced_parameters(sql: str) -> set[str]:
    return set(_PARAMETER.findall(sql))


# DuckDB takes 80% of RAM by default; a bounded limit makes it spill to disk
# instead, so a run at scale 10 stays within a few GiB.
DEFAULT_MEMORY_LIMIT = "3GB"


def connect(database: str | Path = ":memory:", read_only: bool = False, threads: int | None = None,
            spill_dir: Path | None = None):
    config = {"memory_limit": os.environ.get("STAFFING_SQL_MEMORY_LIMIT", DEFAULT_MEMORY_LIMIT)}
    if threads:
        config["threads"] = threads
    if spill_dir is not None:
        # DuckDB creates the spill folder itself when it first spills, but not its parents.
        spill_dir.parent.mkdir(parents=True, exist_ok=True)
        config["temp_directory"] = str(spill_dir)
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


def duckdb_macro_files() -> list[Path]:
    """macros/duckdb/*.sql (each creates a DuckDB macro), each after the macros it calls.

    DuckDB binds the functions a macro calls when the macro is created, so a
    macro file comes after every macro file whose name it mentions (outside
    comments); otherwise name order.
    """
    files = {Path(template).stem: PROJECT_ROOT / template for template in macro_templates() if is_duckdb_macro_file(template)}
    texts = {name: path.read_text(encoding="utf-8") for name, path in files.items()}
    calls = {
        name: {other for other in files if other != name
               and re.search(rf"\b{re.escape(other)}\(", _SQL_COMMENT.sub("", texts[name]))}
        for name in files
    }
    ordered: list[str] = []
    while len(ordered) < len(files):
        ready = [name for name in files if name not in ordered and calls[name] <= set(ordered)]
        if not ready:
            raise ValueError(f"macros call each other in a cycle: {', '.join(sorted(set(files) - set(ordered)))}")
        ordered += ready
    return [files[name] for name in ordered]


_SQL_COMMENT = re.compile(r"--[^\n]*")


def install_macros(con, key: str | None = None) -> None:
    """Create the project's DuckDB macros on this connection; bind the PII key.

    The key lives only in the session variable ``pii_key``: it is bound as a
    parameter, never written into SQL text, and DuckDB does not persist
    variables into a database file.
    """
    if key is not None:
        con.execute("set variable pii_key = $key", {"key": key})
    for path in duckdb_macro_files():
        con.execute(render(path.relative_to(PROJECT_ROOT).as_posix()))
