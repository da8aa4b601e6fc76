"""The safe layer's DuckDB macros (normalize_phone, pii_token, redact_text) and
the generator's Jinja macros (rand_int, rand_unit, rand_pick, format_phone,
mentions_name), checked on tiny fixtures with exact expected outputs.

Expected tokens are computed here, in Python, from the documented recipe, so
the tests pin the token format as well as the SQL.
"""

from __future__ import annotations

import hashlib
import re

import duckdb
import pytest

from staffing_sql.database import duckdb_macro_files, execute, install_macros
from staffing_sql.templates import render_string

KEY = "test-key-masking-5b1f0c7e-not-for-production"
OTHER_KEY = "another-key-entirely-3d9a"
DIGITS_TO_LETTERS = str.maketrans("0123456789", "ghijklmnop")
TOKEN_SHAPE = re.compile(r"[a-z]+_[a-p]{16}")


def expected_token(pii_class: str, normalized: str, key: str = KEY) -> str:
    """The documented recipe, independently of the SQL."""
    digest = hashlib.sha256(f"{key}\x1f{pii_class}\x1f{normalized}".encode("utf-8")).hexdigest()
    return f"{pii_class}_{digest[:16].translate(DIGITS_TO_LETTERS)}"


def email(normalized: str) -> str:
    return expected_token("email", normalized)


def phone(digits: str) -> str:
    return expected_token("phone", digits)


def name(normalized: str) -> str:
    return expected_token("name", normalized)


def ssn(digits: str) -> str:
    return expected_token("ssn", digits)


def connection(key: str | None = KEY):
    con = duckdb.connect()
    install_macros(con, key)
    return con


@pytest.fixture(scope="module")
def con():
    con = connection()
    yield con
    con.close()


def scalar(con, sql: str, **params):
    return con.execute(sql, params or None).fetchone()[0]


def redact(con, text, names=None):
    """redact_text with these names as its forms, each folded as name_forms folds a name (case, spaces)."""
    if names is None:
        return scalar(con, "select redact_text($text, []::varchar[])", text=text)
    return scalar(
        con,
        "select redact_text($text, list_transform($names::varchar[], lambda n: trim(regexp_replace(fold_text(n), ' +', ' ', 'g'))))",
        text=text, names=names,
    )


# --------------------------------------------------------------------------- files


def test_each_duckdb_macro_file_is_one_documented_create_macro_named_after_the_file():
    files = duckdb_macro_files()
    ours = {"_keyed_token", "_phone_digits", "_pii_normalize", "_email_spans", "_ssn_spans", "_phone_spans",
            "_replace_spans", "_names_text", "_redaction_base", "_redaction_folded", "fold_text", "name_forms",
            "normalize_phone", "pii_token", "redact_text"}
    assert ours <= {path.stem for path in files}
    parser = duckdb.connect()
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert text.startswith("-- "), f"{path.name}: starts with a comment block"
        statements = parser.extract_statements(render_string(text))
        assert len(statements) == 1, f"{path.name}: exactly one statement"
        match = re.search(r"^create or replace temp macro ([a-z_]+)\(", text, re.MULTILINE)
        assert match and match.group(1) == path.stem, f"{path.name}: defines the macro named after the file"


def test_the_key_is_in_no_macro_definition(con):
    definitions = con.execute(
        "select string_agg(macro_definition, ' ') from duckdb_functions() where macro_definition is not null"
    ).fetchone()[0]
    assert "pii_key" in definitions
    assert KEY not in definitions


def test_a_view_using_the_macros_keeps_the_key_out_of_its_definition():
    con = connection()
    con.execute("create table people as select 'Ann@Example.com' as email")
    con.execute("create view people_safe as select pii_token(email, 'email') as email_token from people")
    view_sql = scalar(con, "select sql from duckdb_views() where view_name = 'people_safe'")
    assert KEY not in view_sql
    assert scalar(con, "select email_token from people_safe") == email("ann@example.com")


# --------------------------------------------------------------------------- normalize_phone


@pytest.mark.parametrize(
    "raw",
    ["614.555.0142", "6145550142", "(614) 555-0142", "+1 614 555 0142", "614-555-0142",
     "1-614-555-0142", "614 555 0142", "(614)555-0142", " 614.555.0142 "],
)
def test_normalize_phone_accepts_the_written_formats(con, raw):
    assert scalar(con, "select normalize_phone($raw)", raw=raw) == "(614) 555-0142"
    assert scalar(con, "select normalize_phone($raw, restore_leading_zero := true)", raw=raw) == "(614) 555-0142"


def test_normalize_phone_accepts_bigint(con):
    assert scalar(con, "select normalize_phone(6145550142::bigint)") == "(614) 555-0142"
    assert scalar(con, "select normalize_phone(16145550142::bigint)") == "(614) 555-0142"


def test_normalize_phone_restores_a_lost_leading_zero_only_when_asked(con):
    assert scalar(con, "select normalize_phone(614555014::bigint, restore_leading_zero := true)") == "(061) 455-5014"
    assert scalar(con, "select normalize_phone(614555014::bigint)") is None
    assert scalar(con, "select normalize_phone(614555014::bigint, restore_leading_zero := false)") is None
    # The restored number equals the roster's string, so joins work.
    assert scalar(
        con,
        "select normalize_phone(614555014::bigint, restore_leading_zero := true) = normalize_phone('(061) 455-5014')",
    ) is True


@pytest.mark.parametrize(
    "raw",
    ["5550142", "614555014", "61455501421", "614555014212", "0005550142", "6141550142", "6140550142",
     "(000) 555-0142", "", "   ", "not a phone", "555-0142"],
)
def test_normalize_phone_gives_null_for_what_cannot_be_valid(con, raw):
    assert scalar(con, "select normalize_phone($raw)", raw=raw) is None


def test_normalize_phone_invalid_bigints_and_null(con):
    assert scalar(con, "select normalize_phone(614555014212::bigint)") is None
    assert scalar(con, "select normalize_phone(614555014212::bigint, restore_leading_zero := true)") is None
    assert scalar(con, "select normalize_phone(5550142::bigint, restore_leading_zero := true)") is None
    assert scalar(con, "select normalize_phone(null)") is None
    assert scalar(con, "select normalize_phone(null::bigint, restore_leading_zero := true)") is None


def test_normalize_phone_accepts_area_codes_starting_with_zero(con):
    assert scalar(con, "select normalize_phone('0615550142')") == "(061) 555-0142"
    assert scalar(con, "select normalize_phone('0015550142')") == "(001) 555-0142"


def test_phone_status_agrees_with_normalize_phone(con):
    rows = con.execute(
        """
        select phone_status(614555014::bigint, restore_leading_zero := true),
               phone_status(6145550142::bigint, restore_leading_zero := true),
               phone_status('555-0142'),
               phone_status(''),
               phone_status(null::varchar)
        """
    ).fetchone()
    assert rows == ("invalid_area_code", "valid", "invalid", "missing", "missing")


