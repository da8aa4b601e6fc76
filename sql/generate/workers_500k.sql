-- workers_500k: the canonical synthetic worker population (contract §3).
--
-- Grain:   one row per worker, worker_id 1..$worker_count in order, except
--          the planted duplicate: the row at worker_id $duplicate_row carries
--          worker_id $duplicate_of instead.
-- Inputs:  vocabulary, seed_skills, seed_certifications.
-- Params:  $seed, $worker_count, $duplicate_row, $duplicate_of,
--          $out_of_range_ids (worker ids whose scores leave [0,1]).
--
-- Defects reproduced on purpose (the audit must see them):
--   * phone is BIGINT; numbers that began with 0 (about 3%) lost that digit
--     and hold 9 digits; a few are 7-digit local numbers that cannot be valid;
--   * names, emails and phones are raw, also inside communications (which
--     greet workers by first name) and in some resume_text;
--   * archetype is an enum nobody documented; a few scores fall outside [0,1].
with

vertical_skills as (
    select
        vertical,
        list(skill order by skill) as skills,
    from seed_skills
    group by vertical
),

vertical_certifications as (
    select
        vertical,
        list(certification order by certification) as certifications,
    from seed_certifications
    group by vertical
),

worker_ids as (
    select i as worker_id
    from range(1, $worker_count + 1) as ids(i)
),

drawn as (
    select
        worker_id,
        {{ rand_pick('first_names', 'first_name', 'worker_id') }} as first_name,
        substr('ABCDEFGHJKLMNPRSTVW', 1 + {{ rand_int('middle_initial', 'worker_id', 19) }}, 1) as middle_initial,
        {{ rand_pick('last_names', 'last_name', 'worker_id') }} as last_name,
        {{ rand_pick('cities', 'home', 'worker_id') }} as home,
        {{ rand_pick('roles', 'role', 'worker_id') }} as job,
        {{ rand_int('archetype', 'worker_id', 100) }} as archetype_roll,
        {{ rand_unit('phone_leading_zero', 'worker_id') }} < 0.03 as phone_lost_zero,
        {{ rand_unit('phone_invalid', 'worker_id') }} < 0.0002 as phone_local_only,
        (10 + {{ rand_int('phone_area', 'worker_id', 90) }})::varchar as zero_area_suffix,
        (200 + {{ rand_int('phone_exchange', 'worker_id', 800) }})::varchar as exchange,
        lpad(({{ rand_int('phone_line', 'worker_id', 10000) }})::varchar, 4, '0') as line,
        {{ rand_int('zip_offset', 'worker_id', 20) }} as zip_offset,
        {{ rand_int('years', 'worker_id', 25) }} as years_experience,
        {{ rand_pick('employers', 'employer', 'worker_id') }} as employer,
        2 + {{ rand_int('message_count', 'worker_id', 5) }} as message_count,
        {{ rand_int('message_start', 'worker_id', 'len(messages)') }} as message_start,
        {{ rand_unit('resume_contact', 'worker_id') }} < 0.15 as resume_has_contact,
        messages,
    from worker_ids
    cross join vocabulary
),

with_vocabulary as (
    select
        drawn.*,
        vertical_skills.skills as vertical_skill_list,
        vertical_certifications.certifications as vertical_certification_list,
    from drawn
    inner join vertical_skills on vertical_skills.vertical = drawn.job.vertical
    inner join vertical_certifications on vertical_certifications.vertical = drawn.job.vertical
),

identity as (
    select
        *,
        first_name || ' ' || middle_initial || '. ' || last_name as name,
        lower(first_name || '.' || last_name || worker_id::varchar) || '@example.com' as email,
        case
            when phone_local_only then exchange || line
            when phone_lost_zero then '0' || zero_area_suffix || exchange || line
            else home.area_code || exchange || line
        end as phone_digits,
        case
            when archetype_roll < 30 then 'flexible'
            when archetype_roll < 60 then 'reliable'
            when archetype_roll < 75 then 'specialist'
            when archetype_roll < 90 then 'newcomer'
            else 'at_risk'
        end as archetype,
        array_to_string(
            list_transform(
                range(least(2 + {{ rand_int('skill_count', 'worker_id', 3) }}, len(vertical_skill_list))),
                lambda j: vertical_skill_list[1 + ({{ rand_int('skill_start', 'worker_id', 'len(vertical_skill_list)') }} + j) % len(vertical_skill_list)]
            ),
            ','
        ) as skills,
        array_to_string(
            list_transform(
                range({{ rand_int('certification_count', 'worker_id', 3) }}),
                lambda j: vertical_certification_list[1 + ({{ rand_int('certification_start', 'worker_id', 'len(vertical_certification_list)') }} + j) % len(vertical_certification_list)]
            ),
            ','
        ) as certifications,
    from with_vocabulary
),

