-- scenario_fills_safe: the fill lines of every scenario, PII masked.
--
-- Produces: one row per fill line: what it asks for (job order, role, how
--           many slots, the shift).
-- Grain:    one row per (scenario_id, fill_position).
-- Inputs:   raw_scenario_fills, raw_scenario_assignments, roster_name_keys.
-- Masking:  role is a free string a file may fill with anything ('Machine
--           Operator (ask for <name>)'): redact_text with every part of the
--           scenario's assigned workers' names and the full-name forms of
--           anyone on a roster it names.
with

fills as (
    select
        scenario_id,
        fill_position,
        fill_id,
        job_order_id,
        role,
        slot_count,
        shift_start,
        shift_end,
    from raw_scenario_fills
),

assigned_forms as (
    select
        scenario_id,
        forms,
    from {{ assigned_name_forms() }}
),

role_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('fills', ['role']) }}
),

final as (
    select
        fills.scenario_id,
        fills.fill_position,
        fills.fill_id,
        fills.job_order_id,
        redact_text(
            fills.role,
            list_concat(coalesce(assigned_forms.forms, []), coalesce(role_mentions.forms, []))
        ) as role,
        fills.slot_count,
        fills.shift_start,
        fills.shift_end,
    from fills
    left join assigned_forms on assigned_forms.scenario_id = fills.scenario_id
    left join role_mentions on role_mentions.text = fills.role
    order by fills.scenario_id, fills.fill_position
)

select
    scenario_id,
    fill_position,
    fill_id,
    job_order_id,
    role,
    slot_count,
    shift_start,
    shift_end,
from final
