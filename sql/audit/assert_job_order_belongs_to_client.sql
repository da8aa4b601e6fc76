-- id: job_order_belongs_to_client
-- phase: derived
-- severity: blocking
-- description: Every fill line's job order exists and belongs to the scenario's client.
--
-- Produces: one row per fill line whose job order is missing or another client's.
-- Grain:    one row per (scenario_id, fill_id).
-- Inputs:   fill_events, raw_job_orders.
with

fill_lines as (
    select distinct
        scenario_id,
        fill_id,
        client_id,
        job_order_id,
    from fill_events
),

orders as (
    select
        job_order_id,
        client_id,
    from raw_job_orders
),

final as (
    select
        fill_lines.scenario_id,
        fill_lines.fill_id,
        fill_lines.job_order_id,
        fill_lines.client_id as scenario_client_id,
        orders.client_id as order_client_id,
        case when orders.job_order_id is null then 'job order not found' else 'job order of another client' end as problem,
    from fill_lines
    left join orders on orders.job_order_id = fill_lines.job_order_id
    where orders.job_order_id is null
        or orders.client_id <> fill_lines.client_id
)

select * from final