scored as (
    -- Each archetype leans one way; the noise keeps scores spread inside [0,1].
    select
        *,
        round(greatest(0.0, least(1.0,
            case archetype when 'reliable' then 0.88 when 'at_risk' then 0.38 when 'newcomer' then 0.62 else 0.74 end
            + ({{ rand_unit('reliability', 'worker_id') }} - 0.5) * 0.3)), 3) as reliability,
        round(greatest(0.0, least(1.0,
            case archetype when 'flexible' then 0.84 when 'at_risk' then 0.45 else 0.68 end
            + ({{ rand_unit('responsiveness', 'worker_id') }} - 0.5) * 0.3)), 3) as responsiveness,
        round(greatest(0.0, least(1.0,
            case archetype when 'newcomer' then 0.8 when 'at_risk' then 0.4 else 0.66 end
            + ({{ rand_unit('engagement', 'worker_id') }} - 0.5) * 0.3)), 3) as engagement,
        round(greatest(0.0, least(1.0,
            case archetype when 'specialist' then 0.92 when 'at_risk' then 0.55 else 0.78 end
            + ({{ rand_unit('compliance', 'worker_id') }} - 0.5) * 0.3)), 3) as compliance,
        round(greatest(0.0, least(1.0,
            case archetype when 'flexible' then 0.9 when 'specialist' then 0.5 else 0.7 end
            + ({{ rand_unit('availability', 'worker_id') }} - 0.5) * 0.3)), 3) as availability,
    from identity
),

texts as (
    select
        *,
        array_to_string(
            -- A stride of 5 through the 14 templates never repeats a message.
            list_transform(
                range(message_count),
                lambda j: replace(replace(replace(replace(replace(
                    messages[1 + (message_start + 5 * j) % len(messages)],
                    '{first}', first_name),
                    '{role}', job.role),
                    '{city}', home.city),
                    '{email}', email),
                    '{phone}', substr(phone_digits, 1, 3) || '-' || substr(phone_digits, 4, 3) || '-' || substr(phone_digits, 7))
            ),
            ' | '
        ) as communications,
        job.role || ' with ' || years_experience::varchar || ' years of experience in '
            || replace(job.vertical, '_', ' ') || '. Skills: ' || replace(skills, ',', ', ')
            || '. Certifications: ' || coalesce(nullif(replace(certifications, ',', ', '), ''), 'none listed')
            || '. Most recently worked at ' || employer || ' in ' || home.city || ', ' || home.state
            || ', where ' || {{ rand_pick("['I trained new hires on safety procedures', 'I kept a perfect attendance record for a year', 'I was promoted to shift lead', 'I helped cut order errors in half', 'I covered weekend and holiday shifts']", 'achievement', 'worker_id') }}
            || '. Looking for ' || {{ rand_pick("['first shift', 'second shift', 'weekend', 'full-time', 'part-time', 'temp-to-hire']", 'preference', 'worker_id') }}
            || ' work close to ' || home.city || '.'
            || case when resume_has_contact
                    then ' Contact: ' || email || ', (' || substr(phone_digits, 1, 3) || ') ' || substr(phone_digits, 4, 3) || '-' || substr(phone_digits, 7) || '.'
                    else ''
               end as resume_text,
    from scored
),

planted as (
    select
        case when worker_id = $duplicate_row then $duplicate_of else worker_id end as planted_worker_id,
        case when worker_id = list_extract($out_of_range_ids, 1) then 1.07 else reliability end as planted_reliability,
        case when worker_id = list_extract($out_of_range_ids, 2) then -0.04 else engagement end as planted_engagement,
        case when worker_id = list_extract($out_of_range_ids, 3) then 1.31 else availability end as planted_availability,
        *,
    from texts
),

final as (
    select
        planted_worker_id::bigint as worker_id,
        name,
        job.role as role,
        email,
        phone_digits::bigint as phone,
        home.city as city,
        home.state as state,
        lpad((home.zip::integer + zip_offset)::varchar, 5, '0') as zip,
        skills,
        certifications,
        archetype,
        planted_reliability as reliability,
        responsiveness,
        planted_engagement as engagement,
        compliance,
        planted_availability as availability,
        communications,
        resume_text,
    from planted
    order by planted.worker_id
)

select * from final
