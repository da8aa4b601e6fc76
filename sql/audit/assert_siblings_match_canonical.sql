-- id: siblings_match_canonical
-- phase: integrity
-- severity: blocking
-- description: workers_100k, ethereal_workers and the client roster agree with workers_500k row for row on every shared column.
--
-- Produces: one row per sibling row with no identical row in workers_500k.
-- Grain:    one row per (dataset, worker_id).
-- Inputs:   normalised_workers_500k, normalised_workers_100k,
--           normalised_ethereal_workers, normalised_client_workersi (phones
--           compared after the fixup: the roster writes them as strings).
-- Only the workers_500k rows whose worker_id the sibling holds take part in
-- each except: a row with another id cannot match, and leaving it out keeps
-- the except's hash table the size of the sibling, not of workers_500k (at
-- scale 10 the whole canonical file, texts included, would spill to disk).
{%- set worker_columns = manifest.dataset('workers_500k').columns | map(attribute='name') | list %}
{%- set roster_columns = manifest.dataset('client_workersi').columns | map(attribute='name') | list %}
with

{%- for sibling in ['workers_100k', 'ethereal_workers'] %}
{{ ('unmatched_' ~ sibling) | ident }} as (
    select
        {{ sibling | literal }} as dataset,
        worker_id,
    from (
        select {{ worker_columns | ident_list }} from {{ ('normalised_' ~ sibling) | ident }}
        except
        select {{ worker_columns | ident_list }} from normalised_workers_500k
        where worker_id in (select worker_id from {{ ('normalised_' ~ sibling) | ident }})
    )
),
{%- endfor %}

unmatched_client_workersi as (
    select
        'client_workersi' as dataset,
        worker_id,
    from (
        select {{ roster_columns | ident_list }} from normalised_client_workersi
        except
        select {{ roster_columns | ident_list }} from normalised_workers_500k
        where worker_id in (select worker_id from normalised_client_workersi)
    )
),

final as (
    select * from unmatched_workers_100k
    union all
    select * from unmatched_ethereal_workers
    union all
    select * from unmatched_client_workersi
)

select * from final
