"""One source of SQL for two engines (contract §9): DuckDB templates, transpiled for Spark.

The templates stay in DuckDB's dialect. For Spark, a rendered query goes
through three steps, all on sqlglot's syntax tree:

1. **Inline the DuckDB macros** (``macros/duckdb/*.sql``): every call of a
   ``create or replace temp macro name(args) as (body)`` is replaced by its
   body with the arguments substituted, recursively, as DuckDB itself does.
   The lambdas of a body get fresh parameter names at every expansion, so an
   argument that mentions a column called like a lambda parameter is never
   captured by it.
2. **Rewrite what sqlglot does not carry over faithfully** (see
   :data:`SPARK_FUNCTIONS` and :func:`spark_regex`): RE2 patterns become Java
   patterns with the same meaning (``$``, ``.``, ``\\s``, ``\\v``, ``\\b``
   differ), RE2 replacement back-references ``\\1`` become Java's ``$1``,
   ``strip_accents`` and ``nfc_normalize`` become ICU4J's normaliser (shipped
   with Spark) plus a mark-stripping regex, ``chr`` above 127 becomes
   ``java.lang.Character.toString``, ``getvariable('pii_key')`` becomes the
   bound parameter ``:pii_key``.
3. **Transpile** with ``sqlglot`` (``read='duckdb'``, ``write='spark'``).

Whatever step 2 cannot rewrite faithfully is a :class:`Problem`, collected by
:func:`portability_problems` (``staffing-sql lint --engine spark``) and
refused by :func:`to_spark`. The PII key is never in the SQL text: Spark gets
it as the named parameter ``pii_key`` (``spark.sql(text, args=...)``), and
:func:`run_spark` keeps Spark's messages, which can print bound values, out
of every error it raises.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from functools import lru_cache

import sqlglot
from sqlglot import exp

from staffing_sql.errors import CannotRun
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.templates import DUCKDB_MACRO_DIR, render

READ = "duckdb"
WRITE = "spark"
KEY_PARAMETER = "pii_key"
# A macro that expands into itself this deep is a cycle, not a template.
MAX_DEPTH = 64

_HEADER = re.compile(
    r"create\s+or\s+replace\s+temp\s+macro\s+([A-Za-z_][A-Za-z0-9_]*)\s*\(([^()]*)\)\s+as\s*\(",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Macro:
    name: str
    params: tuple[str, ...]
    defaults: dict  # parameter -> default expression
    body: exp.Expression


@dataclass(frozen=True)
class Problem:
    """A construct of the rendered SQL that does not run the same on Spark."""

    construct: str
    detail: str

    def __str__(self) -> str:
        return f"{self.construct}: {self.detail}"


class NotPortable(ValueError):
    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("; ".join(sorted({str(problem) for problem in problems})))


def _strip_comments(sql: str) -> str:
    """Drop ``--`` comments outside string literals (macro files document themselves at length)."""
    out, i, quoted = [], 0, False
    while i < len(sql):
        c = sql[i]
        if c == "'":
            quoted = not quoted
        if not quoted and sql.startswith("--", i):
            end = sql.find("\n", i)
            i = len(sql) if end < 0 else end
            continue
        out.append(c)
        i += 1
    return "".join(out)


def parse_macro(sql: str) -> Macro:
    """A macro file's ``create or replace temp macro`` as a :class:`Macro`."""
    text = _strip_comments(sql)
    match = _HEADER.search(text)
    if not match:
        raise ValueError("no 'create or replace temp macro name(args) as (...)' found")
    name, arguments = match.group(1), match.group(2)
    params, defaults = [], {}
    for argument in filter(None, (part.strip() for part in arguments.split(","))):
        param, _, default = argument.partition(":=")
        params.append(param.strip())
        if default.strip():
            defaults[param.strip()] = sqlglot.parse_one(default.strip(), read=READ)
    body = text[match.end() - 1:].strip().rstrip(";").strip()
    return Macro(name=name, params=tuple(params), defaults=defaults, body=sqlglot.parse_one(body, read=READ))


@lru_cache(maxsize=None)
def duckdb_macros() -> dict[str, Macro]:
    """Every macro of macros/duckdb/, by lower-case name."""
    macros = {}
    for path in sorted((PROJECT_ROOT / DUCKDB_MACRO_DIR).glob("*.sql")):
        macro = parse_macro(render(path.relative_to(PROJECT_ROOT).as_posix()))
        macros[macro.name.lower()] = macro
    return macros


