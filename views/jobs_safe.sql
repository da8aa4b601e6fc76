-- jobs_safe: client requisitions with free text redacted (decision B).
--
-- Produces: one row per job order.
-- Grain:    one row per job_order_id.
-- Inputs:   raw_job_orders (no phone column: nothing to normalise).
-- Masking:  description -> redact_text (emails, phones, SSNs; no known names).
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
    from raw_job_orders
),

final as (
    select
        'job_orders' as source_dataset,
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
        redact_text(description, []::varchar[]) as description,
    from job_orders
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
