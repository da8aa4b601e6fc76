-- staffing_answers: the text corpus an LLM may be given (the seed's phase 3).
--
-- Produces: one row per scenario and per lesson, its text redacted through
--           the safe layer: names of every roster worker the text mentions,
--           emails, phones and SSNs become keyed tokens.
-- Grain:    one row per source document (kind, doc_id).
-- Inputs:   the scenario files ($scenario_paths), the lesson files
--           ($lesson_paths), raw_workers_500k (the roster whose names are
--           looked for in the text).
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

roster_names as (
    select distinct name
    from raw_workers_500k
    where name is not null
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
        lessons.tags,
        lessons.lesson as raw_text,
        lessons.filename,
        lesson_files.file_sha256,
    from lessons
    inner join lesson_files on lesson_files.filename = lessons.filename
),

mentioned_names as (
    -- A cheap containment test first; redact_text then matches whole words.
    select
        documents.kind,
        documents.doc_id,
        list(roster_names.name order by length(roster_names.name) desc, roster_names.name) as names,
    from documents
    inner join roster_names on contains(lower(documents.raw_text), lower(roster_names.name))
    group by documents.kind, documents.doc_id
),

redacted as (
    select
        documents.kind,
        documents.doc_id,
        documents.scenario_id,
        documents.doc_date,
        documents.tags,
        redact_text(documents.raw_text, coalesce(mentioned_names.names, []::varchar[])) as text,
        substr(documents.filename, length($data_dir) + 2) as source_path,
        documents.file_sha256 as source_sha256,
    from documents
    left join mentioned_names
        on mentioned_names.kind = documents.kind
        and mentioned_names.doc_id = documents.doc_id
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