# --- 1. inlining ------------------------------------------------------------------------------

_fresh = itertools.count()


def _lambda_variable_references(lam: exp.Lambda, name: str):
    """Identifiers in ``lam`` that name the variable ``name`` (not a struct field or key)."""
    for node in lam.walk():
        if not isinstance(node, exp.Identifier) or node.name != name:
            continue
        parent, key = node.parent, node.arg_key
        if isinstance(parent, exp.Dot) and key == "expression":
            continue  # x.name: a field
        if isinstance(parent, exp.PropertyEQ) and key == "this":
            continue  # {'name': ...}: a struct key
        if isinstance(parent, exp.Column) and key == "this" and parent.args.get("table"):
            continue  # x.name parsed as a column: 'name' is the field
        yield node


def _rename_lambda_parameters(body: exp.Expression) -> exp.Expression:
    """Give every lambda parameter in ``body`` a name used nowhere else (no capture)."""
    for lam in list(body.find_all(exp.Lambda)):
        for param in lam.expressions:
            old = param.name
            new = f"__{old.lstrip('_')}_{next(_fresh)}"
            for ref in list(_lambda_variable_references(lam, old)):
                ref.set("this", new)
    return body


def _is_variable_position(node: exp.Identifier) -> bool:
    """An identifier standing for a value (not a name of a column, field, key, alias, table or parameter)."""
    parent, key = node.parent, node.arg_key
    if isinstance(parent, (exp.Column, exp.Alias, exp.TableAlias, exp.Table, exp.DataType, exp.Lambda)):
        return False
    if isinstance(parent, exp.Dot) and key == "expression":
        return False
    if isinstance(parent, (exp.PropertyEQ, exp.Kwarg)) and key == "this":
        return False
    return True


def _wrapped(argument: exp.Expression) -> exp.Expression:
    """An argument as it can stand anywhere in the body (parenthesised unless atomic)."""
    atomic = (exp.Column, exp.Literal, exp.Paren, exp.Func, exp.Identifier, exp.Dot, exp.Bracket,
              exp.Placeholder, exp.Boolean, exp.Null, exp.Array, exp.Struct)
    argument = argument.copy()
    return argument if isinstance(argument, atomic) else exp.Paren(this=argument)


def _bind(macro: Macro, call: exp.Anonymous) -> dict[str, exp.Expression]:
    positional, named = [], {}
    for argument in call.expressions:
        if isinstance(argument, (exp.PropertyEQ, exp.Kwarg)):
            named[argument.this.name] = argument.expression
        else:
            positional.append(argument)
    if len(positional) > len(macro.params):
        raise ValueError(f"{macro.name}() takes {len(macro.params)} arguments, got {len(positional)}")
    bound = dict(zip(macro.params, positional))
    for name, value in named.items():
        if name not in macro.params or name in bound:
            raise ValueError(f"{macro.name}(): unexpected argument {name}")
        bound[name] = value
    for name in macro.params:
        if name not in bound:
            if name not in macro.defaults:
                raise ValueError(f"{macro.name}(): missing argument {name}")
            bound[name] = macro.defaults[name]
    return bound


def _instantiate(macro: Macro, call: exp.Anonymous) -> exp.Expression:
    bound = _bind(macro, call)
    body = _rename_lambda_parameters(macro.body.copy())

    def substitute(node):
        if isinstance(node, exp.Column) and not node.args.get("db"):
            table = node.args.get("table")
            if table is None and node.name in bound:
                return _wrapped(bound[node.name])
            if table is not None and table.name in bound:
                # struct field of an argument: pair.folded
                return exp.Dot(this=_wrapped(bound[table.name]), expression=node.this.copy())
        if isinstance(node, exp.Identifier) and node.name in bound and _is_variable_position(node):
            # sqlglot may leave a bare identifier for a column read inside a lambda body
            return _wrapped(bound[node.name])
        return node

    return body.transform(substitute, copy=False)


