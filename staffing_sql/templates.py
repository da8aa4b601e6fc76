"""Render the project's Jinja-templated SQL.

Macros are told apart by folder, one macro per file:

- ``macros/duckdb/``: DuckDB functions (``create or replace temp macro``),
  installed on every connection (staffing_sql.database.install_macros);
- ``macros/jinja/``: Jinja macros, expanded while rendering and available by
  name in every template (``sql/``, ``views/``), the way dbt makes macros global;
- ``sql/generate/macros/``: the synthetic generator's Jinja macros (seeded
  draws, its phone format), available to the generator's models only.

A new file dropped into one of these folders is picked up as what its folder says.
Two filters are the only way a template writes a name or a path into SQL text:
``| ident`` and ``| path`` (``| literal`` for a template's own constants),
all from :mod:`staffing_sql.quoting`.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import jinja2

from staffing_sql.errors import CannotRun
from staffing_sql.manifest import load_manifest
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.quoting import quote_identifier, quote_literal

DUCKDB_MACRO_DIR = "macros/duckdb"
JINJA_MACRO_DIR = "macros/jinja"
GENERATOR_DIR = "sql/generate"
GENERATOR_MACRO_DIR = "sql/generate/macros"


def _sql_list(values) -> str:
    """A tuple of identifiers, e.g. a column list: ``"a", "b"``."""
    return ", ".join(quote_identifier(value) for value in values)


def _files(folder: str) -> list[str]:
    return [path.relative_to(PROJECT_ROOT).as_posix() for path in sorted((PROJECT_ROOT / folder).glob("*.sql"))]


def _refuse_unfiled_macros() -> None:
    """A macro file directly in macros/ says neither how it is used nor when: refuse it rather than skip it."""
    unfiled = _files("macros")
    if unfiled:
        raise CannotRun(f"{unfiled[0]}: a macro file belongs in {DUCKDB_MACRO_DIR}/ (create temp macro) "
                        f"or {JINJA_MACRO_DIR}/ (a Jinja macro)")


@lru_cache(maxsize=None)
def environment(generator: bool = False) -> jinja2.Environment:
    """The product's environment; ``generator``: with the generator's macros too."""
    _refuse_unfiled_macros()
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
    for name in _files(JINJA_MACRO_DIR) + (_files(GENERATOR_MACRO_DIR) if generator else []):
        template = env.get_template(name)
        # Run the module body so its macros (private ones too) are defined; with
        # the environment's globals shared, a macro finds the macros of files
        # loaded after its own when it is called.
        context = template.new_context(env.globals, shared=True)
        for _ in template.root_render_func(context):
            pass
        for name, value in context.vars.items():
            if isinstance(value, jinja2.runtime.Macro):
                env.globals[name] = value
    return env


def macro_templates() -> list[str]:
    """The product's macro files: DuckDB functions, then Jinja macros."""
    _refuse_unfiled_macros()
    return _files(DUCKDB_MACRO_DIR) + _files(JINJA_MACRO_DIR)


def is_duckdb_macro_file(template: str) -> bool:
    """A file of macros/duckdb/: creates a DuckDB function, installed on every connection."""
    return Path(template).parent.as_posix() == DUCKDB_MACRO_DIR


def is_jinja_macro_file(template: str) -> bool:
    """A file of macros/jinja/ or sql/generate/macros/: a Jinja macro, expanded while rendering."""
    return Path(template).parent.as_posix() in (JINJA_MACRO_DIR, GENERATOR_MACRO_DIR)


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
    """Render a template; the generator's models (sql/generate/) see the generator's macros too."""
    resolved = template_name(name)
    generator = resolved.startswith(GENERATOR_DIR + "/")
    return environment(generator).get_template(resolved).render(**context)


def render_string(source: str, generator: bool = False, **context) -> str:
    return environment(generator).from_string(source).render(**context)
