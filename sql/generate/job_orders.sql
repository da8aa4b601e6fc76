-- job_orders: client requisitions (contract §3).
--
-- Grain:   one row per job order, job_order_id JO-000001..$job_order_count,
--          spread over $client_count clients.
-- Inputs:  vocabulary, seed_skills, seed_certifications.
-- Defects: no target/filled counts and no dates as columns: requirements,
--          experience, pay, head count and start date live in description text.
with

vertical_requirements as (
    select
        skills.vertical,
        list(distinct skills.skill order by skills.skill) as skills,
        list(distinct certifications.certification order by certifications.certification) as certifications,
    from seed_skills as skills
    inner join seed_certifications as certifications on certifications.vertical = skills.vertical
    group by skills.vertical
),

order_numbers as (
    select i as order_number
    from range(1, $job_order_count + 1) as numbers(i)
),

drawn as (
    select
        order_number,
        1 + {{ rand_int('order_client', 'order_number', '$client_count') }} as client_number,
        {{ rand_pick('cities', 'order_city', 'order_number') }} as site,
        {{ rand_pick('roles', 'order_role', 'order_number') }} as job,
        {{ rand_int('order_zip_offset', 'order_number', 20) }} as zip_offset,
        round(({{ rand_unit('order_pay', 'order_number') }} - 0.3) * 6, 2) as pay_delta,
        1.35 + round({{ rand_unit('order_markup', 'order_number') }} * 0.3, 2) as markup,
        1 + {{ rand_int('order_years', 'order_number', 8) }} as years_required,
        {{ rand_int('order_status', 'order_number', 100) }} as status_roll,
        {{ rand_unit('order_headcount', 'order_number') }} < 0.4 as states_headcount,
        1 + {{ rand_int('order_headcount_n', 'order_number', 9) }} as headcount,
        {{ rand_unit('order_start', 'order_number') }} < 0.35 as states_start,
        date '2026-03-02' + {{ rand_int('order_start_day', 'order_number', 90) }}::integer as start_date,
        {{ rand_int('order_skill_start', 'order_number', 1000) }} as skill_start,
    from order_numbers
    cross join vocabulary
),

with_requirements as (
    select
        drawn.*,
        vertical_requirements.skills[1 + skill_start % len(vertical_requirements.skills)] as first_skill,
        vertical_requirements.certifications[1 + skill_start % len(vertical_requirements.certifications)] as first_certification,
        round(job.base_pay::double + pay_delta, 2) as pay_rate,
    from drawn
    inner join vertical_requirements on vertical_requirements.vertical = drawn.job.vertical
),

final as (
    select
        'JO-' || lpad(order_number::varchar, 6, '0') as job_order_id,
        'CLI-' || lpad(client_number::varchar, 5, '0') as client_id,
        job.role as title,
        job.vertical as vertical,
        round(pay_rate * markup, 2) as bill_rate,
        pay_rate,
        case
            when status_roll < 35 then 'open'
            when status_roll < 60 then 'filled'
            when status_roll < 85 then 'closed'
            when status_roll < 93 then 'cancelled'
            else 'on_hold'
        end as status,
        site.city as city,
        site.state as state,
        lpad((site.zip::integer + zip_offset)::varchar, 5, '0') as zip,
        job.role || ' needed in ' || site.city || ', ' || site.state || '. '
            || 'Requires: ' || first_skill || ', ' || first_certification || '. '
            || years_required::varchar || '+ years exp. '
            || '$' || printf('%.2f', pay_rate) || '/hr.'
            || case when states_headcount then ' Need ' || headcount::varchar || ' workers.' else '' end
            || case when states_start then ' Start ' || strftime(start_date, '%Y-%m-%d') || '.' else '' end
            as description,
    from with_requirements
    order by order_number
)

select * from final
