-- vocabulary: every seed list the generator draws from, in one row.
--
-- Produces: one row of lists; each model cross-joins it and picks by index
--           with rand_pick, so a list's order is part of the data's identity.
-- Grain:    a single row.
-- Inputs:   seed_first_names, seed_last_names, seed_cities, seed_roles,
--           seed_skills, seed_employers, seed_messages, seed_sparse_notes.
with

first_names as (
    select list(first_name order by first_name) as first_names
    from seed_first_names
),

last_names as (
    select list(last_name order by last_name) as last_names
    from seed_last_names
),

cities as (
    select list({'city': city, 'state': state, 'zip': zip, 'area_code': area_code} order by state, city) as cities
    from seed_cities
),

roles as (
    select
        list({'vertical': vertical, 'role': role, 'base_pay': base_pay} order by vertical, role) as roles,
        list(role order by role) as role_names,
    from seed_roles
),

skills as (
    select list(skill order by skill) as skills
    from seed_skills
),

employers as (
    select list(employer order by employer) as employers
    from seed_employers
),

messages as (
    select list(template order by kind, template) as messages
    from seed_messages
),

sparse_notes as (
    select list(template order by kind, template) as sparse_notes
    from seed_sparse_notes
),

final as (
    select
        first_names.first_names,
        last_names.last_names,
        cities.cities,
        roles.roles,
        roles.role_names,
        skills.skills,
        employers.employers,
        messages.messages,
        sparse_notes.sparse_notes,
    from first_names
    cross join last_names
    cross join cities
    cross join roles
    cross join skills
    cross join employers
    cross join messages
    cross join sparse_notes
)

select * from final
