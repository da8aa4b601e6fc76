-- id: lessons_name_known_scenarios
-- phase: integrity
-- severity: blocking
-- description: Every lesson that names a scenario names one that exists in the scenario files.
--
-- Produces: one row per lesson whose scenario_id matches no scenario file.
-- Grain:    one row per lesson_id.
-- Inputs:   the lesson files ($lesson_paths), the scenario files ($scenario_paths).
-- Why:      a lesson about a missing scenario cannot be checked against its
--           fill events, and its incident tags would mark no worker.
with

lessons as (
    select
        lesson_id,
        scenario_id,
    from {{ read_lessons('$lesson_paths') }}
    where scenario_id is not null
),

scenarios as (
    select scenario_id
    from {{ read_scenarios('$scenario_paths') }}
),

final as (
    select
        lessons.lesson_id,
        lessons.scenario_id,
    from lessons
    anti join scenarios on scenarios.scenario_id = lessons.scenario_id
)

select * from final
