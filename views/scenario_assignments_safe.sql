-- scenario_assignments_safe: the workers assigned on every fill line, masked.
--
-- Produces: one row per entry of a fill line's assigned list: its position
--           (the slot it takes when within the line's count), the worker_id
--           and the worker's name token. The token is the roster's: the
--           name workers_500k holds for that worker_id (the smallest, if a
--           planted duplicate id holds two), else the name the file wrote, so
--           it equals workers_safe.name_token for the same worker.
-- Grain:    one row per (scenario_id, fill_position, assigned_position).
-- Inputs:   raw_scenario_assignments (the scenario files), raw_workers_500k.
with

assignments as (
    select
        scenario_id,
        fill_position,
        assigned_position,
        worker_id,
        name,
    from raw_scenario_assignments
),

roster as (
    select
        worker_id,
        name,
    from raw_workers_500k
),

roster_names as (
    -- one roster name per worker_id: the planted duplicate id has two rows
    select
        roster.worker_id,
        min(roster.name) as roster_name,
    from roster
    where roster.worker_id in (select worker_id from assignments)
    group by roster.worker_id
),

final as (
    select
        assignments.scenario_id,
        assignments.fill_position,
        assignments.assigned_position,
        assignments.worker_id,
        pii_token(coalesce(roster_names.roster_name, assignments.name), 'name') as worker_token,
    from assignments
    left join roster_names on roster_names.worker_id = assignments.worker_id
    order by assignments.scenario_id, assignments.fill_position, assignments.assigned_position
)

select
    scenario_id,
    fill_position,
    assigned_position,
    worker_id,
    worker_token,
from final
