{#-
  read_scenarios(paths) -> a table expression over scenario files

  DuckDB's JSON reader with the contract's §4 scenario shape spelled out, so
  every reader agrees on types; one row per file, plus its filename.
  paths is SQL text, normally the parameter '$scenario_paths'.
    select scenario_id, fills from {{ read_scenarios('$scenario_paths') }}
-#}
{% macro read_scenarios(paths) -%}
read_json(
    {{ paths }},
    format = 'auto',
    filename = true,
    columns = {
        scenario_id: 'VARCHAR', client_id: 'VARCHAR', plan_date: 'DATE', created_at: 'VARCHAR',
        site: 'STRUCT(city VARCHAR, state VARCHAR, zip VARCHAR)',
        fills: 'STRUCT(fill_id VARCHAR, job_order_id VARCHAR, role VARCHAR, count INTEGER, shift_start TIMESTAMP, shift_end TIMESTAMP, assigned STRUCT(worker_id BIGINT, name VARCHAR)[])[]',
        notes: 'VARCHAR'
    }
)
{%- endmacro %}
