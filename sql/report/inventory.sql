-- inventory: the facts the gap report states about each raw dataset.
--
-- Produces: one row per readable or excluded dataset: its row count and, for
--           the columns the soft gaps are about, what the data shows.
-- Grain:    one row per dataset.
-- Inputs:   the raw_* and excluded_* relations (every manifest dataset).
with

{%- for dataset in manifest.datasets %}
{{ ('counted_' ~ dataset.name) | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        count(*) as row_count,
    from {{ dataset.relation | ident }}
),
{%- endfor %}

final as (
    {%- for dataset in manifest.datasets %}
    select * from {{ ('counted_' ~ dataset.name) | ident }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from final
