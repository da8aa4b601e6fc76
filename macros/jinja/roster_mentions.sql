{#-
  roster_mentions(relation, columns) -> a table expression (text VARCHAR, forms VARCHAR[])

  For every distinct text of the given columns of relation that has a word
  pair (_gate_pairs of _gate_words) beginning a roster person's full name, the
  full-name forms of those people: pass them to redact_text with the row's
  own forms. A hash join of every text's word pairs with roster_name_keys
  (built once per run): its cost grows with the text and the roster, never
  with their product. A text that meets no key is not listed (left join, then
  coalesce(mentions.forms, [])). The join is on the text itself, and each
  distinct text is read once, so a text repeated in many rows is looked at
  once.
  A pair around a one-letter word ('tomas k brandt' gives 'tomas brandt')
  also brings the key's 'first ...' forms with that initial after the first
  word ('tomas k. brandt', 'tomas k.brandt', 'tomas k brandt'): a middle
  initial the roster does not hold, or a roster middle name written as its
  initial.
  The gate over-matches on purpose (a key is only two words, and a handle
  such as 'kevin.ng2' holds one; an address's mailbox does not count, as
  redact_text replaces the address first): redact_text decides what is a
  whole full name.

    left join {{ roster_mentions('workers', ['communications', 'resume_text']) }} as mentions
        on mentions.text = workers.communications
-#}
{% macro roster_mentions(relation, columns) -%}
(
    select
        texts.text,
        list_distinct(flatten(list(list_concat(
            roster_name_keys.forms,
            -- a one-letter middle word the roster does not hold ('Tomas K. Brandt' for Tomas Brandt,
            -- 'Mary E. Smith' for Mary Ellen Smith): each 'first ...' form of the key with that
            -- initial after its first word, dotted, dotted and glued to what follows ('Grace Q.Okafor'),
            -- and bare unless it is the word 'a' or 'i'
            case when texts.middle <> '' then flatten(list_transform(
                list_filter(roster_name_keys.forms, lambda _form: starts_with(_form, texts.first || ' ') and not contains(_form, ',')),
                lambda _form: list_concat(
                    [
                        texts.first || ' ' || texts.middle || '. ' || substr(_form, length(texts.first) + 2),
                        texts.first || ' ' || texts.middle || '.' || substr(_form, length(texts.first) + 2),
                    ],
                    case when texts.middle not in ('a', 'i')
                        then [texts.first || ' ' || texts.middle || ' ' || substr(_form, length(texts.first) + 2)]
                        else []::varchar[] end
                )
            )) else []::varchar[] end
        )))) as forms,
    from (
        -- a pair repeated in a text is not made distinct here: that would hash the whole text once
        -- per word pair; a key's forms met twice are dropped by list_distinct above
        select
            text,
            pair.gram,
            pair.middle,
            split_part(pair.gram, ' ', 1) as first,
        from (
            select
                text,
                unnest(_gate_pairs(_gate_words(fold_text(text)))) as pair,
            from (
                {%- for column in columns %}
                select distinct {{ column | ident }} as text from {{ relation | ident }}
                {{- "\n                union" if not loop.last }}
                {%- endfor %}
            )
            where text is not null
        )
    ) as texts
    inner join roster_name_keys on roster_name_keys.gram = texts.gram
    group by texts.text
)
{%- endmacro %}
