-- inventory: the facts the gap report states about each raw dataset.
--
-- Produces: one row per readable or excluded dataset: its row count and, for
--           the columns the soft gaps are about, what the data shows.
-- Grain:    one row per dataset.
-- Inputs:   the raw_* and excluded_* relations (every manifest dataset).
{%- set counted = [] %}
with

{%- for dataset in manifest.datasets %}
{%- set cte = 'counted_' ~ dataset.name %}
{%- do counted.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        count(*) as row_count,
    from {{ dataset.relation | ident }}
),
{%- endfor %}

final as (
    {{ union_all(counted, "select null::varchar as dataset, null::bigint as row_count where false") | indent(4) }}
)

select * from final
