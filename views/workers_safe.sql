-- workers_safe: the canonical worker population with PII masked (decision B).
--
-- Produces: one row per row of workers_500k (the planted duplicate worker_id
--           stays visible: the audit reports it, the view does not hide it),
--           in file order.
-- Grain:    one row per worker row of workers_500k.
-- Inputs:   normalised_workers_500k: the raw file after the phone fixup
--           (decision D).
-- Masking:  masked_workers: name, email, phone -> keyed tokens; communications
--           and resume_text -> redact_text with the worker's own name forms and
--           the full-name forms of anyone on a roster the text names;
--           phone_valid says whether the fixed-up phone can be dialled.
-- The siblings (workers_100k_safe, ethereal_workers_safe) have the same
-- columns (sibling_workers_safe) and reuse this relation's masked values.
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
        row_number() over () as file_row,
    from normalised_workers_500k
),

masked as (
    {{ masked_workers('workers_500k', 'workers') | indent(4) }}
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
from masked
order by file_row
