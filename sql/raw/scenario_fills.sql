-- raw_scenario_fills: the fill lines of every scenario file, as read.
--
-- Produces: one row per fill line, numbered by its position in the file's
--           fills list (fill_id is free text a file may repeat).
-- Grain:    one row per (scenario_id, fill_position).
-- Inputs:   $scenario_paths (read_scenarios).
-- Positions: unnest(generate_series(1, len(list))), then list[position]: the
-- same numbering as generate_subscripts, written so that it ports to Spark.
-- Holds PII (role is a free string): a temp table for one run, read only by
-- views/scenario_fills_safe.sql.
with

scenarios as (
    select
        scenario_id,
        fills,
    from {{ read_scenarios('$scenario_paths') }}
),

fill_positions as (
    select
        scenario_id,
        fills,
        unnest(generate_series(1, len(fills))) as fill_position,
    from scenarios
),

fill_lines as (
    select
        scenario_id,
        fill_position::bigint as fill_position,
        fills[fill_position] as fill,
    from fill_positions
),

final as (
    select
        scenario_id,
        fill_position,
        fill.fill_id as fill_id,
        fill.job_order_id as job_order_id,
        fill.role as role,
        fill.count as slot_count,
        fill.shift_start as shift_start,
        fill.shift_end as shift_end,
    from fill_lines
)

select
    scenario_id,
    fill_position,
    fill_id,
    job_order_id,
    role,
    slot_count,
    shift_start,
    shift_end,
from final
order by scenario_id, fill_position
