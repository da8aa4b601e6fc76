-- ethereal_workers: the scenario-friendly sibling of workers_500k (contract §3).
--
-- Grain:   one row per worker; the same rows as workers_500k: every worker_id
--          that is 25 modulo 50, topped up when needed with ids that are 45
--          modulo 50; $rows_ethereal rows.
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
    where worker_id % 50 in (25, 45)
    order by worker_id % 50, worker_id
    limit $rows_ethereal
)

select * from final
