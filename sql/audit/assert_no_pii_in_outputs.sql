-- id: no_pii_in_outputs
-- phase: pii
-- severity: blocking
-- description: No safe relation, derived table or corpus row holds an email, phone number, SSN or a roster person's name.
--
-- Produces: one row per (relation, column, kind) with at least one hit, and
--           how many values hit; never the values themselves.
-- Grain:    one row per (relation, column_name, kind).
-- Inputs:   every text column of every output relation (text_columns, read
--           from information_schema by the runner), and the names of every
--           person in a raw file or a scenario: workers_500k, candidates,
--           sparse_workers, new_candidates, scenario assignments.
-- Names are scanned two ways, for cost: the LLM-facing outputs and the small
-- relations against every roster name; the large person relations row by row
-- against that row's own person (the name redaction could miss), joined by key.
-- The roster scan is an equi-join, not a substring test per (row, name) pair:
-- a name is inside a text exactly when some substring of the text of the
-- name's length equals it, so every substring of every roster-name length is
-- looked up in roster_names (a hash join); the count is still one per
-- distinct (row, name) pair in a column. Texts are cut into chunks of
-- 1,024 characters overlapping by the longest name less one, so every
-- name still lies whole in some chunk while a 1 MB cell stays cheap
-- (substr on a long text costs its length, and a row per start position
-- would otherwise carry the whole text).
-- Each relation is read once. The patterns run only on rows that pass a cheap
-- gate over the row's text columns joined by chr(31) (which no pattern can
-- match across): '@' for an email; for a phone or an SSN, the digit run
-- NNN[)][sep]NN[N][sep]NNNN that every phone_pattern and ssn_pattern match
-- contains. The gate sits in a CASE, so the patterns never run on the rest.
{%- set chunk = 1024 %}
{%- set small = ['fill_events', 'staffing_answers', 'sparse_workers_safe', 'new_candidates_safe', 'client_roster_safe'] %}
{%- set people = {
    'workers_safe': ('raw_workers_500k', 'worker_id', 'name'),
    'workers_100k_safe': ('raw_workers_100k', 'worker_id', 'name'),
    'ethereal_workers_safe': ('raw_ethereal_workers', 'worker_id', 'name'),
    'candidates_safe': ('raw_candidates', 'candidate_id', "first_name || ' ' || last_name"),
} %}
with

roster_names as (
    select distinct lower(name) as name
    from (
        select name from raw_workers_500k
        union all select first_name || ' ' || last_name from raw_candidates
        union all select name from raw_sparse_workers
        union all select name from raw_new_candidates
        union all select assignee.name from (
            select unnest(fill.assigned) as assignee
            from (select unnest(fills) as fill from {{ read_scenarios('$scenario_paths') }})
        )
    )
    where name is not null and length(name) > 3
),

name_lengths as (
    select distinct length(name) as size
    from roster_names
),

name_span as (
    select max(size) as longest
    from name_lengths
),

{%- for relation, columns in text_columns.items() %}

{{ ('pattern_hits_' ~ relation) | ident }} as (
    select {{ relation | literal }} as relation, hit, hits
    from (
        select
            {%- for column in columns %}
            {%- set value = column | ident %}
            count(*) filter (where case when row_has_at and contains({{ value }}, '@')
                                        then regexp_matches({{ value }}, email_pattern()) end) as {{ (column ~ '|email') | ident }},
            count(*) filter (where case when row_has_digits
                                        then regexp_matches({{ value }}, phone_pattern()) end) as {{ (column ~ '|phone') | ident }},
            count(*) filter (where case when row_has_digits
                                        then regexp_matches({{ value }}, ssn_pattern()) end) as {{ (column ~ '|ssn') | ident }},
            {%- endfor %}
        from (
            select
                *,
                contains(row_text, '@') as row_has_at,
                regexp_matches(row_text, '[0-9]{3}\)?[ .-]?[0-9]{2}[0-9]?[ .-]?[0-9]{4}') as row_has_digits,
            from (
                select
                    {%- for column in columns %}
                    {{ column | ident }}::varchar as {{ column | ident }},
                    {%- endfor %}
                    concat_ws(chr(31), {% for column in columns %}{{ column | ident }}::varchar{{ ", " if not loop.last }}{% endfor %}) as row_text,
                from {{ relation | ident }}
            )
        )
    )
    unpivot (hits for hit in (columns(*)))
),
{%- if relation in small %}

{{ ('name_hits_' ~ relation) | ident }} as (
    select
        {{ relation | literal }} as relation,
        column_name || '|roster name' as hit,
        count(*) as hits,
    from (
        select distinct
            texts.row_id,
            texts.column_name,
            roster_names.name,
        from (
            select
                values.row_id,
                values.column_name,
                substr(values.text, chunks.chunk_start, {{ chunk }} + name_span.longest - 1) as text,
            from (
                select row_id, column_name, lower(value) as text
                from (
                    select
                        row_number() over () as row_id,
                        {%- for column in columns %}
                        {{ column | ident }}::varchar as {{ column | ident }},
                        {%- endfor %}
                    from {{ relation | ident }}
                )
                unpivot (value for column_name in ({{ columns | ident_list }}))
            ) as values
            cross join name_span
            cross join unnest(range(1, length(values.text) + 1, {{ chunk }})) as chunks(chunk_start)
        ) as texts
        inner join name_lengths on name_lengths.size <= length(texts.text)
        cross join unnest(range(1, length(texts.text) - name_lengths.size + 2)) as starts(start)
        inner join roster_names on roster_names.name = substr(texts.text, starts.start, name_lengths.size)
    )
    group by column_name
),
{%- elif relation in people %}
{%- set source, key, name = people[relation] %}

{{ ('name_hits_' ~ relation) | ident }} as (
    select {{ relation | literal }} as relation, hit, hits
    from (
        select
            {%- for column in columns %}
            count(*) filter (where contains(lower(safe.{{ column | ident }}::varchar), person.name)) as {{ (column ~ '|own name') | ident }},
            {%- endfor %}
        from {{ relation | ident }} as safe
        inner join (select {{ key | ident }} as person_key, lower({{ name }}) as name from {{ source | ident }}) as person
            on person.person_key = safe.{{ key | ident }}
    )
    unpivot (hits for hit in (columns(*)))
),
{%- endif %}
{%- endfor %}

hits as (
    {%- for relation, columns in text_columns.items() %}
    select * from {{ ('pattern_hits_' ~ relation) | ident }}
    {%- if relation in small or relation in people %}
    union all
    select * from {{ ('name_hits_' ~ relation) | ident }}
    {%- endif %}
    {{ "union all" if not loop.last }}
    {%- endfor %}
),

final as (
    select
        relation,
        split_part(hit, '|', 1) as column_name,
        split_part(hit, '|', 2) as kind,
        hits,
    from hits
    where hits > 0
)

select * from final
order by relation, column_name, kind
