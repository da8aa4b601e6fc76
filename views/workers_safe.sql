-- workers_safe: the canonical worker population with PII masked (decision B).
--
-- Produces: one row per row of workers_500k (the planted duplicate worker_id
--           stays visible: the audit reports it, the view does not hide it).
-- Grain:    one row per worker row of {{ source_dataset | default('workers_500k') }}.
-- Inputs:   normalised_{{ source_dataset | default('workers_500k') }}: the raw file
--           after the phone fixup (decision D).
-- Masking:  name, email, phone -> keyed tokens (pii_token); communications and
--           resume_text -> redact_text with the worker's own name forms;
--           phone_valid says whether the phone could be normalised.
-- The siblings (workers_100k_safe, ethereal_workers_safe) are this file with
-- another source_dataset, so every worker relation has the same columns.
{%- set source_dataset = source_dataset | default('workers_500k') %}
with

workers as (
    select
        worker_id,
        name,
        role,
        email,
        phone,
        phone_status,
        city,
        state,
        zip,
        skills,
        certifications,
        archetype,
        reliability,
        responsiveness,
        engagement,
        compliance,
        availability,
        communications,
        resume_text,
    from {{ ('normalised_' ~ source_dataset) | ident }}
),

final as (
    select
        {{ source_dataset | literal }} as source_dataset,
        worker_id,
        pii_token(name, 'name') as name_token,
        role,
        pii_token(email, 'email') as email_token,
        pii_token(phone, 'phone') as phone_token,
        phone_status in ('valid', 'restored_leading_zero') as phone_valid,
        city,
        state,
        zip,
        skills,
        certifications,
        archetype,
        reliability,
        responsiveness,
        engagement,
        compliance,
        availability,
        redact_text(communications, person_name_parts(name)) as communications,
        redact_text(resume_text, person_name_parts(name)) as resume_text,
    from workers
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
    zip,
    skills,
    certifications,
    archetype,
    reliability,
    responsiveness,
    engagement,
    compliance,
    availability,
    communications,
    resume_text,
from final
