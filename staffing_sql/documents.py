"""Shape checks for the scenario and lesson files (contract §4), at the gate.

DuckDB's JSON reader would fail on a broken file without saying which file or
key; this check names both (``SCN-003.json: $.fills[1].count: must be a
positive integer``) so the run can stop with one line and exit code 2.

It is stricter than Python's json module wherever that module accepts what
DuckDB's reader (macros/jinja/read_scenarios.sql, read_lessons.sql) rejects or reads
differently: a key twice in one object, NaN/Infinity, an unpaired surrogate
escape, an integer outside its column's type, nesting deeper than the parser's
recursion. A key the contract does not define is refused, as a parquet column
without a PII class is: DuckDB would drop it silently. A message never quotes a
value, nor a key the contract does not define (it may be data: a name used as a
key); such a key is named by its position, ``$.fills[0].<key 8>``.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from staffing_sql.errors import CannotRun
from staffing_sql.manifest import INTEGER_MAX, Documents

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")
_SURROGATE = re.compile("[\ud800-\udfff]")
BIGINT_MIN, BIGINT_MAX = -(2**63), 2**63 - 1

# The keys of each object of the two shapes (contract §4).
SCENARIO_KEYS = ("scenario_id", "client_id", "plan_date", "created_at", "site", "fills", "notes")
SITE_KEYS = ("city", "state", "zip")
FILL_KEYS = ("fill_id", "job_order_id", "role", "count", "shift_start", "shift_end", "assigned")
ASSIGNED_KEYS = ("worker_id", "name")
LESSON_KEYS = ("lesson_id", "scenario_id", "recorded_at", "events_total", "events_ok", "lesson", "tags")
_CONTRACT_KEYS = frozenset(SCENARIO_KEYS + SITE_KEYS + FILL_KEYS + ASSIGNED_KEYS + LESSON_KEYS)

# The shapes nest five containers deep; this only bounds what is parsed before
# the shape check refuses it (Python's parser recurses, DuckDB's does not).
MAX_DEPTH = 16


class _Invalid(Exception):
    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")


class _Object(dict):
    """A parsed JSON object that remembers its keys in order, repeats included."""

    def __init__(self, pairs):
        super().__init__(pairs)
        self.keys_in_order = [key for key, _ in pairs]


class _NonFinite:
    """NaN, Infinity or -Infinity: Python's json accepts them, JSON does not."""


def _huge_int(text: str) -> int:
    # Python refuses to convert more than 4,300 digits; any integer this long is
    # out of every column's range, so its sign is all the range checks need.
    if len(text) > 40:
        return -(10**40) if text.startswith("-") else 10**40
    return int(text)


def _key_path(where: str, key: str, position: int) -> str:
    return f"{where}.{key}" if key in _CONTRACT_KEYS else f"{where}.<key {position}>"


def _object(value, where: str, keys: tuple[str, ...], shape: str) -> _Object:
    if not isinstance(value, dict):
        raise _Invalid(where, "must be an object")
    seen = set()
    for position, key in enumerate(value.keys_in_order, start=1):
        if key not in keys:
            raise _Invalid(_key_path(where, key, position),
                           f"not a key of the contract's {shape} shape (a field without a PII class is refused)")
        if key in seen:
            raise _Invalid(f"{where}.{key}", "appears twice in one object")
        seen.add(key)
    return value


def _field(obj: _Object, key: str, where: str, kinds, nullable: bool = False):
    if key not in obj:
        raise _Invalid(f"{where}.{key}", "missing")
    value = obj[key]
    if value is None and nullable:
        return None
    if isinstance(value, _NonFinite):
        raise _Invalid(f"{where}.{key}", "NaN and Infinity are not JSON numbers")
    if isinstance(value, bool) or not isinstance(value, kinds):
        names = {str: "a string", int: "an integer", list: "a list", dict: "an object"}
        kind = kinds if isinstance(kinds, type) else kinds[0]
        raise _Invalid(f"{where}.{key}", f"must be {names.get(kind, kind.__name__)}")
    if isinstance(value, str):
        _text(value, f"{where}.{key}")
    return value


def _text(value: str, where: str) -> None:
    if _SURROGATE.search(value):
        raise _Invalid(where, "holds an unpaired surrogate escape (\\ud800-\\udfff), not valid Unicode")


def _integer(obj: _Object, key: str, where: str, low: int, high: int, too_low: str, too_high: str) -> int:
    value = _field(obj, key, where, int)
    if value < low:
        raise _Invalid(f"{where}.{key}", too_low)
    if value > high:
        raise _Invalid(f"{where}.{key}", too_high)
    return value


def _stamp(obj: _Object, key: str, where: str, pattern: re.Pattern, parse, form: str):
    text = _field(obj, key, where, str)
    try:
        if not pattern.fullmatch(text):
            raise ValueError
        return parse(text)
    except ValueError:
        raise _Invalid(f"{where}.{key}", f"not a valid date/time ({form})") from None


def _utc(text: str) -> datetime:
    return datetime.fromisoformat(text.rstrip("Z"))


