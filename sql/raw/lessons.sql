-- raw_lessons: the lesson files (contract §4), one row per file, as read.
--
-- Produces: the lesson's fields and the file's provenance (path relative to
--           the data folder, sha256).
-- Grain:    one row per lesson file (lesson_id is unique: the gate checks).
-- Inputs:   $lesson_paths (read_lessons, the contract's types), $data_dir.
-- Holds PII (lesson text, tags are free strings): a temp table for one run,
-- read only by views/lessons_safe.sql.
with

files as (
    select
        filename,
        file_sha256,
    from {{ read_file_hashes('$lesson_paths') }}
),

lessons as (
    select
        lesson_id,
        scenario_id,
        recorded_at,
        events_total,
        events_ok,
        lesson,
        tags,
        filename,
    from {{ read_lessons('$lesson_paths') }}
),

final as (
    select
        lessons.lesson_id,
        lessons.scenario_id,
        lessons.recorded_at,
        lessons.events_total,
        lessons.events_ok,
        lessons.lesson,
        lessons.tags,
        substr(lessons.filename, length($data_dir) + 2) as source_path,
        files.file_sha256 as source_sha256,
    from lessons
    inner join files on files.filename = lessons.filename
)

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
from final
order by lesson_id
