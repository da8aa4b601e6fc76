-- workers_100k: the scaled-down sibling of workers_500k (contract §3).
--
-- Grain:   one row per worker; the same rows as workers_500k: every worker_id
--          divisible by 5, topped up (at scales where round(100000 * scale)
--          exceeds their number) with ids that are 4 modulo 5; $rows_100k rows.
-- Inputs:  workers_500k (the generated table).
with

canonical as (
    select *
    from workers_500k
),

final as (
    select *
    from canonical
    where worker_id % 5 in (0, 4)
    order by worker_id % 5, worker_id
    limit $rows_100k
)

select * from final
