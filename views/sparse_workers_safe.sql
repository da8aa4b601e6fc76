-- sparse_workers_safe: the recruiter-shorthand fixture, masked.
--
-- Produces: one row per jotted-down worker (the file has no ids).
-- Grain:    one row per row of sparse_workers.
-- Inputs:   normalised_sparse_workers (messy phones normalised or flagged).
-- Masking:  name, phone -> keyed tokens; notes -> redact_text with the row's
--           own name forms and those of anyone on a roster the notes name in
--           full (roster_mentions).
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
        row_number() over () as file_row,
    from normalised_sparse_workers
),

notes_mentions as (
    select
        text,
        forms,
    from {{ roster_mentions('sparse', ['notes']) }}
),

final as (
    select
        'sparse_workers' as source_dataset,
        pii_token(sparse.name, 'name') as name_token,
        pii_token(sparse.phone, 'phone') as phone_token,
        phone_is_valid(sparse.phone_status) as phone_valid,
        sparse.role,
        sparse.city,
        sparse.state,
        redact_text(sparse.notes, list_concat(name_forms(sparse.name, true), coalesce(notes_mentions.forms, []))) as notes,
    from sparse
    left join notes_mentions
        on notes_mentions.text = sparse.notes
    order by sparse.file_row
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
