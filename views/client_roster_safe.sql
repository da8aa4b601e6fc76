-- client_roster_safe: the client's approved roster (client_workersi), masked.
--
-- Produces: one row per rostered worker; worker_id joins workers_safe.
-- Grain:    one row per row of client_workersi.
-- Inputs:   normalised_client_workersi. client_workerskjkk, its typo-named
--           copy, is excluded (decision C) and read by nothing here.
-- Masking:  name, email, phone -> keyed tokens, equal to workers_safe's tokens
--           for the same person, so masked joins still work.
with

roster as (
    select
        worker_id,
        name,
        role,
        city,
        state,
        email,
        phone,
        phone_status,
        skills,
        certifications,
        availability,
        reliability,
        archetype,
    from normalised_client_workersi
),

final as (
    select
        'client_workersi' as source_dataset,
        worker_id,
        pii_token(name, 'name') as name_token,
        role,
        pii_token(email, 'email') as email_token,
        pii_token(phone, 'phone') as phone_token,
        phone_is_valid(phone_status) as phone_valid,
        city,
        state,
        skills,
        certifications,
        availability,
        reliability,
        archetype,
    from roster
)

select
    source_dataset,
    worker_id,
    name_token,
    role,
    email_token,
    phone_token,
    phone_valid,
    city,
    state,
    skills,
    certifications,
    availability,
    reliability,
    archetype,
from final