@pytest.mark.parametrize(
    ("value", "restore", "phone", "status"),
    [
        # contract §5 D: the restored number keeps its zero in the string, and no NANP area code starts with 0
        (513555019, True, "(051) 355-5019", "invalid_area_code"),
        ("(051) 355-5019", False, "(051) 355-5019", "invalid_area_code"),
        ("161-555-0142", False, "(161) 555-0142", "invalid_area_code"),
        ("214-555-0142", False, "(214) 555-0142", "valid"),
        (2145550142, True, "(214) 555-0142", "valid"),
        ("614-155-0142", False, None, "invalid"),
        (513555019, False, None, "invalid"),
    ],
)
def test_phone_status_flags_every_number_nanp_cannot_hold(con, value, restore, phone, status):
    row = con.execute(
        "select normalize_phone($value, restore_leading_zero := $restore), phone_status($value, restore_leading_zero := $restore)",
        {"value": value, "restore": restore},
    ).fetchone()
    assert row == (phone, status)


# --------------------------------------------------------------------------- pii_token


def test_token_matches_the_documented_recipe(con):
    assert scalar(con, "select pii_token('ann.lee@example.com', 'email')") == email("ann.lee@example.com")


@pytest.mark.parametrize(
    ("pii_class", "spellings", "normalized"),
    [
        ("email", ["Ann.Lee@Example.COM", "  ann.lee@example.com ", "ANN.LEE@EXAMPLE.COM"], "ann.lee@example.com"),
        ("name", ["Susan X. Ruiz", "  SUSAN   x.  ruiz ", "susan\tx. ruiz"], "susan x. ruiz"),
        ("ssn", ["123-45-6789", "123 45 6789", "123456789"], "123456789"),
        ("phone", ["(614) 555-0142", "614.555.0142", "+1 614 555 0142", "6145550142", "1-614-555-0142"], "6145550142"),
        ("city", ["  Dayton ", "DAYTON"], "dayton"),
    ],
)
def test_one_token_for_every_spelling(con, pii_class, spellings, normalized):
    tokens = {scalar(con, "select pii_token($value, $class)", value=value, **{"class": pii_class}) for value in spellings}
    assert tokens == {expected_token(pii_class, normalized)}


def test_phone_token_is_the_same_for_int_and_string(con):
    from_int = scalar(con, "select pii_token(6145550142::bigint, 'phone')")
    from_string = scalar(con, "select pii_token('(614) 555-0142', 'phone')")
    assert from_int == from_string == phone("6145550142")


def test_phone_token_for_a_restored_leading_zero(con):
    restored = scalar(con, "select pii_token(normalize_phone(614555014::bigint, restore_leading_zero := true), 'phone')")
    roster = scalar(con, "select pii_token('(061) 455-5014', 'phone')")
    assert restored == roster == phone("0614555014")
    # Without the restore the 9-digit integer is no phone at all: no token, no guess.
    assert scalar(con, "select pii_token(614555014::bigint, 'phone')") is None


@pytest.mark.parametrize("value", [None, "", "   ", "\t"])
@pytest.mark.parametrize("pii_class", ["email", "name", "ssn", "phone", "city"])
def test_null_and_blank_give_null(con, value, pii_class):
    assert scalar(con, "select pii_token($value::varchar, $class)", value=value, **{"class": pii_class}) is None


def test_phone_that_does_not_normalise_gives_null(con):
    assert scalar(con, "select pii_token('555-0142', 'phone')") is None
    assert scalar(con, "select pii_token('(000) 555-0142', 'phone')") is None


def test_tokens_have_the_documented_shape_and_no_digits(con):
    tokens = con.execute(
        """
        select pii_token(v, c)
        from (values ('ann@example.com', 'email'), ('6145550142', 'phone'), ('Susan X. Ruiz', 'name'),
                     ('123-45-6789', 'ssn'), ('0000000000', 'city')) as t(v, c)
        """
    ).fetchall()
    for (token,) in tokens:
        assert TOKEN_SHAPE.fullmatch(token), token
        assert not any(character.isdigit() for character in token)


def test_the_class_is_part_of_the_hash(con):
    as_name = scalar(con, "select pii_token('jordan', 'name')")
    as_city = scalar(con, "select pii_token('jordan', 'city')")
    assert as_name.split("_", 1)[1] != as_city.split("_", 1)[1]


def test_another_key_gives_other_tokens(con):
    other = connection(OTHER_KEY)
    values = [("ann@example.com", "email"), ("6145550142", "phone"), ("susan x. ruiz", "name"), ("123456789", "ssn")]
    for value, pii_class in values:
        mine = scalar(con, "select pii_token($v, $c)", v=value, c=pii_class)
        theirs = scalar(other, "select pii_token($v, $c)", v=value, c=pii_class)
        assert mine != theirs
        assert theirs == expected_token(pii_class, value, key=OTHER_KEY)
    # Same key on a fresh connection: the same token (stable across runs).
    again = connection(KEY)
    assert scalar(again, "select pii_token('ann@example.com', 'email')") == scalar(
        con, "select pii_token('ann@example.com', 'email')"
    )


def _unkeyed_digests(pii_class: str, raw: str, normalized: str) -> set[str]:
    """Every digest an attacker without the key could compute from a guess."""
    candidates = {
        raw, normalized, raw.lower(), f"{pii_class}{normalized}", f"{pii_class}_{normalized}",
        f"{pii_class}\x1f{normalized}", f"\x1f{pii_class}\x1f{normalized}", f"{normalized}\x1f{pii_class}",
    }
    digests = set()
    for candidate in candidates:
        data = candidate.encode("utf-8")
        for algorithm in (hashlib.md5, hashlib.sha1, hashlib.sha256, hashlib.sha512):
            hexdigest = algorithm(data).hexdigest()
            digests.add(hexdigest)
            digests.add(hexdigest.translate(DIGITS_TO_LETTERS))
    return digests


@pytest.mark.parametrize(
    ("pii_class", "raw", "normalized"),
    [
        ("email", "Ann.Lee@Example.com", "ann.lee@example.com"),
        ("phone", "(614) 555-0142", "6145550142"),
        ("name", "Susan X. Ruiz", "susan x. ruiz"),
        ("ssn", "123-45-6789", "123456789"),
    ],
)
def test_no_unkeyed_dictionary_attack_finds_the_token(con, pii_class, raw, normalized):
    token = scalar(con, "select pii_token($raw, $class)", raw=raw, **{"class": pii_class})
    body = token.split("_", 1)[1]
    for digest in _unkeyed_digests(pii_class, raw, normalized):
        assert digest != token and digest != body
        assert digest not in token
        assert body not in digest
        assert digest[:16] != body
    # A guess hashed the documented way but with an empty key is not the token either.
    assert expected_token(pii_class, normalized, key="") != token


def test_a_missing_key_is_an_error_not_an_unkeyed_token():
    con = connection(key=None)
    with pytest.raises(duckdb.InvalidInputException, match="pii_key is not set"):
        scalar(con, "select pii_token('ann@example.com', 'email')")
    with pytest.raises(duckdb.InvalidInputException, match="pii_key is not set"):
        scalar(con, "select pii_token(null, 'email')")
    with pytest.raises(duckdb.InvalidInputException, match="pii_key is not set"):
        scalar(con, "select redact_text('nothing to hide here', []::varchar[])")


