-- fill_events: the fill ledger (decision A, contract §7).
--
-- Produces: one row per slot of every fill line of every scenario: slot i
--           (1..count) holds assigned[i] when there is one. Workers assigned
--           beyond count get no slot (the audit's assigned_within_count
--           reports them).
-- Grain:    one row per (scenario_id, fill_id, slot).
-- Inputs:   the scenario files ($scenario_paths) and lesson files
--           ($lesson_paths), read with DuckDB's JSON reader and hashed here;
--           raw_workers_500k (the roster that names a slot's worker);
--           roster_name_keys (the roster-name gate); $incident_tags (the
--           manifest's incident tags).
-- outcome:  'unfilled' when the slot has no worker; 'incident' when a lesson
--           of the same scenario with an incident tag names the slot's worker
--           in full (any form of name_forms(roster name, false), found the
--           way redact_text finds it: the lesson redacted with those forms
--           differs from the lesson redacted without them); otherwise 'filled'.
-- role:     free text a file may fill with anything ('Machine Operator (ask
--           for <name>)'): redact_text with the scenario's assigned workers'
--           forms and anyone on a roster it names in full.
-- No names: the worker appears as worker_id and worker_token (the safe
--           layer's name token). Provenance: the scenario file's path
--           (relative to the data folder) and sha256, the sha256 of each
--           lesson file of the scenario, and record_sha256, the sha256 of the
--           row's canonical JSON.
with

scenario_files as (
    select
        filename,
        file_sha256,
    from {{ read_file_hashes('$scenario_paths') }}
),

lesson_files as (
    select
        filename,
        file_sha256,
    from {{ read_file_hashes('$lesson_paths') }}
),

scenarios as (
    select
        scenario_id,
        client_id,
        plan_date,
        site,
        fills,
        filename,
    from {{ read_scenarios('$scenario_paths') }}
),

lessons as (
    select
        lesson_id,
        scenario_id,
        lesson,
        tags,
        filename,
    from {{ read_lessons('$lesson_paths') }}
),

roster as (
    select
        worker_id,
        name,
    from raw_workers_500k
),

fill_lines as (
    select
        scenarios.scenario_id,
        scenarios.client_id,
        scenarios.plan_date,
        scenarios.site,
        scenarios.filename,
        unnest(scenarios.fills) as fill,
        generate_subscripts(scenarios.fills, 1) as fill_position,
    from scenarios
),

slots as (
    select
        fill_lines.*,
        unnest(range(1, greatest(fill.count, 0) + 1)) as slot,
    from fill_lines
),

slot_workers as (
    select
        slots.*,
        fill.assigned[slot] as assignee,
    from slots
),

slot_names as (
    -- One roster name per worker_id: the planted duplicate id has two rows,
    -- and a slot must not be doubled by it.
    select
        roster.worker_id,
        min(roster.name) as roster_name,
    from roster
    where roster.worker_id in (select assignee.worker_id from slot_workers)
    group by roster.worker_id
),

scenario_lessons as (
    select
        lessons.scenario_id,
        list(lessons.lesson_id order by lessons.lesson_id) as lesson_ids,
        list(lesson_files.file_sha256 order by lessons.lesson_id) as lesson_sha256s,
    from lessons
    inner join lesson_files on lesson_files.filename = lessons.filename
    where lessons.scenario_id is not null
    group by lessons.scenario_id
),

incident_lessons as (
    select
        scenario_id,
        lesson_id,
        lesson,
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
    inner join slot_names on slot_names.worker_id = slot_workers.assignee.worker_id
    inner join incident_lessons on incident_lessons.scenario_id = slot_workers.scenario_id
    where redact_text(incident_lessons.lesson, name_forms(slot_names.roster_name, false))
        <> redact_text(incident_lessons.lesson, [])
    group by slot_workers.scenario_id, slot_workers.fill_position, slot_workers.slot
),

assigned_forms as (
    -- every part of every assigned worker's name, per scenario
    select
        scenario_id,
        list_distinct(flatten(list(name_forms(assignee.name, true)))) as forms,
    from slot_workers
    where assignee.name is not null
    group by scenario_id
),

fill_roles as (
    select distinct fill.role as role
    from fill_lines
),

role_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('fill_roles', ['role']) }}
),

events as (
    select
        slot_workers.scenario_id || '/' || slot_workers.fill.fill_id || '/' || slot_workers.slot::varchar as event_id,
        slot_workers.scenario_id,
        slot_workers.fill.fill_id as fill_id,
        slot_workers.fill_position,
        slot_workers.slot,
        slot_workers.plan_date,
        slot_workers.fill.shift_start as shift_start,
        slot_workers.fill.shift_end as shift_end,
        slot_workers.client_id,
        slot_workers.fill.job_order_id as job_order_id,
        redact_text(
            slot_workers.fill.role,
            list_concat(coalesce(assigned_forms.forms, []), coalesce(role_mentions.forms, []))
        ) as role,
        slot_workers.site.city as site_city,
        slot_workers.site.state as site_state,
        slot_workers.site.zip as site_zip,
        slot_workers.assignee.worker_id as worker_id,
        pii_token(coalesce(slot_names.roster_name, slot_workers.assignee.name), 'name') as worker_token,
        case
            when slot_workers.assignee.worker_id is null then 'unfilled'
            when slot_incidents.incident_lesson_ids is not null then 'incident'
            else 'filled'
        end as outcome,
        coalesce(scenario_lessons.lesson_ids, []::varchar[]) as lesson_ids,
        coalesce(slot_incidents.incident_lesson_ids, []::varchar[]) as incident_lesson_ids,
        substr(slot_workers.filename, length($data_dir) + 2) as source_path,
        scenario_files.file_sha256 as source_sha256,
        coalesce(scenario_lessons.lesson_sha256s, []::varchar[]) as lesson_sha256s,
    from slot_workers
    inner join scenario_files on scenario_files.filename = slot_workers.filename
    left join slot_names on slot_names.worker_id = slot_workers.assignee.worker_id
    left join assigned_forms on assigned_forms.scenario_id = slot_workers.scenario_id
    left join role_mentions on role_mentions.text = slot_workers.fill.role
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
            'plan_date': plan_date, 'shift_start': shift_start, 'shift_end': shift_end,
            'client_id': client_id, 'job_order_id': job_order_id, 'role': role,
            'site_city': site_city, 'site_state': site_state, 'site_zip': site_zip,
            'worker_id': worker_id, 'worker_token': worker_token, 'outcome': outcome,
            'lesson_ids': lesson_ids, 'incident_lesson_ids': incident_lesson_ids,
            'source_path': source_path, 'source_sha256': source_sha256, 'lesson_sha256s': lesson_sha256s
        })::varchar) as record_sha256,
    from events
    order by scenario_id, fill_position, slot
)

select * from final
