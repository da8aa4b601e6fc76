{#-
  roster_mentions(relation, columns) -> a table expression (text VARCHAR, forms VARCHAR[])

  For every distinct text of the given columns of relation that has a word
  pair (_gate_pairs of _gate_words) beginning a roster person's full name, the
  full-name forms of those people: pass them to redact_text with the row's
  own forms. A hash join of every text's word pairs with roster_name_keys
  (built once per run): its cost grows with the text and the roster, never
  with their product. A text that meets no key is not listed (left join, then
  coalesce(mentions.forms, [])). Each distinct text is read once, so a text
  repeated in many rows is looked at once; inside, a text is known by its md5
  (a megabyte of notes makes a row per word pair, and no join or distinct
  carries the text itself on those rows). The caller joins on the text.
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
    with

    texts as (
        select
            text,
            md5(text) as text_md5,
        from (
            {%- for column in columns %}
            select distinct {{ column | ident }} as text from {{ relation | ident }}
            {{- "\n            union" if not loop.last }}
            {%- endfor %}
        )
        where text is not null
    )

    select
        texts.text,
        mentions.forms,
    from texts
    inner join (
        select
            hits.text_md5,
            list_distinct(flatten(list(list_concat(
                roster_name_keys.forms,
                -- a one-letter middle word the roster does not hold ('Tomas K. Brandt' for Tomas Brandt,
                -- 'Mary E. Smith' for Mary Ellen Smith): each 'first ...' form of the key with that
                -- initial after its first word, dotted, dotted and glued to what follows ('Grace Q.Okafor'),
                -- and bare unless it is the word 'a' or 'i'
                case when hits.middle <> '' then flatten(list_transform(
                    list_filter(roster_name_keys.forms, lambda _form: starts_with(_form, hits.first || ' ') and not contains(_form, ',')),
                    lambda _form: list_concat(
                        [
                            hits.first || ' ' || hits.middle || '. ' || substr(_form, length(hits.first) + 2),
                            hits.first || ' ' || hits.middle || '.' || substr(_form, length(hits.first) + 2),
                        ],
                        case when hits.middle not in ('a', 'i')
                            then [hits.first || ' ' || hits.middle || ' ' || substr(_form, length(hits.first) + 2)]
                            else []::varchar[] end
                    )
                )) else []::varchar[] end
            )))) as forms,
        from (
            -- each word pair that is a roster key, once per text: the join (a probe of a small hash
            -- table) keeps only the pairs that are keys before any distinct, so the distinct is over
            -- the few hits, not over every word pair of every text. The text is known by its md5: a
            -- long text (a megabyte of notes) makes a row per word pair, and carrying or hashing the
            -- text itself on each of those rows costs its length every time
            select distinct
                pairs.text_md5,
                pairs.pair.gram as gram,
                pairs.pair.middle as middle,
                split_part(pairs.pair.gram, ' ', 1) as first,
            from (
                select
                    text_md5,
                    unnest(_gate_pairs(_gate_words(fold_text(text)))) as pair,
                from texts
            ) as pairs
            semi join roster_name_keys on roster_name_keys.gram = pairs.pair.gram
        ) as hits
        inner join roster_name_keys on roster_name_keys.gram = hits.gram
        group by hits.text_md5
    ) as mentions
        on mentions.text_md5 = texts.text_md5
)
{%- endmacro %}
