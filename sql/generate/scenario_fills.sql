-- scenario_fills: the fill lines of every scenario.
--
-- Grain:   one row per fill line (scenario_id, fill_id F1..F3).
-- Inputs:  scenario_plans, job_orders (the generated tables).
-- Rules:   a line orders workers for one of the plan's client's job orders;
--          its role is that order's title. Shifts stay within one day.
--          assigned_target is how many workers the plan names; it is below
--          count when slots stay unfilled. Planted: the first line of
--          $foreign_order_scenario points at another client's order; the first
--          line of $over_assigned_scenario names one worker more than its count;
--          the first line of the pair's second plan starts an hour before the
--          first plan's first line, so the two shifts overlap by seven hours.
with

plans as (
    select
        scenario_id,
        scenario_number,
        client_id,
        plan_date,
    from scenario_plans
),

client_orders as (
    select
        job_order_id,
        client_id,
        title,
        row_number() over (partition by client_id order by job_order_id) - 1 as order_index,
        count(*) over (partition by client_id) as order_count,
    from job_orders
),

planted_scenarios as (
    select unnest(
        $double_booking_scenarios || [$out_of_state_scenario, $unknown_worker_scenario,
                                      $foreign_order_scenario, $over_assigned_scenario]
    ) as scenario_id
),

lines as (
    select
        plans.*,
        unnest(range(1, 2 + {{ rand_int('fill_count', 'plans.scenario_number', 3) }})) as fill_number,
    from plans
),

drawn as (
    select
        lines.*,
        'F' || fill_number::varchar as fill_id,
        lines.scenario_id in (select scenario_id from planted_scenarios) and fill_number = 1 as is_planted_line,
        1 + {{ rand_int('fill_size', 'lines.scenario_id, fill_number', 5) }} as drawn_count,
        {{ rand_int('fill_order', 'lines.scenario_id, fill_number', 1000000) }} as order_draw,
        [6, 7, 8, 13, 14][1 + {{ rand_int('fill_start_hour', 'lines.scenario_id, fill_number', 5) }}] as start_hour,
        {{ rand_int('fill_start_half', 'lines.scenario_id, fill_number', 2) }} * 30 as start_minute,
        {{ rand_unit('fill_long_shift', 'lines.scenario_id, fill_number') }} < 0.5 as long_shift,
        {{ rand_unit('fill_all_assigned', 'lines.scenario_id, fill_number') }} < 0.55 as all_assigned,
        {{ rand_int('fill_unfilled', 'lines.scenario_id, fill_number', 5) }} as unfilled_draw,
    from lines
),

ordered as (
    select
        drawn.*,
        client_orders.job_order_id,
        client_orders.title,
    from drawn
    inner join client_orders
        on client_orders.client_id = drawn.client_id
        and client_orders.order_index = drawn.order_draw % client_orders.order_count
),

foreign_order as (
    -- The order the planted line points at: another client's, chosen by md5 rank.
    select
        job_order_id,
        title,
    from job_orders
    where client_id <> (select client_id from scenario_plans where scenario_id = $foreign_order_scenario)
    order by {{ rand_unit('foreign_order', 'job_order_id') }}
    limit 1
),

shifted as (
    select
        ordered.*,
        case when is_planted_line then 2 + drawn_count % 2 else drawn_count end as slot_count,
        case
            when scenario_id = $double_booking_scenarios[2] and fill_number = 1 then null
            else plan_date + to_hours(start_hour) + to_minutes(start_minute)
        end as own_shift_start,
    from ordered
),

paired as (
    select
        shifted.*,
        coalesce(
            own_shift_start,
            (select first_line.own_shift_start - to_minutes(60)
             from shifted as first_line
             where first_line.scenario_id = $double_booking_scenarios[1] and first_line.fill_number = 1)
        ) as shift_start,
    from shifted
),

final as (
    select
        paired.scenario_id,
        paired.fill_number,
        paired.fill_id,
        case when paired.scenario_id = $foreign_order_scenario and paired.fill_number = 1
             then foreign_order.job_order_id else paired.job_order_id end as job_order_id,
        case when paired.scenario_id = $foreign_order_scenario and paired.fill_number = 1
             then foreign_order.title else paired.title end as role,
        paired.slot_count as count,
        paired.shift_start,
        paired.shift_start + case when paired.long_shift then to_minutes(510) else to_minutes(480) end as shift_end,
        case
            when paired.scenario_id = $over_assigned_scenario and paired.fill_number = 1 then paired.slot_count + 1
            when paired.is_planted_line or paired.all_assigned then paired.slot_count
            else greatest(0, paired.slot_count - 1 - paired.unfilled_draw % paired.slot_count)
        end as assigned_target,
    from paired
    left join foreign_order on true
    order by paired.scenario_id, paired.fill_number
)

select * from final
