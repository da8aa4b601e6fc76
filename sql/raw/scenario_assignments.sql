-- raw_scenario_assignments: the workers assigned on every fill line, as read.
--
-- Produces: one row per entry of a fill line's assigned list, numbered by
--           its position (the slot it takes when it is within count).
-- Grain:    one row per (scenario_id, fill_position, assigned_position).
-- Inputs:   $scenario_paths (read_scenarios).
-- Positions: unnest(generate_series(1, len(list))), then list[position]: the
-- same numbering as generate_subscripts, written so that it ports to Spark.
-- Holds PII (the assigned worker's name): a temp table for one run, read
-- only by the safe views.
with

scenarios as (
    select
        scenario_id,
        fills,
    from {{ read_scenarios('$scenario_paths') }}
),

fill_positions as (
    select
        scenario_id,
        fills,
        unnest(generate_series(1, len(fills))) as fill_position,
    from scenarios
),

fill_lines as (
    select
        scenario_id,
        fill_position::bigint as fill_position,
        fills[fill_position].assigned as assigned,
    from fill_positions
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
