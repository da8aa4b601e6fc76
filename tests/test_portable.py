"""The macro inliner and the Spark transpiler (staffing_sql/portable.py), checked without Spark.

The inliner is checked against DuckDB itself: a query with every macro call
expanded must give, on a connection with NO macros installed, exactly what
the query with the macro calls gives on a connection with them.
"""

from __future__ import annotations

import re

import duckdb
import pytest
import sqlglot

from staffing_sql.database import install_macros
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.portable import (KEY_PARAMETER, duckdb_macros, inline_macros, parse_macro, spark_regex,
                                   spark_replacement, to_spark, translate, NotPortable)

KEY = "test-key-portable-9c2e-not-for-production"

VALUES = [
    "Ann Lee", "  Zoë   Müller-Ng ", "D’Angelo–Øst", "Zoe\u0308 Brontë", "ANN@Example.COM ", "(614) 555-0142",
    "+1 614 555 0142", "614555014", "123-45-6789", "", None, "a\tb\nc", "Łukasz Żółć", "O'Brien-Smith",
]
EXPRESSIONS = [
    "pii_token(v, 'name')", "pii_token(v, 'email')", "pii_token(v, 'phone')", "pii_token(v, 'ssn')",
    "normalize_phone(v)", "normalize_phone(v, restore_leading_zero := true)", "phone_status(v)",
    "fold_text(v)", "name_forms(v, true)", "redact_text(v, ['ann lee', 'zoe muller ng'])",
    # the forms argument holds lambdas and strip_accents: bound once in a let, not pasted at each read
    "redact_text(v, list_concat(name_forms(v, true), name_forms('Zoë Müller-Ng', false)))",
]


def _values_query(expression: str) -> str:
    rows = ", ".join("(NULL)" if value is None else "(" + "'" + value.replace("'", "''") + "')" for value in VALUES)
    return f"select {expression} as result from (values {rows}) as t(v)"


def test_every_macro_file_parses():
    files = sorted(path.stem.lower() for path in (PROJECT_ROOT / "macros/duckdb").glob("*.sql"))
    assert sorted(duckdb_macros()) == files


@pytest.mark.parametrize("expression", EXPRESSIONS)
def test_inlined_query_gives_what_the_macros_give(expression):
    with_macros = duckdb.connect()
    install_macros(with_macros, KEY)
    without_macros = duckdb.connect()
    without_macros.execute("set variable pii_key = $key", {"key": KEY})
    query = _values_query(expression)
    inlined = inline_macros(sqlglot.parse_one(query, read="duckdb")).sql(dialect="duckdb")
    assert "pii_token(" not in inlined.lower() and "fold_text(" not in inlined.lower()
    assert without_macros.execute(inlined).fetchall() == with_macros.execute(query).fetchall()


def test_lambda_parameters_do_not_capture_arguments():
    # the argument is a column named like the macro's lambda parameter
    macros = {"add_each": parse_macro(
        "create or replace temp macro add_each(x) as (list_transform([1, 2], lambda _i: _i + x));")}
    query = "select add_each(_i) as result from (values (10)) as t(_i)"
    inlined = inline_macros(sqlglot.parse_one(query, read="duckdb"), macros).sql(dialect="duckdb")
    assert duckdb.connect().execute(inlined).fetchall() == [([11, 12],)]


def test_default_and_named_arguments():
    macro = parse_macro("create or replace temp macro f(a, b := 2) as (a * b);")
    assert macro.params == ("a", "b")
    for query, expected in (("select f(1 + 1)", 4), ("select f(3, b := 3)", 9)):
        inlined = inline_macros(sqlglot.parse_one(query, read="duckdb"), {"f": macro}).sql(dialect="duckdb")
        assert duckdb.connect().execute(inlined).fetchone()[0] == expected


def test_the_key_is_a_parameter_never_sql_text():
    translated = translate("select pii_token(v, 'email') as t from x")
    assert f":{KEY_PARAMETER}" in translated.text
    assert "getvariable" not in translated.text.lower()
    assert not translated.problems


@pytest.mark.parametrize("re2, java", [
    ("a$", r"a\z"),
    ("a.b", r"a[^\n]b"),
    (r"^\s+|\s+$", r"^[\t\n\f\r ]+|[\t\n\f\r ]+\z"),
    (r"[\s,]", r"[\t\n\f\r ,]"),
    (r"[\t\n\v]", r"[\t\n\x0B]"),
    (r"[.$]", r"[.$]"),
    (r"\pL+", r"\p{L}+"),
])
def test_re2_patterns_become_java_patterns_with_the_same_matches(re2, java):
    assert spark_regex(re2) == (java, [])


