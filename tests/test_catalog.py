"""The catalog: what each model reads (from its SQL), down to the files; who may import whom."""

from __future__ import annotations

import subprocess
import sys

import pytest

from staffing_sql import catalog
from staffing_sql.catalog import Model
from staffing_sql.errors import CannotRun
from staffing_sql.manifest import load_manifest
from staffing_sql.paths import PROJECT_ROOT

RUNNER = {"staffing_sql.audit", "staffing_sql.checks", "staffing_sql.pipeline", "staffing_sql.publication",
          "staffing_sql.gate", "staffing_sql.generator"}


@pytest.mark.parametrize("module", ["staffing_sql.lint", "staffing_sql.commands.lint", "staffing_sql.commands.render",
                                    "staffing_sql.catalog"])
def test_static_modules_import_neither_the_runner_nor_the_materialiser(module):
    code = (f"import sys, {module}; "
            f"print(' '.join(sorted(name for name in sys.modules if name.startswith('staffing_sql'))))")
    loaded = subprocess.run([sys.executable, "-c", code], cwd=PROJECT_ROOT, capture_output=True, text=True, check=True)
    imported = set(loaded.stdout.split())
    assert module in imported
    assert imported & RUNNER == set()


def test_relations_read_leaves_out_ctes_table_functions_and_information_schema():
    sql = ("with a as (select * from raw_candidates) "
           "select * from a join workers_safe using (x), read_json($scenario_paths), information_schema.columns")
    assert catalog.relations_read(sql) == {"raw_candidates", "workers_safe"}
    assert catalog.documents_read(sql) == {"scenarios"}


def test_the_safe_layer_reads_every_readable_dataset_and_both_document_folders():
    manifest = load_manifest()
    found = catalog.sources(catalog.safe_models(), manifest)
    assert found.datasets == {dataset.name for dataset in manifest.readable()}
    assert "client_workerskjkk" not in found.datasets
    assert found.documents == {"scenarios", "lessons"}
    assert found.upstream == set()


def test_the_derived_layer_reads_only_the_safe_relations_its_sql_names():
    manifest = load_manifest()
    found = catalog.sources(catalog.derived_models(), manifest, upstream=catalog.safe_models())
    assert found.datasets == set() and found.documents == set()
    assert found.upstream == {"scenarios_safe", "scenario_fills_safe", "scenario_assignments_safe", "lessons_safe"}


def test_a_model_reading_a_relation_nobody_knows_fails_instead_of_leaving_a_stale_record():
    model = Model("odd_safe", "views/odd_safe.sql", "select worker_id from raw_workers_500k join somewhere_else using (worker_id)")
    with pytest.raises(CannotRun, match="views/odd_safe.sql: reads somewhere_else"):
        catalog.sources([model], load_manifest())


def test_a_new_read_of_a_raw_relation_shows_in_the_sources():
    manifest = load_manifest()
    model = Model("jobs_safe", "views/jobs_safe.sql", "select job_order_id from raw_job_orders join raw_new_candidates on true")
    assert catalog.sources([model], manifest).datasets == {"job_orders", "new_candidates"}


def test_models_come_after_the_models_they_read():
    names = [model.name for model in catalog.safe_models()]
    assert names.index("workers_safe") < names.index("workers_100k_safe")
    assert names.index("workers_safe") < names.index("ethereal_workers_safe")
    with pytest.raises(CannotRun, match="cycle"):
        catalog.in_dependency_order([Model("a", "a.sql", "select 1 from b"), Model("b", "b.sql", "select 1 from a")])


def test_checks_come_from_their_headers_in_phase_order():
    checks = catalog.assertions()
    assert len(checks) == len(list((PROJECT_ROOT / "sql" / "audit").glob("assert_*.sql")))
    assert [check.phase for check in checks] == sorted((c.phase for c in checks), key=catalog.PHASES.index)
    assert checks[-1].id == "raw_files_unchanged"
    relations, _ = catalog.check_reads(catalog.assertion("schema_matches_manifest"))
    assert {"raw_candidates", "excluded_client_workerskjkk"} <= relations


def test_macro_files_are_told_apart_by_folder_and_an_unfiled_one_is_refused(tmp_path, monkeypatch):
    from staffing_sql import templates

    for folder, name in (("macros/duckdb", "shout"), ("macros/jinja", "wrap"), ("sql/generate/macros", "rand_x")):
        (tmp_path / folder).mkdir(parents=True)
        (tmp_path / folder / f"{name}.sql").write_text("-- a macro\n", encoding="utf-8")
    monkeypatch.setattr(templates, "PROJECT_ROOT", tmp_path)
    assert templates.macro_templates() == ["macros/duckdb/shout.sql", "macros/jinja/wrap.sql"]
    assert templates.is_duckdb_macro_file("macros/duckdb/shout.sql")
    assert templates.is_jinja_macro_file("macros/jinja/wrap.sql") and templates.is_jinja_macro_file("sql/generate/macros/rand_x.sql")
    assert not templates.is_duckdb_macro_file("macros/jinja/wrap.sql")
    (tmp_path / "macros" / "scan_names.sql").write_text("-- where does it go?\n", encoding="utf-8")
    with pytest.raises(CannotRun, match="macros/scan_names.sql: a macro file belongs in macros/duckdb/"):
        templates.macro_templates()