def inline_macros(tree: exp.Expression, macros: dict[str, Macro] | None = None) -> exp.Expression:
    """``tree`` with every DuckDB macro call replaced by the macro's body (recursively)."""
    macros = duckdb_macros() if macros is None else macros

    def expand(node: exp.Expression, depth: int) -> exp.Expression:
        def visit(current):
            if isinstance(current, exp.Anonymous) and current.name.lower() in macros:
                if depth >= MAX_DEPTH:
                    raise ValueError(f"macro {current.name} expands more than {MAX_DEPTH} levels deep")
                macro = macros[current.name.lower()]
                call = current.copy()
                call.set("expressions", [expand(argument, depth) for argument in call.expressions])
                return expand(_instantiate(macro, call), depth + 1)
            return current

        return node.transform(visit, copy=False)

    return expand(tree.copy(), 0)


# --- 2. rewriting for Spark ---------------------------------------------------------------------

# RE2 (DuckDB) and java.util.regex (Spark) read these differently:
#   $    RE2: end of text;  Java: end, or before a final line break      -> \z
#   .    RE2: any but \n;   Java: any but \n \r \u0085 \u2028 \u2029     -> [^\n]
#   \s   RE2: [\t\n\f\r ];  Java: also \x0B                              -> [\t\n\f\r ]
#   \v   RE2: \x0B;         Java: any vertical whitespace                -> \x0B
#   \b   RE2: ASCII words;  Java 17: Unicode letters count as words      -> ASCII lookarounds
_WORD = "[0-9A-Za-z_]"
_OUTSIDE = {
    "$": r"\z",
    ".": r"[^\n]",
}
_ESCAPES_OUTSIDE = {
    "s": r"[\t\n\f\r ]",
    "S": r"[^\t\n\f\r ]",
    "v": r"\x0B",
    "b": rf"(?:(?<={_WORD})(?!{_WORD})|(?<!{_WORD})(?={_WORD}))",
    "B": rf"(?:(?<={_WORD})(?={_WORD})|(?<!{_WORD})(?!{_WORD}))",
}
_ESCAPES_INSIDE = {"s": r"\t\n\f\r ", "v": r"\x0B"}
# Escapes with one meaning in both (letters, digits classes, anchors \A \z, control characters).
_SAME_ESCAPES = set("dDwWAztnrfpPx") | set("\\.^$|?*+()[]{}/-'\"`&~#@%!,:;<>= ")


def spark_regex(pattern: str) -> tuple[str, list[str]]:
    """An RE2 pattern as a Java pattern with the same matches, and what could not be translated."""
    out, problems, i, in_class = [], [], 0, False
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            if i + 1 >= len(pattern):
                problems.append("trailing backslash")
                break
            nxt = pattern[i + 1]
            if nxt.isdigit() and nxt != "0":
                problems.append(f"back-reference \\{nxt} in a pattern")
            elif in_class and nxt in _ESCAPES_INSIDE:
                out.append(_ESCAPES_INSIDE[nxt])
            elif not in_class and nxt in _ESCAPES_OUTSIDE:
                out.append(_ESCAPES_OUTSIDE[nxt])
            elif nxt in ("p", "P") and i + 2 < len(pattern) and pattern[i + 2] != "{":
                out.append(f"\\{nxt}{{{pattern[i + 2]}}}")  # \pL -> \p{L}
                i += 3
                continue
            elif nxt in _SAME_ESCAPES or (nxt == "x"):
                out.append(pattern[i:i + 2])
            else:
                problems.append(f"escape \\{nxt} (meaning differs or unknown between RE2 and Java)")
            i += 2
            continue
        if in_class:
            if c == "]" and not (out and out[-1] in ("[", "[^")):
                in_class = False
            elif c == "[":
                problems.append("'[' inside a character class (Java reads a nested class, RE2 a '[' or a POSIX class)")
            elif c == "&" and pattern.startswith("&&", i):
                problems.append("'&&' inside a character class (Java reads an intersection)")
            out.append(c)
            i += 1
            continue
        if c == "[":
            in_class = True
            if pattern.startswith("[^", i):
                out.append("[^")
                i += 2
            else:
                out.append("[")
                i += 1
            continue
        if c == "(" and pattern.startswith("(?", i) and not pattern.startswith("(?:", i):
            problems.append("group flag or lookaround '(?...' (RE2 has no lookaround; flags differ)")
        if c in _OUTSIDE:
            out.append(_OUTSIDE[c])
        else:
            out.append(c)
        i += 1
    return "".join(out), problems


