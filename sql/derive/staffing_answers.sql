-- staffing_answers: the text corpus an LLM may be given (the seed's phase 3).
--
-- Produces: one row per scenario and per lesson, its text as the safe layer
--           redacted it (scenarios_safe.notes, lessons_safe.lesson: the
--           scenario's assigned workers by any part of their names, anyone on
--           a roster named in full, emails, phones and SSNs are keyed
--           tokens), tags within the manifest's list.
-- Grain:    one row per source document (kind, doc_id).
-- Inputs:   safe relations only (contract §6): scenarios_safe, lessons_safe.
-- Provenance: the source file's path (relative to the data folder) and sha256,
--           and record_sha256 over the row's canonical JSON (doc_date in it
--           as ::varchar: the same JSON on DuckDB and on Spark).
with

scenarios as (
    select
        scenario_id,
        plan_date,
        notes,
        source_path,
        source_sha256,
    from scenarios_safe
),

lessons as (
    select
        lesson_id,
        scenario_id,
        recorded_at,
        lesson,
        tags,
        source_path,
        source_sha256,
    from lessons_safe
),

documents as (
    select
        'scenario' as kind,
        scenario_id as doc_id,
        scenario_id,
        plan_date as doc_date,
        []::varchar[] as tags,
        notes as text,
        source_path,
        source_sha256,
    from scenarios
    union all
    select
        'lesson' as kind,
        lesson_id as doc_id,
        scenario_id,
        try_cast(left(recorded_at, 10) as date) as doc_date,
        tags,
        lesson as text,
        source_path,
        source_sha256,
    from lessons
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
            'kind': kind, 'doc_id': doc_id, 'scenario_id': scenario_id, 'doc_date': doc_date::varchar,
            'tags': tags, 'text': text, 'source_path': source_path, 'source_sha256': source_sha256
        })::varchar) as record_sha256,
    from documents
    order by kind desc, doc_id
)

select
    kind,
    doc_id,
    scenario_id,
    doc_date,
    tags,
    text,
    source_path,
    source_sha256,
    record_sha256,
from final
