-- enum_distributions: the observed values of every enum column, for the gap
-- report's "undocumented enum" soft gaps (now documented in the manifest).
--
-- Produces: one row per (dataset, column, value) with its row count and
--           whether the manifest documents it.
-- Grain:    one row per observed value.
-- Inputs:   the raw_* relation of every readable dataset with an enum column.
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.values %}
{{ ('values_' ~ dataset.name ~ '_' ~ column.name) | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        {{ column.name | literal }} as column_name,
        {{ column.name | ident }}::varchar as value,
        count(*) as row_count,
        {{ column.name | ident }}::varchar in ({% for value in column.values %}{{ value | literal }}{{ ", " if not loop.last }}{% endfor %}) as documented,
    from {{ ('raw_' ~ dataset.name) | ident }}
    group by {{ column.name | ident }}
),
{%- endfor %}
{%- endfor %}

final as (
    {%- for dataset in manifest.readable() %}
    {%- set outer = loop %}
    {%- for column in dataset.columns if column.values %}
    select * from {{ ('values_' ~ dataset.name ~ '_' ~ column.name) | ident }}
    union all
    {%- endfor %}
    {%- endfor %}
    select null::varchar, null::varchar, null::varchar, null::bigint, null::boolean where false
)

select * from final
order by dataset, column_name, row_count desc, value
