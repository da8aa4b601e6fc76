-- id: enum_domains
-- phase: integrity
-- severity: blocking
-- description: Enum columns (candidate status, job order status, archetype) hold only the manifest's documented values.
--
-- Produces: one row per undocumented value, with how many rows hold it and
--           the keys of the first five (sample_keys: worker_id,
--           candidate_id or job_order_id; 'row N' in a dataset without a key).
-- Grain:    one row per (dataset, column_name, value).
-- Inputs:   the raw_* relation of every readable dataset with an enum column.
{%- set undocumented = [] %}
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.values %}
{%- set cte = 'undocumented_' ~ dataset.name ~ '_' ~ column.name %}
{%- do undocumented.append(cte) %}
{{ cte | ident }} as (
    {{ offending_values(dataset.relation, column.name, dataset.name, column.values, dataset.key) | indent(4) }}
),
{%- endfor %}
{%- endfor %}

final as (
    {{ union_all(undocumented, "select null::varchar as dataset, null::varchar as column_name, null::varchar as value, null::bigint as row_count, null::varchar[] as sample_keys where false") | indent(4) }}
)

select * from final
