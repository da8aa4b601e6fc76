"""Render the project's Jinja-templated SQL.

Every file in ``macros/`` defines one macro; all of them are available, by name,
in every template (``sql/``, ``views/``), the way dbt makes macros global.
Two filters are the only way a template writes a name or a path into SQL text:
``| ident`` and ``| path`` (``| literal`` for a template's own constants),
all from :mod:`staffing_sql.quoting`.
"""

from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

import jinja2

from staffing_sql.manifest import load_manifest
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.quoting import quote_identifier, quote_literal

MACRO_DIR = PROJECT_ROOT / "macros"


def _sql_list(values) -> str:
    """A tuple of identifiers, e.g. a column list: ``"a", "b"``."""
    return ", ".join(quote_identifier(value) for value in values)


@lru_cache(maxsize=None)
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(PROJECT_ROOT)),
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
        # {% do names.append(...) %}: a template collects the CTEs it defines (dbt has the same)
        extensions=["jinja2.ext.do"],
    )
    env.filters["ident"] = quote_identifier
    env.filters["path"] = quote_literal
    env.filters["literal"] = quote_literal
    env.filters["ident_list"] = _sql_list
    env.globals["manifest"] = load_manifest()
    for name in macro_templates():
        template = env.get_template(name)
        context = template.new_context()
        # Run the module body so its macros (private ones too) are defined.
        for _ in template.root_render_func(context):
            pass
        for name, value in context.vars.items():
            if isinstance(value, jinja2.runtime.Macro):
                env.globals[name] = value
    return env


def macro_templates() -> list[str]:
    return [path.relative_to(PROJECT_ROOT).as_posix() for path in sorted(MACRO_DIR.glob("*.sql"))]


_DUCKDB_MACRO = re.compile(r"^\s*create\s+or\s+replace\s+temp\s+macro\b", re.IGNORECASE | re.MULTILINE)


def is_duckdb_macro_file(template: str) -> bool:
    """A macro file that creates a DuckDB function (installed on every connection)."""
    return template in macro_templates() and bool(_DUCKDB_MACRO.search((PROJECT_ROOT / template).read_text(encoding="utf-8")))


def is_jinja_macro_file(template: str) -> bool:
    """A macro file that defines a Jinja macro (expanded while rendering)."""
    return template in macro_templates() and not is_duckdb_macro_file(template)


def template_name(name: str | Path) -> str:
    """Accept a project-relative path, an absolute path or a bare model name."""
    path = Path(name)
    if path.is_absolute():
        return path.resolve().relative_to(PROJECT_ROOT).as_posix()
    if (PROJECT_ROOT / path).is_file():
        return path.as_posix()
    matches = sorted(
        candidate.relative_to(PROJECT_ROOT).as_posix()
        for folder in ("views", "sql", "macros")
        for candidate in (PROJECT_ROOT / folder).rglob(f"{path.stem}.sql")
    )
    if len(matches) == 1:
        return matches[0]
    if not matches:
        raise FileNotFoundError(f"no template named {name}")
    raise FileNotFoundError(f"{name} is ambiguous: {', '.join(matches)}")


def render(name: str | Path, **context) -> str:
    return environment().get_template(template_name(name)).render(**context)


def render_string(source: str, **context) -> str:
    return environment().from_string(source).render(**context)