def spark_replacement(replacement: str) -> str:
    """An RE2 rewrite string (``\\1``, ``\\\\``) as a Java replacement (``$1``, ``\\\\``, ``\\$``)."""
    out, i = [], 0
    while i < len(replacement):
        c = replacement[i]
        if c == "\\" and i + 1 < len(replacement):
            nxt = replacement[i + 1]
            out.append(f"${nxt}" if nxt.isdigit() else "\\\\")
            i += 2
            continue
        out.append("\\$" if c == "$" else c)
        i += 1
    return "".join(out)


def _matches_once(pattern: str) -> bool:
    """True when a pattern can match only at the start of the text (``^...`` with no top-level ``|``):
    replacing the first match and replacing every match are then the same."""
    if not pattern.startswith("^"):
        return False
    depth, in_class, i = 0, False, 0
    while i < len(pattern):
        c = pattern[i]
        if c == "\\":
            i += 2
            continue
        if in_class:
            in_class = c != "]"
        elif c == "[":
            in_class = True
        elif c == "(":
            depth += 1
        elif c == ")":
            depth -= 1
        elif c == "|" and depth == 0:
            return False
        i += 1
    return True


def _string(node: exp.Expression | None) -> str | None:
    """The value of a string literal, of a parenthesised one, or of literals joined by ``||``."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.DPipe):
        left, right = _string(node.this), _string(node.expression)
        return None if left is None or right is None else left + right
    return node.this if isinstance(node, exp.Literal) and node.is_string else None


def _call(name: str, *args: exp.Expression) -> exp.Anonymous:
    return exp.Anonymous(this=name, expressions=list(args))


def _reflect(cls: str, method: str, *args: exp.Expression) -> exp.Anonymous:
    return _call("reflect", exp.Literal.string(cls), exp.Literal.string(method), *args)


def _null_safe(value: exp.Expression, result) -> exp.Expression:
    """reflect() throws on NULL: CASE WHEN v IS NULL THEN NULL ELSE result(v) END."""
    value = _wrapped(value)
    return exp.Case(ifs=[exp.If(this=exp.Is(this=value.copy(), expression=exp.Null()), true=exp.Null())],
                    default=result(value))


def _icu(method: str, value: exp.Expression) -> exp.Expression:
    # com.ibm.icu.text.Normalizer.compose/decompose(String, boolean compat): NFC / NFD when compat is false
    return _reflect("com.ibm.icu.text.Normalizer", method, value, exp.false())


def _strip_accents(value: exp.Expression) -> exp.Expression:
    # DuckDB: utf8proc with STRIPMARK|COMPOSE = decompose (NFD), drop every mark (Mn, Mc, Me), compose.
    return _null_safe(value, lambda v: _icu("compose", exp.RegexpReplace(
        this=_icu("decompose", v), expression=exp.Literal.string(r"\p{M}+"), replacement=exp.Literal.string(""))))


def _problem(problems, construct, detail):
    problems.append(Problem(construct, detail))


def _rewrite_regex(node: exp.Expression, problems: list[Problem]) -> exp.Expression:
    kind = type(node).__name__
    pattern = _string(node.expression)
    if pattern is None:
        _problem(problems, kind, "pattern is not a string literal: it cannot be checked or translated")
        return node
    translated, issues = spark_regex(pattern)
    for issue in issues:
        _problem(problems, kind, issue)
    if isinstance(node, exp.RegexpFullMatch):
        # RE2 FullMatch: the whole text; Java's find() with the pattern anchored at both ends
        return exp.RegexpLike(this=node.this, expression=exp.Literal.string(f"^(?:{translated})\\z"))
    node.set("expression", exp.Literal.string(translated))
    flags_key = {"RegexpLike": "flag", "RegexpReplace": "modifiers"}.get(kind)
    flags = node.args.get(flags_key) if flags_key else None
    if isinstance(node, exp.RegexpReplace):
        flag_text = _string(flags) if flags is not None else ""
        if flag_text is None:
            _problem(problems, kind, "flags are not a string literal")
        elif "g" not in flag_text and not _matches_once(pattern):
            _problem(problems, "regexp_replace without 'g'", "DuckDB replaces the first match, Spark every match")
        elif set(flag_text) - {"g"}:
            _problem(problems, kind, f"flag(s) {''.join(sorted(set(flag_text) - {'g'}))!r} are dropped by the transpiler")
        node.set("modifiers", None)
        replacement = node.args.get("replacement")
        literals = [replacement] if _string(replacement) is not None else (
            [branch for branch in (replacement.args.get("default"), *(i.args.get("true") for i in replacement.args.get("ifs", [])))]
            if isinstance(replacement, exp.Case) else [])
        if literals and all(_string(branch) is not None for branch in literals):
            for branch in literals:
                branch.replace(exp.Literal.string(spark_replacement(_string(branch))))
        else:
            _problem(problems, kind, "replacement is not a string literal (or a CASE of them): back-references cannot be rewritten")
    elif flags is not None:
        _problem(problems, f"{kind} flag {_string(flags) or flags.sql(READ)!r}", "dropped by the transpiler (e.g. 'i': case-sensitive on Spark)")
        node.set(flags_key, None)
    if isinstance(node, exp.RegexpExtractAll) and node.args.get("group") is None:
        node.set("group", exp.Literal.number(0))  # DuckDB's default group is 0, Spark's 1
    return node


def _chr(node: exp.Chr) -> exp.Expression:
    (code,) = node.expressions
    if isinstance(code, exp.Literal) and code.is_int and 0 <= int(code.this) < 128:
        return node  # Spark's chr() is right for ASCII; above 255 it takes the code modulo 256
    # The code point as four big-endian bytes, decoded as UTF-32: deterministic, so it may stand
    # inside a lambda (reflect() may not: Spark does not initialise it there). Spark accepts only
    # 'UTF-32', which reads a leading 0000FEFF as a byte-order mark and drops it: an explicit mark
    # first, so that chr(65279) is U+FEFF and not ''.
    hex_code = exp.Anonymous(this="lpad", expressions=[exp.Hex(this=_wrapped(code)), exp.Literal.number(8), exp.Literal.string("0")])
    with_mark = exp.Concat(expressions=[exp.Literal.string("0000FEFF"), hex_code])
    return exp.Decode(this=exp.Unhex(this=with_mark), charset=exp.Literal.string("UTF-32"))


def _nfc_of_pieces(node: exp.Expression) -> exp.Expression | None:
    """array_join(transform(split(X, SEP), p -> NFC(p)), SEP) -> NFC(X), or None when ``node`` is not that.

    DuckDB's nfc_normalize stops at a NUL byte, so a macro composes the pieces
    between NULs one by one. ICU composes a whole string, and a NUL (a starter
    that composes with nothing) splits it into the same pieces, so NFC(X) is
    the same string; it also keeps reflect() out of a lambda, where Spark
    cannot run it.
    """
    if not isinstance(node, exp.ArrayToString) or not isinstance(node.this, exp.Transform):
        return None
    transform, separator = node.this, node.expression
    lam = transform.expression
    split = transform.this
    if not (isinstance(split, exp.Split) and isinstance(lam, exp.Lambda) and len(lam.expressions) == 1):
        return None
    body = lam.this
    if not (isinstance(body, exp.Anonymous) and body.name.lower() == "nfc_normalize" and len(body.expressions) == 1
            and isinstance(body.expressions[0], exp.Identifier) and body.expressions[0].name == lam.expressions[0].name):
        return None
    if split.expression.sql(READ) != separator.sql(READ):
        return None
    return _null_safe(split.this, lambda v: _icu("compose", v))


def _anonymous(node: exp.Anonymous, problems: list[Problem]) -> exp.Expression:
    name = node.name.lower()
    args = node.expressions
    if name == "strlen":
        return exp.Anonymous(this="octet_length", expressions=args)
    if name == "strip_accents":
        return _strip_accents(args[0])
    if name == "nfc_normalize":
        return _null_safe(args[0], lambda v: _icu("compose", v))
    if name == "getvariable":
        if _string(args[0]) == KEY_PARAMETER:
            return exp.Placeholder(this=KEY_PARAMETER)
        _problem(problems, "getvariable", f"only getvariable('{KEY_PARAMETER}') has a Spark binding")
        return node
    if name == "error":
        return exp.Anonymous(this="raise_error", expressions=args)
    if name in ANONYMOUS_PORTABLE:
        return node
    _problem(problems, f"{name}()", "no faithful Spark counterpart known")
    return node


# sqlglot's typed functions (class name) whose Spark output was checked to mean the same,
# with the DuckDB spelling the templates use.
SPARK_FUNCTIONS = {
    "Lower": "lower", "Upper": "upper", "Length": "length (code points on both)", "Trim": "trim (spaces only on both)",
    "Nullif": "nullif", "Coalesce": "coalesce", "Case": "case", "If": "case branch", "Cast": "::varchar, ::bigint",
    "TryCast": "try_cast", "Concat": "concat", "DPipe": "||", "Left": "left", "Right": "right",
    "Substring": "substring (1-based on both)", "Translate": "translate", "SHA2": "sha256 -> sha2(x, 256), lower-case hex",
    "Chr": "chr (rewritten above 127)", "RegexpLike": "regexp_matches (rewritten pattern)",
    "RegexpReplace": "regexp_replace(..., 'g') (rewritten pattern and replacement)",
    "RegexpExtract": "regexp_extract (rewritten pattern)", "RegexpExtractAll": "regexp_extract_all (group 0 explicit)",
    "Split": "string_split -> split on a quoted literal", "ArrayToString": "array_to_string -> array_join",
    "Transform": "list_transform -> transform", "ArrayFilter": "list_filter -> filter (keeps true, drops false and NULL on both)",
    "RegexpFullMatch": "regexp_full_match -> rlike '^(?:p)\\z'", "Repeat": "repeat", "Contains": "contains", "Abs": "abs",
    "Count": "count", "Sum": "sum", "Min": "min", "Max": "max", "Avg": "avg", "RowNumber": "row_number",
    "StrPosition": "strpos/instr", "Replace": "replace", "Least": "least", "Greatest": "greatest",
    "ArraySize": "len/array_length -> size", "Round": "round", "CurrentTimestamp": "current_timestamp",
    # operators and constructors sqlglot models as functions
    "And": "and", "Or": "or", "Xor": "xor", "Array": "[...] -> array(...)", "Struct": "{...} -> struct(...)",
}
# Untyped (Anonymous) functions that need no rewrite: same name, same meaning.
ANONYMOUS_PORTABLE = {"octet_length", "reflect", "raise_error"}


def _index_problem(node: exp.Bracket) -> str | None:
    """Why a list subscript would read another element on Spark, or None.

    sqlglot shifts a literal index by one (l[1] -> l[0]), which is right for a
    positive index only: l[-1] (DuckDB: the last element) becomes l[-2]. A
    computed index is not shifted at all, and a slice l[a:b] has no Spark syntax.
    A string subscript (s['field'], a map key) is not a list index.
    """
    for index in node.expressions:
        if isinstance(index, exp.Slice):
            return "list slice l[a:b]: no Spark syntax (slice(l, start, length) is not generated)"
        if isinstance(index, exp.Literal) and index.is_string:
            continue
        if isinstance(index, exp.Literal):
            # sqlglot's DuckDB parser stores l[1] as index 0 and writes it back with Spark's offset
            if index.is_int and int(index.this) >= 0:
                continue
            return f"list index {index.this}: sqlglot shifts it to another element"
        if isinstance(index, exp.Neg):
            return "negative list index: sqlglot shifts it to another element (l[-1] -> l[-2])"
        return "list[index] with a computed index: 1-based in DuckDB, 0-based in Spark: sqlglot shifts literals only"
    return None


def _bottom_up(node: exp.Expression, visit) -> exp.Expression:
    """Apply ``visit`` to every node, children first, so a rewrite sees rewritten arguments."""
    for child in list(node.iter_expressions()):
        new = _bottom_up(child, visit)
        if new is not child:
            child.replace(new)
    return visit(node)


def rewrite_for_spark(tree: exp.Expression) -> tuple[exp.Expression, list[Problem]]:
    """Rewrite an inlined DuckDB tree in place for Spark; returns it and what could not be rewritten."""
    problems: list[Problem] = []

    def visit(node):
        if isinstance(node, (exp.RegexpLike, exp.RegexpReplace, exp.RegexpExtract, exp.RegexpExtractAll,
                             exp.RegexpFullMatch)):
            return _rewrite_regex(node, problems)
        if isinstance(node, exp.RegexpILike):
            _problem(problems, "regexp ilike", "case-insensitive regex (RE2 Unicode folding vs Java ASCII)")
            return node
        if isinstance(node, exp.Bracket) and _index_problem(node):
            construct, _, detail = _index_problem(node).partition(": ")
            _problem(problems, construct, detail)
            return node
        if isinstance(node, exp.Anonymous):
            return _anonymous(node, problems)
        if isinstance(node, exp.Chr):
            return _chr(node)
        if isinstance(node, exp.Func) and type(node).__name__ not in SPARK_FUNCTIONS:
            _problem(problems, f"{node.sql_name().lower()}()", "not on the list of functions checked to mean the same on Spark")
        return node

    # before the arguments are rewritten: the pattern is matched on DuckDB's spelling
    tree = tree.transform(lambda node: _nfc_of_pieces(node) or node, copy=False)
    return _bottom_up(tree, visit), problems


# --- 3. transpiling -----------------------------------------------------------------------------

@dataclass(frozen=True)
class SparkSQL:
    text: str
    problems: list[Problem]

    @property
    def needs_key(self) -> bool:
        return f":{KEY_PARAMETER}" in self.text


def translate(duckdb_sql: str) -> SparkSQL:
    """The Spark SQL of a rendered DuckDB query, with what does not port faithfully."""
    problems: list[Problem] = []
    texts = []
    for statement in sqlglot.parse(duckdb_sql, read=READ):
        if statement is None:
            continue
        if isinstance(statement, exp.Anonymous) or not isinstance(statement, exp.Expression):
            continue
        inlined = inline_macros(statement)
        rewritten, found = rewrite_for_spark(inlined)
        problems += found
        texts.append(rewritten.sql(dialect=WRITE, comments=False))
    return SparkSQL(text=";\n".join(texts), problems=problems)


def portability_problems(duckdb_sql: str) -> list[Problem]:
    return translate(duckdb_sql).problems


def to_spark(duckdb_sql: str) -> str:
    """The Spark SQL of a rendered DuckDB query; NotPortable when any part would not mean the same."""
    translated = translate(duckdb_sql)
    if translated.problems:
        raise NotPortable(translated.problems)
    return translated.text


def collect_spark(spark, spark_sql: str, key: str | None = None) -> list:
    """Run translated SQL on Spark and collect its rows, the key bound as ``:pii_key``.

    Errors never carry Spark's message.

    Spark substitutes bound parameters into its plans, so its error messages
    can print the key; the error raised here names only the error class.
    """
    args = {}
    if f":{KEY_PARAMETER}" in spark_sql:
        if not key:
            raise CannotRun("pii_key is not set: the Spark engine needs the PII key")
        args[KEY_PARAMETER] = key
    try:
        return spark.sql(spark_sql, args=args or None).collect()
    except Exception as exc:  # noqa: BLE001 - a Spark message may quote the key or data
        condition = getattr(exc, "getCondition", lambda: None)() if hasattr(exc, "getCondition") else None
        raise CannotRun(f"Spark {type(exc).__name__}{f' [{condition}]' if condition else ''} while running a query") from None


# --- the portability lint -----------------------------------------------------------------------

# The generator makes the synthetic lakehouse on one machine: it stays DuckDB only.
DUCKDB_ONLY_DIRS = ("sql/generate/",)


def spark_lint_targets(manifest) -> list[tuple[str, dict]]:
    """(template, context) for every rendered query the Spark engine would run."""
    from staffing_sql.catalog import all_templates, render_contexts
    from staffing_sql.templates import is_duckdb_macro_file, is_jinja_macro_file

    return [(template, context) for template in all_templates()
            if not template.startswith(DUCKDB_ONLY_DIRS)
            and not is_duckdb_macro_file(template) and not is_jinja_macro_file(template)
            for context in render_contexts(template, manifest)]


def spark_lint(manifest) -> dict[str, list[Problem]]:
    """What does not port to Spark yet, per template: each problem once, in a stable order."""
    found: dict[str, list[Problem]] = {}
    for template, context in spark_lint_targets(manifest):
        try:
            problems = translate(render(template, **context)).problems
        except Exception as exc:  # noqa: BLE001 - a query the transpiler cannot read is a finding
            problems = [Problem("transpiler", f"cannot translate: {type(exc).__name__}: {' '.join(str(exc).split())[:160]}")]
        if problems:
            found.setdefault(template, [])
            for problem in problems:
                if problem not in found[template]:
                    found[template].append(problem)
    return {template: sorted(problems, key=str) for template, problems in sorted(found.items())}