def test_an_empty_key_is_an_error():
    con = connection(key=None)
    con.execute("set variable pii_key = ''")
    with pytest.raises(duckdb.InvalidInputException, match="pii_key is not set"):
        scalar(con, "select pii_token('ann@example.com', 'email')")


def test_lower_maps_every_code_point_to_one_code_point(con):
    """fold_text relies on it: offsets in the folded text are offsets in the text."""
    changed = scalar(
        con,
        """
        select count(*)
        from range(1, 1114112) as code_points(cp)
        where (cp < 55296 or cp > 57343) and length(lower(chr(cp::integer))) <> 1
        """,
    )
    assert changed == 0


# --------------------------------------------------------------------------- redact_text: email, SSN, phone


@pytest.mark.parametrize(
    ("address", "normalized"),
    [
        ("ann.lee@example.com", "ann.lee@example.com"),
        ("Ann.Lee@Example.COM", "ann.lee@example.com"),
        ("susan.ruiz3@example.com", "susan.ruiz3@example.com"),
        ("j_o-e+jobs@mail.example.co.uk", "j_o-e+jobs@mail.example.co.uk"),
        ("x%y@sub-domain.example.org", "x%y@sub-domain.example.org"),
    ],
)
def test_redacts_emails_in_a_sentence(con, address, normalized):
    text = f"Updated email on file: {address}. Thanks!"
    assert redact(con, text) == f"Updated email on file: {email(normalized)}. Thanks!"


def test_email_token_in_text_equals_the_column_token(con):
    column = scalar(con, "select pii_token('Ann.Lee@Example.com', 'email')")
    assert redact(con, "write to ann.lee@example.com") == f"write to {column}"


def test_redacts_several_emails_including_one_that_ends_another(con):
    text = "a@x.com, ba@x.com and A@X.COM"
    assert redact(con, text) == f"{email('a@x.com')}, {email('ba@x.com')} and {email('a@x.com')}"


