-- fill_events: the fill ledger (decision A, contract §7).
--
-- Produces: one row per slot of every fill line of every scenario: slot i
--           (1..count) holds the line's i-th assigned worker when there is
--           one. Workers assigned beyond count get no slot (the audit's
--           assigned_within_count reports them).
-- Grain:    one row per (scenario_id, fill_id, slot).
-- Inputs:   safe relations only (contract §6): scenarios_safe,
--           scenario_fills_safe, scenario_assignments_safe, lessons_safe;
--           $incident_tags (the manifest's incident tags).
-- outcome:  'unfilled' when the slot has no worker; 'incident' when a lesson
--           of the same scenario with an incident tag names the slot's worker
--           in full (lessons_safe.named_worker_ids); otherwise 'filled'.
-- No names: the worker appears as worker_id and worker_token (the safe
--           layer's name token); role is scenario_fills_safe's, redacted.
--           Provenance: the scenario file's path (relative to the data
--           folder) and sha256, the sha256 of each lesson file of the
--           scenario, and record_sha256, the sha256 of the row's canonical
--           JSON (dates and timestamps in it as ::varchar: the same JSON on
--           DuckDB, and what Spark's to_json writes too; docs/spark-port.md).
--           slot is cast to BIGINT, which range() gives on DuckDB; Spark's
--           sequence of INTEGER bounds is INTEGER.
with

scenarios as (
    select
        scenario_id,
        client_id,
        plan_date,
        site_city,
        site_state,
        site_zip,
        source_path,
        source_sha256,
    from scenarios_safe
),

fill_lines as (
    select
        scenario_id,
        fill_position,
        fill_id,
        job_order_id,
        role,
        slot_count,
        shift_start,
        shift_end,
    from scenario_fills_safe
),

assignments as (
    select
        scenario_id,
        fill_position,
        assigned_position,
        worker_id,
        worker_token,
    from scenario_assignments_safe
),

lessons as (
    select
        lesson_id,
        scenario_id,
        tags,
        named_worker_ids,
        source_sha256,
    from lessons_safe
),

slots as (
    select
        scenario_id,
        fill_position,
        unnest(range(1, greatest(slot_count, 0) + 1)) as slot,
    from fill_lines
),

slot_workers as (
    select
        slots.scenario_id,
        slots.fill_position,
        slots.slot::bigint as slot,
        assignments.worker_id,
        assignments.worker_token,
    from slots
    left join assignments
        on assignments.scenario_id = slots.scenario_id
        and assignments.fill_position = slots.fill_position
        and assignments.assigned_position = slots.slot
),

scenario_lessons as (
    select
        scenario_id,
        list(lesson_id order by lesson_id) as lesson_ids,
        list(source_sha256 order by lesson_id) as lesson_sha256s,
    from lessons
    where scenario_id is not null
    group by scenario_id
),

incident_lessons as (
    select
        lesson_id,
        scenario_id,
        named_worker_ids,
    from lessons
    where list_has_any(tags, $incident_tags::varchar[])
),

slot_incidents as (
    select
        slot_workers.scenario_id,
        slot_workers.fill_position,
        slot_workers.slot,
        list(incident_lessons.lesson_id order by incident_lessons.lesson_id) as incident_lesson_ids,
    from slot_workers
    inner join incident_lessons
        on incident_lessons.scenario_id = slot_workers.scenario_id
        and list_contains(incident_lessons.named_worker_ids, slot_workers.worker_id)
    group by slot_workers.scenario_id, slot_workers.fill_position, slot_workers.slot
),

events as (
    select
        slot_workers.scenario_id || '/' || fill_lines.fill_id || '/' || slot_workers.slot::varchar as event_id,
        slot_workers.scenario_id,
        fill_lines.fill_id,
        slot_workers.fill_position,
        slot_workers.slot,
        scenarios.plan_date,
        fill_lines.shift_start,
        fill_lines.shift_end,
        scenarios.client_id,
        fill_lines.job_order_id,
        fill_lines.role,
        scenarios.site_city,
        scenarios.site_state,
        scenarios.site_zip,
        slot_workers.worker_id,
        slot_workers.worker_token,
        case
            when slot_workers.worker_id is null then 'unfilled'
            when slot_incidents.incident_lesson_ids is not null then 'incident'
            else 'filled'
        end as outcome,
        coalesce(scenario_lessons.lesson_ids, []::varchar[]) as lesson_ids,
        coalesce(slot_incidents.incident_lesson_ids, []::varchar[]) as incident_lesson_ids,
        scenarios.source_path,
        scenarios.source_sha256,
        coalesce(scenario_lessons.lesson_sha256s, []::varchar[]) as lesson_sha256s,
    from slot_workers
    inner join fill_lines
        on fill_lines.scenario_id = slot_workers.scenario_id
        and fill_lines.fill_position = slot_workers.fill_position
    inner join scenarios on scenarios.scenario_id = slot_workers.scenario_id
    left join scenario_lessons on scenario_lessons.scenario_id = slot_workers.scenario_id
    left join slot_incidents
        on slot_incidents.scenario_id = slot_workers.scenario_id
        and slot_incidents.fill_position = slot_workers.fill_position
        and slot_incidents.slot = slot_workers.slot
),

final as (
    select
        event_id,
        scenario_id,
        fill_id,
        slot,
        plan_date,
        shift_start,
        shift_end,
        client_id,
        job_order_id,
        role,
        site_city,
        site_state,
        site_zip,
        worker_id,
        worker_token,
        outcome,
        lesson_ids,
        incident_lesson_ids,
        source_path,
        source_sha256,
        lesson_sha256s,
        sha256(to_json({
            'event_id': event_id, 'scenario_id': scenario_id, 'fill_id': fill_id, 'slot': slot,
            'plan_date': plan_date::varchar, 'shift_start': shift_start::varchar, 'shift_end': shift_end::varchar,
            'client_id': client_id, 'job_order_id': job_order_id, 'role': role,
            'site_city': site_city, 'site_state': site_state, 'site_zip': site_zip,
            'worker_id': worker_id, 'worker_token': worker_token, 'outcome': outcome,
            'lesson_ids': lesson_ids, 'incident_lesson_ids': incident_lesson_ids,
            'source_path': source_path, 'source_sha256': source_sha256, 'lesson_sha256s': lesson_sha256s
        })::varchar) as record_sha256,
    from events
    order by scenario_id, fill_position, slot
)

select
    event_id,
    scenario_id,
    fill_id,
    slot,
    plan_date,
    shift_start,
    shift_end,
    client_id,
    job_order_id,
    role,
    site_city,
    site_state,
    site_zip,
    worker_id,
    worker_token,
    outcome,
    lesson_ids,
    incident_lesson_ids,
    source_path,
    source_sha256,
    lesson_sha256s,
    record_sha256,
from final
