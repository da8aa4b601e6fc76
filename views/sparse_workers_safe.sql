-- sparse_workers_safe: the recruiter-shorthand fixture, masked.
--
-- Produces: one row per jotted-down worker (the file has no ids).
-- Grain:    one row per row of sparse_workers.
-- Inputs:   normalised_sparse_workers (messy phones normalised or flagged).
-- Masking:  name, phone -> keyed tokens; notes -> redact_text with the row's
--           own name forms.
with

sparse as (
    select
        name,
        phone,
        phone_status,
        role,
        city,
        state,
        notes,
    from normalised_sparse_workers
),

final as (
    select
        'sparse_workers' as source_dataset,
        pii_token(name, 'name') as name_token,
        pii_token(phone, 'phone') as phone_token,
        phone_status in ('valid', 'restored_leading_zero') as phone_valid,
        role,
        city,
        state,
        redact_text(notes, person_name_parts(name)) as notes,
    from sparse
)

select
    source_dataset,
    name_token,
    phone_token,
    phone_valid,
    role,
    city,
    state,
    notes,
from final
