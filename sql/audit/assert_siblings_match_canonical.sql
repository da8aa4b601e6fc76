-- id: siblings_match_canonical
-- phase: integrity
-- severity: blocking
-- description: workers_100k, ethereal_workers and the client roster agree with workers_500k row for row on every shared column.
--
-- Produces: one row per sibling row with no identical row in workers_500k,
--           naming the columns that differ from the workers_500k row of the
--           same worker_id (differing_columns; with several such rows, the
--           fewest differences), or 'worker_id not in workers_500k'.
-- Grain:    one row per (dataset, worker_id).
-- Inputs:   normalised_workers_500k, normalised_workers_100k,
--           normalised_ethereal_workers, normalised_client_workersi (phones
--           compared after the fixup: the roster writes them as strings).
-- Each canonical relation is read once, for the worker_ids its siblings
-- hold (canonical_<dataset>): a row with another id cannot match, so the
-- except's hash table is the size of the siblings, not of the canonical
-- file. Read by several CTEs, canonical_<dataset> is materialized once,
-- sibling-sized; reading the canonical view itself from several places made
-- DuckDB materialize all of it, texts included (at scale 10 that copy
-- spilled to disk). The differing columns are computed for the unmatched
-- rows only.
{%- set siblings = manifest.readable() | selectattr('sibling_of') | list %}
{%- set differences = [] %}
with

{%- for canonical_name in siblings | map(attribute='sibling_of') | unique %}
{%- set canonical = manifest.dataset(canonical_name) %}
{{ ('canonical_' ~ canonical.name) | ident }} as (
    select {{ canonical.columns | map(attribute='name') | list | ident_list }}
    from {{ canonical.normalised_relation | ident }}
    where worker_id in (
        {%- for sibling in siblings if sibling.sibling_of == canonical.name %}
        select worker_id from {{ sibling.normalised_relation | ident }}{{ ' union all' if not loop.last }}
        {%- endfor %}
    )
),
{%- endfor %}

{%- for sibling in siblings %}
{%- set canonical = manifest.dataset(sibling.sibling_of) %}
{%- set columns = sibling.columns | map(attribute='name') | list %}
{%- set relation = sibling.normalised_relation %}
{{ ('unmatched_' ~ sibling.name) | ident }} as (
    select {{ columns | ident_list }} from {{ relation | ident }}
    except
    select {{ columns | ident_list }} from {{ ('canonical_' ~ canonical.name) | ident }}
),

{%- set cte = 'differences_' ~ sibling.name %}
{%- do differences.append(cte) %}
{{ cte | ident }} as (
    select
        {{ sibling.name | literal }} as dataset,
        sibling.worker_id,
        case when canonical.worker_id is null then {{ ('worker_id not in ' ~ canonical.name) | literal }} else 'row differs' end as problem,
        list_filter([
            {%- for column in columns if column != 'worker_id' %}
            case when sibling.{{ column | ident }} is distinct from canonical.{{ column | ident }} then {{ column | literal }} end,
            {%- endfor %}
        ], name -> name is not null) as differing_columns,
    from {{ ('unmatched_' ~ sibling.name) | ident }} as sibling
    left join {{ ('canonical_' ~ canonical.name) | ident }} as canonical on canonical.worker_id = sibling.worker_id
),
{%- endfor %}

fewest_differences as (
    select
        dataset,
        worker_id,
        problem,
        differing_columns,
    from (
        {{ union_all(differences, "select null::varchar as dataset, null::bigint as worker_id, null::varchar as problem, []::varchar[] as differing_columns where false") | indent(8) }}
    ) as differences
    qualify row_number() over (
        partition by dataset, worker_id
        order by len(differing_columns), differing_columns
    ) = 1
),

final as (
    select
        dataset,
        worker_id,
        problem,
        case when problem = 'row differs' then differing_columns end as differing_columns,
    from fewest_differences
)

select * from final
