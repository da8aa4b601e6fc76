-- sparse_workers: the recruiter-shorthand fixture (contract §3).
--
-- Grain:   one row per jotted-down worker, 200 rows, no ids.
-- Inputs:  vocabulary.
-- Defects: phones in whatever shape the recruiter typed (614.555.0142,
--          6145550142, (614) 555-0142, 614-555-0142, +1 614 555 0142, empty,
--          and a few too short to be valid); notes that hold emails and phones.
with

row_numbers as (
    select i as row_number
    from range(1, 201) as rows(i)
),

drawn as (
    select
        row_number,
        {{ rand_pick('first_names', 'sparse_first', 'row_number') }} as first_name,
        {{ rand_pick('last_names', 'sparse_last', 'row_number') }} as last_name,
        {{ rand_pick('cities', 'sparse_city', 'row_number') }} as home,
        {{ rand_pick('role_names', 'sparse_role', 'row_number') }} as role,
        {{ rand_pick('sparse_notes', 'sparse_note', 'row_number') }} as note,
        {{ rand_int('sparse_phone_shape', 'row_number', 8) }} as phone_shape,
        (200 + {{ rand_int('sparse_exchange', 'row_number', 800) }})::varchar as exchange,
        lpad(({{ rand_int('sparse_line', 'row_number', 10000) }})::varchar, 4, '0') as line,
    from row_numbers
    cross join vocabulary
),

typed as (
    select
        *,
        case phone_shape
            when 0 then home.area_code || '.' || exchange || '.' || line
            when 1 then home.area_code || exchange || line
            when 2 then '(' || home.area_code || ') ' || exchange || '-' || line
            when 3 then home.area_code || '-' || exchange || '-' || line
            when 4 then '+1 ' || home.area_code || ' ' || exchange || ' ' || line
            when 5 then ''
            when 6 then exchange || '-' || line
            else home.area_code || '.' || exchange || '.' || line
        end as phone,
    from drawn
),

final as (
    select
        first_name || ' ' || last_name as name,
        phone,
        role,
        home.city as city,
        home.state as state,
        replace(replace(replace(note,
            '{phone}', home.area_code || '-' || exchange || '-' || line),
            '{email}', lower(substr(first_name, 1, 1) || last_name) || '@example.com'),
            '{first}', first_name) as notes,
    from typed
    order by row_number
)

select * from final
