-- lesson_documents: the JSON text of every lesson file (contract §4).
--
-- Grain:   one row per lesson: file_name (LSN-NNNN.json) and document.
-- Inputs:  lesson_records.
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
    from lesson_records
),

final as (
    select
        lesson_id || '.json' as file_name,
        to_json({
            'lesson_id': lesson_id,
            'scenario_id': scenario_id,
            'recorded_at': strftime(recorded_at, '%Y-%m-%dT%H:%M:%SZ'),
            'events_total': events_total,
            'events_ok': events_ok,
            'lesson': lesson,
            'tags': tags,
        })::varchar as document,
    from lessons
    order by lesson_id
)

select * from final
