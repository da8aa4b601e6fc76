"""Shape checks for the scenario and lesson files (contract §4), at the gate.

DuckDB's JSON reader would fail on a broken file without saying which file or
key; this check names both (``SCN-003.json: $.fills[1].count: must be a
positive integer``) so the run can stop with one line and exit code 2.
"""

from __future__ import annotations

import json
import re
from datetime import date, datetime
from pathlib import Path

from staffing_sql.errors import CannotRun

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_LOCAL_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}")
_UTC_TIME = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z")


class _Invalid(Exception):
    def __init__(self, where: str, problem: str):
        super().__init__(f"{where}: {problem}")


def _field(obj: dict, key: str, where: str, kinds, nullable: bool = False):
    if not isinstance(obj, dict):
        raise _Invalid(where, "must be an object")
    if key not in obj:
        raise _Invalid(f"{where}.{key}", "missing")
    value = obj[key]
    if value is None and nullable:
        return None
    if isinstance(value, bool) or not isinstance(value, kinds):
        names = {str: "a string", int: "an integer", list: "a list", dict: "an object"}
        kind = kinds if isinstance(kinds, type) else kinds[0]
        raise _Invalid(f"{where}.{key}", f"must be {names.get(kind, kind.__name__)}")
    return value


def _stamp(obj: dict, key: str, where: str, pattern: re.Pattern, parse):
    text = _field(obj, key, where, str)
    try:
        if not pattern.fullmatch(text):
            raise ValueError
        return parse(text)
    except ValueError:
        raise _Invalid(f"{where}.{key}", f"not a valid date/time: {text[:40]!r}") from None


def _scenario(doc: dict) -> str:
    scenario_id = _field(doc, "scenario_id", "$", str)
    _field(doc, "client_id", "$", str)
    _stamp(doc, "plan_date", "$", _DATE, date.fromisoformat)
    _stamp(doc, "created_at", "$", _UTC_TIME, lambda t: datetime.fromisoformat(t.rstrip("Z")))
    site = _field(doc, "site", "$", dict)
    for key in ("city", "state", "zip"):
        _field(site, key, "$.site", str)
    for i, fill in enumerate(_field(doc, "fills", "$", list)):
        where = f"$.fills[{i}]"
        for key in ("fill_id", "job_order_id", "role"):
            _field(fill, key, where, str)
        if _field(fill, "count", where, int) < 1:
            raise _Invalid(f"{where}.count", "must be a positive integer")
        start = _stamp(fill, "shift_start", where, _LOCAL_TIME, datetime.fromisoformat)
        end = _stamp(fill, "shift_end", where, _LOCAL_TIME, datetime.fromisoformat)
        if end <= start:
            raise _Invalid(f"{where}.shift_end", "is not after shift_start")
        for j, worker in enumerate(_field(fill, "assigned", where, list)):
            _field(worker, "worker_id", f"{where}.assigned[{j}]", int)
            _field(worker, "name", f"{where}.assigned[{j}]", str)
    _field(doc, "notes", "$", str, nullable=True)
    return scenario_id


def _lesson(doc: dict) -> str:
    lesson_id = _field(doc, "lesson_id", "$", str)
    _field(doc, "scenario_id", "$", str, nullable=True)
    _stamp(doc, "recorded_at", "$", _UTC_TIME, lambda t: datetime.fromisoformat(t.rstrip("Z")))
    total = _field(doc, "events_total", "$", int)
    ok = _field(doc, "events_ok", "$", int)
    if total < 0 or ok < 0:
        raise _Invalid("$.events_total", "events_total and events_ok must not be negative")
    _field(doc, "lesson", "$", str)
    for i, tag in enumerate(_field(doc, "tags", "$", list)):
        if not isinstance(tag, str):
            raise _Invalid(f"$.tags[{i}]", "must be a string")
    return lesson_id


def _load(path: Path):
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CannotRun(f"{path}: not UTF-8 (byte {exc.start})") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise CannotRun(f"{path}: not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}") from None


def check_documents(paths: list[Path], kind: str) -> None:
    """Refuse the first malformed file, or an id used by two files."""
    shape = {"scenarios": _scenario, "lessons": _lesson}[kind]
    seen: dict[str, Path] = {}
    for path in paths:
        document = _load(path)
        try:
            if not isinstance(document, dict):
                raise _Invalid("$", "must be an object")
            identifier = shape(document)
        except _Invalid as exc:
            raise CannotRun(f"{path}: {exc}") from None
        if identifier in seen:
            raise CannotRun(f"{path}: {identifier} is also the id of {seen[identifier].name}")
        seen[identifier] = path
