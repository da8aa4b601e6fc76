-- raw_scenario_fills: the fill lines of every scenario file, as read.
--
-- Produces: one row per fill line, numbered by its position in the file's
--           fills list (fill_id is free text a file may repeat).
-- Grain:    one row per (scenario_id, fill_position).
-- Inputs:   $scenario_paths (scenario_fill_lines: read_scenarios, each line
--           numbered by its position).
-- Holds PII (role is a free string): a temp table for one run, read only by
-- views/scenario_fills_safe.sql.
with

fill_lines as (
    select
        scenario_id,
        fill_position,
        fill,
    from {{ scenario_fill_lines('$scenario_paths') }}
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
