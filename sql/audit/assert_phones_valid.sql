-- id: phones_valid
-- phase: normalisation
-- severity: soft
-- description: After the phone fixup every phone is a valid (NNN) NNN-NNNN number; the rest are flagged, never guessed.
--
-- Produces: one row per row whose phone could not be normalised.
-- Grain:    one row per (dataset, row_key).
-- Inputs:   the normalised_* relation of every dataset with a phone column.
-- A soft finding: the contract expects some numbers that cannot be valid.
-- row_key is the dataset's key, or the row's position when it has none.
{%- set invalid_phones = [] %}
with

{%- for dataset in manifest.readable() if dataset.columns | selectattr('name', 'equalto', 'phone') | list %}
{%- set cte = 'invalid_' ~ dataset.name %}
{%- do invalid_phones.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        {% if dataset.key %}{{ dataset.key[0] | ident }}::varchar{% else %}'row ' || row_number::varchar{% endif %} as row_key,
        phone_status,
    from (
        select *, row_number() over () as row_number
        from {{ ('normalised_' ~ dataset.name) | ident }}
    )
    where phone_status = 'invalid'
),
{%- endfor %}

final as (
    {{ union_all(invalid_phones, "select null::varchar as dataset, null::varchar as row_key, null::varchar as phone_status where false") | indent(4) }}
)

select * from final
