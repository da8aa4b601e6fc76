{#-
  read_lessons(paths) -> a table expression over lesson files

  DuckDB's JSON reader with the contract's §4 lesson shape spelled out; one
  row per file, plus its filename. paths is SQL text, normally '$lesson_paths'.
    select lesson_id, tags from {{ read_lessons('$lesson_paths') }}
-#}
{% macro read_lessons(paths) -%}
read_json(
    {{ paths }},
    format = 'auto',
    filename = true,
    columns = {
        lesson_id: 'VARCHAR', scenario_id: 'VARCHAR', recorded_at: 'VARCHAR',
        events_total: 'INTEGER', events_ok: 'INTEGER', lesson: 'VARCHAR', tags: 'VARCHAR[]'
    }
)
{%- endmacro %}
