"""staffing-sql lint: the static PII proof must pass on our views and fail on leaky ones."""

from __future__ import annotations

import pytest

from staffing_sql.lint import check_safe_view, relation_schemas, run_lint
from staffing_sql.manifest import load_manifest, parse_manifest
from staffing_sql.errors import CannotRun

from conftest import run_cli


@pytest.fixture(scope="module")
def schemas():
    return relation_schemas(load_manifest())


def lint_view(sql: str, schemas) -> list[str]:
    types, classes = schemas
    return [finding.message for finding in check_safe_view("views/leaky_safe.sql", sql, types, classes).findings]


def test_project_sql_lints_clean():
    assert [str(finding) for finding in run_lint(load_manifest())] == []


def test_lint_command_exits_zero_on_the_project():
    result = run_cli("lint")
    assert result.returncode == 0, result.stderr
    assert "lint: ok" in result.stderr


def test_masked_columns_pass(schemas):
    sql = """
    with workers as (select worker_id, email, communications, name from normalised_workers_500k),
    final as (
        select worker_id, pii_token(email, 'email') as email_token,
               redact_text(communications, name_forms(name, true)) as communications
        from workers
    )
    select worker_id, email_token, communications from final
    """
    assert lint_view(sql, schemas) == []


def test_quoted_column_names_are_the_same_columns(schemas):
    masked = """
    with workers as (select "worker_id", "email" from "normalised_workers_500k")
    select worker_id, pii_token(email, 'email') as email_token from workers
    """
    assert lint_view(masked, schemas) == []
    leaky = 'with workers as (select "worker_id", "email" from "normalised_workers_500k") select worker_id, email from workers'
    assert [finding.split(":")[0] for finding in lint_view(leaky, schemas)] == ["output column 'email' exposes email column without a masking macro"]


def test_raw_email_through_ctes_is_a_leak_naming_column_and_path(schemas):
    sql = """
    with workers as (select worker_id, email from normalised_workers_500k),
    final as (select worker_id, lower(email) as contact from workers)
    select worker_id, contact from final
    """
    findings = lint_view(sql, schemas)
    assert len(findings) == 1
    assert "output column 'contact' exposes email column" in findings[0]
    assert "normalised_workers_500k.email" in findings[0]


def test_masked_and_unmasked_use_of_the_same_column_is_a_leak(schemas):
    sql = """
    select pii_token(first_name, 'name') || first_name as name_token from raw_candidates
    """
    findings = lint_view(sql, schemas)
    assert len(findings) == 1 and "exposes name column" in findings[0]


def test_free_text_without_redaction_is_a_leak(schemas):
    findings = lint_view("select job_order_id, description from raw_job_orders", schemas)
    assert findings == [
        "output column 'description' exposes free_text column without a masking macro: "
        "description <- raw_job_orders.description"
    ]


def test_select_star_is_rejected(schemas):
    findings = lint_view("select * from raw_job_orders", schemas)
    assert findings == ["select * in a safe view: list the columns explicitly"]


def test_financial_and_plain_columns_pass(schemas):
    assert lint_view("select job_order_id, bill_rate, pay_rate, city from raw_job_orders", schemas) == []


def test_manifest_column_without_pii_class_fails_closed(tmp_path):
    manifest = tmp_path / "manifest.toml"
    manifest.write_text(
        '[[datasets]]\nname = "x"\nfile = "x.parquet"\nentity = "worker"\nrole = "fixture"\n'
        'rows_at_scale_1 = 1\ncolumns = [ { name = "nickname", type = "VARCHAR" } ]\n'
    )
    with pytest.raises(CannotRun, match="column 'nickname' has no PII class"):
        parse_manifest(manifest)


def test_a_relation_outside_the_manifest_is_not_assumed_free_of_pii(schemas):
    findings = lint_view("select worker_id, communications from workers_safe", schemas)
    assert findings == [
        "output column 'worker_id' reads a column with no PII class (neither a manifest column nor a safe "
        "view output lint proved): worker_id <- workers_safe.worker_id",
        "output column 'communications' reads a column with no PII class (neither a manifest column nor a "
        "safe view output lint proved): communications <- workers_safe.communications",
    ]


def test_an_unclassified_column_passes_only_through_a_masking_macro(schemas):
    assert lint_view("select pii_token(contact, 'email') as contact_token from vendor_contacts", schemas) == []


