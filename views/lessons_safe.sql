-- lessons_safe: the lesson retrospectives, PII masked (contract §6).
--
-- Produces: one row per lesson: its text redacted, its tags within the
--           manifest's tag list, the assigned workers of its scenario that
--           it names in full (for fill_events' 'incident' outcome), and the
--           file's provenance (path relative to the data folder, sha256).
-- Grain:    one row per lesson_id.
-- Inputs:   raw_lessons, raw_scenario_assignments (the workers of each
--           lesson's scenario), raw_workers_500k (their roster names),
--           roster_name_keys, $lesson_tags (the manifest's incident and
--           other tags).
-- Masking:  lesson -> redact_text with every part of its scenario's assigned
--           workers' names (contract §6) and the full-name forms of anyone on
--           a roster it names; tags -> values_in($lesson_tags): a tag outside
--           the list becomes '[other]'; named_worker_ids holds worker_ids
--           only: the lesson names the worker when redacting it with the
--           worker's full-name forms changes it.
with

lessons as (
    select
        lesson_id,
        scenario_id,
        recorded_at,
        events_total,
        events_ok,
        lesson,
        tags,
        source_path,
        source_sha256,
    from raw_lessons
),

assignments as (
    select
        scenario_id,
        worker_id,
        name,
    from raw_scenario_assignments
),

roster as (
    select
        worker_id,
        name,
    from raw_workers_500k
),

assigned_forms as (
    select
        scenario_id,
        forms,
    from {{ assigned_name_forms() }}
),

assigned_workers as (
    -- each assigned worker once per scenario, with the roster's name for them
    select
        assignments.scenario_id,
        assignments.worker_id,
        min(coalesce(roster.name, assignments.name)) as roster_name,
    from assignments
    left join roster on roster.worker_id = assignments.worker_id
    where assignments.worker_id is not null
    group by assignments.scenario_id, assignments.worker_id
),

named_workers as (
    select
        lessons.lesson_id,
        list(assigned_workers.worker_id order by assigned_workers.worker_id) as named_worker_ids,
    from lessons
    inner join assigned_workers on assigned_workers.scenario_id = lessons.scenario_id
    where redact_text(lessons.lesson, name_forms(assigned_workers.roster_name, false))
        <> redact_text(lessons.lesson, [])
    group by lessons.lesson_id
),

lesson_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('lessons', ['lesson']) }}
),

final as (
    select
        lessons.lesson_id,
        lessons.scenario_id,
        lessons.recorded_at,
        lessons.events_total,
        lessons.events_ok,
        redact_text(
            lessons.lesson,
            list_concat(coalesce(assigned_forms.forms, []), coalesce(lesson_mentions.forms, []))
        ) as lesson,
        values_in(lessons.tags, $lesson_tags::varchar[]) as tags,
        coalesce(named_workers.named_worker_ids, []::bigint[]) as named_worker_ids,
        lessons.source_path,
        lessons.source_sha256,
    from lessons
    left join assigned_forms on assigned_forms.scenario_id = lessons.scenario_id
    left join lesson_mentions on lesson_mentions.text = lessons.lesson
    left join named_workers on named_workers.lesson_id = lessons.lesson_id
    order by lessons.lesson_id
)

select
    lesson_id,
    scenario_id,
    recorded_at,
    events_total,
    events_ok,
    lesson,
    tags,
    named_worker_ids,
    source_path,
    source_sha256,
from final
