-- id: ids_unique
-- phase: integrity
-- severity: blocking
-- description: Every dataset with a key has each key value once (worker_id, candidate_id, job_order_id).
--
-- Produces: one row per duplicated key value.
-- Grain:    one row per (dataset, key_value).
-- Inputs:   the raw_* relation of every readable dataset whose manifest entry has a key.
with

{%- for dataset in manifest.readable() if dataset.key %}
{{ ('duplicates_' ~ dataset.name) | ident }} as (
    {{ offending_duplicates('raw_' ~ dataset.name, dataset.key, dataset.name) | indent(4) }}
),
{%- endfor %}

final as (
    {%- for dataset in manifest.readable() if dataset.key %}
    select * from {{ ('duplicates_' ~ dataset.name) | ident }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from final
