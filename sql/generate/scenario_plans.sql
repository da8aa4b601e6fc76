-- scenario_plans: the 44 per-day client fill plans, before their fill lines.
--
-- Grain:   one row per scenario, SCN-001..SCN-044.
-- Inputs:  job_orders, ethereal_workers (the generated tables).
-- Rules:   each plan is anchored on a job order: the plan's client and site are
--          that order's. Anchors are drawn from states where ethereal_workers
--          has at least 3 workers, so most slots can be filled in-state.
--          Plan dates are one a day from 2026-03-02, except the planted
--          double-booking pair: its second plan takes the first one's date and
--          a site in the same state, for another client where one exists.
with

orders as (
    select
        job_order_id,
        client_id,
        city,
        state,
        zip,
    from job_orders
),

staffed_states as (
    select state
    from ethereal_workers
    group by state
    having count(*) >= 3
),

anchors as (
    select
        orders.*,
        row_number() over (order by orders.job_order_id) - 1 as anchor_index,
    from orders
    inner join staffed_states on staffed_states.state = orders.state
),

scenario_numbers as (
    select i as scenario_number
    from range(1, 45) as numbers(i)
),

drawn as (
    select
        'SCN-' || lpad(scenario_number::varchar, 3, '0') as scenario_id,
        scenario_number,
        {{ rand_int('scenario_anchor', 'scenario_number', '(select count(*) from anchors)') }} as anchor_index,
        {{ rand_int('scenario_lead_days', 'scenario_number', 5) }} + 2 as lead_days,
        {{ rand_int('scenario_created_second', 'scenario_number', 86400) }} as created_second,
    from scenario_numbers
),

anchored as (
    select
        drawn.*,
        anchors.client_id,
        anchors.city,
        anchors.state,
        anchors.zip,
        date '2026-03-02' + (scenario_number - 1)::integer as own_plan_date,
    from drawn
    inner join anchors on anchors.anchor_index = drawn.anchor_index
),

first_of_pair as (
    select *
    from anchored
    where scenario_id = $double_booking_scenarios[1]
),

pair_anchor as (
    -- Another client's order in the same state as the first plan of the pair.
    select
        anchors.client_id,
        anchors.city,
        anchors.state,
        anchors.zip,
        first_of_pair.own_plan_date as plan_date,
    from anchors
    inner join first_of_pair on first_of_pair.state = anchors.state
    order by anchors.client_id = first_of_pair.client_id, {{ rand_unit('pair_anchor', 'anchors.job_order_id') }}
    limit 1
),

final as (
    select
        anchored.scenario_id,
        anchored.scenario_number,
        case when is_second then pair_anchor.client_id else anchored.client_id end as client_id,
        case when is_second then pair_anchor.plan_date else anchored.own_plan_date end as plan_date,
        case when is_second then pair_anchor.city else anchored.city end as site_city,
        case when is_second then pair_anchor.state else anchored.state end as site_state,
        case when is_second then pair_anchor.zip else anchored.zip end as site_zip,
        anchored.lead_days,
        anchored.created_second,
    from (
        select *, scenario_id = $double_booking_scenarios[2] as is_second
        from anchored
    ) as anchored
    left join pair_anchor on true
    order by anchored.scenario_id
)

select * from final