# Every written form of one address: one token, the email column's (a form masked only in part would
# leave a piece of the address and give another token).
@pytest.mark.parametrize(
    "written",
    [
        "ann.lee{at}example.com", "ann.lee<at>example.com", "ann.lee(at)example(dot)com", "ann.lee <at> example <dot> com",
        "ann.lee&#64;example.com", "ann.lee&#x40;example.com", "ann.lee&commat;example.com", "ann.lee%40example.com",
        "ann.lee @ example dot com", "ann.lee @ example.com", "ann.lee@example dot com",
        *(f"ann.lee{zw}@example.com" for zw in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")),
        *(f"ann.lee@{zw}example.com" for zw in ("\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad")),
        "an\u200bn.l\u200cee@exa\u200dmple.co\u2060m",
    ],
)
def test_every_written_form_of_an_email_gives_the_column_token(con, written):
    assert redact(con, f"Email {written} today") == f"Email {email('ann.lee@example.com')} today"


@pytest.mark.parametrize(
    "text",
    ["OT @ 1.5x after 40 hrs", "2 workers @ dock 4", "ping @ops-team in slack", "meet @ 7am", "rate @ $18.50/hr",
     "see you @ the gate at 6. thanks"],
)
def test_an_at_sign_with_spaces_and_no_dotted_domain_is_not_an_email(con, text):
    assert redact(con, text) == text


def test_ids_and_count_ranges_are_not_phones_unless_a_phone_word_says_so(con):
    for text in ["PO 4500123456", "order #1234567890", "PO# 6145550142 approved", "invoice no. 6145550142",
                 "ticket: 6145550142", "employee id 6145550142", "500-1000 cases per shift", "lift 250 - 2000 lbs"]:
        assert redact(con, text) == text
    # the same digits once as an id and once where a phone may stand: both masked (over-masking the id)
    assert redact(con, "PO 6145550142, call 6145550142") == f"PO {phone('6145550142')}, call {phone('6145550142')}"
    assert redact(con, "Cell on file: 6145550142") == f"Cell on file: {phone('6145550142')}"
    assert redact(con, "call about PO 6145550142") == f"call about PO {phone('6145550142')}"
    assert redact(con, "call 500-1000 after 6") == "call [phone] after 6"
    assert redact(con, "Cell: 230-4500 or 555-0143/555-0187") == "Cell: [phone] or [phone]/[phone]"
    assert redact(con, "gate 555 - 0184") == "gate [phone]"


def test_seven_digit_ids_counts_and_shifts_are_not_phones_unless_a_phone_word_says_so(con):
    for text in ["Reorder part no. 611-2045", "Employee #218-7734 badge", "Hours 700-1530 M-F", "PO# 450-1234",
                 "300-1250 units per hour", "loads of 350-1250 lbs", "ship 400-1350 per day", "Asset tag 611-2045",
                 "early crew 400-1230", "2nd option 645-1515", "Employee ID 218-7734; PO 611-2045"]:
        assert redact(con, text) == text
    for text, expected in [
        # a phone word up to 20 characters before the digits wins over the id word, the count word, the shape
        ("cell on file 555-0184", "cell on file [phone]"),
        ("Number on file 555-0184", "Number on file [phone]"),
        ("Caller ID 555-0184", "Caller ID [phone]"),
        ("call 645-1515", "call [phone]"),
        ("cell230-4500 nights", "cell[phone] nights"),
        ("text 300-1250 units", "text [phone] units"),
        # '#' alone and 'ref' are no id words, 'hours' and 'FT' no count words
        ("Alt #555-0184", "Alt #[phone]"),
        ("Refs: 555-0184, 555-0185", "Refs: [phone], [phone]"),
        ("Front desk 555-0184 hours 8-5", "Front desk [phone] hours 8-5"),
        ("Temp 555-0184 FT nights", "Temp [phone] FT nights"),
        # no day shift: 3 h 15 from 7:30
        ("Reach me at 730-1045", "Reach me at [phone]"),
        # the id word must stand right before the digits
        ("Badge office 555-0184", "Badge office [phone]"),
        # the same digits once as an id and once where a phone may stand: both masked (over-masking the id)
        ("part no. 611-2045, call back 611-2045", "part no. [phone], call back [phone]"),
        # an id word and a count word around one occurrence count once: the other occurrence is a phone
        ("PO 555-0190 units/hr, or 555-0190", "PO [phone] units/hr, or [phone]"),
    ]:
        assert redact(con, text) == expected, text


@pytest.mark.parametrize(
    "text",
    ["ssn=219099999", "SSN is: 219 09 9999", "(SSN) 219-09-9999", "SSN on file: 219099999", "S.S.N. 219099999",
     "SS No. 219 09 9999", "Soc. Sec. No. 219-09-9999", "social 219099999", "SSN (219) 09-9999", "219 - 09 - 9999",
     "ss#219099999", "SSNs: 219099999, 219099999"],
)
def test_ssn_after_a_cue_word_in_any_grouping(con, text):
    result = redact(con, text)
    assert ssn("219099999") in result and not re.search("[0-9]", result), result


def test_an_ssn_cue_reaches_30_characters_and_stops_at_a_semicolon_or_a_number(con):
    for text in ["SSN missing on I-9; ADP file #100234567", "SSN pending; file #100234567", "SSN: see file 4, 219099999",
                 "SSN pending - the candidate will bring the card 219099999"]:
        assert redact(con, text) == text
    assert redact(con, "SSN on file from the candidate: 219099999") == f"SSN on file from the candidate: {ssn('219099999')}"


@pytest.mark.parametrize(
    "written",
    ["(614) 555-0142", "614-555-0142", "614.555.0142", "614 555 0142", "6145550142", "+1 614 555 0142",
     "1-614-555-0142", "(614)555-0142", "+1 (614) 555-0142"],
)
def test_redacts_phone_formats_in_a_sentence(con, written):
    assert redact(con, f"Reached worker at {written}, left voicemail.") == (
        f"Reached worker at {phone('6145550142')}, left voicemail."
    )


def test_an_extension_of_any_length_stays_with_its_phone(con):
    # the scan reads 'x' and a digit after a number as an extension, whatever its length: so does the redaction
    token = phone("6145550142")
    assert redact(con, "Cell 614-555-0142 x 12345678 after 6") == f"Cell {token} after 6"
    assert redact(con, "Cell 614-555-0142, x 5528572516 badge") == f"Cell {token} badge"
    assert redact(con, "Office (800) 901-3355 x 7246433") == f"Office {phone('8009013355')}"


def test_a_marker_before_a_whole_number_is_no_extension(con):
    token, other = phone("6145550142"), phone("6145559528")
    assert redact(con, "Cell 614-555-0142 x 614-555-9528") == f"Cell {token} x {other}"
    assert redact(con, "Office 614-555-0142 ext. 614.555.9528") == f"Office {token} ext. {other}"
    assert redact(con, "614-555-0142 #614 555 9528") == f"{token} #{other}"
    assert redact(con, "x 614-555-9528") == f"x {other}"
    # seven digits after the marker: a phone by the seven-digit rules, an id, count or shift by them too
    assert redact(con, "Cell 614-555-0142 x 555-9528") == f"Cell {token} x [phone]"
    assert redact(con, "PO 4533508173 # 900-2000 cases") == "PO 4533508173 # 900-2000 cases"
    assert redact(con, "order #1062410377 # 700-1530") == "order #1062410377 # 700-1530"
    # digits that make no number after the marker: its first group is the extension, and the rest is looked at again
    assert redact(con, "Desk (614) 555-0142 x612 16145559528") == f"Desk {token} {other}"


def test_a_number_before_ten_bare_digits_does_not_hide_them(con):
    token = phone("4106619349")
    assert redact(con, "487-1895 4106619349") == f"[phone] {token}"
    assert redact(con, "#487-1895 4106619349") == f"#[phone] {token}"
    assert redact(con, "Lot 487-1895 4106619349") == f"Lot 487-1895 {token}"
    assert redact(con, "Unit 1204 4106619349, nights") == f"Unit 1204 {token}, nights"
    assert redact(con, "Suite 200 4106619349") == f"Suite 200 {token}"
    # a second look finds no phone inside a longer number
    assert redact(con, "lot 1204 61455501423 shipped") == "lot 1204 61455501423 shipped"


def test_phone_token_in_text_equals_the_column_token(con):
    column = scalar(con, "select pii_token(6145550142::bigint, 'phone')")
    assert redact(con, "call (614) 555-0142") == f"call {column}"


def test_phone_that_cannot_be_normalised_becomes_a_placeholder(con):
    assert redact(con, "call (000) 555-0142 or 614-155-0142 now") == "call [phone] or [phone] now"


def test_adjacent_phones_and_phones_at_the_edges(con):
    token = phone("6145550142")
    other = phone("6145550143")
    assert redact(con, "614-555-0142/614-555-0143") == f"{token}/{other}"
    assert redact(con, "6145550142") == token
    assert redact(con, "(614) 555-0142\n614.555.0143") == f"{token}\n{other}"


@pytest.mark.parametrize(
    "text",
    [
        "order 61455501423 shipped",  # a longer number, not a phone
        "ref 1234567 and zip 45402",
        "Start 2026-03-02 at 06:00",
        "$34.97/hr, Need 4 workers, 6+ years exp",
        "id 123-45-67890",
        "9123-45-6789",
        "no digits at all",
        "",
    ],
)
def test_leaves_numbers_that_are_not_pii(con, text):
    assert redact(con, text) == text


def test_redacts_ssns_before_phones(con):
    assert redact(con, "SSN 123-45-6789 on file") == f"SSN {ssn('123456789')} on file"
    assert redact(con, "ssn:123-45-6789,987-65-4321.") == f"ssn:{ssn('123456789')},{ssn('987654321')}."
    assert redact(con, "123-45-6789 then 614-555-0142") == f"{ssn('123456789')} then {phone('6145550142')}"


def test_everything_in_one_message(con):
    text = (
        "Hi SUSAN, reach Susan X. Ruiz at susan.ruiz3@example.com or (614) 555-0142; "
        "SSN 123-45-6789. Ruiz's backup: 614.555.0199"
    )
    names = ["Susan X. Ruiz", "Susan", "Ruiz"]
    assert redact(con, text, names) == (
        f"Hi {name('susan')}, reach {name('susan x. ruiz')} at {email('susan.ruiz3@example.com')} "
        f"or {phone('6145550142')}; SSN {ssn('123456789')}. {name('ruiz')}'s backup: {phone('6145550199')}"
    )


def test_gate_words_split_digits_and_skip_a_mailbox(con):
    """The roster gate: a login's digits do not hide a name, an address's mailbox (replaced as an email first) is no name."""
    text = "Grace Okafor<grace.okafor7@example.com>, login grace.okafor2"
    assert scalar(con, "select _gate_words(fold_text($text))", text=text) == [
        "grace", "okafor", "com", "login", "grace", "okafor"]


def test_name_forms_feeds_redact_text(con):
    text = "Good job today Omar, OMAR T. RAMIREZ is on the list."
    result = scalar(con, "select redact_text($text, name_forms('Omar T. Ramirez', true))", text=text)
    assert result == f"Good job today {name('omar')}, {name('omar t. ramirez')} is on the list."


def test_fold_text_keeps_one_character_for_one_except_combining_marks(con):
    """redact_text relies on it (after _redaction_base composes NFD text)."""
    changed = con.execute(
        """
        select list(cp order by cp)
        from range(1, 196608) as code_points(cp)
        where (cp < 55296 or cp > 57343) and length(fold_text(chr(cp::integer))) <> 1
            and not regexp_matches(chr(cp::integer), '\\pM')
        """
    ).fetchone()[0]
    assert changed is None
    assert scalar(con, "select length(_redaction_folded('Zo' || chr(7623) || 'e'))") == 4


@pytest.mark.parametrize(
    ("name", "every_part", "forms"),
    [
        ("Kevin Ng", False, ["ng, kevin", "ng,kevin", "kevin_ng", "kevin.ng", "kevin,ng", "kevin ng", "k. ng",
                             "k.ng", "k ng"]),
        ("Kevin Ng", True, ["ng, kevin", "ng,kevin", "kevin_ng", "kevin.ng", "kevin,ng", "kevin ng", "kevin",
                            "k. ng", "k.ng", "k ng", "ng"]),
        ("Susan X. Ruiz", False, ["susan x. ruiz", "susan x.ruiz", "susan x ruiz", "ruiz, susan", "susan_ruiz",
                                  "susan.ruiz", "susan,ruiz", "susan ruiz", "ruiz,susan", "s. ruiz", "s.ruiz",
                                  "s ruiz"]),
        ("Zoë  MÜLLER", False, ["muller, zoe", "zoe_muller", "zoe.muller", "zoe,muller", "zoe muller",
                                "muller,zoe", "z. muller", "z.muller", "z muller"]),
        ("Anne-Marie Lee", True, ["lee, anne marie", "lee,anne marie", "anne marie_lee", "anne marie.lee",
                                  "anne marie,lee", "anne marie lee", "anne marie", "annemarie", "a. lee", "marie",
                                  "a.lee", "anne", "lee"]),
        ("D\u2019Angelo Cruz", False, ["cruz, d' angelo", "d' angelo_cruz", "d' angelo.cruz", "d' angelo,cruz",
                                       "d' angelo cruz", "cruz,d' angelo", "cruz, d'angelo", "cruz, d angelo",
                                       "d'angelo_cruz", "d'angelo.cruz", "d'angelo,cruz", "d'angelo cruz",
                                       "d angelo_cruz", "d angelo.cruz", "d angelo,cruz", "d angelo cruz",
                                       "cruz,d'angelo", "cruz,d angelo", "cruz, dangelo", "dangelo_cruz",
                                       "dangelo.cruz", "dangelo,cruz", "dangelo cruz", "cruz,dangelo", "d. cruz",
                                       "d.cruz", "d cruz"]),
        # ß as itself and as ss: each text spelling meets its own form
        ("Tomas Strau\u00df", False, ["strauss, tomas", "tomas_strauss", "tomas.strauss", "tomas,strauss",
                                      "tomas strauss", "strau\u00df, tomas", "strauss,tomas", "tomas_strau\u00df",
                                      "tomas.strau\u00df", "tomas,strau\u00df", "tomas strau\u00df",
                                      "strau\u00df,tomas", "t. strauss", "t.strauss", "t. strau\u00df", "t strauss",
                                      "t.strau\u00df", "t strau\u00df"]),
        ("Lars Aeby", True, ["aeby, lars", "\u00e6by, lars", "lars_aeby", "lars.aeby", "lars,aeby", "lars aeby",
                             "aeby,lars", "\u00e6by,lars", "lars_\u00e6by", "lars.\u00e6by", "lars,\u00e6by",
                             "lars \u00e6by", "l. aeby", "l.aeby", "l. \u00e6by", "l aeby", "l.\u00e6by",
                             "l \u00e6by", "lars", "aeby", "\u00e6by"]),
        # a suffix: the forms of the name without it, and the name as written
        ("Tomas Brandt Jr.", False, ["tomas brandt jr.", "tomas brandt jr", "brandt, tomas", "tomas_brandt",
                                     "tomas.brandt", "tomas,brandt", "tomas brandt", "brandt,tomas", "t. brandt",
                                     "t.brandt", "t brandt"]),
        # the last two words may be one surname too (as 'Garcia Lopez' is): 'm. ellen smith', 'ellen smith, mary'
        ("Mary Ellen Smith", False, ["ellen smith, mary", "mary ellen smith", "m. ellen smith", "mary e. smith",
                                     "mary e.smith", "mary e smith", "smith, mary", "smith,mary", "mary_smith",
                                     "mary.smith", "mary,smith", "mary smith", "m. smith", "m.smith", "m smith"]),
        # a surname with particles: never a middle initial, never cut after a particle
        ("Pieter van der Berg", False, ["van der berg, pieter", "pieter van der berg", "p. van der berg",
                                        "berg, pieter", "pieter_berg", "pieter.berg", "pieter,berg", "pieter berg",
                                        "berg,pieter", "p. berg", "p.berg", "p berg"]),
        # a soft hyphen is no part of a name
        ("Piotr Kow\u00adalski", False, ["kowalski, piotr", "piotr_kowalski", "piotr.kowalski", "piotr,kowalski",
                                         "piotr kowalski", "kowalski,piotr", "p. kowalski", "p.kowalski",
                                         "p kowalski"]),
        (None, True, []),
        ("   ", True, []),
    ],
)
def test_name_forms(con, name, every_part, forms):
    assert scalar(con, "select name_forms($name, $every_part)", name=name, every_part=every_part) == forms


@pytest.mark.parametrize(
    ("text", "own", "expected_names"),
    [
        ("Thanks NG, Mr. Ng will do", "Kevin Ng", ["ng", "ng"]),
        ("ZOE MULLER and zoë müller and Zoe\u0308 Mu\u0308ller", "Zoë Müller", ["zoe muller"] * 3),
        ("Anne Marie or Anne\u2013Marie or Anne\u00a0Marie", "Anne-Marie Lee", ["anne marie"] * 3),
        ("Ruiz, Susan then S. Ruiz", "Susan X. Ruiz", ["ruiz, susan", "s. ruiz"]),
        ("D\u2019Angelo\u2019s and DAngelo", "Ann D'Angelo", ["d'angelo", "dangelo"]),
    ],
)
def test_own_name_in_every_spelling(con, text, own, expected_names):
    result = scalar(con, "select redact_text($text, name_forms($own, true))", text=text, own=own)
    assert [token for token in re.findall(r"name_[a-p]{16}", result)] == [name(form) for form in expected_names]
    assert not re.search(r"(?i)ng\b|zo|mari|ruiz|angelo", re.sub(r"name_[a-p]{16}", "", result))


def test_another_rosters_person_only_by_full_name(con):
    forms = "name_forms('Rose Mark', false)"
    assert scalar(con, f"select redact_text('rose early to mark the form', {forms})") == "rose early to mark the form"
    assert scalar(con, f"select redact_text('Covering for ROSE MARK today', {forms})") == f"Covering for {name('rose mark')} today"


# --------------------------------------------------------------------------- redact_text: names


@pytest.mark.parametrize("spelling", ["Susan X. Ruiz", "SUSAN X. RUIZ", "susan x. ruiz", "sUsAn X. rUiZ"])
def test_the_rows_own_name_in_any_letter_case(con, spelling):
    assert redact(con, f"{spelling} no-show at 6am", ["Susan X. Ruiz"]) == f"{name('susan x. ruiz')} no-show at 6am"


def test_longest_name_wins(con):
    text = "Susan Ruiz and Susan and Ruiz"
    expected = f"{name('susan ruiz')} and {name('susan')} and {name('ruiz')}"
    assert redact(con, text, ["Susan", "Ruiz", "Susan Ruiz"]) == expected
    assert redact(con, text, ["Susan Ruiz", "Ruiz", "Susan"]) == expected


def test_whole_words_only(con):
    ann = name("ann")
    assert redact(con, "Joann and Annabel met Ann", ["Ann"]) == f"Joann and Annabel met {ann}"
    assert redact(con, "Annéa and ann2 are not Ann", ["Ann"]) == f"Annéa and ann2 are not {ann}"
    # '_' joins the parts of a handle: it is a boundary, not part of a word
    assert redact(con, "Ann_x and x_ANN and ann_2", ["Ann"]) == f"{ann}_x and x_{ann} and {ann}_2"
    assert redact(con, "Ann's shift; Ann’s too; «Ann»; (ann)", ["Ann"]) == f"{ann}'s shift; {ann}’s too; «{ann}»; ({ann})"


def test_adjacent_and_repeated_names(con):
    ann = name("ann")
    assert redact(con, "Ann Ann,Ann\nANN", ["Ann"]) == f"{ann} {ann},{ann}\n{ann}"
    assert redact(con, "AnnAnn", ["Ann"]) == "AnnAnn"
    # back to back, the second occurrence's left neighbour is the first one's last character ('.')
    assert redact(con, "Ann.Ann. x", ["Ann."]) == f"Ann.{name('ann.')} x"
    assert redact(con, ".ANN.ann. ann.", ["Ann."]) == f".ANN.{name('ann.')} {name('ann.')}"
    assert redact(con, "Ann.Ann. x", ["Ann.", "Ann"]) == f"{name('ann')}.{name('ann.')} x"


def test_hostile_names_are_plain_text(con):
    obrien = name("o'brien")
    path_name = name("c:\\users\\100% lee")
    backref = name("\\1")
    cases = [
        ("Call O'BRIEN or o'brien, not Brien.", ["O'Brien"], f"Call {obrien} or {obrien}, not Brien."),
        # forms are folded, so the token is the accent-free spelling's: one token for José and Jose
        ("JOSÉ NÚÑEZ 🙂 confirmed; שלום josé núñez!", ["José Núñez"],
         f"{name('jose nunez')} 🙂 confirmed; שלום {name('jose nunez')}!"),
        ("Ask A.*B (Jr.) today; AxxB (Jr.) is someone else", ["A.*B (Jr.)"],
         f"Ask {name('a.*b (jr.)')} today; AxxB (Jr.) is someone else"),
        ("paid C:\\Users\\100% Lee twice", ["C:\\Users\\100% Lee"], f"paid {path_name} twice"),
        ("Anna and A_n and A%n", ["A_n", "A%n"], f"Anna and {name('a_n')} and {name('a%n')}"),
        # a hyphen in a name form is a space, as name_forms writes it ('Anne-Marie' -> 'anne marie')
        ("[a-z]+ matched nothing in abc", ["[a-z]+"], f"{name('[a z]+')} matched nothing in abc"),
        ("$1 \\1 and (?i) stay", ["\\1", "(?i)", "$1"], f"{name('$1')} {backref} and {name('(?i)')} stay"),
    ]
    for text, names, expected in cases:
        assert redact(con, text, names) == expected, text


def test_names_next_to_emoji_and_right_to_left_text(con):
    ann = name("ann")
    assert redact(con, "🙂Ann🙂 \u200fAnn\u200f Ann在仓库 مرحبا Ann", ["Ann"]) == (
        f"🙂{ann}🙂 \u200f{ann}\u200f {ann}在仓库 مرحبا {ann}"
    )
    assert redact(con, "שלום 👋🏽 nobody here", ["Ann"]) == "שלום 👋🏽 nobody here"


def test_name_lists_with_nulls_blanks_and_duplicates(con):
    ann = name("ann")
    assert redact(con, "Hi Ann", [None, "Ann", "", "  ", "ANN", None]) == f"Hi {ann}"
    assert redact(con, "Hi Ann", [None]) == "Hi Ann"
    assert scalar(con, "select redact_text('Hi Ann', null)") == "Hi Ann"
    assert scalar(con, "select redact_text('Hi Ann', [null, 'ann'])") == f"Hi {ann}"


def test_a_name_token_equals_the_name_column_token(con):
    column = scalar(con, "select pii_token('Susan X. Ruiz', 'name')")
    assert redact(con, "susan x. ruiz was late", ["Susan  X. Ruiz "]) == f"{column} was late"


def test_tokens_are_not_rematched_by_later_steps(con):
    assert redact(con, "ann@x.com", ["email", "phone", "ssn", "ann"]) == email("ann@x.com")
    assert redact(con, "(000) 555-0142", ["phone"]) == "[phone]"
    token = name("ann")
    # A name equal to a previous token's letters is still only a whole word.
    assert redact(con, f"Ann and {token[5:]}", ["Ann", token[5:8]]) == f"{token} and {token[5:]}"


def test_null_and_empty_text(con):
    assert scalar(con, "select redact_text(null, ['Ann'])") is None
    assert redact(con, "", ["Ann"]) == ""


def test_redaction_over_a_column(con):
    rows = con.execute(
        """
        select redact_text(txt, name_forms(who, true))
        from (values
            (1, 'Hi Ann, call 614.555.0142', 'Ann X. Lee'),
            (2, null, 'Bob Smith'),
            (3, 'Joann wrote from jo@x.org', 'Ann X. Lee'),
            (4, 'nothing', null)
        ) as t(id, txt, who)
        order by id
        """
    ).fetchall()
    assert [row[0] for row in rows] == [
        f"Hi {name('ann')}, call {phone('6145550142')}",
        None,
        f"Joann wrote from {email('jo@x.org')}",
        "nothing",
    ]


def test_name_needles_prepares_each_form_once_longest_first(con):
    assert scalar(con, "select name_needles(['kevin ng', 'anne-marie', null, '', 'kevin ng', 'a%n', 'x  y'])") == [
        {"size": 10, "needle": "anne marie", "form": "anne marie"},
        {"size": 8, "needle": "kevin ng", "form": "kevin ng"},
        {"size": 4, "needle": "x y", "form": "x  y"},
        {"size": 3, "needle": "a n", "form": "a%n"},
    ]
    assert scalar(con, "select name_needles(null)") == []


def test_name_needles_of_plain_forms_are_the_forms(con):
    """Forms with no hyphen, doubled space or punctuation between letters (nearly every person) take the
    short way: each needle is its form, with the same dropping of NULLs, blanks and duplicates, the same order."""
    assert scalar(con, "select name_needles(['ng', 'kevin ng', null, '', 'kevin ng', 'zoe ng', 'o''neil', 'k. ng'])") == [
        {"size": 8, "needle": "kevin ng", "form": "kevin ng"},
        {"size": 6, "needle": "zoe ng", "form": "zoe ng"},
        {"size": 6, "needle": "o'neil", "form": "o'neil"},
        {"size": 5, "needle": "k. ng", "form": "k. ng"},
        {"size": 2, "needle": "ng", "form": "ng"},
    ]
    assert scalar(con, "select name_needles(['', 'ng'])") == [{"size": 2, "needle": "ng", "form": "ng"}]
    assert scalar(con, "select name_needles([''])") == []
    # one form that needs respelling sends the list the long way, with the same result for the plain ones
    assert scalar(con, "select name_needles(['ng', 'kevin ng', 'zoe-ng'])") == [
        {"size": 8, "needle": "kevin ng", "form": "kevin ng"},
        {"size": 6, "needle": "zoe ng", "form": "zoe ng"},
        {"size": 2, "needle": "ng", "form": "ng"},
    ]


def test_redact_text_with_prepared_needles_equals_redact_text(con):
    """A view hands redact_text_with the needles of the row's person and of its text's roster mentions,
    concatenated (the same form may come twice); the result is redact_text's with the forms concatenated."""
    rows = con.execute(
        """
        select
            redact_text(txt, list_concat(name_forms(own, true), name_forms(other, false))),
            redact_text_with(txt, list_concat(name_needles(name_forms(own, true)), name_needles(name_forms(other, false)))),
        from (values
            ('Ann Lee covering for Kevin Ng; Ann: ann.lee7 at 614-555-0142', 'Ann X. Lee', 'Kevin Ng'),
            ('Lee, Ann and Ng, Kevin and Kevin', 'Ann Lee', 'Ann Lee'),
            ('grace.okafor2 and grace.okafor24 met Grace Okafor', 'Grace Okafor', 'Kevin Ng'),
            ('Tomas Strauss, Straus, STRAUSS', 'Tomas Strauß', null),
            (null, 'Ann Lee', null)
        ) as t(txt, own, other)
        """
    ).fetchall()
    assert [row[0] for row in rows] == [row[1] for row in rows]
    assert rows[0][0] == f"{name('ann lee')} covering for {name('kevin ng')}; {name('ann')}: {name('ann.lee')} at {phone('6145550142')}"
    assert rows[2][0] == f"{name('grace.okafor')} and {name('grace.okafor')} met {name('grace okafor')}"


def test_redacted_text_passes_the_scan_detectors(con):
    """Nothing the independent scan's email, phone and SSN detectors flag survives redaction."""
    texts = [
        "Reached worker at (614) 555-0142, +1 614 555 0142, 1-614-555-0142, 614 555 0142 and 6145550142.",
        "614-555-0142/614-555-0143 6145550144 (000) 555-0142 call614.555.0145",
        "SSN 123-45-6789,987-65-4321 and mail Ann.Lee@Example.com, a@x.com, ba@x.com",
        '{"phone": "(614) 555-0142", "email": "x@y.io", "ssn": "123-45-6789"}',
        # ids, counts and shifts beside phones: no token or '[phone]' lets a phone word reach past a redacted number
        "contact 886-3110 case 980-7900 cases; lift 555-0105 lbs # 555-0168 M-F order 814-8288 nights",
        "; 615-1945 per hour tag 528-0641, call 555-0184 and PO 555-0190 units/hr, or 555-0190",
        "text me at 555-0171 cases, Refs: 783.7550 pallets, contact 555-0125 re part no. 611-2045",
        # a number that hid the next one, an extension marker before a whole number
        "487-1895 4106619349, Suite 200 6145550142; cell 614-555-0142 x 614-555-9528 ext. 555-9528",
    ]
    detectors = {
        kind: render_string(f"{{{{ scan_has_{kind}(scan_fold('$t')) }}}}")
        for kind in ("email", "phone", "ssn")
    }
    for text in texts:
        # the detectors do find each form before redaction, so their silence after it means something
        assert any(scalar(con, f"select {sql}", t=text) for sql in detectors.values()), text
        redacted = redact(con, text)
        for kind, sql in detectors.items():
            assert scalar(con, f"select {sql}", t=redacted) is False, (kind, redacted)


# --------------------------------------------------------------------------- Jinja generator macros


def draws(sql_template: str, seed: int = 42, rows: int = 2000) -> list:
    sql = render_string(sql_template.replace("ROWS", str(rows)), generator=True)
    con = duckdb.connect()
    return [row[0] for row in execute(con, sql, {"seed": seed}).fetchall()]


def test_rand_int_is_deterministic_and_in_range():
    template = "select {{ rand_int('shift', 'i', 7) }} from range(ROWS) as t(i) order by i"
    first = draws(template)
    assert first == draws(template)
    assert set(first) == set(range(7))
    assert first != draws(template, seed=43)
    assert first != draws(template.replace("'shift'", "'other_salt'"))


def test_rand_int_takes_an_sql_expression_for_n():
    values = draws("select {{ rand_int('n', 'i', 'len([10, 20, 30])') }} from range(ROWS) as t(i)")
    assert set(values) == {0, 1, 2}


def test_rand_unit_is_deterministic_in_zero_one():
    template = "select {{ rand_unit('score', 'i') }} from range(ROWS) as t(i) order by i"
    values = draws(template)
    assert values == draws(template)
    assert all(0.0 <= value < 1.0 for value in values)
    assert 0.4 < sum(values) / len(values) < 0.6
    assert len(set(values)) == len(values)


def test_rand_pick_picks_from_the_list_deterministically():
    template = "select {{ rand_pick(\"['a', 'b', 'c']\", 'pick', 'i') }} from range(ROWS) as t(i) order by i"
    values = draws(template)
    assert values == draws(template)
    assert set(values) == {"a", "b", "c"}


def test_rand_macros_need_the_seed_parameter():
    sql = render_string("select {{ rand_int('x', '1', 3) }}", generator=True)
    with pytest.raises(KeyError, match="seed"):
        execute(duckdb.connect(), sql, {})


@pytest.mark.parametrize(
    ("digits", "expected"),
    [
        ("6145550142", "(614) 555-0142"),
        ("0614555014", "(061) 455-5014"),
        ("614555014", None),
        ("61455501421", None),
        ("614-555-0142", None),
        ("abcdefghij", None),
        ("", None),
        (None, None),
    ],
)
def test_format_phone(digits, expected):
    sql = render_string("select {{ format_phone('$digits::varchar') }}", generator=True)
    assert execute(duckdb.connect(), sql, {"digits": digits}).fetchone()[0] == expected


@pytest.mark.parametrize(
    ("text", "person", "expected"),
    [
        ("SUSAN X. RUIZ no-show at 6am", "Susan X. Ruiz", True),
        ("susan x. ruiz", "Susan X. Ruiz", True),
        ("late: Susan X. Ruiz.", "Susan X. Ruiz", True),
        ("Joann X. Lee was late", "Ann X. Lee", False),
        ("Ann X. Leeds was late", "Ann X. Lee", False),
        ("Ann X Lee was late", "Ann X. Lee", False),
        ("ask O'Brien", "O'Brien", True),
        ("ask OxBrien", "O'Brien", False),
        ("AxxB (Jr.) came", "A.*B (Jr.)", False),
        ("A.*B (Jr.) came", "A.*B (Jr.)", True),
        ("Anna", "Ann", False),
        ("", "Ann", False),
    ],
)
def test_mentions_name(text, person, expected):
    sql = render_string("select {{ mentions_name('$text', '$person') }}", generator=True)
    assert execute(duckdb.connect(), sql, {"text": text, "person": person}).fetchone()[0] is expected


UNION_FIXTURE = """
with
nulls_a as (select 'a' as dataset, 2 as row_count),
nulls_b as (select 'b' as dataset, 5 as row_count),
final as (
    {{ union_all(relations, "select null::varchar as dataset, null::integer as row_count where false") }}
)
select * from final order by dataset
"""


def test_union_all_stacks_every_relation_named():
    sql = render_string(UNION_FIXTURE, relations=["nulls_a", "nulls_b"])
    assert duckdb.connect().execute(sql).fetchall() == [("a", 2), ("b", 5)]
    assert sql.count("union all") == 1


def test_union_all_of_no_relation_is_the_typed_empty_query():
    sql = render_string(UNION_FIXTURE, relations=[])
    con = duckdb.connect()
    assert con.execute(sql).fetchall() == []
    assert [column[0] for column in con.description] == ["dataset", "row_count"]


@pytest.mark.parametrize(
    "text",
    ["é\x00 mail ann@x.com", "Zoe\u0308\x00 call 614-555-0142", "\u202e\x00 call 614-555-0142 ann@x.com"],
)
def test_a_nul_byte_in_non_ascii_text_neither_cuts_the_text_nor_hides_what_follows(con, text):
    """strip_accents and nfc_normalize stop at NUL in non-ASCII text: the fold must not."""
    result = redact(con, text)
    assert "ann@x.com" not in result and "614-555-0142" not in result
    assert result.split("\x00")[0] == unicodedata_nfc(text.split("\x00")[0])
    assert result.count("\x00") == 1


def unicodedata_nfc(text: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", text)


def test_a_name_column_and_the_name_in_text_share_one_token_in_every_spelling(con):
    spellings = ["Zoë Müller-Ng", "ZOE MULLER NG", "zoe\u00a0muller\u2013ng", "Zoe\u0308 Mu\u0308ller-Ng", " Zoe  Muller Ng "]
    tokens = {scalar(con, "select pii_token($n, 'name')", n=spelling) for spelling in spellings}
    assert tokens == {name("zoe muller ng")}
    assert scalar(con, "select redact_text('Ask ZOË MÜLLER-NG', name_forms('Zoë Müller-Ng', false))") == f"Ask {name('zoe muller ng')}"


# --------------------------------------------------------------------------- redact_text: the rest of the text


def own(con, text: str, person: str, every_part: bool = True) -> str:
    return scalar(con, "select redact_text($text, name_forms($person, $every_part))", text=text, person=person,
                  every_part=every_part)


@pytest.mark.parametrize(
    ("text", "person", "every_part", "expected"),
    [
        # a doubled space inside the name, doubled spaces, a tab, CR LF, NFD accents and emoji elsewhere
        ("Hi  team,\tKevin  Ng called\r\nin sick. Zoe\u0308 covers \U0001F642  ok?", "Kevin Ng", True,
         f"Hi  team,\t{name('kevin ng')} called\r\nin sick. Zoe\u0308 covers \U0001F642  ok?"),
        # Last, First across a line break and an indent; a no-break space and NFD elsewhere
        ("Ng,\n  Kevin:\tsee you Monday  \U0001F642\u00a0 Cafe\u0301", "Kevin Ng", True,
         f"{name('ng, kevin')}:\tsee you Monday  \U0001F642\u00a0 Cafe\u0301"),
        # a soft hyphen inside the name; no-break spaces and an NFD accent after it
        ("Kow\u00adalski\u00a0\u00a0left early;  Jose\u0301 stayed", "Piotr Kowalski", True,
         f"{name('kowalski')}\u00a0\u00a0left early;  Jose\u0301 stayed"),
        # a no-break space before the hyphen: 'anne marie' covers exactly 'Anne\u00a0-Marie'
        ("Anne\u00a0-Marie  was late\t\t(again), Dupont knows", "Anne-Marie Dupont", True,
         f"{name('anne marie')}  was late\t\t(again), {name('dupont')} knows"),
        # the name itself in NFD; an NFC accent and blank lines elsewhere
        ("Zoe\u0308  Mu\u0308ller  arrived\n\nbring the caf\u00e9", "Zo\u00eb M\u00fcller", True,
         f"{name('zoe muller')}  arrived\n\nbring the caf\u00e9"),
        # someone else on a roster, Last, First with a doubled space, tabs and emoji after it
        ("Okafor,  Grace\t\tconfirmed  \U0001F44D", "Grace Okafor", False,
         f"{name('okafor, grace')}\t\tconfirmed  \U0001F44D"),
        # an email first (step 1), then the name: the doubled spaces stay
        ("mail  ann@x.com\tor ask  Kevin  Ng", "Kevin Ng", True,
         f"mail  {email('ann@x.com')}\tor ask  {name('kevin ng')}"),
        # nothing to replace: the text as it was, NFD and all
        ("Cafe\u0301  at  6am\t\U0001F642 Kow\u00adalski", "Kevin Ng", True, "Cafe\u0301  at  6am\t\U0001F642 Kow\u00adalski"),
    ],
)
def test_the_rest_of_a_redacted_text_comes_through_byte_for_byte(con, text, person, every_part, expected):
    assert own(con, text, person, every_part) == expected


def test_a_handle_a_token_and_a_person_named_like_a_token_prefix(con):
    # '_' is a boundary: a handle holds both parts; a token's prefix is never a name
    assert own(con, "login chidi_okonkwo, okonkwo_c", "Chidi Okonkwo") == f"login {name('chidi_okonkwo')}, {name('okonkwo')}_c"
    assert own(con, "mail ann@x.com  or  Email  Ng", "Email Ng") == f"mail {email('ann@x.com')}  or  {name('email ng')}"
    assert own(con, "mail ann@x.com or Email", "Email Ng") == f"mail {email('ann@x.com')} or {name('email')}"


def test_eszett_and_ligatures_meet_each_spelling_with_the_column_token(con):
    column = scalar(con, "select pii_token('Tomas Strau\u00df', 'name')")
    assert own(con, "Tomas Strau\u00df and Tomas Strauss", "Tomas Strau\u00df", False) == f"{column} and {name('tomas strauss')}"
    assert own(con, "STRAU\u1e9e, TOMAS", "Tomas Strauss", False) == name("straus, tomas")
    assert own(con, "\u00c6by and Aeby", "Lars Aeby") == f"{name('aby')} and {name('aeby')}"
    # 'Straus' is someone else's spelling: not the same name
    assert own(con, "Straus and Strausss", "Tomas Strauss") == "Straus and Strausss"


def test_name_units_cut_every_code_point_in_step_with_the_fold(con):
    """_names_text's second path needs one compact folded character per unit, for any character."""
    out_of_step = con.execute(
        """
        with texts as (
            select cp, chr(cp) || 'a' || chr(cp) || ' ' || chr(cp) || chr(cp) || 'b-' || chr(cp) as text
            from (select cp::integer as cp from range(1, 196608) as code_points(cp) where cp < 55296 or cp > 57343)
        )
        select list(cp order by cp)
        from (select cp, text, _name_units(text) as cut from texts)
        where len(cut.units) <> length(cut.folded) or array_to_string(cut.units, '') <> text
        """
    ).fetchone()[0]
    assert out_of_step is None
