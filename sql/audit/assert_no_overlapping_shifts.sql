-- id: no_overlapping_shifts
-- phase: derived
-- severity: blocking
-- description: No worker holds two slots whose shifts overlap (double booking), within or across scenarios.
--
-- Produces: one row per pair of overlapping slots of the same worker.
-- Grain:    one row per (worker_id, first_event_id, second_event_id).
-- Inputs:   fill_events.
with

shifts as (
    select
        event_id,
        worker_id,
        shift_start,
        shift_end,
    from fill_events
    where worker_id is not null
),

final as (
    select
        first_shift.worker_id,
        first_shift.event_id as first_event_id,
        second_shift.event_id as second_event_id,
        first_shift.shift_start as first_shift_start,
        second_shift.shift_start as second_shift_start,
    from shifts as first_shift
    inner join shifts as second_shift
        on second_shift.worker_id = first_shift.worker_id
        and second_shift.event_id > first_shift.event_id
        and second_shift.shift_start < first_shift.shift_end
        and first_shift.shift_start < second_shift.shift_end
)

select * from final
