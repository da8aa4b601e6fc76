"""The raw JSON relations on Apache Spark (contract §9): raw_scenarios, raw_scenario_fills,
raw_scenario_assignments and raw_lessons, read by Spark where the files lie, equal DuckDB's.

Spark reads the files' bytes (binaryFile) and parses them with from_json under the schema of
read_json's own columns argument (staffing_sql/portable.py); sql/raw/ is the same template on
both engines. Runs on the session's local[2] SparkSession; skips without pyspark.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from sqlglot import exp

from conftest import build_lakehouse
from staffing_sql.catalog import document_relation_template
from staffing_sql.database import execute
from staffing_sql.manifest import load_manifest
from staffing_sql.templates import render

KEY = "test-key-spark-documents-9b2e-not-for-production"


def _duckdb_relations(manifest, params: dict) -> dict[str, tuple[list, list]]:
    """Each document relation on DuckDB: (column name and type pairs, rows in key order)."""
    con = duckdb.connect()
    found = {}
    for relation in manifest.document_relations:
        execute(con, f"create temp table {relation.relation} as {render(document_relation_template(relation.name))}", params)
        columns = con.execute(f"select column_name, column_type from (describe {relation.relation})").fetchall()
        found[relation.relation] = (columns, con.execute(
            f"select * from {relation.relation} order by {', '.join(relation.key)}").fetchall())
    return found


def _spark_relations(spark, manifest, params: dict) -> dict[str, tuple[list, list]]:
    from staffing_sql.portable import collect_spark
    from staffing_sql.spark import register_document_relations

    register_document_relations(spark, manifest, params)
    found = {}
    for relation in manifest.document_relations:
        columns = [(field.name, field.dataType.simpleString()) for field in spark.table(relation.relation).schema.fields]
        rows = collect_spark(spark, f"select * from {relation.relation} order by {', '.join(relation.key)}")
        found[relation.relation] = (columns, [tuple(row) for row in rows])
    return found


def _spark_type(duckdb_type: str) -> str:
    return exp.DataType.build(duckdb_type, dialect="duckdb").sql("spark").lower()


def _assert_same_relations(on_duckdb: dict, on_spark: dict) -> None:
    assert on_spark.keys() == on_duckdb.keys()
    for relation, (duck_columns, duck_rows) in on_duckdb.items():
        spark_columns, spark_rows = on_spark[relation]
        assert [(name, _spark_type(kind)) for name, kind in duck_columns] == spark_columns, relation
        assert len(spark_rows) == len(duck_rows), relation
        differing = [index for index, (duck, sp) in enumerate(zip(duck_rows, spark_rows)) if duck != sp]
        assert not differing, f"{relation}: rows {differing[:5]} of {len(duck_rows)} differ"


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """A scale-0.01 lakehouse (planted problems included) in a folder whose name has a space, a
    non-ASCII letter and a glob character, so that file names are compared as each engine gives them."""
    from staffing_sql.pipeline import Lakehouse, run_params

    layout = build_lakehouse(tmp_path_factory.mktemp("documents") / "lake é [1]", scale=0.01)
    lake = Lakehouse.open(layout, KEY)
    yield lake, run_params(lake)
    lake.close()


def test_raw_documents_row_for_row_on_spark(spark, generated):
    """raw_scenarios, raw_scenario_fills, raw_scenario_assignments, raw_lessons of a generated lakehouse:
    the same columns, types and rows (provenance paths and sha256 included) on both engines."""
    lake, params = generated
    on_duckdb = _duckdb_relations(lake.manifest, params)
    assert {relation: len(rows) for relation, (_, rows) in on_duckdb.items()} == {
        relation: len(rows) for relation, (_, rows) in _duckdb_relations_through_pipeline(lake).items()}
    assert all(len(rows) >= 3 for _, rows in on_duckdb.values())
    _assert_same_relations(on_duckdb, _spark_relations(spark, lake.manifest, params))


def _duckdb_relations_through_pipeline(lake) -> dict[str, list]:
    """The same relations as the build registers them (temp tables), for the row counts."""
    from staffing_sql.pipeline import register_document_relations

    register_document_relations(lake)
    return {relation.relation: ([], lake.con.execute(f"select * from {relation.relation}").fetchall())
            for relation in lake.manifest.document_relations}


BOM = "\ufeff"
HOSTILE_SCENARIOS = {
    # a byte-order mark, non-ASCII in every free string, escapes (an astral character as a surrogate pair)
    "SCN-901.json": BOM + json.dumps({
        "scenario_id": "SCN-901", "client_id": "CLI-00001", "plan_date": "2026-03-02", "created_at": "2026-02-26T15:04:05Z",
        "site": {"city": "Zürich–Nord", "state": "OH", "zip": "45402"},
        "fills": [
            {"fill_id": "F1", "job_order_id": "JO-000001", "role": "Gabelstaplerfahrer (ask Zoë Müller)", "count": 2,
             "shift_start": "2026-03-02T06:00:00", "shift_end": "2026-03-02T14:30:00",
             "assigned": [{"worker_id": 1042, "name": "Zoë Müller"}, {"worker_id": 9007199254740993, "name": "李小龙"}]},
            {"fill_id": "F1", "job_order_id": "JO-000002", "role": "", "count": 1,
             "shift_start": "2026-03-02T22:00:00", "shift_end": "2026-03-03T06:00:00", "assigned": []},
        ],
        "notes": "Ελένη \U0001F600 said: \"call D’Angelo\"\nline\u2028two\ttab",
    }, ensure_ascii=True),
    # nulls, an empty fills list, keys in another order, CRLF line ends, pretty-printed
    "SCN-902.json": json.dumps({
        "notes": None, "fills": [], "site": {"zip": "00501", "state": "NY", "city": "Holtsville"},
        "created_at": "2026-01-01T00:00:00Z", "plan_date": "2026-01-02", "client_id": "CLI-00002", "scenario_id": "SCN-902",
    }, indent=2, ensure_ascii=False).replace("\n", "\r\n"),
    # optional fields missing (notes; an assignee's name), a NULL name and worker_id
    "SCN-903.json": json.dumps({
        "scenario_id": "SCN-903", "client_id": "CLI-00003", "plan_date": "2026-12-31", "created_at": "2026-12-30T23:59:59Z",
        "site": {"city": "São Paulo", "state": "SP", "zip": "01000"},
        "fills": [{"fill_id": "F9", "job_order_id": "JO-000009", "role": "Operador", "count": 3,
                   "shift_start": "2026-12-31T23:00:00", "shift_end": "2027-01-01T07:00:00",
                   "assigned": [{"worker_id": 5}, {"worker_id": None, "name": None}, {"name": "Ana María"}]}],
    }, ensure_ascii=False),
}
HOSTILE_LESSONS = {
    "LSN-9001.json": BOM + json.dumps({
        "lesson_id": "LSN-9001", "scenario_id": None, "recorded_at": "2026-03-03T09:12:00Z", "events_total": 0,
        "events_ok": 0, "lesson": "", "tags": []}),
    "LSN-9002.json": json.dumps({
        "lesson_id": "LSN-9002", "recorded_at": "2026-03-03T09:12:00Z", "events_total": 2147483647,
        "events_ok": 5, "lesson": "Zoë Müller\r\nno-show — ¿qué?", "tags": ["late", "müller", ""]}, ensure_ascii=False),
    "LSN-9003.json": json.dumps({
        "lesson_id": "LSN-9003", "scenario_id": "SCN-901", "recorded_at": "2026-03-03T09:12:00Z", "events_total": 3,
        "events_ok": 3, "lesson": "ok", "tags": [None, "ok"]}, indent=4),
    "LSN-9004.json": json.dumps({
        "lesson_id": "LSN-9004", "scenario_id": "SCN-903", "recorded_at": "2026-03-03T09:12:00Z", "events_total": 1,
        "events_ok": 1, "lesson": None, "tags": None}),
}


def _hostile_lakehouse(root: Path) -> dict:
    manifest = load_manifest()
    data_dir = root / "data ü {x}"
    params = {"data_dir": str(data_dir)}
    for parameter, documents, files in (("scenario_paths", "scenarios", HOSTILE_SCENARIOS),
                                        ("lesson_paths", "lessons", HOSTILE_LESSONS)):
        folder = data_dir / manifest.document(documents).folder
        folder.mkdir(parents=True)
        for name, text in files.items():
            (folder / name).write_bytes(text.encode("utf-8"))
        params[parameter] = [str(folder / name) for name in sorted(files)]
    return params


def test_hostile_documents_row_for_row_on_spark(spark, tmp_path):
    """A byte-order mark, missing optional fields, nulls, non-ASCII and escapes, empty lists, CRLF,
    keys in any order, a BIGINT beyond 2^53: the same relations on both engines."""
    params = _hostile_lakehouse(tmp_path)
    manifest = load_manifest()
    on_duckdb = _duckdb_relations(manifest, params)
    rows = {relation: rows for relation, (_, rows) in on_duckdb.items()}
    assert len(rows["raw_scenarios"]) == 3 and len(rows["raw_lessons"]) == 4
    assert len(rows["raw_scenario_fills"]) == 3 and len(rows["raw_scenario_assignments"]) == 5
    assert any(row[-1] is None or None in row for row in rows["raw_scenario_assignments"])
    _assert_same_relations(on_duckdb, _spark_relations(spark, manifest, params))


def test_a_file_that_does_not_parse_fails_on_spark(spark, tmp_path, capfd):
    """Spark's reader is FAILFAST, as DuckDB's: a broken file fails the query (one line, no data),
    it does not become a row of NULLs."""
    from staffing_sql.errors import CannotRun

    params = _hostile_lakehouse(tmp_path)
    broken = Path(params["lesson_paths"][0])
    broken.write_bytes(b'{"lesson_id": "LSN-9001", "lesson": "Zo\xc3\xab M\xc3\xbcller", ')
    with pytest.raises(duckdb.Error):
        _duckdb_relations(load_manifest(), params)
    with pytest.raises(CannotRun) as raised:
        _spark_relations(spark, load_manifest(), params)
    printed = capfd.readouterr()
    assert "Müller" not in str(raised.value) and "Müller" not in printed.err + printed.out


def test_roster_name_keys_row_for_row_on_spark(spark, generated):
    """roster_name_keys (the roster-name gate: name_forms of every person of the rosters and of the scenario
    files' assignees) built on Spark from the raw parquet and the JSON files equals DuckDB's."""
    from staffing_sql.catalog import SESSION_TABLES
    from staffing_sql.pipeline import register_session_tables
    from staffing_sql.portable import collect_spark, to_spark
    from staffing_sql.spark import register_document_relations, spark_params, spark_path

    lake, params = generated
    register_session_tables(lake)
    on_duckdb = lake.con.execute("select gram, forms from roster_name_keys order by gram").fetchall()
    for raw in lake.raw.values():
        if not raw.dataset.excluded:
            spark.read.parquet(spark_path(raw.path)).createOrReplaceTempView(raw.dataset.relation)
    register_document_relations(spark, lake.manifest, params)
    sql = to_spark(render(SESSION_TABLES["roster_name_keys"]))
    on_spark = [tuple(row) for row in collect_spark(spark, f"select gram, forms from ({sql}) order by gram", KEY,
                                                    spark_params(params))]
    assert len(on_duckdb) > 1000
    assert len(on_spark) == len(on_duckdb)
    differing = [duck[0] for duck, sp in zip(on_duckdb, on_spark) if duck != sp]
    assert not differing, f"{len(differing)} of {len(on_duckdb)} keys differ"


# The safe views over the JSON relations, and the worker siblings (which reuse workers_safe's values
# by file_row). workers_safe and roster_name_keys are built on DuckDB and handed to both engines as
# files: workers_safe's own parity is test_spark_parity's; here the sibling logic and the file order
# are under test. The sibling files are copied with 64-row row groups and Spark splits files at 16 KB,
# so that each sibling is read in several partitions, and every 25th row's communications drifted from
# its canonical row, so that both paths run: reused from workers_safe, and masked again.
DOCUMENT_VIEWS = ["scenarios_safe", "scenario_fills_safe", "scenario_assignments_safe", "lessons_safe"]
SIBLING_VIEWS = ["workers_100k_safe", "ethereal_workers_safe"]
# the recruiter-shorthand file: its notes name the row's own worker and roster people in jotted forms
OTHER_VIEWS = ["sparse_workers_safe"]


@pytest.fixture(scope="module")
def safe_inputs(spark, generated, tmp_path_factory):
    """(DuckDB connection, Spark parameters) with the same inputs on both engines."""
    from staffing_sql.catalog import safe_models
    from staffing_sql.database import install_macros
    from staffing_sql.pipeline import register_normalised, register_relations, register_session_tables
    from staffing_sql.pipeline import normalised_sql
    from staffing_sql.portable import to_spark
    from staffing_sql.quoting import quote_literal
    from staffing_sql.spark import register_document_relations, spark_params, spark_path

    lake, params = generated
    folder = tmp_path_factory.mktemp("safe inputs")
    paths = {raw.dataset.relation: raw.path for raw in lake.raw.values() if not raw.dataset.excluded}
    for raw in lake.raw.values():
        if raw.dataset.safe_relation in SIBLING_VIEWS:
            copy = folder / raw.path.name
            # every 25th row drifted from its canonical row: masked again, not reused from workers_safe
            lake.con.execute(
                f"copy (select * exclude (file_row) replace (case when file_row % 25 = 7 then communications || ' Call me.' "
                f"else communications end as communications) from (select *, row_number() over () as file_row "
                f"from read_parquet({quote_literal(raw.path)})) order by file_row) to {quote_literal(copy)} "
                f"(format parquet, row_group_size 64)")
            paths[raw.dataset.relation] = copy
    register_session_tables(lake)
    keys, workers_safe = folder / "roster_name_keys.parquet", folder / "workers_safe.parquet"
    lake.con.execute(f"copy (select gram, forms from roster_name_keys) to {quote_literal(keys)} (format parquet)")
    model = next(model for model in safe_models() if model.name == "workers_safe")
    lake.con.execute(f"copy ({model.sql.strip().rstrip(';')}) to {quote_literal(workers_safe)} (format parquet)")

    con = duckdb.connect()
    install_macros(con, KEY)
    register_relations(con, None, {**paths, "roster_name_keys": keys, "workers_safe": workers_safe})
    register_normalised(con, lake.manifest)
    for relation in lake.manifest.document_relations:
        execute(con, f"create temp table {relation.relation} as {render(document_relation_template(relation.name))}", params)

    spark.conf.set("spark.sql.files.maxPartitionBytes", "16k")
    for relation, path in {**paths, "roster_name_keys": keys, "workers_safe": workers_safe}.items():
        spark.read.parquet(spark_path(path)).createOrReplaceTempView(relation)
    for dataset in lake.manifest.phone_datasets():
        spark.sql(to_spark(normalised_sql(dataset))).createOrReplaceTempView(dataset.normalised_relation)
    register_document_relations(spark, lake.manifest, params)
    partitions = {relation: spark.table(relation).rdd.getNumPartitions() for relation in paths
                  if relation.replace("raw_", "") + "_safe" in SIBLING_VIEWS}
    yield con, spark_params(params), partitions
    spark.conf.unset("spark.sql.files.maxPartitionBytes")
    con.close()


@pytest.mark.parametrize("view", DOCUMENT_VIEWS + SIBLING_VIEWS + OTHER_VIEWS)
def test_safe_view_over_documents_row_for_row_on_spark(spark, safe_inputs, view):
    """The view on Spark, in its own order (by key; the siblings by file row), equals DuckDB's row for row."""
    from staffing_sql.catalog import safe_models
    from staffing_sql.portable import collect_spark, to_spark

    con, params, partitions = safe_inputs
    model = next(model for model in safe_models() if model.name == view)
    query = model.sql.strip().rstrip(";")
    on_duckdb = execute(con, query, params).fetchall()
    on_spark = [tuple(row) for row in collect_spark(spark, to_spark(query), KEY, params)]
    assert len(on_duckdb) >= 3
    if view in SIBLING_VIEWS:
        assert all(count > 1 for count in partitions.values()) and len(partitions) == 2
    assert len(on_spark) == len(on_duckdb)
    differing = [index for index, (duck, sp) in enumerate(zip(on_duckdb, on_spark)) if duck != sp]
    assert not differing, f"{len(differing)} of {len(on_duckdb)} rows differ, first {differing[:5]}"
