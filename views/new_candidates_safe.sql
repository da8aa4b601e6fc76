-- new_candidates_safe: the three smoke-test candidates, masked.
--
-- Produces: one row per new candidate (the file has no ids).
-- Grain:    one row per row of new_candidates.
-- Inputs:   normalised_new_candidates.
-- Masking:  name, email, phone -> keyed tokens.
with

new_candidates as (
    select
        name,
        phone,
        phone_status,
        email,
        city,
        state,
        skills,
        years,
    from normalised_new_candidates
),

final as (
    select
        'new_candidates' as source_dataset,
        pii_token(name, 'name') as name_token,
        pii_token(email, 'email') as email_token,
        pii_token(phone, 'phone') as phone_token,
        phone_is_valid(phone_status) as phone_valid,
        city,
        state,
        skills,
        years,
    from new_candidates
)

select
    source_dataset,
    name_token,
    email_token,
    phone_token,
    phone_valid,
    city,
    state,
    skills,
    years,
from final
