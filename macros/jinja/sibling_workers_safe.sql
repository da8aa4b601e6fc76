{#-
  sibling_workers_safe(sibling) -> a query

  The safe relation of a worker sibling (a manifest dataset whose sibling_of
  is workers_500k and whose columns are workers_500k's): workers_safe's
  columns, source_dataset = the sibling's name, one row per row of its file,
  in file order.
  A sibling row is workers_500k's row with the same worker_id (contract §3),
  and its masked values are a function of name, email, phone, communications
  and resume_text only. So where workers_500k has exactly one row with the
  sibling row's worker_id and the same five inputs, the row takes that row's
  tokens and redacted text from workers_safe (built before it) instead of
  masking them again; any other row (a drifted sibling, a duplicated id) goes
  through masked_workers, as every workers_safe row does. The values are the
  same either way; only the cost differs (and only the rows masked here go
  through the roster-name gate). Its other columns are the sibling row's own.
    {{ sibling_workers_safe(manifest.dataset('workers_100k')) }}
-#}
{% macro sibling_workers_safe(sibling) -%}
{%- set canonical = manifest.dataset(sibling.sibling_of) %}
{%- set columns -%}
{%- for column in sibling.columns %}
        {{ column.name | ident }},
{%- if column.name == 'phone' %}
        phone_status,
{%- endif %}
{%- endfor %}
{%- endset -%}
{#- workers_safe's columns, in its order -#}
{%- set outputs -%}
{%- for column in ['source_dataset', 'worker_id', 'name_token', 'role', 'email_token', 'phone_token', 'phone_valid',
                   'city', 'state', 'zip', 'skills', 'certifications', 'archetype', 'reliability', 'responsiveness',
                   'engagement', 'compliance', 'availability', 'communications', 'resume_text'] %}
        {{ column }},
{%- endfor %}
{%- endset -%}
with

workers as (
    select
        {{- columns }}
        row_number() over () as file_row,
    from {{ sibling.normalised_relation | ident }}
),

canonical_workers as (
    select
        worker_id,
        name,
        email,
        phone,
        communications,
        resume_text,
    from {{ canonical.normalised_relation | ident }}
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
    from {{ canonical.safe_relation | ident }}
    where worker_id in (select worker_id from workers)
    qualify count(worker_id) over (partition by worker_id) = 1
),

reused as (
    -- the rows whose five masked inputs are their canonical row's: workers_safe's values
    select
        {{ sibling.name | literal }} as source_dataset,
        workers.worker_id,
        canonical_safe.name_token,
        workers.role,
        canonical_safe.email_token,
        canonical_safe.phone_token,
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
        canonical_safe.communications,
        canonical_safe.resume_text,
        workers.file_row,
    from workers
    inner join canonical_workers
        on canonical_workers.worker_id = workers.worker_id
        and canonical_workers.name is not distinct from workers.name
        and canonical_workers.email is not distinct from workers.email
        and canonical_workers.phone is not distinct from workers.phone
        and canonical_workers.communications is not distinct from workers.communications
        and canonical_workers.resume_text is not distinct from workers.resume_text
    inner join canonical_safe
        on canonical_safe.worker_id = workers.worker_id
),

to_mask as (
    select
        {{- columns }}
        file_row,
    from workers
    where file_row not in (select file_row from reused)
),

masked as (
    {{ masked_workers(sibling.name, 'to_mask') | indent(4) }}
),

final as (
    select
        {{- outputs }}
        file_row,
    from reused
    union all
    select
        {{- outputs }}
        file_row,
    from masked
)

select
    {{- outputs | replace('\n        ', '\n    ') }}
from final
order by file_row
{%- endmacro %}
