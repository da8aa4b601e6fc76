-- scenario_assignments: the workers each fill line names, in slot order.
--
-- Grain:   one row per assigned entry (scenario_id, fill_id, position).
-- Inputs:  scenario_plans, scenario_fills, ethereal_workers, vocabulary.
-- Rules:   workers come from ethereal_workers living in the site's state. All
--          lines of one (plan_date, state) draw from one pool without
--          replacement, so nobody works two overlapping shifts by accident;
--          when a pool runs dry the remaining slots stay unfilled.
-- Planted (the audit must find each one, and nothing else of the kind):
--   * double booking: position 1 of the pair's second plan, first line, is
--     the worker at position 1 of the first plan's first line;
--   * out of state:   position 1 of $out_of_state_scenario's first line is a
--     worker from another state;
--   * unknown worker: position 1 of $unknown_worker_scenario's first line is
--     $unknown_worker_id, who is in no roster.
with

plans as (
    select
        scenario_id,
        plan_date,
        site_state,
    from scenario_plans
),

fills as (
    select
        scenario_id,
        fill_number,
        fill_id,
        assigned_target,
    from scenario_fills
),

roster as (
    select
        worker_id,
        name,
        state,
    from ethereal_workers
),

wanted_positions as (
    select
        fills.scenario_id,
        fills.fill_number,
        fills.fill_id,
        plans.plan_date,
        plans.site_state,
        unnest(range(1, fills.assigned_target + 1)) as position,
    from fills
    inner join plans on plans.scenario_id = fills.scenario_id
),

ranked_positions as (
    select
        *,
        row_number() over (
            partition by plan_date, site_state
            order by scenario_id, fill_number, position
        ) as pool_rank,
    from wanted_positions
),

pools as (
    select
        plan_dates.plan_date,
        roster.state,
        roster.worker_id,
        roster.name,
        row_number() over (
            partition by plan_dates.plan_date, roster.state
            order by {{ rand_unit('pool', 'plan_dates.plan_date, roster.worker_id') }}, roster.worker_id
        ) as pool_rank,
    from (select distinct plan_date from plans) as plan_dates
    cross join roster
),

drawn as (
    select
        ranked_positions.scenario_id,
        ranked_positions.fill_number,
        ranked_positions.fill_id,
        ranked_positions.position,
        ranked_positions.site_state,
        pools.worker_id,
        pools.name,
    from ranked_positions
    left join pools
        on pools.plan_date = ranked_positions.plan_date
        and pools.state = ranked_positions.site_state
        and pools.pool_rank = ranked_positions.pool_rank
),

double_booked as (
    select worker_id, name
    from drawn
    where scenario_id = $double_booking_scenarios[1] and fill_number = 1 and position = 1
),

out_of_state as (
    select worker_id, name
    from roster
    where state <> (select site_state from plans where scenario_id = $out_of_state_scenario)
    order by {{ rand_unit('out_of_state', 'worker_id') }}, worker_id
    limit 1
),

unknown_worker as (
    select
        $unknown_worker_id::bigint as worker_id,
        {{ rand_pick('first_names', 'unknown_first', "'x'") }} || ' Q. ' || {{ rand_pick('last_names', 'unknown_last', "'x'") }} as name,
    from vocabulary
),

planted as (
    select
        drawn.scenario_id,
        drawn.fill_number,
        drawn.fill_id,
        drawn.position,
        case
            when drawn.position = 1 and drawn.fill_number = 1 and drawn.scenario_id = $double_booking_scenarios[2] then double_booked.worker_id
            when drawn.position = 1 and drawn.fill_number = 1 and drawn.scenario_id = $out_of_state_scenario then out_of_state.worker_id
            when drawn.position = 1 and drawn.fill_number = 1 and drawn.scenario_id = $unknown_worker_scenario then unknown_worker.worker_id
            else drawn.worker_id
        end as worker_id,
        case
            when drawn.position = 1 and drawn.fill_number = 1 and drawn.scenario_id = $double_booking_scenarios[2] then double_booked.name
            when drawn.position = 1 and drawn.fill_number = 1 and drawn.scenario_id = $out_of_state_scenario then out_of_state.name
            when drawn.position = 1 and drawn.fill_number = 1 and drawn.scenario_id = $unknown_worker_scenario then unknown_worker.name
            else drawn.name
        end as name,
    from drawn
    left join double_booked on true
    left join out_of_state on true
    left join unknown_worker on true
),

final as (
    select
        scenario_id,
        fill_number,
        fill_id,
        position,
        worker_id,
        name,
    from planted
    where worker_id is not null
    order by scenario_id, fill_number, position
)

select * from final
