-- workers_safe: the canonical worker population with PII masked (decision B).
--
-- Produces: one row per row of workers_500k (the planted duplicate worker_id
--           stays visible: the audit reports it, the view does not hide it).
-- Grain:    one row per worker row of {{ source_dataset | default('workers_500k') }}.
-- Inputs:   normalised_{{ source_dataset | default('workers_500k') }}: the raw file
--           after the phone fixup (decision D).
-- Masking:  name, email, phone -> keyed tokens (pii_token); communications and
--           resume_text -> redact_text with the worker's own name forms
--           (name_forms(name, true): every part) and the full-name forms of
--           anyone on a roster the text names (roster_mentions, a join with
--           roster_name_keys); phone_valid says whether the fixed-up phone
--           is a number that can be dialled (phone_is_valid).
-- The siblings (workers_100k_safe, ethereal_workers_safe) are this file with
-- another source_dataset, so every worker relation has the same columns.
-- A sibling row is workers_500k's row with the same worker_id (contract §3),
-- and its masked values are a function of name, email, phone, communications
-- and resume_text only. So a sibling also reads normalised_workers_500k and
-- workers_safe (built before it): where workers_500k has exactly one row with
-- the sibling row's worker_id and the same five inputs, the sibling takes that
-- row's tokens and redacted text instead of masking them again; any other row
-- (a drifted sibling, a duplicated id) is masked here. The values are the same
-- either way; only the cost differs (and only the rows a sibling masks itself
-- go through the roster-name gate). Rows are numbered as read (file_row) and
-- keep that order through the joins.
{%- set source_dataset = source_dataset | default('workers_500k') %}
{%- set sibling = source_dataset != 'workers_500k' %}
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
    from {{ ('normalised_' ~ source_dataset) | ident }}
),

{%- if sibling %}

canonical_workers as (
    select
        worker_id,
        name,
        email,
        phone,
        communications,
        resume_text,
    from normalised_workers_500k
    where worker_id in (select worker_id from workers)
    qualify count(worker_id) over (partition by worker_id) = 1
),

canonical_safe as (
    select
        worker_id,
        name_token,
        email_token,
        phone_token,
        communications,
        resume_text,
    from workers_safe
    where worker_id in (select worker_id from workers)
    qualify count(worker_id) over (partition by worker_id) = 1
),

reusable as (
    select
        canonical_workers.worker_id,
        canonical_workers.name,
        canonical_workers.email,
        canonical_workers.phone,
        canonical_workers.communications,
        canonical_workers.resume_text,
        canonical_safe.name_token as masked_name_token,
        canonical_safe.email_token as masked_email_token,
        canonical_safe.phone_token as masked_phone_token,
        canonical_safe.communications as masked_communications,
        canonical_safe.resume_text as masked_resume_text,
    from canonical_workers
    inner join canonical_safe
        on canonical_safe.worker_id = canonical_workers.worker_id
),

masked_here as (
    -- the rows that cannot reuse workers_safe's values: only their texts need the roster-name gate
    select
        workers.communications,
        workers.resume_text,
    from workers
    anti join reusable
        on reusable.worker_id = workers.worker_id
        and reusable.name is not distinct from workers.name
        and reusable.email is not distinct from workers.email
        and reusable.phone is not distinct from workers.phone
        and reusable.communications is not distinct from workers.communications
        and reusable.resume_text is not distinct from workers.resume_text
),
{%- else %}

masked_here as (
    -- every row is masked here
    select
        communications,
        resume_text,
    from workers
),
{%- endif %}

own_forms as (
    -- a name's forms are computed once, not once per row and text
    select
        name,
        name_forms(name, true) as forms,
    from (select distinct name from workers)
),

communications_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('masked_here', ['communications']) }}
),

resume_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('masked_here', ['resume_text']) }}
),

final as (
    select
        {{ source_dataset | literal }} as source_dataset,
        workers.worker_id,
        {%- if sibling %}
        case when reusable.worker_id is null then pii_token(workers.name, 'name') else reusable.masked_name_token end as name_token,
        workers.role,
        case when reusable.worker_id is null then pii_token(workers.email, 'email') else reusable.masked_email_token end as email_token,
        case when reusable.worker_id is null then pii_token(workers.phone, 'phone') else reusable.masked_phone_token end as phone_token,
        {%- else %}
        pii_token(workers.name, 'name') as name_token,
        workers.role,
        pii_token(workers.email, 'email') as email_token,
        pii_token(workers.phone, 'phone') as phone_token,
        {%- endif %}
        phone_is_valid(workers.phone_status) as phone_valid,
        workers.city,
        workers.state,
        workers.zip,
        workers.skills,
        workers.certifications,
        workers.archetype,
        workers.reliability,
        workers.responsiveness,
        workers.engagement,
        workers.compliance,
        workers.availability,
        {%- if sibling %}
        case
            when reusable.worker_id is null then redact_text(
                workers.communications, list_concat(own_forms.forms, coalesce(communications_mentions.forms, []))
            )
            else reusable.masked_communications
        end as communications,
        case
            when reusable.worker_id is null then redact_text(
                workers.resume_text, list_concat(own_forms.forms, coalesce(resume_mentions.forms, []))
            )
            else reusable.masked_resume_text
        end as resume_text,
        {%- else %}
        redact_text(
            workers.communications, list_concat(own_forms.forms, coalesce(communications_mentions.forms, []))
        ) as communications,
        redact_text(
            workers.resume_text, list_concat(own_forms.forms, coalesce(resume_mentions.forms, []))
        ) as resume_text,
        {%- endif %}
    from workers
    left join own_forms
        on own_forms.name is not distinct from workers.name
    left join communications_mentions
        on communications_mentions.text = workers.communications
    left join resume_mentions
        on resume_mentions.text = workers.resume_text
    {%- if sibling %}
    left join reusable
        on reusable.worker_id = workers.worker_id
        and reusable.name is not distinct from workers.name
        and reusable.email is not distinct from workers.email
        and reusable.phone is not distinct from workers.phone
        and reusable.communications is not distinct from workers.communications
        and reusable.resume_text is not distinct from workers.resume_text
    {%- endif %}
    order by workers.file_row
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
