-- client_workersi: a client's approved roster in the simpler shape (contract §3).
--
-- Grain:   one row per rostered worker, 160 workers whose worker_id is 2 modulo 5
--          (none of them in workers_100k or ethereal_workers), chosen by md5 rank.
-- Inputs:  workers_500k (the generated table).
-- Shape:   no scores but availability and reliability, no texts, no zip; phone
--          is a formatted string here although it is BIGINT in workers_500k.
--          The generator also writes this table as client_workerskjkk.parquet.
with

canonical as (
    select *
    from workers_500k
    where worker_id % 5 = 2
),

ranked as (
    select
        *,
        {{ rand_unit('roster', 'worker_id') }} as roster_rank,
    from canonical
),

chosen as (
    select *
    from ranked
    order by roster_rank, worker_id
    limit 160
),

final as (
    select
        worker_id,
        name,
        role,
        city,
        state,
        email,
        {{ format_phone("lpad(phone::varchar, 10, '0')") }} as phone,
        skills,
        certifications,
        availability,
        reliability,
        archetype,
    from chosen
    order by worker_id
)

select * from final