def test_a_safe_view_reading_another_inherits_what_lint_proved_about_it(schemas):
    types, classes = (dict(part) for part in schemas)
    first = check_safe_view(
        "views/first_safe.sql",
        "select worker_id, pii_token(email, 'email') as email_token, communications from normalised_workers_500k",
        types, classes,
    )
    assert first.output_classes == {"worker_id": "masked", "email_token": "masked", "communications": "free_text"}
    types["first_safe"] = {column: "UNKNOWN" for column in first.output_classes}
    classes["first_safe"] = first.output_classes
    second = check_safe_view(
        "views/second_safe.sql", "select worker_id, email_token, communications from first_safe", types, classes,
    )
    assert [finding.message for finding in second.findings] == [
        "output column 'communications' exposes free_text column without a masking macro: "
        "communications <- first_safe.communications"
    ]


def test_project_views_that_read_safe_views_are_checked_against_them(monkeypatch):
    """Lint checks workers_safe before its siblings and they pass only through what it proved."""
    import staffing_sql.lint as lint

    checked = []
    real = lint.check_safe_view

    def recording(template, sql, types, classes):
        checked.append((template, sorted(classes.get("workers_safe", {}).items())))
        return real(template, sql, types, classes)

    monkeypatch.setattr(lint, "check_safe_view", recording)
    assert run_lint(load_manifest()) == []
    order = [template for template, _ in checked]
    assert order.index("views/workers_safe.sql") < order.index("views/workers_100k_safe.sql")
    assert order.index("views/workers_safe.sql") < order.index("views/ethereal_workers_safe.sql")
    sibling_view = dict(checked)["views/workers_100k_safe.sql"]
    assert ("communications", "masked") in sibling_view and ("name_token", "masked") in sibling_view


def test_a_safe_view_output_lint_could_not_prove_counts_as_pii_downstream(schemas):
    types, classes = (dict(part) for part in schemas)
    types["first_safe"] = {"worker_id": "UNKNOWN", "summary": "UNKNOWN"}
    classes["first_safe"] = {"worker_id": "masked", "summary": "unproven"}
    second = check_safe_view("views/second_safe.sql", "select worker_id, summary from first_safe", types, classes)
    assert [finding.message for finding in second.findings] == [
        "output column 'summary' exposes unproven column without a masking macro: summary <- first_safe.summary"
    ]


# --------------------------------------------------------------------------- the JSON files and the derived layer


@pytest.mark.parametrize(
    ("sql", "leak"),
    [
        ("select scenario_id, notes from raw_scenarios", "output column 'notes' exposes free_text column"),
        ("select scenario_id, site_state from raw_scenarios", "output column 'site_state' exposes free_text column"),
        ("select scenario_id, role from raw_scenario_fills", "output column 'role' exposes free_text column"),
        ("select worker_id, name from raw_scenario_assignments", "output column 'name' exposes name column"),
        ("select lesson_id, tags from raw_lessons", "output column 'tags' exposes free_text column"),
    ],
)
def test_the_json_files_have_classes_and_leak_like_datasets(schemas, sql, leak):
    findings = lint_view(sql, schemas)
    assert len(findings) == 1 and leak in findings[0], findings


def test_domain_checks_and_redaction_mask_the_json_fields(schemas):
    sql = """
    select
        values_in(tags, ['ok', 'late']) as tags,
        value_like(scenario_id, '[A-Z]+') as code,
        redact_text(lesson, []) as lesson,
    from raw_lessons
    """
    assert lint_view(sql, schemas) == []


def test_derived_models_are_linted_too(monkeypatch):
    """A derived model that reads a scenario's raw names (as fill_events once did) fails lint."""
    import staffing_sql.lint as lint

    real_render = lint.render

    def leaky_render(template, **context):
        if template == "sql/derive/fill_events.sql":
            return ("select scenario_id, pii_token(name, 'name') as worker_token, name as worker_name "
                    "from raw_scenario_assignments")
        return real_render(template, **context)

    monkeypatch.setattr(lint, "render", leaky_render)
    findings = [str(finding) for finding in run_lint(load_manifest())]
    assert findings == [
        "sql/derive/fill_events.sql: output column 'worker_name' exposes name column without a masking macro: "
        "worker_name <- raw_scenario_assignments.name"
    ]


def test_a_derived_model_reads_what_lint_proved_of_the_safe_views(monkeypatch):
    """Derived models see the safe views' outputs as proven ('masked'), and nothing else unproven."""
    import staffing_sql.lint as lint

    real_render = lint.render

    def render(template, **context):
        if template == "sql/derive/staffing_answers.sql":
            return "select lesson_id, lesson, tags from lessons_safe"
        if template == "sql/derive/fill_events.sql":
            return "select lesson_id, lesson from some_table_lint_knows_nothing_about"
        return real_render(template, **context)

    monkeypatch.setattr(lint, "render", render)
    findings = [str(finding) for finding in run_lint(load_manifest())]
    assert len(findings) == 2 and all(f.startswith("sql/derive/fill_events.sql: ") for f in findings), findings
    assert all("reads a column with no PII class" in finding for finding in findings)
