-- id: phones_are_strings
-- phase: decisions
-- severity: blocking
-- description: Decision D: in the normalised layer every phone is a VARCHAR '(NNN) NNN-NNNN' with its status, or NULL with its flag.
--
-- Produces: one row per normalised relation whose phone column is not a
--           string, and one per dataset with rows whose phone is neither
--           formatted nor flagged, with how many and the keys of the first
--           five (sample_keys: the dataset's key, or 'row N').
-- Grain:    one row per (dataset, problem).
-- Inputs:   information_schema.columns and the normalised_* relations.
-- A formatted phone is 'valid' or 'invalid_area_code' (kept, flagged); a
-- NULL one is 'invalid' or 'missing' (see macros/duckdb/phone_status.sql).
{%- set problems = ['wrong_types'] %}
with

column_types as (
    select
        replace(table_name, 'normalised_', '') as dataset,
        data_type,
    from information_schema.columns
    where table_name like 'normalised_%' and column_name = 'phone'
),

wrong_types as (
    select
        dataset,
        'phone is ' || data_type as problem,
        1::bigint as row_count,
        []::varchar[] as sample_keys,
    from column_types
    where data_type <> 'VARCHAR'
),

{%- for dataset in manifest.phone_datasets() %}
{%- set cte = 'unformatted_' ~ dataset.name %}
{%- do problems.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        'phone neither formatted nor flagged' as problem,
        count(*) as row_count,
        list(row_key order by row_order)[1:5] as sample_keys,
    from (
        {{ keyed_rows(dataset.normalised_relation, dataset.key) | indent(8) }}
    ) as keyed
    where not coalesce(
        (phone is not null and regexp_full_match(phone::varchar, '\([0-9]{3}\) [0-9]{3}-[0-9]{4}') and phone_status in ('valid', 'invalid_area_code'))
        or (phone is null and phone_status in ('invalid', 'missing')),
        false
    )
    having count(*) > 0
),
{%- endfor %}

final as (
    {{ union_all(problems, "select null::varchar as dataset, null::varchar as problem, null::bigint as row_count, []::varchar[] as sample_keys where false") | indent(4) }}
)

select * from final
