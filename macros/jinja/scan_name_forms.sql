{#-
  scan_name_forms(folded_name) -> VARCHAR[]                    (the PII scan)

  The full-name forms of one roster person, each as its scan_words (dotted)
  joined by single spaces, for the roster scan's n-gram join (§6: the full
  name with or without the middle initial, 'Last, First', 'F. Last'):
    first last / first middle last (as written, and without its dots, and a
    one-letter middle with a dot) / last , first / last ,, first and
    first ,, last (a comma with no space after it, scan_words: 'Okafor,Grace'
    and a CSV row's 'GRACE,OKAFOR') / f . last / f.last / f last (not when
    f is 'a' or 'i', which are words) / first m.last (a one-letter middle
    glued to the last name) / first.last / first ? last, first ? . last and
    first ?.last, where '?' stands for any one-letter middle word (the
    roster scan writes a one-letter word inside an n-gram as '?' too, and
    the letter of a last word 'q.okafor' likewise: 'Tomas K. Brandt' for
    Tomas Brandt, 'Mary E. Smith' for Mary Ellen Smith, 'Grace Q.Okafor'
    for Grace Okafor)
  and, for a name of three words or more, the same first / f . / , forms
  with a surname of its last two or three words ('maria garcia lopez',
  'm . garcia lopez', 'p . van der berg'), never starting right after a
  particle (van, der, de, al...) nor with an initial; and a last name with
  a particle hyphenated on, joined ('omar alsayed' for Omar al-Sayed);
  where first is the name's first space-separated word, last its last one
  (a hyphenated word keeps its parts: 'anne-marie' -> 'anne marie'),
  middle the words between. A last name with an apostrophe also gives
  first last, first middle last, last , first and f . last with the
  apostrophe as a space ('sean o brien' for Sean O'Brien: scan_words drops
  the apostrophe of "O' Brien", so it reads 'o brien' too). A generational suffix (jr, sr, ii, iii, iv) at
  the end of a name of three words or more is not the last name: the forms
  are those of the name without it, and the name as written.
  folded_name is SQL text for scan_fold(name). A name of fewer than two
  words, or whose last word is one letter, has no forms (NULL). One
  regexp_extract_all per name: words are told apart by a '|' token put
  where the name has a space.
    scan_name_forms(scan_fold("'Susan X. Ruiz'"))
      -> ['susan ruiz', 'susan x . ruiz', 'susan x ruiz', 'susan x . ruiz', 'ruiz , susan', 'ruiz ,, susan',
          'susan ,, ruiz', 's . ruiz', 's.ruiz', 's ruiz', 'susan x.ruiz', 'susan.ruiz', 'susan ? ruiz',
          'susan ? . ruiz', 'susan ?.ruiz']
    scan_name_forms(scan_fold("'Tomas Brandt Jr.'"))
      -> ['tomas brandt', 'brandt , tomas', 'brandt ,, tomas', 'tomas ,, brandt', 't . brandt', 't.brandt',
          't brandt', 'tomas.brandt', 'tomas ? brandt', 'tomas ? . brandt', 'tomas ?.brandt', 'tomas brandt jr .',
          'tomas brandt jr']