@pytest.mark.parametrize("pattern", [r"(a)\1", "(?i)a", "(?=a)", "[[:alpha:]]", "[a&&b]", r"\C"])
def test_untranslatable_patterns_are_reported(pattern):
    assert spark_regex(pattern)[1]


def test_replacement_back_references():
    assert spark_replacement(r"(\1) \2-\3") == "($1) $2-$3"
    assert spark_replacement("$5 \\\\") == "\\$5 \\\\"


@pytest.mark.parametrize("sql, construct", [
    ("select regexp_matches(x, 'a', 'i') from t", "flag"),
    ("select regexp_replace(x, 'a', 'b') from t", "without 'g'"),
    ("select regexp_replace(x, 'a', y, 'g') from t", "replacement is not a string literal"),
    ("select hash(x) from t", "hash()"),
    ("select split_part(x, '', 1) from t", "non-empty literal separator"),
    ("select split_part(x, ' ', 0) from t", "index other than 0"),
    ("select string_split_regex(x, ',*') from t", "cannot match ''"),
    ("select list_reduce(l, lambda a, b: a + b) from t", "without a start"),
    ("select generate_series(1, 9, 2) from t", "step"),
    ("select list(x order by y desc) from t", "only ascending"),
    ("select getvariable('other') from t", "getvariable"),
    ("select regexp_matches(x, p) from t", "not a string literal"),
    ("select to_json(x) from t", "only of a struct literal"),
    ("select to_json({'a': x}, y) from t", "only of a struct literal"),
    # Spark's concat_ws flattens a list argument; DuckDB writes it as text
    ("select concat_ws('|', a, b::varchar) from t", "every value cast to varchar"),
    ("select concat_ws(s, a::varchar) from t", "literal separator"),
])
def test_traps_are_refused(sql, construct):
    with pytest.raises(NotPortable) as raised:
        to_spark(sql)
    assert construct in str(raised.value)


def test_anchored_regexp_replace_needs_no_g():
    assert "REGEXP_REPLACE" in to_spark(r"select regexp_replace(x, '^1([0-9]{10})$', '\1') from t")
    with pytest.raises(NotPortable):
        to_spark(r"select regexp_replace(x, '^a|b', '') from t")


def test_spark_lint_names_file_and_construct(monkeypatch):
    import staffing_sql.portable as portable

    sources = {"views/a_safe.sql": "select hash(x) as h from t",
               "views/b_safe.sql": "select pii_token(x, 'email') as t from t"}
    portable.duckdb_macros()  # loaded (and cached) with the real renderer before it is replaced
    monkeypatch.setattr(portable, "spark_lint_targets", lambda manifest: [(name, {}) for name in sources])
    monkeypatch.setattr(portable, "render", lambda template, **context: sources[template])
    found = portable.spark_lint(manifest=None)
    assert list(found) == ["views/a_safe.sql"]
    assert [problem.construct for problem in found["views/a_safe.sql"]] == ["hash()"]


def test_lint_engine_spark_exits_1_listing_what_does_not_port():
    from conftest import run_cli

    result = run_cli("lint", "--engine", "spark")
    lines = result.stderr.strip().splitlines()
    assert result.returncode == 1, result.stderr[-500:]
    assert lines[-1].startswith("lint --engine spark: ") and "do not port to Spark yet" in lines[-1]
    assert all(line.startswith("lint --engine spark: ") for line in lines)
    assert not any(line.startswith("lint --engine spark: sql/generate/") for line in lines)


@pytest.mark.parametrize("sql, spark", [
    # DuckDB: 1-based, negative from the end, out of range or 0 -> NULL; try_element_at is all that but 0
    ("select l[-1] from t", "SELECT TRY_ELEMENT_AT(l, -1) FROM t"),
    ("select l[i] from t", "SELECT TRY_ELEMENT_AT(l, NULLIF(i, 0)) FROM t"),
    # slices: both ends included, a negative end counts from the last element
    ("select l[2:3] from t", "SELECT SLICE(l, 2, GREATEST(2, 0)) FROM t"),
    ("select l[1:-2] from t", "SELECT SLICE(l, 1, GREATEST(SIZE(l) - 1, 0)) FROM t"),
    ("select list_reduce(l, lambda a, b: a || b, '') from t", "SELECT AGGREGATE(l, '', (a, b) -> a || b) FROM t"),
    ("select len(l), length(s) from t", "SELECT SIZE(l), LENGTH(s) FROM t"),
])
def test_list_subscripts_and_functions_are_rewritten(sql, spark):
    assert to_spark(sql) == spark


