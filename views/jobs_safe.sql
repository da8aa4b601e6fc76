-- jobs_safe: client requisitions with free text redacted (decision B).
--
-- Produces: one row per job order.
-- Grain:    one row per job_order_id.
-- Inputs:   raw_job_orders (no phone column: nothing to normalise).
-- Masking:  description -> redact_text: emails, phones, SSNs, and anyone on a
--           roster it names in full ('Report to hiring manager <name>':
--           roster_mentions).
--           client_id is an opaque code; bill_rate and pay_rate are financial,
--           not personal, and stay.
with

job_orders as (
    select
        job_order_id,
        client_id,
        title,
        vertical,
        bill_rate,
        pay_rate,
        status,
        city,
        state,
        zip,
        description,
        row_number() over () as file_row,
    from raw_job_orders
),

description_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('job_orders', ['description']) }}
),

final as (
    select
        'job_orders' as source_dataset,
        job_orders.job_order_id,
        job_orders.client_id,
        job_orders.title,
        job_orders.vertical,
        job_orders.bill_rate,
        job_orders.pay_rate,
        job_orders.status,
        job_orders.city,
        job_orders.state,
        job_orders.zip,
        redact_text(job_orders.description, coalesce(description_mentions.forms, [])) as description,
    from job_orders
    left join description_mentions
        on description_mentions.text = job_orders.description
    order by job_orders.file_row
)

select
    source_dataset,
    job_order_id,
    client_id,
    title,
    vertical,
    bill_rate,
    pay_rate,
    status,
    city,
    state,
    zip,
    description,
from final
