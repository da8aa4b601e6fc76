-- id: ids_present
-- phase: integrity
-- severity: blocking
-- description: No key column of any dataset holds NULL.
--
-- Produces: one row per key column with NULLs, with how many and the
--           positions of the first five in the file (sample_keys, 'row N':
--           a NULL key cannot name its row).
-- Grain:    one row per (dataset, column_name).
-- Inputs:   the raw_* relation of every readable dataset whose manifest entry has a key.
{%- set null_keys = [] %}
with

{%- for dataset in manifest.readable() if dataset.key %}
{%- for column in dataset.key %}
{%- set cte = 'nulls_' ~ dataset.name ~ '_' ~ column %}
{%- do null_keys.append(cte) %}
{{ cte | ident }} as (
    {{ offending_nulls(dataset.relation, column, dataset.name) | indent(4) }}
),
{%- endfor %}
{%- endfor %}

final as (
    {{ union_all(null_keys, "select null::varchar as dataset, null::varchar as column_name, null::bigint as row_count, null::varchar[] as sample_keys where false") | indent(4) }}
)

select * from final
