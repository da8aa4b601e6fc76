-- raw_scenario_assignments: the workers assigned on every fill line, as read.
--
-- Produces: one row per entry of a fill line's assigned list, numbered by
--           its position (the slot it takes when it is within count).
-- Grain:    one row per (scenario_id, fill_position, assigned_position).
-- Inputs:   $scenario_paths (scenario_fill_lines: read_scenarios, each line
--           numbered by its position).
-- Positions: an assigned entry is numbered as scenario_fill_lines numbers a
-- line (unnest(generate_series(1, len(list))), then list[position]: it ports
-- to Spark).
-- Holds PII (the assigned worker's name): a temp table for one run, read
-- only by the safe views.
with

fill_lines as (
    select
        scenario_id,
        fill_position,
        fill.assigned as assigned,
    from {{ scenario_fill_lines('$scenario_paths') }}
),

assigned_positions as (
    select
        scenario_id,
        fill_position,
        assigned,
        unnest(generate_series(1, len(assigned))) as assigned_position,
    from fill_lines
),

assignments as (
    select
        scenario_id,
        fill_position,
        assigned_position::bigint as assigned_position,
        assigned[assigned_position] as assignee,
    from assigned_positions
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
