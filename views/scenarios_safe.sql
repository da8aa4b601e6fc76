-- scenarios_safe: the scenario files' plans, PII masked (contract §6).
--
-- Produces: one row per scenario: its header, site and notes, and the
--           file's provenance (path relative to the data folder, sha256).
-- Grain:    one row per scenario_id.
-- Inputs:   raw_scenarios, raw_scenario_assignments (whose workers' names
--           are redacted from the notes by any part), roster_name_keys.
-- Masking:  notes and site_city -> redact_text with every part of the
--           scenario's assigned workers' names (name_forms(name, true)) and
--           the full-name forms of anyone on a roster they name;
--           site_state and site_zip are codes: kept only when they have a
--           state's or a zip's shape (value_like), else '[other]'.
with

scenarios as (
    select
        scenario_id,
        client_id,
        plan_date,
        created_at,
        site_city,
        site_state,
        site_zip,
        notes,
        source_path,
        source_sha256,
    from raw_scenarios
),

assigned_forms as (
    select
        scenario_id,
        forms,
    from {{ assigned_name_forms() }}
),

text_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('scenarios', ['notes', 'site_city']) }}
),

final as (
    select
        scenarios.scenario_id,
        scenarios.client_id,
        scenarios.plan_date,
        scenarios.created_at,
        redact_text(
            scenarios.site_city,
            list_concat(coalesce(assigned_forms.forms, []), coalesce(city_mentions.forms, []))
        ) as site_city,
        value_like(scenarios.site_state, '[A-Z]{2}') as site_state,
        value_like(scenarios.site_zip, '[0-9]{5}(-[0-9]{4})?') as site_zip,
        redact_text(
            scenarios.notes,
            list_concat(coalesce(assigned_forms.forms, []), coalesce(notes_mentions.forms, []))
        ) as notes,
        scenarios.source_path,
        scenarios.source_sha256,
    from scenarios
    left join assigned_forms on assigned_forms.scenario_id = scenarios.scenario_id
    left join text_mentions as notes_mentions on notes_mentions.text = scenarios.notes
    left join text_mentions as city_mentions on city_mentions.text = scenarios.site_city
    order by scenarios.scenario_id
)

select
    scenario_id,
    client_id,
    plan_date,
    created_at,
    site_city,
    site_state,
    site_zip,
    notes,
    source_path,
    source_sha256,
from final
