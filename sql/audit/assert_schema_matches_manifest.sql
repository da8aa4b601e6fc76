-- id: schema_matches_manifest
-- phase: schema
-- severity: blocking
-- description: Every raw parquet file has exactly the manifest's columns with the manifest's DuckDB types.
--
-- Produces: one row per column that is missing, unexpected or of another
--           type, naming the dataset and its file.
-- Grain:    one row per (dataset, column_name).
-- Inputs:   manifest.toml (rendered), information_schema.columns of the raw_*
--           and excluded_* relations the runner registers over the files.
-- The start-up gate refuses the same drift before anything is built; this
-- check records the evidence in the ledger on every run.
{%- set declared = [] %}
with

{%- for dataset in manifest.datasets %}
{%- set cte = 'declared_' ~ dataset.name %}
{%- do declared.append(cte) %}
{{ cte | ident }} as (
    select
        {{ dataset.name | literal }} as dataset,
        {{ ('datasets/' ~ dataset.file) | literal }} as file,
        {{ dataset.relation | literal }} as relation,
        column_name,
        expected_type,
    from (values
        {%- for column in dataset.columns %}
        ({{ column.name | literal }}, {{ column.type | literal }}){{ "," if not loop.last }}
        {%- endfor %}
    ) as columns (column_name, expected_type)
),
{%- endfor %}

expected as (
    {{ union_all(declared, "select null::varchar as dataset, null::varchar as file, null::varchar as relation, null::varchar as column_name, null::varchar as expected_type where false") | indent(4) }}
),

relations as (
    select distinct
        dataset,
        file,
        relation,
    from expected
),

actual as (
    select
        table_name as relation,
        column_name,
        data_type as actual_type,
    from information_schema.columns
    where table_name in (select relation from relations)
),

compared as (
    select
        coalesce(expected.relation, actual.relation) as relation,
        coalesce(expected.column_name, actual.column_name) as column_name,
        expected.expected_type,
        actual.actual_type,
        case
            when actual.column_name is null then 'missing'
            when expected.column_name is null then 'not in manifest'
            else 'type differs'
        end as problem,
    from expected
    full outer join actual
        on actual.relation = expected.relation
        and actual.column_name = expected.column_name
    where actual.column_name is null
        or expected.column_name is null
        or actual.actual_type <> expected.expected_type
),

final as (
    select
        relations.dataset,
        relations.file,
        compared.column_name,
        compared.expected_type,
        compared.actual_type,
        compared.problem,
    from compared
    inner join relations on relations.relation = compared.relation
)

select * from final
