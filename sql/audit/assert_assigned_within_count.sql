-- id: assigned_within_count
-- phase: derived
-- severity: blocking
-- description: No fill line names more workers than its count (the extra ones get no slot in fill_events).
--
-- Produces: one row per over-assigned fill line.
-- Grain:    one row per (scenario_id, fill_id).
-- Inputs:   the scenario files ($scenario_paths).
with

scenarios as (
    select
        scenario_id,
        fills,
    from {{ read_scenarios('$scenario_paths') }}
),

fill_lines as (
    select
        scenario_id,
        unnest(fills) as fill,
    from scenarios
),

final as (
    select
        scenario_id,
        fill.fill_id as fill_id,
        fill.count as slot_count,
        len(fill.assigned) as assigned_count,
    from fill_lines
    where len(fill.assigned) > fill.count
)

select * from final
