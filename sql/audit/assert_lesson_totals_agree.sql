-- id: lesson_totals_agree
-- phase: derived
-- severity: blocking
-- description: Each lesson's events_total and events_ok equal its scenario's slots and filled slots in fill_events.
--
-- Produces: one row per lesson whose totals disagree, or whose scenario does not exist.
-- Grain:    one row per lesson_id.
-- Inputs:   the lesson files ($lesson_paths), fill_events.
with

lessons as (
    select
        lesson_id,
        scenario_id,
        events_total,
        events_ok,
    from {{ read_lessons('$lesson_paths') }}
    where scenario_id is not null
),

derived_totals as (
    select
        scenario_id,
        count(*) as slots,
        count(*) filter (where outcome = 'filled') as filled_slots,
    from fill_events
    group by scenario_id
),

final as (
    select
        lessons.lesson_id,
        lessons.scenario_id,
        lessons.events_total,
        derived_totals.slots as derived_total,
        lessons.events_ok,
        derived_totals.filled_slots as derived_ok,
    from lessons
    left join derived_totals on derived_totals.scenario_id = lessons.scenario_id
    where derived_totals.scenario_id is null
        or lessons.events_total <> derived_totals.slots
        or lessons.events_ok <> derived_totals.filled_slots
)

select * from final
