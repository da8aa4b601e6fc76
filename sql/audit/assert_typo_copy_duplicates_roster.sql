-- id: typo_copy_duplicates_roster
-- phase: decisions
-- severity: blocking
-- description: Decision C: client_workerskjkk.parquet (excluded, read by nothing else) holds exactly client_workersi's rows.
--
-- Produces: one row per row found in one file and not the other (with multiplicity).
-- Grain:    one row per (side, worker_id) difference.
-- Inputs:   excluded_client_workerskjkk (registered only for this check),
--           raw_client_workersi.
{%- set roster_columns = manifest.dataset('client_workersi').columns | map(attribute='name') | list %}
with

only_in_typo_copy as (
    select
        'only in client_workerskjkk' as side,
        worker_id,
    from (
        select {{ roster_columns | ident_list }} from excluded_client_workerskjkk
        except all
        select {{ roster_columns | ident_list }} from raw_client_workersi
    )
),

only_in_roster as (
    select
        'only in client_workersi' as side,
        worker_id,
    from (
        select {{ roster_columns | ident_list }} from raw_client_workersi
        except all
        select {{ roster_columns | ident_list }} from excluded_client_workerskjkk
    )
),

final as (
    select * from only_in_typo_copy
    union all
    select * from only_in_roster
)

select * from final
