-- id: enum_domains
-- phase: integrity
-- severity: blocking
-- description: Enum columns (candidate status, job order status, archetype) hold only the manifest's documented values.
--
-- Produces: one row per undocumented value, with how many rows hold it.
-- Grain:    one row per (dataset, column_name, value).
-- Inputs:   the raw_* relation of every readable dataset with an enum column.
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.values %}
{{ ('undocumented_' ~ dataset.name ~ '_' ~ column.name) | ident }} as (
    {{ offending_values('raw_' ~ dataset.name, column.name, dataset.name, column.values) | indent(4) }}
),
{%- endfor %}
{%- endfor %}

final as (
    select * from (values (null::varchar, null::varchar, null::varchar, null::bigint)) as none(dataset, column_name, value, row_count)
    where false
    {%- for dataset in manifest.readable() %}
    {%- for column in dataset.columns if column.values %}
    union all select * from {{ ('undocumented_' ~ dataset.name ~ '_' ~ column.name) | ident }}
    {%- endfor %}
    {%- endfor %}
)

select * from final
