-- new_candidates: three smoke-test candidates with no ids (contract §3).
--
-- Grain:   one row per candidate, 3 rows.
-- Inputs:  vocabulary.
with

row_numbers as (
    select i as row_number
    from range(1, 4) as rows(i)
),

drawn as (
    select
        row_number,
        {{ rand_pick('first_names', 'new_first', 'row_number') }} as first_name,
        {{ rand_pick('last_names', 'new_last', 'row_number') }} as last_name,
        {{ rand_pick('cities', 'new_city', 'row_number') }} as home,
        {{ rand_pick('skills', 'new_skill_a', 'row_number') }} as skill_a,
        {{ rand_pick('skills', 'new_skill_b', 'row_number') }} as skill_b,
        (200 + {{ rand_int('new_exchange', 'row_number', 800) }})::varchar as exchange,
        lpad(({{ rand_int('new_line', 'row_number', 10000) }})::varchar, 4, '0') as line,
        {{ rand_int('new_years', 'row_number', 15) }} as years,
    from row_numbers
    cross join vocabulary
),

final as (
    select
        first_name || ' ' || last_name as name,
        home.area_code || '-' || exchange || '-' || line as phone,
        lower(first_name || '.' || last_name) || '@example.com' as email,
        home.city as city,
        home.state as state,
        skill_a || ',' || skill_b as skills,
        years::integer as years,
    from drawn
    order by row_number
)

select * from final
