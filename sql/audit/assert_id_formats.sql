-- id: id_formats
-- phase: integrity
-- severity: blocking
-- description: Id and code columns match the manifest's pattern (CAND-NNNNN, JO-NNNNNN, CLI-NNNNN, state, zip).
--
-- Produces: one row per value that does not match, with the file it is in,
--           how many rows hold it and the keys of the first five
--           (sample_keys: for a key column the value itself; 'row N' in a
--           dataset without a key).
-- Grain:    one row per (dataset, column_name, value).
-- Inputs:   the raw_* relation of every readable dataset with a patterned column.
-- Values shown are codes, never personal data (no PII column has a pattern).
{%- set mismatches = [] %}
with

{%- for dataset in manifest.readable() %}
{%- for column in dataset.columns if column.pattern %}
{%- set cte = 'bad_' ~ dataset.name ~ '_' ~ column.name %}
{%- do mismatches.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        {{ ('datasets/' ~ dataset.file) | literal }} as file,
        {{ column.name | literal }} as column_name,
        {{ column.name | ident }}::varchar as value,
        count(*) as row_count,
        list(row_key order by row_order)[1:5] as sample_keys,
    from (
        {{ keyed_rows(dataset.relation, dataset.key) | indent(8) }}
    ) as keyed
    where not coalesce(regexp_matches({{ column.name | ident }}::varchar, {{ column.pattern | literal }}), false)
    group by {{ column.name | ident }}
),
{%- endfor %}
{%- endfor %}

final as (
    {{ union_all(mismatches, "select null::varchar as dataset, null::varchar as file, null::varchar as column_name, null::varchar as value, null::bigint as row_count, null::varchar[] as sample_keys where false") | indent(4) }}
)

select * from final
