-- raw_scenario_assignments: the workers assigned on every fill line, as read.
--
-- Produces: one row per entry of a fill line's assigned list, numbered by
--           its position (the slot it takes when it is within count).
-- Grain:    one row per (scenario_id, fill_position, assigned_position).
-- Inputs:   $scenario_paths (read_scenarios).
-- Holds PII (the assigned worker's name): a temp table for one run, read
-- only by the safe views.
with

fill_lines as (
    select
        scenario_id,
        unnest(fills) as fill,
        generate_subscripts(fills, 1) as fill_position,
    from {{ read_scenarios('$scenario_paths') }}
),

assignments as (
    select
        scenario_id,
        fill_position,
        unnest(fill.assigned) as assignee,
        generate_subscripts(fill.assigned, 1) as assigned_position,
    from fill_lines
),

final as (
    select
        scenario_id,
        fill_position,
        assigned_position,
        assignee.worker_id as worker_id,
        assignee.name as name,
    from assignments
)

select
    scenario_id,
    fill_position,
    assigned_position,
    worker_id,
    name,
from final
order by scenario_id, fill_position, assigned_position
