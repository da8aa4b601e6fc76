-- id: phones_valid
-- phase: normalisation
-- severity: soft
-- description: After the phone fixup every phone is a valid NANP number (NNN) NNN-NNNN; the rest are flagged, never guessed.
--
-- Produces: one row per row whose phone is flagged: 'invalid' (no ten-digit
--           number) or 'invalid_area_code' (an area code starting with 0 or
--           1, as every restored 9-digit integer has: contract §5 D).
-- Grain:    one row per (dataset, row_key).
-- Inputs:   the normalised_* relation of every dataset with a phone column.
-- A soft finding: the contract expects some numbers that cannot be valid.
-- Valid is the safe views' phone_valid (phone_is_valid); a missing phone is
-- not flagged here.
-- row_key is the dataset's key, or 'row N' (its position in the file) when
-- it has none.
{%- set invalid_phones = [] %}
with

{%- for dataset in manifest.phone_datasets() %}
{%- set cte = 'invalid_' ~ dataset.name %}
{%- do invalid_phones.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        row_key,
        phone_status,
    from (
        {{ keyed_rows(dataset.normalised_relation, dataset.key) | indent(8) }}
    ) as keyed
    where not phone_is_valid(phone_status) and phone_status <> 'missing'
),
{%- endfor %}

final as (
    {{ union_all(invalid_phones, "select null::varchar as dataset, null::varchar as row_key, null::varchar as phone_status where false") | indent(4) }}
)

select * from final
