{#-
  scenario_fill_lines(paths) -> a table expression (scenario_id VARCHAR, fill_position BIGINT, fill STRUCT)

  Every fill line of the scenario files (read_scenarios(paths)), one row per
  entry of a file's fills list, numbered 1, 2, ... by its position in that
  list (fill_id is free text a file may repeat, so the position is the key).
  fill is the line as read, its assigned list included. The numbering is
  unnest(generate_series(1, len(list))) then list[position]: the same as
  generate_subscripts, written so that it ports to Spark. raw_scenario_fills
  and raw_scenario_assignments both start here, so they number the lines
  alike.
    fill_lines as (select scenario_id, fill_position, fill from {{ scenario_fill_lines('$scenario_paths') }})
-#}
{% macro scenario_fill_lines(paths) -%}
(
    select
        scenario_id,
        fill_position::bigint as fill_position,
        fills[fill_position] as fill,
    from (
        select
            scenario_id,
            fills,
            unnest(generate_series(1, len(fills))) as fill_position,
        from {{ read_scenarios(paths) }}
    )
)
{%- endmacro %}
