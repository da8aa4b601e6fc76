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
-- Names are scanned two ways, for cost: the LLM-facing outputs
-- (fill_events, staffing_answers) and the free-text fixtures against every
-- roster name; the person relations row by row against that row's own
-- person (the name redaction could miss), joined by key or file position.
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

pattern_hits as (
    {%- for relation, columns in text_columns.items() %}
    {%- set outer = loop %}
    {%- for column in columns %}
    select
        {{ relation | literal }} as relation,
        {{ column | literal }} as column_name,
        count(*) filter (where regexp_matches(value, email_pattern())) as email,
        count(*) filter (where regexp_matches(value, phone_pattern())) as phone,
        count(*) filter (where regexp_matches(value, ssn_pattern())) as ssn,
    from (select {{ column | ident }}::varchar as value from {{ relation | ident }})
    {{ "union all" if not (loop.last and outer.last) }}
    {%- endfor %}
    {%- endfor %}
),

pattern_findings as (
    select relation, column_name, kind, hits
    from pattern_hits
    unpivot (hits for kind in (email, phone, ssn))
    where hits > 0
),

scanned_texts as (
    {%- set small = ['fill_events', 'staffing_answers', 'sparse_workers_safe', 'new_candidates_safe', 'client_roster_safe'] %}
    {%- set ns = namespace(first=true) %}
    {%- for relation, columns in text_columns.items() if relation in small %}
    {%- for column in columns %}
    {{ "" if ns.first else "union all" }}
    select {{ relation | literal }} as relation, {{ column | literal }} as column_name, lower({{ column | ident }}::varchar) as value
    from {{ relation | ident }}
    {%- set ns.first = false %}
    {%- endfor %}
    {%- endfor %}
),

roster_name_findings as (
    select
        scanned_texts.relation,
        scanned_texts.column_name,
        'roster name' as kind,
        count(*) as hits,
    from scanned_texts
    inner join roster_names on contains(scanned_texts.value, roster_names.name)
    group by scanned_texts.relation, scanned_texts.column_name
),

own_names as (
    {%- set people = {
        'workers_safe': ('raw_workers_500k', 'worker_id', 'name'),
        'workers_100k_safe': ('raw_workers_100k', 'worker_id', 'name'),
        'ethereal_workers_safe': ('raw_ethereal_workers', 'worker_id', 'name'),
        'candidates_safe': ('raw_candidates', 'candidate_id', "first_name || ' ' || last_name"),
    } %}
    {%- set ns = namespace(first=true) %}
    {%- for relation, columns in text_columns.items() if relation in people %}
    {%- set source, key, name = people[relation] %}
    {%- for column in columns %}
    {{ "" if ns.first else "union all" }}
    select
        {{ relation | literal }} as relation,
        {{ column | literal }} as column_name,
        'own name' as kind,
        count(*) as hits,
    from {{ relation | ident }} as safe
    inner join (select {{ key | ident }} as person_key, lower({{ name }}) as name from {{ source | ident }}) as person
        on person.person_key = safe.{{ key | ident }}
    where contains(lower(safe.{{ column | ident }}::varchar), person.name)
    having count(*) > 0
    {%- set ns.first = false %}
    {%- endfor %}
    {%- endfor %}
),

final as (
    select * from pattern_findings
    union all
    select * from roster_name_findings
    union all
    select * from own_names
)

select * from final
order by relation, column_name, kind
