"""The one place that turns a path or an identifier into SQL text.

Data values never go into SQL text: they are bound as ``$name`` parameters.
Only identifiers (table and column names from the manifest) and, where DuckDB
cannot take a parameter, paths pass through these two functions.
"""

from __future__ import annotations

from os import PathLike


def quote_identifier(name: str) -> str:
    """Quote a DuckDB identifier: a double quote inside is doubled."""
    text = str(name)
    if "\x00" in text:
        raise ValueError("an identifier cannot contain a NUL byte")
    return '"' + text.replace('"', '""') + '"'


def quote_literal(value: str | PathLike) -> str:
    """Quote a DuckDB string literal (for paths only): a single quote inside is doubled."""
    text = str(value)
    if "\x00" in text:
        raise ValueError("a path cannot contain a NUL byte")
    return "'" + text.replace("'", "''") + "'"
