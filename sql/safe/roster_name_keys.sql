-- roster_name_keys: the gate of the roster-name redaction (contract §6: anyone
-- on any roster, written as a full name, is redacted in any text).
--
-- Produces: for every word pair that begins a full-name form of someone on a
--           roster (name_forms(name, false): with or without the middle
--           initial, 'Last, First', 'F. Last'), the forms of everyone whose
--           name begins so. A text whose word pairs (_gate_pairs) meet none
--           of these keys names nobody on the rosters in full; for a text
--           that meets one, redact_text gets that person's forms.
-- Grain:    one row per key (a pair of folded words, 'kevin ng').
-- Inputs:   every person name the product reads: raw_workers_500k (its
--           siblings are subsets of it), raw_client_workersi, raw_candidates
--           (first and last name), raw_sparse_workers, raw_new_candidates, and
--           the workers assigned in the scenario files ($scenario_paths).
-- Holds PII: it lives in memory for one run (a temp table), never in a file.
with

people as (
    select name from raw_workers_500k
    union
    select name from raw_client_workersi
    union
    select first_name || ' ' || last_name from raw_candidates
    union
    select name from raw_sparse_workers
    union
    select name from raw_new_candidates
    union
    select assignee.name
    from (
        select unnest(fill.assigned) as assignee
        from (select unnest(fills) as fill from {{ read_scenarios('$scenario_paths') }})
    )
),

forms as (
    select distinct unnest(name_forms(name, false)) as form
    from people
    where name is not null
),

keys as (
    select
        -- the key as fold_text spells it (a text's ß, æ, œ fold to s, a, o there)
        list_slice(_gate_words(translate(form, 'ßæœ', 'sao')), 1, 2) as words,
        form,
    from forms
),

final as (
    select
        array_to_string(words, ' ') as gram,
        list(form order by form) as forms,
    from keys
    where len(words) = 2
    group by array_to_string(words, ' ')
)

select gram, forms from final
