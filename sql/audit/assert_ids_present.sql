-- id: ids_present
-- phase: integrity
-- severity: blocking
-- description: No key column of any dataset holds NULL.
--
-- Produces: one row per key column with NULLs, with how many.
-- Grain:    one row per (dataset, column_name).
-- Inputs:   the raw_* relation of every readable dataset whose manifest entry has a key.
with

{%- for dataset in manifest.readable() if dataset.key %}
{%- for column in dataset.key %}
{{ ('nulls_' ~ dataset.name ~ '_' ~ column) | ident }} as (
    {{ offending_nulls('raw_' ~ dataset.name, column, dataset.name) | indent(4) }}
),
{%- endfor %}
{%- endfor %}

final as (
    {%- for dataset in manifest.readable() if dataset.key %}
    {%- set outer = loop %}
    {%- for column in dataset.key %}
    select * from {{ ('nulls_' ~ dataset.name ~ '_' ~ column) | ident }}
    {{ "union all" if not (loop.last and outer.last) }}
    {%- endfor %}
    {%- endfor %}
)

select * from final
