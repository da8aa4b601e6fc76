-- candidates: recruiter-side ATS records (contract §3).
--
-- Grain:   one row per candidate, candidate_id CAND-00001..$candidate_count.
-- Inputs:  vocabulary.
-- Defects: raw names, emails (first.lastN@example.com) and phones; status is
--          an enum nobody documented.
with

candidate_numbers as (
    select i as candidate_number
    from range(1, $candidate_count + 1) as numbers(i)
),

drawn as (
    select
        candidate_number,
        {{ rand_pick('first_names', 'candidate_first', 'candidate_number') }} as first_name,
        {{ rand_pick('last_names', 'candidate_last', 'candidate_number') }} as last_name,
        {{ rand_pick('cities', 'candidate_city', 'candidate_number') }} as home,
        1 + {{ rand_int('candidate_email_n', 'candidate_number', 99) }} as email_number,
        (200 + {{ rand_int('candidate_exchange', 'candidate_number', 800) }})::varchar as exchange,
        lpad(({{ rand_int('candidate_line', 'candidate_number', 10000) }})::varchar, 4, '0') as line,
        list_distinct(list_transform(
            range(1 + {{ rand_int('candidate_skill_count', 'candidate_number', 4) }}),
            lambda j: {{ rand_pick('skills', 'candidate_skill', 'candidate_number, j') }}
        )) as skill_list,
        {{ rand_int('candidate_years', 'candidate_number', 31) }} as years_experience,
        14 + {{ rand_int('candidate_rate', 'candidate_number', 32) }} as hourly_rate_usd,
        {{ rand_int('candidate_status', 'candidate_number', 100) }} as status_roll,
    from candidate_numbers
    cross join vocabulary
),

final as (
    select
        'CAND-' || lpad(candidate_number::varchar, 5, '0') as candidate_id,
        first_name,
        last_name,
        lower(first_name || '.' || last_name || email_number::varchar) || '@example.com' as email,
        '(' || home.area_code || ') ' || exchange || '-' || line as phone,
        home.city as city,
        home.state as state,
        array_to_string(list_sort(skill_list), ',') as skills,
        years_experience::integer as years_experience,
        hourly_rate_usd::integer as hourly_rate_usd,
        case
            when status_roll < 20 then 'new'
            when status_roll < 40 then 'screening'
            when status_roll < 55 then 'submitted'
            when status_roll < 67 then 'interviewing'
            when status_roll < 85 then 'placed'
            else 'inactive'
        end as status,
    from drawn
    order by candidate_number
)

select * from final
