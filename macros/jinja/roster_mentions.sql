{#-
  roster_mentions(relation, columns) -> a table expression (text VARCHAR, forms VARCHAR[])

  For every distinct text of the given columns of relation that has a word
  pair (_gate_pairs of _gate_words) beginning a roster person's full name, the
  full-name forms of those people: pass them to redact_text with the row's
  own forms. A hash join of every text's word pairs with roster_name_keys
  (built once per run): its cost grows with the text and the roster, never
  with their product. A text that meets no key is not listed (left join, then
  coalesce(mentions.forms, [])). The join is on the text itself, so a text
  repeated in many rows is looked at once.
  The gate over-matches on purpose (a key is only two words, and an address
  such as 'kevin.ng@x.com' holds one): redact_text decides what is a whole
  full name.

    left join {{ roster_mentions('workers', ['communications', 'resume_text']) }} as mentions
        on mentions.text = workers.communications
-#}
{% macro roster_mentions(relation, columns) -%}
(
    select
        texts.text,
        list_distinct(flatten(list(roster_name_keys.forms))) as forms,
    from (
        select distinct
            text,
            unnest(_gate_pairs(_gate_words(fold_text(text)))) as gram,
        from (
            {%- for column in columns %}
            select {{ column | ident }} as text from {{ relation | ident }}
            {{- "\n            union\n" if not loop.last }}
            {%- endfor %}
        )
        where text is not null
    ) as texts
    inner join roster_name_keys on roster_name_keys.gram = texts.gram
    group by texts.text
)
{%- endmacro %}
