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
with

{%- for dataset in manifest.readable() if dataset.columns | selectattr('name', 'equalto', 'phone') | list %}
{{ ('invalid_' ~ dataset.name) | ident }} as (
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
    {%- for dataset in manifest.readable() if dataset.columns | selectattr('name', 'equalto', 'phone') | list %}
    select * from {{ ('invalid_' ~ dataset.name) | ident }}
    {{ "union all" if not loop.last }}
    {%- endfor %}
)

select * from final
