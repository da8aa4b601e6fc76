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
import sqlglot.transforms
from sqlglot import exp
from sqlglot.dialects.spark import Spark

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
    return Macro(name=name, params=tuple(params), defaults=defaults,
                 body=_parse(body))


def _parse(sql: str) -> exp.Expression:
    return method_calls_as_functions(_list_lengths(sqlglot.parse_one(sql, read=READ)))


def _list_lengths(tree: exp.Expression) -> exp.Expression:
    """``len(x)`` as ``array_length(x)``: the templates write len() for a list's length and length() for
    a string's. sqlglot reads both as one function (the spelling is known only from the source offsets,
    right after parsing); Spark has one for each (size, length), so a len() of a string fails loudly
    on Spark rather than meaning something else."""
    for node in list(tree.find_all(exp.Length)):
        start, end = node.meta.get("start"), node.meta.get("end")
        if start is not None and end is not None and end - start + 1 == 3:
            node.replace(exp.ArraySize(this=node.this))
    return tree


def method_calls_as_functions(tree: exp.Expression) -> exp.Expression:
    """DuckDB's method-call syntax ``x.f(a)`` as the call ``f(x, a)`` it stands for.

    sqlglot reads ``l.list_transform(lambda ...).flatten()`` as a field access
    on an untyped call; written as functions, sqlglot types them
    (``Transform``, ``Flatten``) and the Spark rewrites below apply.
    """
    def visit(node):
        if isinstance(node, exp.Dot) and isinstance(node.expression, exp.Anonymous):
            call = exp.Anonymous(this=node.expression.name, expressions=[node.this, *node.expression.expressions])
            return sqlglot.parse_one(call.sql(READ), read=READ)
        return node

    return _bottom_up(tree, visit)


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


def _wrapped(argument: exp.Expression, copy: bool = True) -> exp.Expression:
    """An argument as it can stand anywhere in the body (parenthesised unless atomic). The rewrites
    move the children of the node they replace (copy=False): copying the expanded redaction's
    subtrees at each rewrite cost more than the rest of the translation."""
    atomic = (exp.Column, exp.Literal, exp.Paren, exp.Func, exp.Identifier, exp.Dot, exp.Bracket,
              exp.Placeholder, exp.Boolean, exp.Null, exp.Array, exp.Struct)
    argument = argument.copy() if copy else argument
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


def _is_cheap(node: exp.Expression) -> bool:
    """An argument as cheap to repeat as to name: a column, a field of one, a literal, a parameter."""
    while isinstance(node, (exp.Paren, exp.Cast, exp.Neg)):
        node = node.this
    if isinstance(node, exp.Dot):
        return _is_cheap(node.this)
    return isinstance(node, (exp.Column, exp.Identifier, exp.Literal, exp.Placeholder, exp.Null, exp.Boolean))


def _argument_sites(body: exp.Expression, bound: dict) -> dict[str, int]:
    """How often the body reads each parameter."""
    uses = dict.fromkeys(bound, 0)
    for node in body.walk():
        if isinstance(node, exp.Column) and not node.args.get("db"):
            table = node.args.get("table")
            name = node.name if table is None else table.name
            if name in uses:
                uses[name] += 1
        elif isinstance(node, exp.Identifier) and node.name in uses and _is_variable_position(node):
            if not isinstance(node.parent, exp.Column):
                uses[node.name] += 1
    return uses


def _let(name: str, value: exp.Expression, body: exp.Expression) -> exp.Expression:
    """list_transform([value], lambda name: body)[1]: body with name bound to value, evaluated once
    (the idiom the macros use themselves)."""
    let = sqlglot.parse_one("list_transform([0], lambda _let_value: 0)[1]", read=READ)
    transform = let.this
    transform.this.set("expressions", [value])
    transform.expression.set("expressions", [exp.to_identifier(name)])
    transform.expression.set("this", body)
    return let


def _instantiate(macro: Macro, call: exp.Anonymous, bind_once: bool = True) -> exp.Expression:
    bound = _bind(macro, call)
    body = _rename_lambda_parameters(macro.body.copy())
    lets = []
    if bind_once:
        # An argument the body reads more than once is evaluated once, in a let, not pasted at every
        # read: the expanded query stays linear in the macros' size (Spark's analysis time grows
        # faster than the query's size). Aggregates and window functions stay where they are written.
        # An argument holding lambdas (a let is one) or calls that become reflect() is bound too: the
        # name forms _names_text reads four times are ~47,000 characters in the case-file query.
        for name, count in _argument_sites(body, bound).items():
            value = bound[name]
            if count >= 2 and not _is_cheap(value) and not value.find(exp.AggFunc, exp.Window):
                variable = f"__{name.lstrip('_')}_{next(_fresh)}"
                lets.append((variable, value))
                bound[name] = exp.to_identifier(variable)

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

    body = body.transform(substitute, copy=False)
    for variable, value in lets:
        body = _let(variable, value.copy(), body)
    return body


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
# Unicode general categories: the same names in RE2 and Java; any other \p{Name} in RE2 is a script.
_GENERAL_CATEGORIES = {"L", "Lu", "Ll", "Lt", "Lm", "Lo", "M", "Mn", "Mc", "Me", "N", "Nd", "Nl", "No", "P", "Pc", "Pd",
                       "Ps", "Pe", "Pi", "Pf", "Po", "S", "Sm", "Sc", "Sk", "So", "Z", "Zs", "Zl", "Zp", "C", "Cc", "Cf",
                       "Co", "Cs", "Cn"}
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
            elif nxt in ("p", "P") and pattern.startswith("{", i + 2) and "}" in pattern[i + 3:]:
                name = pattern[i + 3:pattern.index("}", i + 3)]
                # RE2 names a script bare (\p{Latin}); Java wants \p{IsLatin} (a bare name is an error there)
                java = name if name in _GENERAL_CATEGORIES else f"Is{name}"
                out.append(f"\\{nxt}{{{java}}}")
                i += 4 + len(name)
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
    """True when a pattern can match at most once in any text, so that replacing the first match and
    replacing every match are the same: anchored at the start (``^...``), or at the end (``...$``) and
    unable to match the empty string (the one match runs to the end; after it only an empty match could
    follow). Either way with no top-level ``|``."""
    if not (pattern.startswith("^") or _ends_anchored(pattern)):
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


