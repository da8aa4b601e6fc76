-- normalised_<dataset>: decision D, the phone fixup (contract §5 D).
--
-- Produces: the dataset's rows with every manifest column unchanged except
--           phone, which becomes VARCHAR '(NNN) NNN-NNNN' or NULL, plus
--           phone_status: valid | invalid_area_code | invalid | missing
--           (only 'valid' is a NANP number; see macros/duckdb/phone_status.sql).
-- Grain:    one row per row of the raw file, in file order.
-- Inputs:   {{ source_relation }} (a raw parquet file, read-only).
-- Rules:    a BIGINT phone lost its leading zero when the source number began
--           with 0; 9 digits there are restored to 10 (documented, not a
--           guess), and flagged: their area code starts with 0, which NANP
--           never assigns. A phone string is never padded. Anything else
--           that is no number (not ten digits, area code 000, an exchange
--           starting with 0 or 1) becomes NULL, flagged 'invalid'; nothing
--           is guessed.
{%- set restore = 'true' if dataset.column('phone').type == 'BIGINT' else 'false' %}
with

source as (
    select
        {%- for column in dataset.columns %}
        {{ column.name | ident }},
        {%- endfor %}
    from {{ source_relation | ident }}
),

final as (
    select
        {%- for column in dataset.columns %}
        {%- if column.name == 'phone' %}
        normalize_phone(phone, restore_leading_zero := {{ restore }}) as phone,
        phone_status(phone, restore_leading_zero := {{ restore }}) as phone_status,
        {%- else %}
        {{ column.name | ident }},
        {%- endif %}
        {%- endfor %}
    from source
)

select * from final
