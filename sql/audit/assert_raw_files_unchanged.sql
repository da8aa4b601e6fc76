-- id: raw_files_unchanged
-- phase: provenance
-- severity: blocking
-- description: Every raw input file has the same sha256 at the end of the run as at its start, and no file appeared or vanished.
--
-- Produces: one row per raw file whose hash changed, or that appeared or vanished.
-- Grain:    one row per path.
-- Inputs:   $start_hashes (the raw files listed and hashed before anything
--           ran) and $end_hashes (the raw folders listed again and hashed
--           after every other check), both lists of {path, sha256}.
with

at_start as (
    select
        entry.path,
        entry.sha256,
    from (select unnest($start_hashes) as entry)
),

at_end as (
    select
        entry.path,
        entry.sha256,
    from (select unnest($end_hashes) as entry)
),

final as (
    select
        coalesce(at_start.path, at_end.path) as path,
        case
            when at_start.path is null then 'appeared'
            when at_end.path is null then 'vanished'
            else 'changed'
        end as problem,
        at_start.sha256 as start_sha256,
        at_end.sha256 as end_sha256,
    from at_start
    full outer join at_end on at_end.path = at_start.path
    where at_start.sha256 is distinct from at_end.sha256
)

select * from final
