{#-
  masked_workers(source_dataset, relation) -> a query

  The safe columns of every row of relation (a worker file's normalised
  columns and file_row, the row's position in the file): name, email and
  phone -> keyed tokens (pii_token); communications and resume_text ->
  redact_text_with the worker's own name forms (name_forms(name, true): every
  part) and the full-name forms of anyone on a roster the text names
  (roster_mentions, a join with roster_name_keys), each prepared
  (name_needles) once per distinct name or text; phone_valid says whether
  the fixed-up phone is a number that can be dialled (phone_is_valid).
  One row per row of relation, with its file_row, in no particular order:
  workers_safe masks every row of workers_500k with it, a sibling the rows
  it cannot take from workers_safe.
    masked as ({{ masked_workers('workers_500k', 'workers') | indent(4) }})
-#}
{% macro masked_workers(source_dataset, relation) -%}
with

own_needles as (
    -- a name's forms are computed and prepared once, not once per row and text
    select
        name,
        name_needles(name_forms(name, true)) as needles,
    from (select distinct name from {{ relation | ident }})
),

communications_mentions as (
    select
        text,
        name_needles(forms) as needles,
    from {{ roster_mentions(relation, ['communications']) }}
),

resume_mentions as (
    select
        text,
        name_needles(forms) as needles,
    from {{ roster_mentions(relation, ['resume_text']) }}
),

final as (
    select
        {{ source_dataset | literal }} as source_dataset,
        workers.worker_id,
        pii_token(workers.name, 'name') as name_token,
        workers.role,
        pii_token(workers.email, 'email') as email_token,
        pii_token(workers.phone, 'phone') as phone_token,
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
        redact_text_with(
            workers.communications, list_concat(own_needles.needles, coalesce(communications_mentions.needles, []))
        ) as communications,
        redact_text_with(
            workers.resume_text, list_concat(own_needles.needles, coalesce(resume_mentions.needles, []))
        ) as resume_text,
        workers.file_row,
    from {{ relation | ident }} as workers
    left join own_needles
        on own_needles.name is not distinct from workers.name
    left join communications_mentions
        on communications_mentions.text = workers.communications
    left join resume_mentions
        on resume_mentions.text = workers.resume_text
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
    file_row,
from final
{%- endmacro %}
