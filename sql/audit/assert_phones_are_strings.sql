-- id: phones_are_strings
-- phase: decisions
-- severity: blocking
-- description: Decision D: in the normalised layer every phone is a VARCHAR '(NNN) NNN-NNNN' or NULL with its flag.
--
-- Produces: one row per normalised relation whose phone column is not a
--           string, or per row whose phone is neither formatted nor flagged.
-- Grain:    one row per (dataset, problem).
-- Inputs:   information_schema.columns and the normalised_* relations.
with

column_types as (
    select
        replace(table_name, 'normalised_', '') as dataset,
        data_type,
    from information_schema.columns
    where table_name like 'normalised_%' and column_name = 'phone'
),

wrong_types as (
    select dataset, 'phone is ' || data_type as problem, 1::bigint as row_count
    from column_types
    where data_type <> 'VARCHAR'
),

{%- for dataset in manifest.readable() if dataset.columns | selectattr('name', 'equalto', 'phone') | list %}
{{ ('unformatted_' ~ dataset.name) | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        'phone neither formatted nor flagged' as problem,
        count(*) as row_count,
    from {{ ('normalised_' ~ dataset.name) | ident }}
    where not (
        (phone is not null and regexp_full_match(phone, '\([0-9]{3}\) [0-9]{3}-[0-9]{4}') and phone_status in ('valid', 'restored_leading_zero'))
        or (phone is null and phone_status in ('invalid', 'missing'))
    )
    having count(*) > 0
),
{%- endfor %}

final as (
    select * from wrong_types
    {%- for dataset in manifest.readable() if dataset.columns | selectattr('name', 'equalto', 'phone') | list %}
    union all
    select * from {{ ('unformatted_' ~ dataset.name) | ident }}
    {%- endfor %}
)

select * from final
