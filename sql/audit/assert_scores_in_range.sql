-- id: scores_in_range
-- phase: integrity
-- severity: blocking
-- description: Every score column (reliability, responsiveness, engagement, compliance, availability) lies in its manifest range [0,1].
--
-- Produces: one row per out-of-range score.
-- Grain:    one row per (dataset, worker_id, column_name).
-- Inputs:   the raw_* relation of every readable dataset with a ranged column.
{%- set out_of_range = [] %}
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.range %}
{%- set cte = 'out_of_range_' ~ dataset.name ~ '_' ~ column.name %}
{%- do out_of_range.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        worker_id,
        {{ column.name | literal }} as column_name,
        {{ column.name | ident }} as value,
    from {{ dataset.relation | ident }}
    where {{ column.name | ident }} is null
        or {{ column.name | ident }} not between {{ column.range[0] }} and {{ column.range[1] }}
),
{%- endfor %}
{%- endfor %}

final as (
    {{ union_all(out_of_range, "select null::varchar as dataset, null::bigint as worker_id, null::varchar as column_name, null::double as value where false") | indent(4) }}
)

select * from final
