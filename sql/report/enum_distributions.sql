-- enum_distributions: the observed values of every enum column, for the gap
-- report's "undocumented enum" soft gaps (now documented in the manifest).
--
-- Produces: one row per (dataset, column, value) with its row count and
--           whether the manifest documents it.
-- Grain:    one row per observed value.
-- Inputs:   the raw_* relation of every readable dataset with an enum column.
{%- set distributions = [] %}
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.values %}
{%- set cte = 'values_' ~ dataset.name ~ '_' ~ column.name %}
{%- do distributions.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        {{ column.name | literal }} as column_name,
        {{ column.name | ident }}::varchar as value,
        count(*) as row_count,
        {{ column.name | ident }}::varchar in ({% for value in column.values %}{{ value | literal }}{{ ", " if not loop.last }}{% endfor %}) as documented,
    from {{ dataset.relation | ident }}
    group by {{ column.name | ident }}
),
{%- endfor %}
{%- endfor %}

final as (
    {{ union_all(distributions, "select null::varchar as dataset, null::varchar as column_name, null::varchar as value, null::bigint as row_count, null::boolean as documented where false") | indent(4) }}
)

select * from final
order by dataset, column_name, row_count desc, value