def _scenario(doc, documents: Documents) -> str:
    max_slots = documents.max_slots_per_fill or INTEGER_MAX
    doc = _object(doc, "$", SCENARIO_KEYS, "scenario")
    scenario_id = _field(doc, "scenario_id", "$", str)
    _field(doc, "client_id", "$", str)
    _stamp(doc, "plan_date", "$", _DATE, date.fromisoformat, "YYYY-MM-DD")
    _stamp(doc, "created_at", "$", _UTC_TIME, _utc, "YYYY-MM-DDTHH:MM:SSZ")
    site = _object(_field(doc, "site", "$", dict), "$.site", SITE_KEYS, "scenario")
    for key in SITE_KEYS:
        _field(site, key, "$.site", str)
    for i, fill in enumerate(_field(doc, "fills", "$", list)):
        where = f"$.fills[{i}]"
        fill = _object(fill, where, FILL_KEYS, "scenario")
        for key in ("fill_id", "job_order_id", "role"):
            _field(fill, key, where, str)
        _integer(fill, "count", where, 1, max_slots, "must be a positive integer",
                 f"more than {max_slots} slots (max_slots_per_fill in manifest.toml)")
        start = _stamp(fill, "shift_start", where, _LOCAL_TIME, datetime.fromisoformat, "YYYY-MM-DDTHH:MM:SS")
        end = _stamp(fill, "shift_end", where, _LOCAL_TIME, datetime.fromisoformat, "YYYY-MM-DDTHH:MM:SS")
        if end <= start:
            raise _Invalid(f"{where}.shift_end", "is not after shift_start")
        for j, worker in enumerate(_field(fill, "assigned", where, list)):
            at = f"{where}.assigned[{j}]"
            worker = _object(worker, at, ASSIGNED_KEYS, "scenario")
            out_of_range = "out of the BIGINT range (-2^63 to 2^63-1)"
            _integer(worker, "worker_id", at, BIGINT_MIN, BIGINT_MAX, out_of_range, out_of_range)
            _field(worker, "name", at, str)
    _field(doc, "notes", "$", str, nullable=True)
    return scenario_id


def _lesson(doc, _documents: Documents) -> str:
    doc = _object(doc, "$", LESSON_KEYS, "lesson")
    lesson_id = _field(doc, "lesson_id", "$", str)
    _field(doc, "scenario_id", "$", str, nullable=True)
    _stamp(doc, "recorded_at", "$", _UTC_TIME, _utc, "YYYY-MM-DDTHH:MM:SSZ")
    total = _integer(doc, "events_total", "$", 0, INTEGER_MAX, "must not be negative",
                     f"more than {INTEGER_MAX} (the INTEGER column it is read into)")
    ok = _integer(doc, "events_ok", "$", 0, INTEGER_MAX, "must not be negative",
                  f"more than {INTEGER_MAX} (the INTEGER column it is read into)")
    if ok > total:
        raise _Invalid("$.events_ok", "must not exceed events_total")
    _field(doc, "lesson", "$", str)
    for i, tag in enumerate(_field(doc, "tags", "$", list)):
        if not isinstance(tag, str):
            raise _Invalid(f"$.tags[{i}]", "must be a string")
        _text(tag, f"$.tags[{i}]")
    return lesson_id


_TOKENS = re.compile(r'"[^"\\]*(?:\\.[^"\\]*)*"|[\[\]{}:,]')


def _too_deep(text: str) -> str:
    """The JSON path of the first container nested more than MAX_DEPTH deep (text already parsed once)."""
    stack: list[list] = []  # [key or None, position] per object, [index] per list
    last_string = None
    for token in _TOKENS.finditer(text):
        mark = token.group()
        if mark in "{[":
            if len(stack) == MAX_DEPTH:
                return "$" + "".join(
                    f"[{frame[0]}]" if len(frame) == 1 else _key_path("", frame[0], frame[1]) for frame in stack)
            stack.append([None, 0] if mark == "{" else [0])
        elif mark in "}]":
            stack.pop()
        elif mark == ",":
            if len(stack[-1]) == 1:
                stack[-1][0] += 1
        elif mark == ":":
            stack[-1][0], stack[-1][1] = last_string, stack[-1][1] + 1
        else:
            last_string = json.loads(mark)
    return "$"


def _load(path: Path):
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise CannotRun(f"{path}: cannot be read ({exc.strerror})") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CannotRun(f"{path}: not UTF-8 (byte {exc.start})") from None
    # A leading byte-order mark is allowed (RFC 8259 §8.1; DuckDB's reader skips it too).
    text = text.removeprefix("\ufeff")
    try:
        return json.loads(text, object_pairs_hook=_Object, parse_constant=lambda _: _NonFinite(),
                          parse_int=_huge_int)
    except json.JSONDecodeError as exc:
        raise CannotRun(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None
    except RecursionError:
        raise CannotRun(f"{path}: {_too_deep(text)}: nested more than {MAX_DEPTH} levels deep") from None


def check_documents(paths: list[Path], documents: Documents) -> None:
    """Refuse the first malformed file, or an id used by two files."""
    shape, id_key = {"scenarios": (_scenario, "scenario_id"), "lessons": (_lesson, "lesson_id")}[documents.name]
    seen: dict[str, Path] = {}
    for path in paths:
        document = _load(path)
        try:
            identifier = shape(document, documents)
        except _Invalid as exc:
            raise CannotRun(f"{path}: {exc}") from None
        if identifier in seen:
            raise CannotRun(f"{path}: $.{id_key}: the same id as {seen[identifier].name}")
        seen[identifier] = path
