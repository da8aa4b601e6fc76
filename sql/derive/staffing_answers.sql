-- staffing_answers: the text corpus an LLM may be given (the seed's phase 3).
--
-- Produces: one row per scenario and per lesson, its text redacted through
--           the safe layer's redact_text: the scenario's assigned workers by
--           any part of their names (a lesson: its scenario's), anyone on a
--           roster named in full (roster_mentions), emails, phones and SSNs
--           become keyed tokens. Tags outside the manifest's tag list
--           ($lesson_tags) become '[other]': a tag is free text a file may
--           fill with anything.
-- Grain:    one row per source document (kind, doc_id).
-- Inputs:   the scenario files ($scenario_paths), the lesson files
--           ($lesson_paths), roster_name_keys (the roster-name gate).
-- Provenance: the source file's path (relative to the data folder) and sha256,
--           and record_sha256 over the row's canonical JSON.
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
        plan_date,
        notes,
        fills,
        filename,
    from {{ read_scenarios('$scenario_paths') }}
),

lessons as (
    select
        lesson_id,
        scenario_id,
        recorded_at,
        lesson,
        tags,
        filename,
    from {{ read_lessons('$lesson_paths') }}
),

assigned_forms as (
    -- every part of every assigned worker's name, per scenario
    select
        scenario_id,
        list_distinct(flatten(list(name_forms(assignee.name, true)))) as forms,
    from (
        select
            scenario_id,
            unnest(fill.assigned) as assignee,
        from (select scenario_id, unnest(fills) as fill from scenarios)
    )
    group by scenario_id
),

documents as (
    select
        'scenario' as kind,
        scenarios.scenario_id as doc_id,
        scenarios.scenario_id,
        scenarios.plan_date as doc_date,
        []::varchar[] as tags,
        scenarios.notes as raw_text,
        scenarios.filename,
        scenario_files.file_sha256,
    from scenarios
    inner join scenario_files on scenario_files.filename = scenarios.filename
    union all
    select
        'lesson' as kind,
        lessons.lesson_id as doc_id,
        lessons.scenario_id,
        try_cast(left(lessons.recorded_at, 10) as date) as doc_date,
        list_transform(lessons.tags, lambda tag: case when tag in $lesson_tags then tag else '[other]' end),
        lessons.lesson as raw_text,
        lessons.filename,
        lesson_files.file_sha256,
    from lessons
    inner join lesson_files on lesson_files.filename = lessons.filename
),

text_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('documents', ['raw_text']) }}
),

redacted as (
    select
        documents.kind,
        documents.doc_id,
        documents.scenario_id,
        documents.doc_date,
        documents.tags,
        redact_text(
            documents.raw_text,
            list_concat(coalesce(assigned_forms.forms, []), coalesce(text_mentions.forms, []))
        ) as text,
        substr(documents.filename, length($data_dir) + 2) as source_path,
        documents.file_sha256 as source_sha256,
    from documents
    left join assigned_forms
        on assigned_forms.scenario_id = documents.scenario_id
    left join text_mentions
        on text_mentions.text = documents.raw_text
),

final as (
    select
        kind,
        doc_id,
        scenario_id,
        doc_date,
        tags,
        text,
        source_path,
        source_sha256,
        sha256(to_json({
            'kind': kind, 'doc_id': doc_id, 'scenario_id': scenario_id, 'doc_date': doc_date,
            'tags': tags, 'text': text, 'source_path': source_path, 'source_sha256': source_sha256
        })::varchar) as record_sha256,
    from redacted
    order by kind desc, doc_id
)

select * from final
