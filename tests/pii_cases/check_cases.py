"""Validate tests/pii_cases/cases.json (standard library only).

    python3 tests/pii_cases/check_cases.py [path/to/cases.json]

Checks the file itself, not a redactor:

* the format: version, field names and types, kinds, unique kebab-case ids,
  the deterministic order (by kind, then id) and the canonical pretty-printing;
* every ``pii`` entry is a literal substring of ``text``; negatives have none,
  every other case has at least one;
* the case is self-consistent under the folding of contract §6: once every
  ``pii`` span is blanked out, the folded rest of the text holds no folded
  ``pii`` entry (so a consumer may test "the span does not survive" with a
  plain folded substring search), no part of two letters or more of
  ``own_name`` (as a word), no part of an assigned worker (``name_assigned``),
  and no full-name form of a ``roster`` person (``First Last``,
  ``First M. Last``, ``Last, First``, ``F. Last``);
* negatives hold no such form either, so they must come through unchanged.

Prints the counts by kind and by source, and the ids marked DEBATABLE.
Exits 1 on the first list of errors.
"""

from __future__ import annotations

import collections
import json
import re
import sys
import unicodedata
from pathlib import Path

KINDS = ["name_own", "name_roster", "name_assigned", "email", "phone", "ssn", "negative"]
FIELDS = ["id", "kind", "text", "pii", "own_name", "roster", "source"]
OPTIONAL = ["note"]
SOURCE_PREFIXES = ("presidio:", "scrubadub:", "commonregex:", "phonenumbers:")
SOURCE_EXACT = ("issue-10", "contract-6", "redteam")
ID_SHAPE = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")

# Folding per contract §6: NFKD, marks stripped, case-folded, letters such as
# ı and ø transliterated, typographic apostrophes and dashes and non-breaking
# or doubled spaces treated as their plain forms.
TRANSLIT = str.maketrans({
    "ı": "i", "ø": "o", "Ø": "o", "đ": "d", "Đ": "d", "ł": "l", "Ł": "l",
    "ß": "ss", "æ": "ae", "Æ": "ae", "œ": "oe", "Œ": "oe", "þ": "th", "ð": "d",
    "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "\uff07": "'", "`": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-",
    "\u2015": "-", "\u2212": "-", "\ufe63": "-", "\uff0d": "-",
})
SPACES = re.compile(r"[\s\u00a0\u2007\u202f\u3000]+")


def fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.translate(TRANSLIT).casefold())
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    return SPACES.sub(" ", text.translate(TRANSLIT))


def word(pattern: str) -> re.Pattern:
    return re.compile(r"(?<![a-z0-9])" + pattern + r"(?![a-z0-9])")


def name_parts(name: str) -> list[str]:
    """Parts of two letters or more, whole and by hyphen, with and without apostrophes."""
    parts = set()
    for token in fold(name).replace(".", " ").split():
        pieces = [token] + token.split("-")
        for piece in pieces:
            for form in (piece, piece.replace("'", "")):
                if sum(ch.isalpha() for ch in form) >= 2:
                    parts.add(form)
    return sorted(parts)


def full_name_forms(name: str) -> list[str]:
    """The roster forms of §6 for someone else: with/without middle initial, Last, First, F. Last."""
    tokens = fold(name).split()
    first, last, middle = tokens[0], tokens[-1], tokens[1:-1]
    firsts = {first, first.replace("-", " "), first.replace("'", "")}
    lasts = {last, last.replace("-", " "), last.replace("'", "")}
    forms = set()
    for f in firsts:
        for l in lasts:
            forms.add(f"{f} {l}")
            forms.add(f"{l}, {f}")
            forms.add(f"{f[0]}. {l}")
            if middle:
                mid = " ".join(middle)
                forms.add(f"{f} {mid} {l}")
                forms.add(f"{l}, {f} {mid}")
    return sorted(forms)


def blank(text: str, spans: list[str]) -> str:
    for span in sorted(spans, key=len, reverse=True):
        text = text.replace(span, " \x00 ")
    return text


