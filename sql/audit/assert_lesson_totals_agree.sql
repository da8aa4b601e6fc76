-- id: lesson_totals_agree
-- phase: derived
-- severity: blocking
-- description: Each lesson's events_total and events_ok equal its scenario's slots and filled slots in fill_events.
--
-- Produces: one row per lesson whose totals disagree with its scenario's
--           derived events (a scenario with no fill lines has 0 and 0).
-- Grain:    one row per lesson_id.
-- Inputs:   the lesson files ($lesson_paths), the scenario files
--           ($scenario_paths), fill_events.
-- Leaves:   lessons naming a missing scenario to lessons_name_known_scenarios.
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

scenarios as (
    select scenario_id
    from {{ read_scenarios('$scenario_paths') }}
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
        coalesce(derived_totals.slots, 0) as derived_total,
        lessons.events_ok,
        coalesce(derived_totals.filled_slots, 0) as derived_ok,
    from lessons
    semi join scenarios on scenarios.scenario_id = lessons.scenario_id
    left join derived_totals on derived_totals.scenario_id = lessons.scenario_id
    where lessons.events_total <> coalesce(derived_totals.slots, 0)
        or lessons.events_ok <> coalesce(derived_totals.filled_slots, 0)
)

select * from final
