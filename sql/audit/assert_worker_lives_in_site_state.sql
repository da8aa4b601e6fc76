-- id: worker_lives_in_site_state
-- phase: derived
-- severity: blocking
-- description: Every slot's worker lives in the state of the scenario's site.
--
-- Produces: one row per slot whose worker lives in another state.
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
        site_state,
    from fill_events
    where worker_id is not null
),

homes as (
    select
        worker_id,
        state as worker_state,
    from raw_workers_500k
),

final as (
    select
        events.event_id,
        events.scenario_id,
        events.fill_id,
        events.slot,
        events.worker_id,
        homes.worker_state,
        events.site_state,
    from events
    inner join homes on homes.worker_id = events.worker_id
    where homes.worker_state <> events.site_state
)

select * from final