def check(path: Path) -> int:
    raw = path.read_text(encoding="utf-8")
    data = json.loads(raw)
    errors: list[str] = []
    if raw != json.dumps(data, ensure_ascii=False, indent=2) + "\n":
        errors.append("file is not in canonical form (json.dumps(ensure_ascii=False, indent=2) + newline)")
    if set(data) != {"version", "cases"} or data["version"] != 1:
        errors.append("top level must be {'version': 1, 'cases': [...]}")
    cases = data.get("cases", [])
    ids = [case.get("id") for case in cases]
    for dup in sorted({i for i in ids if ids.count(i) > 1}):
        errors.append(f"duplicate id {dup}")
    order = [(KINDS.index(c["kind"]) if c.get("kind") in KINDS else 99, c.get("id", "")) for c in cases]
    if order != sorted(order):
        errors.append("cases are not sorted by kind, then id")

    for case in cases:
        cid = case.get("id", "?")
        keys = list(case)
        if keys[: len(FIELDS)] != FIELDS or any(k not in OPTIONAL for k in keys[len(FIELDS):]):
            errors.append(f"{cid}: fields must be {FIELDS} + optional {OPTIONAL}, got {keys}")
            continue
        if not ID_SHAPE.match(cid):
            errors.append(f"{cid}: id is not kebab-case")
        kind, text, pii = case["kind"], case["text"], case["pii"]
        own, roster, source = case["own_name"], case["roster"], case["source"]
        if kind not in KINDS:
            errors.append(f"{cid}: unknown kind {kind}")
        if not cid.startswith(kind.replace("_", "-") + "-"):
            errors.append(f"{cid}: id should start with its kind")
        if not (source in SOURCE_EXACT or (source.startswith(SOURCE_PREFIXES) and source.endswith(".py"))):
            errors.append(f"{cid}: source {source!r} not recognised")
        if not isinstance(text, str) or not text:
            errors.append(f"{cid}: empty text")
        if not isinstance(pii, list) or not all(isinstance(p, str) and p for p in pii):
            errors.append(f"{cid}: pii must be a list of non-empty strings")
            continue
        if own is not None and not isinstance(own, str):
            errors.append(f"{cid}: own_name must be a string or null")
        if not isinstance(roster, list) or not all(isinstance(r, str) and len(r.split()) >= 2 for r in roster):
            errors.append(f"{cid}: roster must list full names")
            continue
        if kind == "negative" and pii:
            errors.append(f"{cid}: a negative lists no pii")
        if kind != "negative" and not pii:
            errors.append(f"{cid}: no pii listed")
        if kind == "name_own" and not own:
            errors.append(f"{cid}: name_own needs own_name")
        if kind in ("name_roster", "name_assigned") and not roster:
            errors.append(f"{cid}: {kind} needs roster")
        if kind == "name_assigned" and own is not None:
            errors.append(f"{cid}: name_assigned keeps the assigned workers in roster, own_name null")
        for span in pii:
            if span not in text:
                errors.append(f"{cid}: pii {span!r} is not a substring of text")

        rest = fold(blank(text, pii))
        for span in pii:
            if fold(span) in rest:
                errors.append(f"{cid}: folded pii {fold(span)!r} also occurs outside the listed spans")
        people_by_part = ([own] if own else []) + (roster if kind == "name_assigned" else [])
        for person in people_by_part:
            for part in name_parts(person):
                if word(re.escape(part)).search(rest):
                    errors.append(f"{cid}: part {part!r} of {person!r} is in the text but not in pii")
        for person in roster:
            for form in full_name_forms(person):
                if word(re.escape(form)).search(rest):
                    errors.append(f"{cid}: roster form {form!r} of {person!r} is in the text but not in pii")

    if errors:
        print("\n".join(errors))
        return 1

    by_kind = collections.Counter(c["kind"] for c in cases)
    by_source = collections.Counter(c["source"].split(":")[0] for c in cases)
    by_file = collections.Counter(c["source"] for c in cases)
    print(f"{len(cases)} cases")
    print("by kind:   " + ", ".join(f"{k} {by_kind[k]}" for k in KINDS))
    print("by source: " + ", ".join(f"{k} {v}" for k, v in sorted(by_source.items())))
    for k, v in sorted(by_file.items()):
        print(f"    {v:3d}  {k}")
    debatable = [c["id"] for c in cases if "DEBATABLE" in c.get("note", "")]
    print(f"debatable ({len(debatable)}): " + ", ".join(debatable))
    return 0


if __name__ == "__main__":
    sys.exit(check(Path(sys.argv[1]) if len(sys.argv) > 1 else Path(__file__).with_name("cases.json")))
