-- id: no_pii_in_outputs
-- phase: pii
-- severity: blocking
-- description: No output about to be published holds an email, phone number, SSN, a roster person's full name or a person row's own name, in any form of contract section 6.
--
-- Produces: one row per (relation, column, kind) with at least one hit, and
--           how many values hit; never the values themselves.
-- Grain:    one row per (relation, column_name, kind); kind is one of
--           email, phone, ssn, roster name, own name, assigned name.
-- Inputs:   every text column (VARCHAR or VARCHAR[]) of every relation about
--           to be published (text_columns, from the runner); the raw person
--           relations raw_<dataset> (workers_500k and its siblings,
--           client_workersi, candidates, sparse_workers, new_candidates) and
--           the scenario files' assignments, for the names.
--
-- The scan is defence in depth, independent of the redaction: it calls none
-- of the redaction macros or patterns, only its own scan_* detectors, and it
-- detects every form of §6 in text no redactor has touched. Matching is
-- cheap and tokenising text is not (~250 MB of text per scale unit in the
-- worker relations), so each relation is read once into rows_<relation>
-- (its columns, and the row's columns joined and folded once: scan_fold),
-- cheap row gates pick the rows worth a closer look, and only those rows'
-- values are folded and tested one by one:
--   email, phone, ssn: gate = one RE2 pass over the row text (the `gate`
--     below: '@', digits with a separator inside, seven digits in a row, a
--     dot before a common top-level domain); then scan_has_email,
--     scan_has_phone, scan_has_ssn on each value of a gated row.
--   roster name: every full-name form of every roster person (scan_name_forms:
--     with or without middle initial, 'Last, First', 'F. Last') holds the
--     person's last name, so gate = the row text cut into words (every
--     character but a letter or an apostrophe separates them: a
--     name directly followed by '!!', an emoji, '…', ':)' or ',' is a word of
--     its own, and so are the parts of 'Okonkwo,Chidi', 'N.Raman',
--     'chidi_okonkwo', 'grace-okafor'), hash-joined on roster_anchors (every
--     roster last name, bare, without its apostrophes, with a possessive or
--     in quotes; digits separate too, so a login's number does not hide the
--     last name: 'grace.okafor2').
--     The cut is cheap where it matters: an ASCII row text (nearly
--     all the text of the large worker relations) goes through one
--     translate() of its ASCII separators to spaces and string_split; only a
--     row holding another character is cut by a regular expression. A gated
--     value's words (scan_words, dots between letters kept: 'n.raman') are
--     unnested with their positions; where a word is
--     a form's first or last word, the n-gram of that form's size starting or
--     ending there is put together (a join on position, not a list lambda,
--     which would copy a long value's word list once per word) and
--     hash-joined on roster_forms, as it is and with its inner one-letter
--     words as '?' (the 'first ? last' forms: a middle initial the roster
--     does not hold), or the initial glued to a pair's last word ('grace
--     q.okafor' as 'grace ?.okafor'). No regex per name, no loop per name: the cost grows
--     with the text plus the roster, not their product.
--   own name: in a person relation (a row is one person, joined by key to its
--     raw row; sparse_workers_safe, which has no id, by row position) gate = contains() of any part of the person's name of two
--     letters or more (scan_name_parts) in the row text; then the part as a
--     whole word of a value ('ng' is in 'morning' but is not a word of it).
--   assigned name: the same, in a relation with a scenario_id column (the
--     corpus, fill_events), for the workers that scenario assigns.
-- A value is counted once per (column, kind), whatever the number of hits.
{%- set people = {
    'workers_safe': ('raw_workers_500k', 'worker_id', 'name'),
    'workers_100k_safe': ('raw_workers_100k', 'worker_id', 'name'),
    'ethereal_workers_safe': ('raw_ethereal_workers', 'worker_id', 'name'),
    'client_roster_safe': ('raw_client_workersi', 'worker_id', 'name'),
    'candidates_safe': ('raw_candidates', 'candidate_id', "first_name || ' ' || last_name"),
    'sparse_workers_safe': ('raw_sparse_workers', none, 'name'),
} %}
{#- a person relation whose key is none has no id: its rows are matched to the raw rows by position
    (sparse_workers_safe keeps the file's row order: the view orders by file_row) #}
{#- what may stick to a last name in a word the gate cuts (apostrophes only): "O'Neil's", "'Ruiz'" #}
{%- set prefixes = ['', "'"] %}
{%- set suffixes = ['', "'s", "'"] %}
{#- every ASCII character but a letter, the apostrophe and the space: the gate's separators in ASCII text #}
{%- set ascii_separators = '0123456789!"#$%&()*+,-./:;<=>?@[\\]^_`{|}~\u0001\u0002\u0003\u0004\u0005\u0006\u0007\u0008\u0009\u000a\u000b\u000c\u000d\u000e\u000f\u0010\u0011\u0012\u0013\u0014\u0015\u0016\u0017\u0018\u0019\u001a\u001b\u001c\u001d\u001e\u001f\u007f' %}
{#- columns are joined by ' \x1f ', which no part of the gate matches across #}
{%- set gate = "@|[0-9][-./) ]{1,3}\\(?[0-9]|[0-9]{7}|(?:\\.| dot | \\. | ?[\\[({<](?:dot|\\.)[\\])}>] ?)(?:com|net|org|edu|gov|mil|int|info|biz|io|co|us|uk|ca|de|fr|me)(?:[^a-z0-9_]|$)" %}
{%- set value_ctes = [] %}
with

scenario_assignments as (
    select
        scenario_id,
        assignee.name as name,
    from (
        select scenario_id, unnest(fill.assigned) as assignee
        from (select scenario_id, unnest(fills) as fill from {{ read_scenarios('$scenario_paths') }})
    )
),

roster_people as (
    select
        name,
        {{ scan_fold('name') }} as folded_name,
    from (
        select distinct name
        from (
        select name from raw_workers_500k
        union all
        select name from raw_workers_100k
        union all
        select name from raw_ethereal_workers
        union all
        select name from raw_client_workersi
        union all
        select first_name || ' ' || last_name as name from raw_candidates
        union all
        select name from raw_sparse_workers
        union all
        select name from raw_new_candidates
        union all
        select name from scenario_assignments
        )
        where name is not null
    )
),

roster_forms as (
    select distinct
        form,
        len(string_split(form, ' ')) as words,
    from (
        select unnest({{ scan_name_forms('folded_name') }}) as form
        from roster_people
    )
),

roster_last_names as (
    -- the last word as typed, folded ('garcia-lopez', 'o''neil'), without its apostrophes, without its
    -- hyphens ('alsayed' for al-Sayed), and each of its words
    select distinct last_name
    from (
        select unnest(list_concat(
            [last_word, replace(last_word, '''', ''), replace(last_word, '-', '')],
            string_split(translate(last_word, '-''.', '   '), ' ')
        )) as last_name
        from (
            -- the last word before a generational suffix ('Tomas Brandt Jr.' -> 'brandt'), as scan_name_forms reads it
            select string_split(regexp_replace(trim(folded_name), '^(\S+\s+.*\S)\s+(?:jr|sr|ii|iii|iv)\.?$', '\1'), ' ')[-1] as last_word
            from roster_people
        )
    )
    where length(last_name) >= 2
),

roster_anchors as (
    select distinct prefixes.prefix || roster_last_names.last_name || suffixes.suffix as anchor
    from roster_last_names
    cross join (select unnest([{{ prefixes | map('literal') | join(', ') }}]) as prefix) as prefixes
    cross join (select unnest([{{ suffixes | map('literal') | join(', ') }}]) as suffix) as suffixes
),
roster_name_parts as (
    select
        name,
        {{ scan_name_parts('folded_name') }} as parts,
    from roster_people
),
{%- for relation, columns in text_columns.items() if 'scenario_id' in columns and relation not in people %}
{%- do people.update({relation: ('scenario_assignments', 'scenario_id', 'name')}) %}
{%- endfor %}
{%- set scenario_relations = [] %}
{%- for relation, source in people.items() if source[0] == 'scenario_assignments' %}{% do scenario_relations.append(relation) %}{% endfor %}
{%- for relation, source in people.items() if relation in text_columns %}

{{ ('person_parts_' ~ relation) | ident }} as (
    -- a key held by two raw rows (a planted duplicate) gets the parts of both names
    select
        people.person_key,
        list_distinct(flatten(list(roster_name_parts.parts))) as parts,
    from (
        select
            {% if source[1] %}{{ source[1] | ident }}::varchar{% else %}(row_number() over ())::varchar{% endif %} as person_key,
            {{ source[2] }} as name,
        from {{ source[0] | ident }}
    ) as people
    inner join roster_name_parts on roster_name_parts.name = people.name
    group by people.person_key
),
{%- endfor %}
{%- for relation, columns in text_columns.items() %}
{%- set person = people.get(relation) %}
{%- do value_ctes.append('values_' ~ relation) %}

{{ ('rows_' ~ relation) | ident }} as materialized (
    select
        row_id,
        row_text,
        regexp_matches(row_text, {{ gate | literal }}) as pattern_gate,
        {%- if person %}
        case when list_bool_or(list_transform(parts, name_part -> contains(row_text, name_part))) then parts end as own_parts,
        {%- else %}
        null::varchar[] as own_parts,
        {%- endif %}
        {%- for column in columns %}
        {{ column | ident }},
        {%- endfor %}
    from (
        select
            * exclude (joined_text),
            {{ scan_fold('joined_text') }} as row_text,
        from (
            select
                *,
                -- an empty value would make a doubled space, which sends the row to the slow fold
                concat_ws(' ' || chr(31) || ' ', {% for column in columns %}nullif({{ column | ident }}, ''){{ ', ' if not loop.last }}{% endfor %}) as joined_text,
            from (
                select
                    row_number() over () as row_id,
                    {%- if person %}
                    person.parts,
                    {%- endif %}
                    {%- for column in columns %}
                    output.{{ column | ident }}::varchar as {{ column | ident }},
                    {%- endfor %}
                {%- if person and not person[1] %}
                from (select *, (row_number() over ())::varchar as scan_position from {{ relation | ident }}) as output
                {%- else %}
                from {{ relation | ident }} as output
                {%- endif %}
                {%- if person %}
                left join {{ ('person_parts_' ~ relation) | ident }} as person
                    on person.person_key = {% if person[1] %}output.{{ person[1] | ident }}::varchar{% else %}output.scan_position{% endif %}
                {%- endif %}
            )
        )
    )
),

{{ ('roster_gated_' ~ relation) | ident }} as (
    select distinct row_tokens.row_id
    from (
        select
            row_id,
            unnest(case
                when strlen(row_text) = length(row_text)
                    then string_split(translate(row_text, {{ ascii_separators | literal }}, {{ (' ' * (ascii_separators | length)) | literal }}), ' ')
                else string_split_regex(row_text, '[^\pL'']+')
            end) as token
        from {{ ('rows_' ~ relation) | ident }}
    ) as row_tokens
    inner join roster_anchors on roster_anchors.anchor = row_tokens.token
),

{{ ('values_' ~ relation) | ident }} as (
    select
        {{ relation | literal }} as relation,
        column_name,
        row_id,
        pattern_gate,
        roster_gate,
        own_parts,
        {{ scan_fold('value') }} as text,
    from (
        select
            gated_rows.row_id,
            gated_rows.pattern_gate,
            roster_gated.row_id is not null as roster_gate,
            gated_rows.own_parts,
            {%- for column in columns %}
            gated_rows.{{ column | ident }},
            {%- endfor %}
        from {{ ('rows_' ~ relation) | ident }} as gated_rows
        left join {{ ('roster_gated_' ~ relation) | ident }} as roster_gated
            on roster_gated.row_id = gated_rows.row_id
        where gated_rows.pattern_gate
            or gated_rows.own_parts is not null
            or roster_gated.row_id is not null
    )
    unpivot (value for column_name in ({{ columns | ident_list }}))
),
{%- endfor %}

gated_values as materialized (
    {{ union_all(value_ctes, "select null::varchar as relation, null::varchar as column_name, null::bigint as row_id, null::boolean as pattern_gate, null::boolean as roster_gate, null::varchar[] as own_parts, null::varchar as text where false") }}
),

pattern_hits as (
    select
        relation,
        column_name,
        kind,
        hits,
    from (
        select
            relation,
            column_name,
            count(*) filter (where {{ scan_has_email('text') }}) as email,
            count(*) filter (where {{ scan_has_phone('text') }}) as phone,
            count(*) filter (where {{ scan_has_ssn('text') }}) as ssn,
        from gated_values
        where pattern_gate
        group by relation, column_name
    )
    unpivot (hits for kind in (email, phone, ssn))
),

name_scanned_values as (
    select
        relation,
        column_name,
        row_id,
        {{ scan_words('text', dotted=true) }} as words,
    from gated_values
    where roster_gate
),

value_words as materialized (
    select
        relation,
        column_name,
        row_id,
        unnest(words) as word,
        generate_subscripts(words, 1) as position,
    from name_scanned_values
),

form_edges as (
    -- a form can only start or end where its first or last word stands
    select distinct 'start' as edge, string_split(form, ' ')[1] as word, words from roster_forms
    union
    select distinct 'end' as edge, string_split(form, ' ')[-1] as word, words from roster_forms
),

ngram_anchors as (
    -- where a form may sit in a value: its first position, and its size
    select
        value_words.relation,
        value_words.column_name,
        value_words.row_id,
        case when form_edges.edge = 'start' then value_words.position
            else value_words.position - form_edges.words + 1 end as first_position,
        form_edges.words,
    from value_words
    inner join form_edges on form_edges.word = value_words.word
),

ngram_words as (
    select distinct
        ngram_anchors.relation,
        ngram_anchors.column_name,
        ngram_anchors.row_id,
        ngram_anchors.first_position,
        ngram_anchors.words,
        ngram_anchors.first_position + unnest(range(ngram_anchors.words)) as position,
    from ngram_anchors
    where ngram_anchors.first_position >= 1
),

value_ngrams as (
    -- each candidate n-gram as words joined by single spaces, like roster_forms; one built from
    -- fewer words (past the value's end) can only equal a shorter form, which is also a real hit
    select
        ngram_words.relation,
        ngram_words.column_name,
        ngram_words.row_id,
        string_agg(value_words.word, ' ' order by value_words.position) as ngram,
        -- a one-letter word inside the n-gram as '?', for the 'first ? last' forms: a middle initial
        -- the roster does not hold; bare 'a' and 'i' are words, so only with a dot (4 words); and the
        -- letter of a last word glued on with a dot ('grace q.okafor'), for the 'first ?.last' forms
        string_agg(
            case
                when value_words.position > ngram_words.first_position
                    and value_words.position < ngram_words.first_position + ngram_words.words - 1
                    and length(value_words.word) = 1 and value_words.word not in ('.', ',')
                    and (ngram_words.words = 4 or value_words.word not in ('a', 'i'))
                    then '?'
                when ngram_words.words = 2 and value_words.position = ngram_words.first_position + 1
                    and regexp_matches(value_words.word, '^\pL\.\pL\pL')
                    then '?' || substr(value_words.word, 2)
                else value_words.word
            end,
            ' ' order by value_words.position
        ) as masked_ngram,
        -- an n-gram cut short by the value's end: its '?' would stand for a last word
        count(*) = any_value(ngram_words.words) as whole,
    from ngram_words
    inner join value_words
        on value_words.relation = ngram_words.relation
        and value_words.column_name = ngram_words.column_name
        and value_words.row_id = ngram_words.row_id
        and value_words.position = ngram_words.position
    group by ngram_words.relation, ngram_words.column_name, ngram_words.row_id, ngram_words.first_position, ngram_words.words
),

roster_name_hits as (
    select
        value_ngrams.relation,
        value_ngrams.column_name,
        'roster name' as kind,
        count(distinct value_ngrams.row_id) as hits,
    from (
        select relation, column_name, row_id, ngram from value_ngrams
        union
        select relation, column_name, row_id, masked_ngram as ngram from value_ngrams where whole
    ) as value_ngrams
    inner join roster_forms on roster_forms.form = value_ngrams.ngram
    group by value_ngrams.relation, value_ngrams.column_name
),

own_name_hits as (
    select
        relation,
        column_name,
        case when relation in ({{ scenario_relations | map('literal') | join(', ') or "''" }}) then 'assigned name' else 'own name' end as kind,
        count(distinct row_id) as hits,
    from gated_values
    where own_parts is not null
        and list_has_any({{ scan_words('text') }}, own_parts)
    group by relation, column_name
),

final as (
    select
        relation,
        column_name,
        kind,
        hits,
    from (
        select relation, column_name, kind, hits from pattern_hits
        union all
        select relation, column_name, kind, hits from roster_name_hits
        union all
        select relation, column_name, kind, hits from own_name_hits
    )
    where hits > 0
)

select relation, column_name, kind, hits from final
order by relation, column_name, kind
