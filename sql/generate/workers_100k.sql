-- workers_100k: the scaled-down sibling of workers_500k (contract §3).
--
-- Grain:   one row per worker; the same rows as workers_500k for every
--          worker_id divisible by 5, the first $rows_100k of them.
-- Inputs:  workers_500k (the generated table).
with

canonical as (
    select *
    from workers_500k
),

final as (
    select *
    from canonical
    where worker_id % 5 = 0
    order by worker_id
    limit $rows_100k
)

select * from final
