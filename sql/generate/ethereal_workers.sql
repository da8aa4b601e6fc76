-- ethereal_workers: the scenario-friendly sibling of workers_500k (contract §3).
--
-- Grain:   one row per worker; the same rows as workers_500k for every
--          worker_id that is 25 modulo 50, the first $rows_ethereal of them.
--          Scenario assignments draw their workers from this table.
-- Inputs:  workers_500k (the generated table).
with

canonical as (
    select *
    from workers_500k
),

final as (
    select *
    from canonical
    where worker_id % 50 = 25
    order by worker_id
    limit $rows_ethereal
)

select * from final
