-- id: role_matches_order
-- phase: derived
-- severity: blocking
-- description: Every fill line's role is the title of the job order it fills.
--
-- Produces: one row per fill line whose role differs from its order's title.
-- Grain:    one row per (scenario_id, fill_id).
-- Inputs:   fill_events, raw_job_orders.
with

fill_lines as (
    select distinct
        scenario_id,
        fill_id,
        job_order_id,
        role,
    from fill_events
),

orders as (
    select
        job_order_id,
        title,
    from raw_job_orders
),

final as (
    select
        fill_lines.scenario_id,
        fill_lines.fill_id,
        fill_lines.job_order_id,
        fill_lines.role,
        orders.title as order_title,
    from fill_lines
    inner join orders on orders.job_order_id = fill_lines.job_order_id
    where orders.title <> fill_lines.role
)

select * from final
