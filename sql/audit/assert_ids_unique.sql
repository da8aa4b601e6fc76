-- id: ids_unique
-- phase: integrity
-- severity: blocking
-- description: Every dataset with a key has each key value once (worker_id, candidate_id, job_order_id).
--
-- Produces: one row per duplicated key value.
-- Grain:    one row per (dataset, key_value).
-- Inputs:   the raw_* relation of every readable dataset whose manifest entry has a key.
{%- set duplicated = [] %}
with

{%- for dataset in manifest.readable() if dataset.key %}
{%- set cte = 'duplicates_' ~ dataset.name %}
{%- do duplicated.append(cte) %}
{{ cte | ident }} as (
    {{ offending_duplicates(dataset.relation, dataset.key, dataset.name) | indent(4) }}
),
{%- endfor %}

final as (
    {{ union_all(duplicated, "select null::varchar as dataset, null::varchar as key_value, null::bigint as row_count where false") | indent(4) }}
)

select * from final