-#}
{% macro scan_name_forms(folded_name) -%}
{%- set particles = ['van', 'der', 'den', 'von', 'de', 'la', 'las', 'los', 'del', 'della', 'des', 'al', 'el', 'bin', 'bint', 'ibn', 'da', 'das', 'do', 'dos', 'di', 'du', 'le', 'st', 'st .', 'ter', 'ten', 'y'] | map('literal') | join(', ') %}
list_transform(
    [{
        'name': trim({{ folded_name }}),
        'stripped': regexp_replace(trim({{ folded_name }}), '^(\S+\s+.*\S)\s+(?:jr|sr|ii|iii|iv)\.?$', '\1'),
    }],
    name_spellings -> list_concat(
        list_transform(
            [list_filter(
                list_transform(
                    string_split(array_to_string(regexp_extract_all(replace(replace(name_spellings.stripped, '''', ''), ' ', ' | '), '[\pL\pN]+|[.,|]'), ' '), '|'),
                    name_word -> trim(name_word)
                ),
                name_word -> name_word <> ''
            )],
            name_words -> list_transform(
                [{
                    'first': name_words[1],
                    'middle': array_to_string(name_words[2:-2], ' '),
                    'bare_middle': trim(replace(' ' || array_to_string(name_words[2:-2], ' ') || ' ', ' . ', ' ')),
                    'last': name_words[-1],
                    -- a last name with an apostrophe, as words ('o brien' for O'Brien): NULL when it has none
                    'spaced_last': case when contains(regexp_extract(name_spellings.stripped, '(\S+)$', 1), '''')
                        then array_to_string(regexp_extract_all(regexp_extract(name_spellings.stripped, '(\S+)$', 1), '[\pL\pN]+'), ' ') end,
                }],
                forms -> case when len(name_words) >= 2 and forms.first not in ('.', ',') and length(forms.last) >= 2 then list_distinct(list_filter([
                    forms.first || ' ' || forms.last,
                    case when forms.middle <> '' then forms.first || ' ' || forms.middle || ' ' || forms.last end,
                    case when forms.bare_middle <> '' then forms.first || ' ' || forms.bare_middle || ' ' || forms.last end,
                    case when length(forms.bare_middle) = 1 then forms.first || ' ' || forms.bare_middle || ' . ' || forms.last end,
                    forms.last || ' , ' || forms.first,
                    forms.last || ' ,, ' || forms.first,
                    forms.first || ' ,, ' || forms.last,
                    left(forms.first, 1) || ' . ' || forms.last,
                    left(forms.first, 1) || '.' || forms.last,
                    case when left(forms.first, 1) not in ('a', 'i') then left(forms.first, 1) || ' ' || forms.last end,
                    case when length(forms.bare_middle) = 1 then forms.first || ' ' || forms.bare_middle || '.' || forms.last end,
                    -- the apostrophe of the last name as a space, or followed by one: "sean o' brien", 'sean o brien'
                    forms.first || ' ' || forms.spaced_last,
                    case when forms.middle <> '' then forms.first || ' ' || forms.middle || ' ' || forms.spaced_last end,
                    case when forms.bare_middle <> '' then forms.first || ' ' || forms.bare_middle || ' ' || forms.spaced_last end,
                    forms.spaced_last || ' , ' || forms.first,
                    left(forms.first, 1) || ' . ' || forms.spaced_last,
                    forms.first || '.' || forms.last,
                    forms.first || ' ? ' || forms.last,
                    forms.first || ' ? . ' || forms.last,
                    forms.first || ' ?.' || forms.last,
                    -- a last name with a particle hyphenated on, joined: 'omar alsayed' for Omar al-Sayed
                    case when regexp_matches(forms.last, '^(?:al|el|ul|bin|ben|abu|abd|van|von|de|di|da|du|le|la|st) \pL') then forms.first || ' ' || replace(forms.last, ' ', '') end,
                ], candidate -> candidate is not null) || flatten(list_transform(
                    -- a surname of the last two or three words ('garcia lopez', 'van der berg'), never
                    -- starting right after a particle nor with an initial
                    list_filter(
                        range(greatest(2, len(name_words) - 2), len(name_words)),
                        surname_at -> name_words[surname_at - 1] not in ({{ particles }})
                            and not regexp_full_match(name_words[surname_at], '\pL(?: \.)?')
                    ),
                    surname_at -> list_transform([array_to_string(name_words[surname_at:], ' ')], surname -> [
                        forms.first || ' ' || surname,
                        left(forms.first, 1) || ' . ' || surname,
                        surname || ' , ' || forms.first,
                    ])[1]
                ))) end
            )[1]
        )[1],
        -- a name with a suffix, as written
        case when name_spellings.stripped <> name_spellings.name then list_distinct([
            array_to_string(regexp_extract_all(replace(name_spellings.name, '''', ''), '[\pL\pN]+|[.,]'), ' '),
            array_to_string(regexp_extract_all(replace(name_spellings.name, '''', ''), '[\pL\pN]+|,'), ' '),
        ]) else []::varchar[] end
    )
)[1]
{%- endmacro %}