def test_literal_subscripts_and_fields_port():
    # l[1] of [] is NULL on DuckDB; Spark's l[0] is an error there under ANSI, try_element_at NULL
    assert to_spark("select l[1], s['f'] from t") == "SELECT TRY_ELEMENT_AT(l, 1), s['f'] FROM t"
    assert any(problem.construct == "l[0]" for problem in translate("select l[0] from t").problems)


def test_concatenated_literal_patterns_are_translated():
    assert to_spark("select regexp_matches(x, 'a' || '$') from t") == "SELECT x RLIKE 'a\\\\z' FROM t"


# The case-file parity query of tests/test_spark_parity.py: the redaction with its own person's and a roster's forms.
REDACTION_QUERY = ("select n, redact_text(text, list_concat(name_forms(own, true), "
                   "flatten(list_transform(roster, lambda _person: name_forms(_person, false))))) as redacted "
                   "from cases order by n")


def test_the_redaction_query_stays_small_enough_for_spark():
    """A macro argument read several times is bound once, also when it holds lambdas or strip_accents: pasted at
    each read, the name forms made this query 285,000 characters of Spark SQL, which Spark local[2] could not
    analyse in a 1 GB driver (OutOfMemoryError); bound once it is some 72,000."""
    assert len(to_spark(REDACTION_QUERY)) < 100_000


def test_list_has_any_drops_null_elements_on_spark():
    """DuckDB's list_has_any ignores NULL elements; Spark's arrays_overlap gives NULL when a list holds one."""
    def spark(sql):
        return re.sub(r"__element_\d+", "e", to_spark(sql))
    assert spark("select list_has_any(l, ['a', NULL]) from t") == (
        "SELECT ARRAYS_OVERLAP(FILTER(l, e -> NOT e IS NULL), FILTER(ARRAY('a', NULL), e -> NOT e IS NULL)) FROM t")
    assert spark("select list_has_any(['a', 'b'], l) from t") == (
        "SELECT ARRAYS_OVERLAP(ARRAY('a', 'b'), FILTER(l, e -> NOT e IS NULL)) FROM t")


def test_a_nested_with_stays_nested_on_spark():
    # sqlglot's Spark output would move it to the top: two CTEs named 'final' would then clash (or read the wrong one)
    text = translate("with final as (select 1 as a) "
                     "select a from (with final as (select 2 as a) select a from final) as inner_query").text
    assert text.count("WITH final AS") == 2
    assert text.index("(WITH final AS (SELECT 2") > text.index("WITH final AS (SELECT 1")


def test_to_json_of_a_struct_keeps_null_fields_on_spark():
    """DuckDB's to_json writes a NULL field as null; Spark's drops it unless told not to."""
    assert to_spark("select to_json({'a': x, 'b': y::varchar}) from t") == (
        "SELECT TO_JSON(STRUCT(x AS a, CAST(y AS STRING) AS b), MAP('ignoreNullFields', 'false')) FROM t")


def test_concat_ws_of_values_cast_to_varchar_ports():
    assert to_spark("select concat_ws('|', a::varchar, b::varchar) from t") == (
        "SELECT CONCAT_WS('|', CAST(a AS STRING), CAST(b AS STRING)) FROM t")


def test_a_date_or_timestamp_cast_to_varchar_is_the_json_duckdb_writes_for_it():
    """The derived models put dates and timestamps into their record's JSON as ::varchar (Spark's JSON
    writes them otherwise): on DuckDB that is the same JSON, so record_sha256 is what it was."""
    con = duckdb.connect()
    rows = con.execute(
        "select to_json({'d': d, 't': t}) = to_json({'d': d::varchar, 't': t::varchar}) "
        "from (values (date '2024-02-29', timestamp '2024-01-02 03:04:05'), (date '0001-01-01', "
        "timestamp '2024-01-02 03:04:05.5'), (date '9999-12-31', timestamp '1999-12-31 23:59:59.000001'), "
        "(NULL, NULL)) as v(d, t)").fetchall()
    assert rows == [(True,)] * 4
