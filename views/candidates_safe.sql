-- candidates_safe: recruiter-side ATS records with PII masked (decision B).
--
-- Produces: one row per candidate.
-- Grain:    one row per candidate_id.
-- Inputs:   normalised_candidates (candidates after the phone fixup).
-- Masking:  first and last name -> one name token of the full name (the same
--           token a worker of that name gets); email, phone -> keyed tokens.
--           hourly_rate_usd is financial, not identifying: it stays.
with

candidates as (
    select
        candidate_id,
        first_name,
        last_name,
        email,
        phone,
        phone_status,
        city,
        state,
        skills,
        years_experience,
        hourly_rate_usd,
        status,
    from normalised_candidates
),

final as (
    select
        'candidates' as source_dataset,
        candidate_id,
        pii_token(first_name || ' ' || last_name, 'name') as name_token,
        pii_token(email, 'email') as email_token,
        pii_token(phone, 'phone') as phone_token,
        phone_is_valid(phone_status) as phone_valid,
        city,
        state,
        skills,
        years_experience,
        hourly_rate_usd,
        status,
    from candidates
)

select
    source_dataset,
    candidate_id,
    name_token,
    email_token,
    phone_token,
    phone_valid,
    city,
    state,
    skills,
    years_experience,
    hourly_rate_usd,
    status,
from final