def _ends_anchored(pattern: str) -> bool:
    """``...$`` (an unescaped final ``$``) whose rest cannot match the empty string.

    Whether the rest can match '' is asked of Python's re, which reads the patterns the templates use
    (no \\p classes) as RE2 does; a pattern it cannot compile counts as able to match ''."""
    if not pattern.endswith("$") or (len(pattern) - len(pattern[:-1].rstrip("\\")) - 1) % 2:
        return False
    try:
        return re.fullmatch(pattern[:-1], "") is None
    except re.error:
        return False


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


def _int_list(node: exp.Expression) -> list[int] | None:
    """The values of a list of integer literals, or of such lists joined by ``||``."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, (exp.DPipe, exp.ArrayConcat)):
        parts = [node.this, node.expression] if isinstance(node, exp.DPipe) else [node.this, *node.expressions]
        values = [_int_list(part) for part in parts]
        return None if any(value is None for value in values) else [v for value in values for v in value]
    if isinstance(node, exp.Array):
        values = [_int(element) for element in node.expressions]
        return None if any(value is None for value in values) else values
    return None


def _chr_string(node: exp.Expression) -> exp.Expression | None:
    """array_to_string(list_transform([c1, c2, ...], cp -> chr(cp)), 'sep') -> the string literal it is.

    fold_text writes the characters it translates as code points; as one literal the Spark query is
    smaller (Spark's analysis time grows faster than the query's size) and needs no chr() rewrite.
    """
    if not (isinstance(node, exp.ArrayToString) and isinstance(node.this, exp.Transform)):
        return None
    separator, lam = _string(node.expression), node.this.expression
    codes = _int_list(node.this.this)
    if separator is None or codes is None or not isinstance(lam, exp.Lambda) or len(lam.expressions) != 1:
        return None
    body = lam.this
    if not (isinstance(body, exp.Chr) and len(body.expressions) == 1 and isinstance(body.expressions[0], (exp.Identifier, exp.Column))
            and body.expressions[0].name == lam.expressions[0].name):
        return None
    if not all(0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF for code in codes):
        return None
    return exp.Literal.string(separator.join(chr(code) for code in codes))


def _case_on_literal(node: exp.Expression) -> exp.Expression | None:
    """``case 'email' when 'phone' then a when 'email' then b else c end`` -> ``b``.

    A macro argument that selects a branch (_pii_normalize's class) is a literal at every call; keeping
    only the branch it selects makes the Spark query several times smaller."""
    if not isinstance(node, exp.Case) or not isinstance(node.this, exp.Literal):
        return None
    value = node.this
    for branch in node.args.get("ifs") or []:
        when = branch.this
        if not isinstance(when, exp.Literal) or when.is_string != value.is_string:
            return None
        if (when.this == value.this) if value.is_string else (_int(when) is not None and _int(when) == _int(value)):
            return _wrapped(branch.args["true"], copy=False)
    default = node.args.get("default")
    return _wrapped(default, copy=False) if default is not None else exp.Null()


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
    "MD5": "md5 (lower-case hex of the UTF-8 bytes on both)",
    "Chr": "chr (rewritten above 127)", "RegexpLike": "regexp_matches (rewritten pattern)",
    "RegexpReplace": "regexp_replace(..., 'g') (rewritten pattern and replacement)",
    "RegexpExtract": "regexp_extract (rewritten pattern)", "RegexpExtractAll": "regexp_extract_all (group 0 explicit)",
    "Split": "string_split -> split on a quoted literal", "ArrayToString": "array_to_string -> array_join",
    "Transform": "list_transform -> transform", "ArrayFilter": "list_filter -> filter (keeps true, drops false and NULL on both)",
    "RegexpFullMatch": "regexp_full_match -> rlike '^(?:p)\\z'", "Repeat": "repeat", "Contains": "contains", "Abs": "abs",
    "StartsWith": "starts_with -> startswith (NULL in NULL out, '' a prefix of every text, on both)",
    "AnyValue": "any_value(x) -> any_value(x) ignore nulls (DuckDB skips NULLs; either engine picks any "
                "non-NULL value: use it only on a value the group holds once)",
    "SplitPart": "split_part (checked above)",
    "ArrayContains": "list_contains -> array_contains of the list without its NULL elements (DuckDB ignores NULL "
                     "elements, Spark's gives NULL when there is no match and the list holds one; NULL list or value "
                     "NULL on both)",
    "ArrayOverlaps": "list_has_any -> arrays_overlap of both lists without their NULL elements (DuckDB ignores NULL "
                     "elements, Spark's gives NULL when nothing is common and a list holds one; NULL list NULL on both)",
    "Count": "count", "Sum": "sum", "Min": "min", "Max": "max", "Avg": "avg", "RowNumber": "row_number",
    "StrPosition": "strpos/instr", "Replace": "replace", "Least": "least", "Greatest": "greatest",
    "ArraySize": "len/array_length -> size (len() is a list's length in the templates)",
    "Explode": "unnest(l) in a select list -> explode(l) (one row per element; [] and NULL give none on both)", "Round": "round", "CurrentTimestamp": "current_timestamp",
    # operators and constructors sqlglot models as functions
    "And": "and", "Or": "or", "Xor": "xor", "Array": "[...] -> array(...)", "Struct": "{...} -> struct(...)",
}
# Untyped (Anonymous) functions that need no rewrite: same name, same meaning.
ANONYMOUS_PORTABLE = {"octet_length", "reflect", "raise_error"}


def _int(node: exp.Expression) -> int | None:
    """The value of an integer literal (``-2`` included), else None."""
    while isinstance(node, exp.Paren):
        node = node.this
    if isinstance(node, exp.Neg):
        inner = _int(node.this)
        return None if inner is None else -inner
    return int(node.this) if isinstance(node, exp.Literal) and node.is_int else None


def _lambda(body, *names: str) -> exp.Lambda:
    return exp.Lambda(this=body, expressions=[exp.to_identifier(name) for name in names])


def _fresh_name(stem: str) -> str:
    return f"__{stem}_{next(_fresh)}"


def _without_nulls(array: exp.Expression) -> exp.Expression:
    """filter(array, e -> e is not null)."""
    name = _fresh_name("element")
    return exp.ArrayFilter(this=array, expression=_lambda(
        exp.Not(this=exp.Is(this=exp.to_identifier(name), expression=exp.Null())), name))


def _slice(array: exp.Expression, start: exp.Expression | None, end: exp.Expression | None) -> exp.Expression | str:
    """DuckDB's l[a:b] / list_slice(l, a, b) as Spark's slice(l, start, length).

    DuckDB: 1-based, both ends included; a negative bound counts from the end (-1 is the last
    element, so a bound becomes len(l) + a + 1); the start is then clamped up to 1 (0 and
    -len(l)-5 start at the first element), the end down to len(l); start > end gives []; a NULL
    list or bound gives NULL (an omitted bound is the first / last element).
    Spark's slice fails on a start of 0 or a negative length and reads a start below -size as
    past the end: the start and length are computed to DuckDB's meaning first. A bound that is not a
    column, field or literal is evaluated once, in a let.
    """
    first = 1 if start is None else _int(start)
    last = -1 if end is None else _int(end)
    array = _wrapped(array, copy=False)
    if first is not None and last is not None and first >= 1 and last != 0:
        # literal bounds: elements first..last, last = len + b + 1 when b < 0; clamp the length at 0
        length = (exp.Literal.number(last - first + 1) if last > 0
                  else exp.Sub(this=exp.ArraySize(this=array.copy()), expression=exp.Literal.number(first - last - 2)))
        return _call("slice", array, exp.Literal.number(first), exp.Greatest(this=length, expressions=[exp.Literal.number(0)]))
    lets = []

    def named(bound: exp.Expression) -> exp.Expression:
        bound = _wrapped(bound, copy=False)
        if _is_cheap(bound) or any(c.name.lower() == "reflect" for c in bound.find_all(exp.Anonymous)):
            return bound
        variable = _fresh_name("bound")
        lets.append((variable, bound))
        return exp.to_identifier(variable)

    def from_end(bound: exp.Expression) -> exp.Expression:  # len(l) + bound + 1
        return exp.Paren(this=exp.Add(this=exp.Add(this=exp.ArraySize(this=array.copy()), expression=bound.copy()),
                                      expression=exp.Literal.number(1)))

    array = named(array)
    one = exp.Literal.number(1)
    if first is not None:
        start_at = (exp.Literal.number(max(first, 1)) if first >= 0
                    else exp.Greatest(this=from_end(exp.Literal.number(first)), expressions=[one.copy()]))
    else:
        a = named(start)
        start_at = exp.Case(ifs=[
            exp.If(this=exp.LT(this=a.copy(), expression=exp.Literal.number(0)),
                   true=exp.Greatest(this=from_end(a), expressions=[one.copy()])),
            exp.If(this=exp.EQ(this=a.copy(), expression=exp.Literal.number(0)), true=one.copy())], default=a.copy())
    if end is None:
        # to the last element: Spark's slice stops there itself (and gives [] for a start past it)
        return _with_lets(lets, _call("slice", array, start_at, exp.ArraySize(this=array.copy())))
    if last is not None:
        end_at = exp.Literal.number(last) if last >= 0 else from_end(exp.Literal.number(last))
    else:
        b = named(end)
        end_at = exp.Case(ifs=[exp.If(this=exp.LT(this=b.copy(), expression=exp.Literal.number(0)), true=from_end(b))],
                          default=b.copy())
    # NULL bound: NULL start or length, NULL result (no greatest() here: Spark's skips NULLs)
    length = exp.Case(ifs=[exp.If(this=exp.LT(this=end_at.copy(), expression=start_at.copy()), true=exp.Literal.number(0))],
                      default=exp.Sub(this=exp.Paren(this=end_at.copy()),
                                      expression=exp.Paren(this=exp.Sub(this=start_at.copy(), expression=one.copy()))))
    return _with_lets(lets, _call("slice", array, start_at, length))


def _with_lets(lets: list[tuple[str, exp.Expression]], body: exp.Expression) -> exp.Expression:
    for variable, value in reversed(lets):
        body = _let(variable, value, body)
    return body


def _split_part(node: exp.SplitPart) -> str | None:
    """split_part(x, sep, i) is Spark's split_part for a non-empty literal separator and a literal index
    other than 0: 1-based, negative from the end, out of range '' and NULL in NULL out on both. DuckDB
    splits into characters on '' (and clamps the index there) and gives '' for index 0, where Spark
    keeps the whole text and fails."""
    separator, index = _string(node.args.get("delimiter")), _int(node.args.get("part_index"))
    if not separator or index in (None, 0):
        return "split_part(): only a non-empty literal separator and a literal index other than 0 are translated"
    return None


def _can_match_empty(pattern: str) -> bool:
    """Whether a pattern may match the empty string somewhere: each character class and \\p class is read
    as the one character it matches, then Python's re is asked; an anchor or word boundary outside a
    class counts as able to (it matches an empty span)."""
    simple, i = [], 0
    while i < len(pattern):
        c = pattern[i]
        if c == "[":  # a class: up to the first ']' after its first character (escapes skipped)
            j = i + 1 + (pattern[i + 1:i + 2] == "^")
            j += 1
            while j < len(pattern) and pattern[j] != "]":
                j += 2 if pattern[j] == "\\" else 1
            simple.append("x")
            i = j + 1
        elif c == "\\":
            escape = pattern[i + 1:i + 2]
            if escape in ("b", "B", "A", "z", "Z"):
                return True
            if escape in ("p", "P"):
                i += 3 if pattern[i + 2:i + 3] != "{" else pattern.index("}", i) + 1 - i
                simple.append("x")
                continue
            simple.append(pattern[i:i + 2])
            i += 2
        elif c in "^$":
            return True
        else:
            simple.append(c)
            i += 1
    try:
        return re.fullmatch("".join(simple), "") is not None
    except (re.error, ValueError):
        return True


def _regexp_split(node: exp.RegexpSplit, problems: list[Problem]) -> exp.Expression:
    """string_split_regex(x, p) -> split(x, p', -1): both keep empty pieces (leading and trailing) for a
    pattern that cannot match ''; one that can is refused (DuckDB skips an empty match at the text's
    end and before a non-empty match, Spark splits there: ',a' on ',*')."""
    pattern = _string(node.expression)
    if pattern is None or _can_match_empty(pattern):
        _problem(problems, "string_split_regex()", "only a literal pattern that cannot match '' is translated")
        return node
    translated, issues = spark_regex(pattern)
    for issue in issues:
        _problem(problems, "string_split_regex()", issue)
    return _call("split", node.this, exp.Literal.string(translated), exp.Literal.number(-1))


def _subscript(node: exp.Bracket) -> exp.Expression | str | None:
    """A list subscript Spark would read differently, rewritten; a reason when it cannot be; None when
    sqlglot's own output is right (a string key).

    DuckDB l[i]: 1-based, a negative i counts from the end, out of range (or 0) is NULL.
    Spark try_element_at(l, i): the same, but i = 0 is an error: nullif(i, 0) makes it NULL.
    sqlglot's DuckDB reader stores a literal index shifted by one (l[-1] as -2) and a computed one as
    written; a slice keeps its bounds as written.
    """
    if len(node.expressions) != 1:
        return "list subscript with several indexes"
    (index,) = node.expressions
    if isinstance(index, exp.Slice):
        return _slice(node.this, index.this, index.expression)
    if isinstance(index, exp.Literal) and index.is_string:
        return None
    stored = _int(index)
    if stored is not None:
        # l[1] as try_element_at(l, 1), not sqlglot's l[0]: under ANSI, Spark's l[0] on [] is an error
        # where DuckDB gives NULL
        if stored + 1 == 0:
            return "l[0]: always NULL on DuckDB (1-based); write NULL"
        return exp.Anonymous(this="try_element_at", expressions=[_wrapped(node.this, copy=False), exp.Literal.number(stored + 1)])
    return exp.Anonymous(this="try_element_at", expressions=[
        _wrapped(node.this, copy=False), exp.Nullif(this=_wrapped(index, copy=False), expression=exp.Literal.number(0))])


def _generate_series(node: exp.GenerateSeries) -> exp.Expression | str:
    """range(a, b) (b excluded) / generate_series(a, b) (b included), step 1, as a Spark array.

    Spark's sequence(a, b) counts down when b < a, where DuckDB gives []: CASE WHEN b < a THEN [] ELSE
    sequence(a, b) END (the empty list as slice(sequence(a, a), 1, 0), so that it has the element type).
    A NULL bound gives NULL on both (not greatest(): Spark's skips NULLs).
    """
    if node.args.get("step") is not None and _int(node.args["step"]) != 1:
        return "generate_series/range with a step: only step 1 is translated"
    start, end = _wrapped(node.args["start"], copy=False), _wrapped(node.args["end"], copy=False)
    if node.args.get("is_end_exclusive"):
        end = exp.Paren(this=exp.Sub(this=end, expression=exp.Literal.number(1)))
    empty = exp.Anonymous(this="slice", expressions=[
        exp.Anonymous(this="sequence", expressions=[start.copy(), start.copy()]), exp.Literal.number(1), exp.Literal.number(0)])
    return exp.Case(ifs=[exp.If(this=exp.LT(this=end.copy(), expression=start.copy()), true=empty)],
                    default=exp.Anonymous(this="sequence", expressions=[start, end]))


def _array_agg(node: exp.ArrayAgg) -> exp.Expression | str:
    """list(x) / list(x order by y): DuckDB keeps NULL elements and gives NULL over no rows;
    Spark's collect_list drops NULLs and gives []. Each value is collected inside a struct
    (a struct is never NULL), sorted by the order keys when there are some, then unwrapped.
    """
    value, keys = node.this, []
    if isinstance(value, exp.Order):
        for ordered in value.expressions:
            if ordered.args.get("desc") or ordered.args.get("nulls_first"):
                return "list(x order by y desc / nulls first): only ascending, nulls last is translated"
            keys.append(ordered.this)
        value = value.this
    if node.args.get("distinct") or isinstance(value, exp.Distinct):
        return "list(distinct x): not translated"
    fields = [exp.PropertyEQ(this=exp.to_identifier(f"k{i}_null"), expression=exp.Is(this=_wrapped(key), expression=exp.Null()))
              for i, key in enumerate(keys)]
    for i, key in enumerate(keys):
        fields.append(exp.PropertyEQ(this=exp.to_identifier(f"k{i}"), expression=key.copy()))
    # nulls last: (key is null) sorts false before true, then the key
    fields = [field for i in range(len(keys)) for field in (fields[i], fields[len(keys) + i])]
    fields.append(exp.PropertyEQ(this=exp.to_identifier("v"), expression=value.copy()))
    collected = exp.Anonymous(this="collect_list", expressions=[exp.Struct(expressions=fields)])
    if keys:
        collected = exp.ArraySort(this=collected)
    name = _fresh_name("collected")
    unwrapped = exp.Transform(this=collected, expression=_lambda(
        exp.Dot(this=exp.to_identifier(name), expression=exp.to_identifier("v")), name))
    return exp.Case(ifs=[exp.If(this=exp.EQ(this=exp.Count(this=exp.Star()), expression=exp.Literal.number(0)),
                                true=exp.Null())], default=unwrapped)


def _file_order_row_number(node: exp.Window) -> exp.Expression | None:
    """``row_number() over ()``: the row's position in the file it reads (DuckDB keeps a scan's order).

    Spark requires an order: monotonically_increasing_id() counts rows in partition order, and
    one file read by Spark is split into partitions in file order; the projections between the
    scan and the window (the phone fixup) keep it. A join or an aggregate in between would not:
    the safe views number the rows of a file read straight."""
    if not (isinstance(node.this, exp.RowNumber) and not node.args.get("partition_by") and not node.args.get("order")
            and not node.args.get("spec")):
        return None
    node.set("order", exp.Order(expressions=[exp.Ordered(this=exp.Anonymous(this="monotonically_increasing_id"))]))
    return node


def _array_concat(node: exp.ArrayConcat) -> exp.Expression:
    """list_concat(a, b, ...): DuckDB skips a NULL list ([] when all are NULL); Spark's concat is NULL."""
    empty = exp.Array(expressions=[])
    return exp.Concat(expressions=[exp.Coalesce(this=_wrapped(part, copy=False), expressions=[empty.copy()])
                                   for part in (node.this, *node.expressions)])


def _without_null_elements(array: exp.Expression) -> exp.Expression:
    """The list without its NULL elements; a list literal of non-NULL literals as it is."""
    if isinstance(array, exp.Array) and all(isinstance(e, exp.Literal) for e in array.expressions):
        return array
    return _without_nulls(array)


def _arrays_overlap(node: exp.ArrayOverlaps) -> exp.Expression:
    """list_has_any(a, b) -> arrays_overlap(a', b'), each list without its NULL elements.

    DuckDB ignores NULL elements (false when no non-NULL element is common) and gives NULL for a NULL
    list; Spark's arrays_overlap gives NULL when nothing is common and either list holds a NULL.
    Without the NULLs both give true or false, and NULL for a NULL list. (sqlglot would write Spark's
    `a && b`.)"""
    return _call("arrays_overlap", _without_null_elements(node.this), _without_null_elements(node.expression))


def _array_contains(node: exp.ArrayContains) -> exp.Expression:
    """list_contains(l, x) -> array_contains(l', x), l without its NULL elements.

    DuckDB ignores NULL elements (false when x is not among the others); Spark's array_contains gives
    NULL when x is not found and the list holds a NULL. A NULL list or a NULL x is NULL on both."""
    node.set("this", _without_null_elements(node.this))
    return node


def _is_text_cast(node: exp.Expression) -> bool:
    return isinstance(node, exp.Cast) and node.to.this in (exp.DataType.Type.TEXT, exp.DataType.Type.VARCHAR)


def _concat_ws(node: exp.ConcatWs) -> exp.Expression | str:
    """concat_ws(sep, x::varchar, ...): the same on Spark (NULLs skipped, all NULL gives '').

    Only with every value cast to text: Spark's concat_ws flattens a list argument where DuckDB
    writes the list as text. The cast's text is the same on both engines for a text, an integer, a
    date and a timestamp (the key columns the checks join are ids); a double's or a list's is not.
    """
    separator, *values = node.expressions
    if _string(separator) is None:
        return "concat_ws(): only with a literal separator"
    if not values or not all(_is_text_cast(value) for value in values):
        return "concat_ws(): only with every value cast to varchar (Spark flattens a list argument)"
    return node


def _to_json(node: exp.Anonymous) -> exp.Expression | str:
    r"""to_json({...}) -> to_json(struct, map('ignoreNullFields', 'false')).

    Both write the struct's fields in order, compact, with NULL fields as null (Spark drops them by
    default), text escaped the same way (\n \t \b \f \r \" \\, other control characters as
    upper-case \u00XX, '/' and non-ASCII as they are), integers, booleans and lists alike. Dates and
    timestamps are written differently (Spark's JSON timestamp has a 'T'): the templates put them in
    as ::varchar, which is the same text on both and the same JSON DuckDB writes for the value itself.
    """
    if len(node.expressions) != 1 or not isinstance(node.expressions[0], exp.Struct):
        return "to_json(): only of a struct literal {...}"
    options = exp.Anonymous(this="map", expressions=[exp.Literal.string("ignoreNullFields"), exp.Literal.string("false")])
    return exp.Anonymous(this="to_json", expressions=[node.expressions[0], options])


def _list_reduce(node: exp.Anonymous) -> exp.Expression | str:
    """list_reduce(l, (acc, x) -> f, start) -> aggregate(l, start, (acc, x) -> f): both fold from start,
    in list order; [] gives start, a NULL list NULL. Without a start DuckDB begins with the first element
    (and fails on []): not translated."""
    if len(node.expressions) != 3:
        return "list_reduce without a start value: DuckDB folds from the first element (Spark's aggregate needs a start)"
    array, function, start = node.expressions
    if not isinstance(function, exp.Lambda) or len(function.expressions) != 2:
        return "list_reduce with an index parameter: not translated"
    return exp.Anonymous(this="aggregate", expressions=[array, start, function])


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

    readers: set[int] = set()

    def visit(node):
        if id(node) in readers:
            return node
        if isinstance(node, (exp.RegexpLike, exp.RegexpReplace, exp.RegexpExtract, exp.RegexpExtractAll,
                             exp.RegexpFullMatch)):
            return _rewrite_regex(node, problems)
        if isinstance(node, exp.RegexpILike):
            _problem(problems, "regexp ilike", "case-insensitive regex (RE2 Unicode folding vs Java ASCII)")
            return node
        rewritten = None
        if isinstance(node, exp.Window) and _file_order_row_number(node) is not None:
            return node
        if isinstance(node, exp.Bracket):
            rewritten = _subscript(node)
        elif isinstance(node, exp.GenerateSeries):
            rewritten = _generate_series(node)
        elif isinstance(node, exp.Split) and _string(node.expression) == "":
            # string_split(x, ''): the code points on both; sqlglot quotes the separator as \\Q\\E, a
            # regex that matches '' and gives Spark a trailing '' element; Spark's split on the empty
            # pattern itself does not (and never cuts a surrogate pair)
            return _call("split", node.this, exp.Literal.string(""), exp.Literal.number(-1))
        elif isinstance(node, exp.SplitPart):
            rewritten = _split_part(node)
            if rewritten is None:
                return node
        elif isinstance(node, exp.RegexpSplit):
            return _regexp_split(node, problems)
        elif isinstance(node, exp.ArrayAgg):
            rewritten = _array_agg(node)
        elif isinstance(node, exp.ArrayConcat):
            rewritten = _array_concat(node)
        elif isinstance(node, exp.ArrayOverlaps):
            return _arrays_overlap(node)
        elif isinstance(node, exp.ArrayContains):
            return _array_contains(node)
        elif isinstance(node, (exp.ArrayDistinct, exp.Flatten)):
            # DuckDB's list_distinct and flatten skip NULL elements (list_distinct keeps no order);
            # Spark's keep one NULL / give NULL for a NULL inner list
            node.set("this", _without_nulls(node.this))
            return node
        elif isinstance(node, exp.ArraySort):
            if node.args.get("nulls_first") is not None and node.args["nulls_first"].this is not False:
                rewritten = "list_sort with nulls first: not translated"
            # ascending: array_sort (nulls last), descending: sort_array(l, false) (nulls last), as DuckDB
            return node if rewritten is None else _problem(problems, "list_sort()", rewritten) or node
        elif isinstance(node, exp.ConcatWs):
            rewritten = _concat_ws(node)
        elif isinstance(node, exp.Anonymous) and node.name.lower() == "to_json":
            rewritten = _to_json(node)
        elif isinstance(node, exp.Anonymous) and node.name.lower() in ("list_reduce", "list_slice"):
            rewritten = (_list_reduce(node) if node.name.lower() == "list_reduce"
                         else _slice(node.expressions[0], *node.expressions[1:3]) if len(node.expressions) == 3
                         else "list_slice with a step")
        if isinstance(rewritten, str):
            construct, _, detail = rewritten.partition(": ")
            _problem(problems, construct, detail)
            return node
        if rewritten is not None:
            return rewritten
        if isinstance(node, exp.Bracket):
            return node
        if isinstance(node, exp.Anonymous):
            return _anonymous(node, problems)
        if isinstance(node, exp.Chr):
            return _chr(node)
        if isinstance(node, exp.Func) and type(node).__name__ not in SPARK_FUNCTIONS:
            _problem(problems, f"{node.sql_name().lower()}()", "not on the list of functions checked to mean the same on Spark")
        return node

    # before the arguments are rewritten: the patterns are matched on DuckDB's spelling
    # (children first, so that a rewrite inside a kept CASE branch is not skipped)
    tree = _bottom_up(tree, lambda node: _case_on_literal(node) or node)
    tree = _bottom_up(tree, lambda node: _nfc_of_pieces(node) or _chr_string(node) or node)
    readers |= _check_file_readers(tree, problems)
    return _read_files_on_spark(_bottom_up(tree, visit)), problems


# --- the raw JSON files ----------------------------------------------------------------------------
#
# DuckDB reads a document folder (scenarios, lessons) with read_json(paths, format = 'auto',
# filename = true, columns = {...}) and hashes its files with read_text(paths). On Spark the engine
# registers each file-list parameter's files as a view (Spark's binaryFile source: path and bytes,
# read where they lie; staffing_sql.spark.register_document_files), and the translation reads that
# view: read_text is the path and the bytes as UTF-8 text, read_json parses the same bytes with
# Spark's from_json under the schema of read_json's own columns argument (the one place the shape
# is written), FAILFAST, so that a file that does not parse fails the query as on DuckDB.

_READ_JSON_OPTIONS = {"format": "'auto'", "filename": "true"}


def document_files_view(parameter: str) -> str:
    """The Spark view of the files a file-list parameter ($scenario_paths) names."""
    return f"__files_{parameter}"


def spark_schema(columns: exp.Expression) -> str:
    """read_json's columns ({name: 'DuckDB type', ...}) as a Spark DDL schema (TIMESTAMP -> TIMESTAMP_NTZ)."""
    if not isinstance(columns, exp.Struct):
        raise ValueError("columns must be a struct literal of type strings")
    fields = []
    for field in columns.expressions:
        name, kind = field.this.name, _string(field.expression)
        if not isinstance(field, exp.PropertyEQ) or kind is None:
            raise ValueError("columns must be a struct literal of type strings")
        fields.append(f"`{name}` {exp.DataType.build(kind, dialect=READ).sql(WRITE)}")
    return ", ".join(fields)


def _file_reader(node: exp.Anonymous) -> tuple[str, list[str], str | None] | str:
    """(file-list parameter, column names, Spark schema or None for read_text) of a read_json/read_text
    table function the Spark translation reads from the files view; a reason when it cannot."""
    name, args = node.name.lower(), node.expressions
    if not args or not isinstance(args[0], exp.Placeholder) or not args[0].name:
        return f"{name}(): only a file-list parameter ($scenario_paths) is read from Spark's files view"
    parameter = args[0].name
    if name == "read_text":
        return (parameter, ["filename", "content"], None) if len(args) == 1 else f"{name}(): no options are translated"
    options = {}
    for option in args[1:]:
        if not isinstance(option, exp.EQ) or not isinstance(option.this, exp.Column):
            return f"{name}(): only named options are translated"
        options[option.this.name.lower()] = option.expression
    columns = options.pop("columns", None)
    if columns is None or {key: value.sql(READ).lower() for key, value in options.items()} != _READ_JSON_OPTIONS:
        return f"{name}(): only format = 'auto', filename = true and a columns struct are translated"
    try:
        schema = spark_schema(columns)
    except (ValueError, sqlglot.errors.ParseError) as exc:
        return f"{name}(): {exc}"
    return parameter, [field.this.name for field in columns.expressions] + ["filename"], schema


def _spark_file_relation(parameter: str, names: list[str], schema: str | None) -> exp.Expression:
    """The Spark subquery standing for read_text / read_json over the parameter's files view."""
    view = document_files_view(parameter)
    # Spark's binaryFile path is a URI, 'file:' then the path as given (the engine passes absolute paths)
    filename = "regexp_replace(path, '^file:', '')"
    if schema is None:
        sql = f"select {filename} as filename, decode(content, 'UTF-8') as content from `{view}`"
    else:
        # DuckDB skips a leading UTF-8 byte-order mark (RFC 8259 allows one); Jackson does not
        text = ("case when hex(substring(content, 1, 3)) = 'EFBBBF' then decode(substring(content, 4), 'UTF-8') "
                "else decode(content, 'UTF-8') end")
        fields = ", ".join(f"__document.`{column}` as `{column}`" for column in names[:-1])
        sql = (f"select {fields}, filename from (select {filename} as filename, "
               f"from_json({text}, {exp.Literal.string(schema).sql(WRITE)}, map('mode', 'FAILFAST')) as __document "
               f"from `{view}`)")
    return sqlglot.parse_one(sql, read=WRITE)


def _is_file_reader(node: exp.Expression) -> bool:
    return (isinstance(node, exp.Table) and isinstance(node.this, exp.Anonymous)
            and node.this.name.lower() in ("read_json", "read_text"))


def _check_file_readers(tree: exp.Expression, problems: list[Problem]) -> set[int]:
    """The ids of the read_json/read_text table functions (each rewritten after the other rewrites, or
    a problem)."""
    readers = set()
    for table in tree.find_all(exp.Table):
        if _is_file_reader(table):
            found = _file_reader(table.this)
            if isinstance(found, str):
                construct, _, detail = found.partition(": ")
                _problem(problems, construct, detail)
            readers.add(id(table.this))
    return readers


def _read_files_on_spark(tree: exp.Expression) -> exp.Expression:
    """Each readable read_json/read_text table function as a subquery over its files view (after the
    other rewrites: this SQL is Spark's already)."""
    for table in list(tree.find_all(exp.Table)):
        if _is_file_reader(table):
            found = _file_reader(table.this)
            if isinstance(found, str):
                continue
            alias = table.alias or _fresh_name("files")
            table.replace(exp.Subquery(this=_spark_file_relation(*found), alias=exp.TableAlias(this=exp.to_identifier(alias))))
    return tree


# --- 3. transpiling -----------------------------------------------------------------------------

def _spark_text(tree: exp.Expression) -> str:
    """The Spark SQL of a tree, its nested WITH clauses kept where they are.

    sqlglot's Spark output moves a nested WITH to the top (Hive and Spark 2 had no nested CTEs), which
    with two CTEs of one name (a macro's own 'final' inside a view's) is a Spark error at best and a
    query reading the wrong CTE at worst. Spark 3+ reads nested CTEs, the inner name first, as DuckDB.
    Generator.generate() is preprocess() (that move, then ensure_bools) and sql(): this is the same
    without the move. (Subclassing the generator to turn the move off fails with sqlglot's compiled
    build: an interpreted class cannot inherit from a compiled one.)
    """
    generator = Spark().generator(comments=False)
    tree = tree.copy()
    if generator.ENSURE_BOOLS:
        tree = sqlglot.transforms.ensure_bools(tree)
    return generator.sql(tree).strip()


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
        statement = _list_lengths(statement)
        if isinstance(statement, exp.Anonymous) or not isinstance(statement, exp.Expression):
            continue
        inlined = inline_macros(method_calls_as_functions(statement))
        rewritten, found = rewrite_for_spark(inlined)
        problems += found
        texts.append(_spark_text(rewritten))
    return SparkSQL(text=";\n".join(texts), problems=problems)


def portability_problems(duckdb_sql: str) -> list[Problem]:
    return translate(duckdb_sql).problems


def to_spark(duckdb_sql: str) -> str:
    """The Spark SQL of a rendered DuckDB query; NotPortable when any part would not mean the same."""
    translated = translate(duckdb_sql)
    if translated.problems:
        raise NotPortable(translated.problems)
    return translated.text


def _spark_args(spark_sql: str, key: str | None, params: dict | None) -> dict:
    """The named parameters the translated SQL uses: the key as ``:pii_key``, each ``$name`` of the
    template as ``:name`` (from ``params``)."""
    args = {}
    for name in dict.fromkeys(re.findall(r"(?<![\w:]):([A-Za-z_][A-Za-z0-9_]*)", spark_sql)):
        if name == KEY_PARAMETER:
            if not key:
                raise CannotRun("pii_key is not set: the Spark engine needs the PII key")
            args[name] = key
        elif params and name in params:
            args[name] = params[name]
    return args


def spark_dataframe(spark, spark_sql: str, key: str | None = None, params: dict | None = None):
    """Translated SQL as a Spark DataFrame (analysed, not run), its parameters bound. Errors as collect_spark's."""
    try:
        return spark.sql(spark_sql, args=_spark_args(spark_sql, key, params) or None)
    except CannotRun:
        raise
    except Exception as exc:  # noqa: BLE001 - a Spark message may quote the key or data
        raise _spark_error(exc) from None


def _java_cause(exc: Exception) -> str | None:
    """The class of the innermost Java exception behind a Py4JJavaError (never its message)."""
    try:
        throwable = exc.java_exception
        while throwable.getCause() is not None:
            throwable = throwable.getCause()
        return throwable.getClass().getName()
    except Exception:  # noqa: BLE001 - the JVM may be gone (an OutOfMemoryError can take it down)
        return None


def _spark_error(exc: Exception) -> CannotRun:
    condition = getattr(exc, "getCondition", lambda: None)() if hasattr(exc, "getCondition") else None
    cause = _java_cause(exc) if hasattr(exc, "java_exception") else None
    return CannotRun(f"Spark {type(exc).__name__}{f' [{condition}]' if condition else ''}"
                     f"{f' ({cause})' if cause else ''} while running a query")


def collect_spark(spark, spark_sql: str, key: str | None = None, params: dict | None = None) -> list:
    """Run translated SQL on Spark and collect its rows, the key bound as ``:pii_key`` and each template
    parameter ``$name`` as ``:name`` from ``params``.

    Errors never carry Spark's message.

    Spark substitutes bound parameters into its plans, so its error messages
    can print the key; the error raised here names only the error class.
    """
    frame = spark_dataframe(spark, spark_sql, key, params)
    try:
        return frame.collect()
    except Exception as exc:  # noqa: BLE001 - a Spark message may quote the key or data
        raise _spark_error(exc) from None


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
