-- id: id_formats
-- phase: integrity
-- severity: blocking
-- description: Id and code columns match the manifest's pattern (CAND-NNNNN, JO-NNNNNN, CLI-NNNNN, state, zip).
--
-- Produces: one row per value that does not match, with how many rows hold it.
-- Grain:    one row per (dataset, column_name, value).
-- Inputs:   the raw_* relation of every readable dataset with a patterned column.
-- Values shown are codes, never personal data (no PII column has a pattern).
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.pattern %}
{{ ('bad_' ~ dataset.name ~ '_' ~ column.name) | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        {{ column.name | literal }} as column_name,
        {{ column.name | ident }}::varchar as value,
        count(*) as row_count,
    from {{ ('raw_' ~ dataset.name) | ident }}
    where not coalesce(regexp_matches({{ column.name | ident }}::varchar, {{ column.pattern | literal }}), false)
    group by {{ column.name | ident }}
),
{%- endfor %}
{%- endfor %}

final as (
    select * from (values (null::varchar, null::varchar, null::varchar, null::bigint)) as none(dataset, column_name, value, row_count)
    where false
    {%- for dataset in manifest.readable() %}
    {%- for column in dataset.columns if column.pattern %}
    union all select * from {{ ('bad_' ~ dataset.name ~ '_' ~ column.name) | ident }}
    {%- endfor %}
    {%- endfor %}
)

select * from final
