"""The runtime PII scan (no_pii_in_outputs): independent of the redaction, every §6 form.

The check runs here on text no redactor touched: tiny relations built in an
in-memory DuckDB (a roster in raw_<dataset>, the text in a relation named
like an output), so each case says exactly which (relation, column, kind)
rows the scan must return. Then the check on a generated lakehouse, with PII
planted in outputs, and a clean build through the CLI.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import duckdb
import pytest

from conftest import SEED, TEST_KEY, make_layout, quiet, run_cli
from staffing_sql.audit import prepare
from staffing_sql.generator import generate_lakehouse
from staffing_sql.paths import PROJECT_ROOT
from staffing_sql.pipeline import Lakehouse
from staffing_sql.templates import render, render_string

CHECK = "sql/audit/assert_no_pii_in_outputs.sql"
CASES_FILE = PROJECT_ROOT / "tests" / "pii_cases" / "cases.json"
NBSP, NNBSP, FIGURE_SPACE = "\u00a0", "\u202f", "\u2007"

# Someone on the roster whose first and last names are ordinary words.
ROSE_MARK = "Rose Mark"
# -- the scan on unredacted text ----------------------------------------------


def run_scan(tmp_path: Path, texts: dict[tuple[str, str], list], roster=(), own: dict | None = None,
             assigned=(), sparse=()) -> list[tuple]:
    """Run the check over relations holding ``texts`` and return its rows.

    texts maps (relation, column) to that column's values; a relation named
    workers_safe gets worker_id 1, 2, ... row by row, and own maps a
    worker_id to the name raw_workers_500k holds for it. roster: more names
    in raw_workers_500k (ids from 1000); assigned: names a scenario assigns;
    sparse: the names of raw_sparse_workers, row by row (sparse_workers_safe has no id).
    """
    con = duckdb.connect()
    own = own or {}
    workers = [(worker_id, name) for worker_id, name in own.items()]
    workers += [(1000 + index, name) for index, name in enumerate(roster)]
    con.execute("create table raw_workers_500k (worker_id bigint, name varchar)")
    con.executemany("insert into raw_workers_500k values (?, ?)", workers or [(999, "Nobody Known")])
    for relation in ("raw_workers_100k", "raw_ethereal_workers", "raw_client_workersi"):
        con.execute(f"create table {relation} as select * from raw_workers_500k where false")
    con.execute("create table raw_candidates (candidate_id varchar, first_name varchar, last_name varchar)")
    con.execute("create table raw_sparse_workers (name varchar)")
    if sparse:
        con.executemany("insert into raw_sparse_workers values (?)", [(name,) for name in sparse])
    con.execute("create table raw_new_candidates (name varchar)")
    scenario = tmp_path / "SCN-001.json"
    scenario.write_text(json.dumps({
        "scenario_id": "SCN-001", "client_id": "CLI-00001", "plan_date": "2026-03-02",
        "created_at": "2026-02-26T15:04:05Z", "site": {"city": "Dayton", "state": "OH", "zip": "45402"},
        "fills": [{"fill_id": "F1", "job_order_id": "JO-000001", "role": "Forklift Operator", "count": 1,
                   "shift_start": "2026-03-02T06:00:00", "shift_end": "2026-03-02T14:30:00",
                   "assigned": [{"worker_id": 2000 + index, "name": name} for index, name in enumerate(assigned)]}],
        "notes": "",
    }), encoding="utf-8")
    columns: dict[str, list[str]] = {}
    for (relation, column), values in texts.items():
        columns.setdefault(relation, []).append(column)
    for relation, names in columns.items():
        size = max(len(texts[(relation, name)]) for name in names)
        key = ["worker_id bigint"] if relation == "workers_safe" else []
        con.execute(f'create table "{relation}" ({", ".join(key + [f"{name} varchar" for name in names])})')
        for row in range(size):
            values = [texts[(relation, name)][row] if row < len(texts[(relation, name)]) else None for name in names]
            con.execute(f'insert into "{relation}" values ({", ".join("?" for _ in key + names)})',
                        ([row + 1] if key else []) + values)
    sql = render(CHECK, text_columns=columns)
    return con.execute(sql, {"scenario_paths": [str(scenario)]}).fetchall()


def hits_of(tmp_path, text, **kwargs) -> set[str]:
    """The kinds the scan reports for one value in staffing_answers.text."""
    return {kind for _, _, kind, _ in run_scan(tmp_path, {("staffing_answers", "text"): [text]}, **kwargs)}


EMAILS = [
    "Updated email on file: ann.lee3@example.com",
    "Write to ANN.LEE@EXAMPLE.COM today",
    "mailto:ann.lee@example.com",
    "ann.lee\uff20example.com",
    "ann dot lee at example dot com",
    "reach me: ann(at)example.com",
    "ann [at] example [dot] org",
    "Ann.Lee @ Example.net",
    "ann.lee <at> example <dot> com",
    "x @ example dot com",
    "ann.lee&#x40;example.com",
    "ann.lee\u200b@\u2060example.com",
]
PHONES = [
    "Reached worker at 812-977-7291, left voicemail.",
    "(614) 555-0142",
    "614.555.0142",
    "call 6145550142 now",
    "+1 614 555 0142",
    "1-614-555-0142",
    "937\u2013555\u20130181",
    f"937{NBSP}555{NBSP}0182",
    f"937{NNBSP}555{FIGURE_SPACE}0182",
    "937/555-0183",
    "937\u2212555\u22120185",
    "937\u2010555\u20150186",
    "614-555-0142 x12",
    "614-555-0142x12",
    "(614) 555-0142 ext. 12",
    "call 555-0184",
    "+33 1 42 68 53 00",
    "+44 (0) 20 7946 0958",
    "\uff16\uff11\uff14-555-0142",
    "614  555  0142",
    "555-0143/555-0187",
    "gate 555 - 0184",
    "call 500-1000 after 6",
    "PO 6145550142, call 6145550142",
    "Cell on file: 6145550142",
    "cell `614-555-0142`",
    # seven digits an id word, a count word or a shift's shape would make no phone, but for the words here
    "cell on file 555-0184",
    "Alt #555-0184",
    "Refs: 555-0184",
    "call 645-1515",
    "Front desk 555-0184 hours 8-5",
    "PO 555-0190 units/hr, or 555-0190",
    "Dock office 614-555-0142 units",  # the last seven digits of a ten-digit number before a count word
]
SSNS = [
    "SSN 219-09-9999",
    "SSN 219 09 9999",
    "219.09.9998 on file",
    "ssn: 219\u201309\u20139997",
    "SSN: 219099999",
    "social security number 219099999",
    f"SSN 219{NBSP}09{NBSP}9996",
    "ss#219099999",
    "SSNs: 219099999, 219099998",
    "SSN on file from the candidate: 219099999",
]
# A roster person written as a full name in someone else's text: (roster name, text).
ROSTER_NAMES = [
    ("Susan X. Ruiz", "Covering for Susan X. Ruiz today"),
    ("Susan X. Ruiz", "Covering for Susan Ruiz today"),
    ("Susan X. Ruiz", "covering for SUSAN RUIZ today"),
    ("Susan X. Ruiz", "Covering for Susan X Ruiz today"),
    ("Susan X. Ruiz", "Ruiz, Susan was late"),
    ("Susan X. Ruiz", "S. Ruiz was late"),
    ("Susan X. Ruiz", "ask for Susan Ruiz's badge"),
    ("Susan X. Ruiz", f"Covering for Susan{NBSP}Ruiz today"),
    ("Susan X. Ruiz", "Covering for Susan  Ruiz today"),
    ("Susan X. Ruiz", "Machine Operator (ask for Susan X. Ruiz)"),
    ("Zoë Müller", "Report to Zoe Muller at the gate"),
    ("Zoë Müller", "Report to ZOË MÜLLER at the gate"),
    ("Zoe\u0308 Mu\u0308ller", "Report to Zoë Müller at the gate"),
    ("Zoë Müller", "Report to Zoe\u0308 Mu\u0308ller at the gate"),
    ("Mehmet Öztürk", "MEHMET OZTURK signed in"),
    ("Liam O'Neil", "Liam ONeil signed in"),
    ("Liam O'Neil", "Liam O\u2019Neil signed in"),
    ("Anne-Marie Lopez", "Anne Marie Lopez signed in"),
    ("Anne-Marie Lopez", "Anne\u2011Marie Lopez signed in"),
    ("Maria Garcia-Lopez", "Garcia-Lopez, Maria called"),
    ("Søren Kierkegaard", "Soren Kierkegaard called"),
    ("Kevin Ng", "Report to hiring manager Kevin Ng"),
    ("Łukasz Wałęsa", "lukasz walesa called"),
]
OWN_NAMES = [
    ("Kevin Ng", "Thanks NG, your timesheet is approved."),
    ("Kevin Ng", "Mr. Ng called in"),
    ("Kevin Ng", "Kevin, please confirm"),
    ("Anne-Marie Lopez", "Anne Marie, please confirm"),
    ("Anne-Marie Lopez", "Marie, please confirm"),
    ("Zoë Müller", "Good job today, MULLER"),
    ("Zoë Müller", "Good job today, Zoe"),
    ("Liam O'Neil", "ONeil late again"),
    ("Liam O'Neil", "O\u2019Neil\u2019s badge is ready"),
    ("Mehmet Öztürk", "OZTURK late"),
    ("Susan X. Ruiz", "ruiz, call the office"),
]
# Text that must not hit, even with Rose Mark and Kevin Ng on the roster.
NEGATIVES = [
    "Start 2026-03-02, shift 06:00-14:30, dates 03/02/2026 and 2026-03-02T06:00:00Z",
    "Dayton, OH 45402 and zip+4 45402-1234",
    "$34.97/hr, $1,250.00 per week, $250.00 2026-03-02",
    "JO-000123 CAND-00042 CLI-00017 SCN-001 LSN-0001 F1 event 12",
    "Need 4 workers, 6+ years exp, 10-key, OSHA-10, CDL-A",
    "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08",
    "2894756133e4ad2c9c6b4d1f5e3b8a7c6d5e4f3a2b1c0d9e8f7a6b5c4d3e2f1a",
    # a hash that starts with ten digits: a letter may follow a phone ('614-555-0142c'), not more hex
    "6145550142ab3c9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd1",
    "name_kpbhmgjoalcdenfi email_kpbhmgjoalcdenfi phone_kpbhmgjoalcdenfi ssn_kpbhmgjoalcdenfi",
    "She rose early to mark the form; Mark the form, Rose.",
    "rose. mark the form",
    "Good morning, bring the long list",
    "Worked at Acme Distribution in Dayton. Co-workers liked the DOT compliance training",
    "duration 123.4567 s, reliability 0.8123, 1.5 hours",
    "batch 20260302061430 and record 9f2c4e6145550142",
    "at 6am meet at the gate",
    "PO# 6145550142 approved, invoice no. 6145550142",
    "SSN pending; file #100234567",
    "SSN: see file 4, 219099999",
    "Reorder part no. 611-2045; Employee #218-7734; PO# 450-1234",
    "Hours 700-1530 M-F, early crew 400-1230",
    "Pick rate 300-1250 units per hour; 400-1350 per day; 300-1250 units 400-1300 units",
    "Pick rate 300-1250 units\nPO 611-2045 on the cart",  # the line break after the count word starts the id word
]


@pytest.mark.parametrize("text", EMAILS)
def test_every_email_form_is_found(tmp_path, text):
    assert hits_of(tmp_path, text) == {"email"}


@pytest.mark.parametrize("text", PHONES)
def test_every_phone_form_is_found(tmp_path, text):
    assert hits_of(tmp_path, text) == {"phone"}


@pytest.mark.parametrize("text", SSNS)
def test_every_ssn_form_is_found(tmp_path, text):
    assert hits_of(tmp_path, text) == {"ssn"}


@pytest.mark.parametrize("name, text", ROSTER_NAMES)
def test_a_roster_person_written_as_a_full_name_is_found(tmp_path, name, text):
    assert hits_of(tmp_path, text, roster=[name]) == {"roster name"}


@pytest.mark.parametrize("name, text", ROSTER_NAMES[:3])
def test_a_scenario_assignee_is_on_the_roster(tmp_path, name, text):
    assert hits_of(tmp_path, text, assigned=[name]) == {"roster name"}


# A scenario's assigned worker by any part, in its notes, its lessons and its fills (§6).
ASSIGNED = [
    ("Kevin J. Ng", "Kevin was great, ask for him again"),
    ("Lucia Garcia-Lopez", "Lesson: Lopez needs the early bus"),
    ("Marco D'Angelo", "DAngelo no-show on 2026-03-02"),
    ("Tom A. Reyes", "Machine Operator (ask for Reyes)"),
]


@pytest.mark.parametrize("name, text", ASSIGNED)
def test_a_scenarios_assigned_worker_is_found_by_any_part_in_its_text(tmp_path, name, text):
    texts = {("staffing_answers", "text"): [text, text], ("staffing_answers", "scenario_id"): ["SCN-001", "SCN-002"]}
    # SCN-002 assigns nobody: the same words there are someone else's single name, not a hit
    assert run_scan(tmp_path, texts, assigned=[name]) == [("staffing_answers", "text", "assigned name", 1)]


@pytest.mark.parametrize("name, text", OWN_NAMES)
def test_the_rows_own_person_is_found_by_any_part(tmp_path, name, text):
    rows = run_scan(tmp_path, {("workers_safe", "communications"): [text, "Confirmed for Monday"]}, own={1: name, 2: name})
    assert rows == [("workers_safe", "communications", "own name", 1)]


@pytest.mark.parametrize("text", NEGATIVES)
def test_text_that_is_not_pii_does_not_hit(tmp_path, text):
    rows = run_scan(tmp_path, {("workers_safe", "communications"): [text], ("staffing_answers", "text"): [text]},
                    own={1: ROSE_MARK}, roster=["Kevin Ng", "Acme Dayton", "Worked Dayton"])
    # 'rose' and 'mark' are the worker's own name: only that row's own-name scan may see them
    assert [row for row in rows if row[2] != "own name"] == []
    assert hits_of(tmp_path, text, roster=[ROSE_MARK, "Kevin Ng", "Early Form"]) == set()


def test_scan_fold_reads_a_backtick_as_an_apostrophe_in_ascii_text_too():
    """The ASCII fast path and the full fold agree: a backtick is an apostrophe in both."""
    sql = render_string("select {{ scan_fold('$t') }}")
    con = duckdb.connect()
    assert [con.execute(sql, {"t": text}).fetchone()[0] for text in ["O`Neil late", "O`Neil  late", "Zoë O`Neil"]] == [
        "o'neil late", "o'neil late", "zoe o'neil"]


def test_own_name_is_whole_words_only(tmp_path):
    rows = run_scan(tmp_path, {("workers_safe", "communications"): ["Good morning, bring the long list"]},
                    own={1: "Kevin Ng"})
    assert rows == []


def test_a_single_first_or_last_name_of_someone_else_is_not_a_roster_hit(tmp_path):
    assert hits_of(tmp_path, "Susan was great; RUIZ late; mark the form", roster=["Susan X. Ruiz", ROSE_MARK]) == set()


def test_a_middle_initial_the_roster_lacks_is_a_roster_hit_but_the_words_a_and_i_are_not(tmp_path):
    assert hits_of(tmp_path, "Ask Rose K. Mark and Rose Q Mark", roster=[ROSE_MARK]) == {"roster name"}
    assert hits_of(tmp_path, "Mary E. Smith asked for Friday off", roster=["Mary Ellen Smith"]) == {"roster name"}
    assert hits_of(tmp_path, "she rose a mark higher, then rose i mark", roster=[ROSE_MARK]) == set()


def test_hits_count_values_per_relation_column_and_kind(tmp_path):
    rows = run_scan(tmp_path, {
        ("staffing_answers", "text"): ["call 555-0184", "call 555-0185 or ann@example.com", "nothing here", None],
        ("staffing_answers", "doc_id"): ["LSN-0001", "Susan Ruiz", "LSN-0003", "LSN-0004"],
        ("fill_events", "role"): ["Machine Operator (ask for Susan X. Ruiz)", "Forklift Operator"],
    }, roster=["Susan X. Ruiz"])
    assert rows == [
        ("fill_events", "role", "roster name", 1),
        ("staffing_answers", "doc_id", "roster name", 1),
        ("staffing_answers", "text", "email", 1),
        ("staffing_answers", "text", "phone", 2),
    ]


def test_list_columns_are_scanned(tmp_path):
    con_rows = run_scan(tmp_path, {("staffing_answers", "text"): ["ok"]})
    assert con_rows == []
    # a VARCHAR[] column is cast to text as a whole: '[a, b]'
    rows = run_scan(tmp_path, {("fill_events", "lesson_ids"): ["[LSN-0001, ann@example.com]"]})
    assert rows == [("fill_events", "lesson_ids", "email", 1)]


def test_the_scan_is_not_the_redaction_run_again():
    """It calls none of the product's other macros, the redaction's least of all (§6: defence in depth)."""
    jinja = PROJECT_ROOT / "macros" / "jinja"
    scan_macros = sorted(jinja.glob("scan_*.sql")) + [jinja / "_scan_fold_unicode.sql"]
    text = "\n".join(path.read_text(encoding="utf-8") for path in [PROJECT_ROOT / CHECK, *scan_macros])
    shared = {"read_scenarios", "union_all"}  # reading the scenario files, gluing the per-relation queries
    others = {path.stem for folder in ("duckdb", "jinja") for path in (PROJECT_ROOT / "macros" / folder).glob("*.sql")}
    others -= {path.stem for path in scan_macros} | shared
    assert {"redact_text", "fold_text", "name_forms", "roster_mentions", "pii_token"} <= others
    called = {name for name in others if re.search(r"(?<![\w.])" + re.escape(name) + r"\s*\(", text)}
    assert called == set()


# -- the public case file -------------------------------------------------------


def _public_cases() -> list[dict]:
    if not CASES_FILE.is_file():
        return []
    return json.loads(CASES_FILE.read_text(encoding="utf-8"))["cases"]


# Cases the scan leaves on purpose, as the redaction does: a scan stricter than the
# redaction would refuse to publish every build whose text holds them.
KNOWN_GAPS = {
    "phone-contract6-local-space-01": "'555 0198': a seven-digit number with a space is too often not a phone",
}


@pytest.mark.skipif(not CASES_FILE.is_file(), reason="tests/pii_cases/cases.json is not on this branch yet")
@pytest.mark.parametrize("case", [
    pytest.param(case, marks=pytest.mark.xfail(reason=KNOWN_GAPS[case["id"]], strict=True))
    if case["id"] in KNOWN_GAPS else case for case in _public_cases()], ids=lambda case: case["id"])
def test_public_case_file(tmp_path, case):
    text = case["text"]
    own = {1: case["own_name"]} if case.get("own_name") else {}
    roster = list(case.get("roster") or [])
    # a worker's own text in workers_safe; anything else in the corpus, as a note of scenario SCN-001
    corpus = {("staffing_answers", "text"): [text], ("staffing_answers", "scenario_id"): ["SCN-001"]}
    if case["kind"] == "name_own":
        rows = run_scan(tmp_path, {("workers_safe", "communications"): [text]}, own=own, roster=roster)
    elif case["kind"] == "name_assigned":
        rows = run_scan(tmp_path, corpus, assigned=roster)
    elif case["kind"] == "negative":
        rows = run_scan(tmp_path, {("workers_safe", "communications"): [text], **corpus}, own=own, roster=roster)
        # the worker's own name may be in a negative: only that row's own-name scan may see it
        assert [row for row in rows if row[2] != "own name"] == []
        return
    else:
        rows = run_scan(tmp_path, corpus, roster=roster)
    assert rows, f"{case['id']}: not detected"


@pytest.mark.skipif(not CASES_FILE.is_file(), reason="tests/pii_cases/cases.json is not on this branch yet")
@pytest.mark.parametrize("case", [case for case in _public_cases() if case["kind"] == "name_roster"],
                         ids=lambda case: case["id"])
def test_public_roster_case_in_a_worker_message(tmp_path, case):
    """The large worker relations gate rows by their own cheap split: a name next to '!!', an emoji, '…', ':)' or ','."""
    own = {1: case["own_name"]} if case.get("own_name") else {1: "Nobody Known"}
    rows = run_scan(tmp_path, {("workers_safe", "communications"): [case["text"]]}, own=own, roster=case["roster"])
    assert ("workers_safe", "communications", "roster name", 1) in rows


def test_the_own_person_is_found_in_a_sparse_workers_notes(tmp_path):
    """sparse_workers_safe has no id: its rows meet the raw rows by position, each with its own name."""
    notes = ["jan ok for nights", "Kow\u00adalski called, ok for nights", "ask Ng about forklift", "ok for nights"]
    sparse = ["Jan Ng", "Piotr Kowalski", "Ann Lee", "Rose Mark"]
    rows = run_scan(tmp_path, {("sparse_workers_safe", "notes"): notes}, sparse=sparse)
    # row 1: its own 'jan'; row 2: its own surname through a soft hyphen; row 3 names someone else's
    # single name ('Ng' is Jan Ng's, not Ann Lee's): not a hit
    assert rows == [("sparse_workers_safe", "notes", "own name", 2)]
    assert run_scan(tmp_path, {("sparse_workers_safe", "notes"): notes[2:]}, sparse=sparse[2:]) == []


# -- the check in a run: planted outputs of a generated lakehouse, a clean build --


@pytest.fixture(scope="module")
def clean_session(tmp_path_factory):
    layout = make_layout(tmp_path_factory.mktemp("scan"))
    generate_lakehouse(layout, seed=SEED, scale=0.01, force=False, echo=quiet, plant=False)
    lake = Lakehouse.open(layout, TEST_KEY)
    session = prepare(lake)
    yield session
    lake.close()


def _shadow(session, relation: str, key: str, planted: dict[str, str], column: str):
    """Replace column in the rows of relation whose key is in planted (a temp view over a copy of it)."""
    con = session.lake.con
    original, table = f"_original_{relation}", f"_planted_{relation}"
    con.execute(f'create temp table if not exists "{original}" as select * from "{relation}"')
    con.execute(f'create or replace temp table "{table}" (planted_key varchar, planted_text varchar)')
    con.executemany(f'insert into "{table}" values (?, ?)', list(planted.items()))
    con.execute(
        f'create or replace temp view "{relation}" as '
        f'select output.* replace (coalesce(planted.planted_text, output."{column}") as "{column}") '
        f'from "{original}" as output '
        f'left join "{table}" as planted on planted.planted_key = output."{key}"::varchar'
    )


def _restore(session, relation: str):
    session.lake.con.execute(f'create or replace temp view "{relation}" as select * from "_original_{relation}"')


def test_planted_pii_in_outputs_is_reported_by_relation_column_and_kind(clean_session):
    session, con = clean_session, clean_session.lake.con
    names = dict(con.execute("select worker_id, name from raw_workers_500k where worker_id <= 50").fetchall())
    own, covering = names[1], names[2]
    taken = {part.lower() for part in (own + " " + covering).replace(".", " ").split()}
    # someone else, sharing no part of a name with workers 1 and 2 (whose rows are planted)
    roster_name = next(name for worker_id, name in sorted(names.items())
                       if worker_id > 2 and not taken & {part.lower() for part in name.replace(".", " ").split()})
    first, *_, last = roster_name.split()
    jobs = [row[0] for row in con.execute("select job_order_id from jobs_safe order by job_order_id limit 6").fetchall()]
    try:
        _shadow(session, "jobs_safe", "job_order_id", {
            jobs[0]: "Send timesheets to ann dot lee at example dot com",
            jobs[1]: "Questions: ANN.LEE\uff20EXAMPLE.COM or 937\u2013555\u20130181",
            jobs[2]: f"Report to hiring manager {last.upper()}, {first}",
            jobs[3]: "Badge needs SSN 219 09 9999",
            jobs[4]: "call 555-0184",
            jobs[5]: f"Need 4 workers. Start 2026-03-02 06:00-14:30. $34.97/hr. {first} {last} rose early.",
        }, "description")
        _shadow(session, "workers_safe", "worker_id", {
            "1": f"Thanks {own.split()[-1].upper()}, your timesheet is approved. | Text me at +33 1 42 68 53 00",
            "2": f"Covering for {first}\u00a0{last} today",
        }, "communications")
        result = session.run(session.assertion("no_pii_in_outputs"))
        assert result["status"] == "fail", result["error"]
        rows = con.execute("select * from _offending").fetchall()
    finally:
        _restore(session, "jobs_safe")
        _restore(session, "workers_safe")
    assert rows == [
        ("jobs_safe", "description", "email", 2),
        ("jobs_safe", "description", "phone", 2),
        ("jobs_safe", "description", "roster name", 2),
        ("jobs_safe", "description", "ssn", 1),
        ("workers_safe", "communications", "own name", 1),
        ("workers_safe", "communications", "phone", 1),
        ("workers_safe", "communications", "roster name", 1),
    ]
    # the result and its samples name relation, column, kind and a count, never a value
    samples = json.dumps(result["samples"]).lower()
    assert "ann" not in samples and last.lower() not in samples and "555" not in samples


def test_the_check_passes_on_the_clean_lakehouse_in_process(clean_session):
    result = clean_session.run(clean_session.assertion("no_pii_in_outputs"))
    assert (result["status"], result["offending_rows"]) == ("pass", 0), result["error"]


def test_a_clean_build_passes_the_scan_through_the_cli(tmp_path):
    layout = make_layout(tmp_path)
    generate_lakehouse(layout, seed=SEED, scale=0.02, force=False, echo=quiet, plant=False)
    result = run_cli("audit", "--data-dir", str(layout.data_dir), "--out-dir", str(layout.out_dir),
                     "--reports-dir", str(layout.reports_dir), "--format", "json")
    results = {r["check_id"]: r for r in json.loads(result.stdout)["results"]}
    scan = results["no_pii_in_outputs"]
    assert (scan["status"], scan["offending_rows"], scan["error"]) == ("pass", 0, None)
