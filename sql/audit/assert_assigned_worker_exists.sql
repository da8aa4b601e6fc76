-- id: assigned_worker_exists
-- phase: derived
-- severity: blocking
-- description: Every worker in a fill slot exists in workers_500k.
--
-- Produces: one row per slot whose worker_id is in no roster.
-- Grain:    one row per event_id.
-- Inputs:   fill_events, raw_workers_500k.
with

events as (
    select
        event_id,
        scenario_id,
        fill_id,
        slot,
        worker_id,
    from fill_events
    where worker_id is not null
),

workers as (
    select distinct worker_id
    from raw_workers_500k
),

final as (
    select
        events.event_id,
        events.scenario_id,
        events.fill_id,
        events.slot,
        events.worker_id,
    from events
    anti join workers on workers.worker_id = events.worker_id
)

select * from final
