-- _name_spelling_forms(words, every_part) -> LIST(VARCHAR)      (private helper of name_forms)
--
-- The forms of one spelling of a name, given as its folded words
-- (['susan', 'x.', 'ruiz']), unsorted and possibly repeated; name_forms
-- gathers them over every spelling, drops repeats and sorts them.
-- Full-name forms (anyone on any roster):
--   as written, and without the dots        'susan x. ruiz', 'susan x ruiz'
--   first and last, no middle               'susan ruiz'
--   middle names as initials                'mary e. smith', 'mary e smith' (Mary Ellen Smith)
--   a surname of 2 or 3 words                'maria garcia lopez', 'm. garcia lopez', 'garcia lopez, maria'
--                                            (María José García López); 'p. van der berg' (never
--                                            after a particle: no 'pieter der berg')
--   a hyphenated particle joined             'omar alsayed' (Omar al-Sayed)
--   Last, First and Last,First              'ruiz, susan', 'ruiz,susan'
--   First,Last (a CSV row)                  'susan,ruiz'
--   F. Last, F.Last and F Last              's. ruiz', 's.ruiz', 's ruiz' (not 'a ...' or 'i ...':
--                                            those initials are words)
--   a middle initial glued to the surname   'mary e.smith', 'susan x.ruiz'
--   first.last and first_last handles       'susan.ruiz', 'susan_ruiz'
-- every_part (the row's own person, a scenario's assigned workers) adds each
-- word without its dots, each word joined ('annemarie', 'oneil') and each
-- piece of a hyphenated or apostrophe word ('anne', 'marie', 'angelo').
-- Then every form also with its hyphens as spaces, and with its apostrophes
-- dropped, as spaces or followed by a space ("o' brien"); a form of fewer
-- than two letters is dropped.
--
-- Example:
--   _name_spelling_forms(['kevin', 'ng'], false)
--     -> ['kevin ng', 'kevin ng', 'kevin ng', 'ng, kevin', 'ng,kevin', 'k. ng', 'k.ng', 'kevin.ng', 'kevin_ng', ...]
create or replace temp macro _name_spelling_forms(words, every_part) as (
    list_filter(
        list_concat(
            -- full-name forms, as written and without the dots
            [array_to_string(words, ' '), replace(array_to_string(words, ' '), '.', '')],
            case when len(words) >= 2 then [
                words[1] || ' ' || words[-1],
                words[-1] || ', ' || words[1],
                words[-1] || ',' || words[1],
                -- first_name,last_name as a CSV row holds them; never with a space ('Rose, mark the form')
                words[1] || ',' || words[-1],
                left(words[1], 1) || '. ' || words[-1],
                left(words[1], 1) || '.' || words[-1],
                words[1] || '.' || words[-1],
                words[1] || '_' || words[-1],
            ] else []::varchar[] end,
            -- F Last without the dot, as sign-in sheets write it; not when the initial is the word 'a'
            -- or 'i' ('a street', 'i mark')
            case when len(words) >= 2 and left(words[1], 1) not in ('a', 'i') then [
                left(words[1], 1) || ' ' || words[-1],
            ] else []::varchar[] end,
            -- a surname of the last two or three words ('garcia lopez', 'van der berg'): first and
            -- surname, F. Surname, 'Surname, First'; a surname never starts right after a particle
            -- (van, der, de, al...), nor with a lone initial ('susan x. ruiz' has no surname 'x. ruiz')
            case when len(words) >= 3 then flatten(list_transform(
                list_filter(
                    range(greatest(2, len(words) - 2), len(words)),
                    lambda _at: words[_at - 1] not in ('van', 'der', 'den', 'von', 'de', 'la', 'las', 'los', 'del', 'della', 'des', 'al', 'el', 'bin', 'bint', 'ibn', 'da', 'das', 'do', 'dos', 'di', 'du', 'le', 'st', 'st.', 'ter', 'ten', 'y')
                        and length(replace(words[_at], '.', '')) >= 2
                ),
                lambda _at: list_transform([array_to_string(list_slice(words, _at, len(words)), ' ')], lambda _surname: [
                    words[1] || ' ' || _surname,
                    left(words[1], 1) || '. ' || _surname,
                    _surname || ', ' || words[1],
                ])[1]
            )) else []::varchar[] end,
            -- a last name whose particle is hyphenated on, written joined: 'omar alsayed' for Omar al-Sayed
            case when len(words) >= 2 and regexp_matches(words[-1], '^(?:al|el|ul|bin|ben|abu|abd|van|von|de|di|da|du|le|la|st)-.') then [
                words[1] || ' ' || regexp_replace(words[-1], '^([^-]+)-', '\1'),
            ] else []::varchar[] end,
            -- the middle names written as their initials, with and without dots; not a name whose
            -- middle words hold a particle ('pieter v. d. berg' is no way to write van der Berg)
            case when len(words) >= 3 and not list_has_any(words[2:-2], ['van', 'der', 'den', 'von', 'de', 'la', 'las', 'los', 'del', 'della', 'des', 'al', 'el', 'bin', 'bint', 'ibn', 'da', 'das', 'do', 'dos', 'di', 'du', 'le', 'st', 'st.', 'ter', 'ten', 'y']) then [
                words[1] || ' ' || array_to_string(list_transform(words[2:-2], lambda _word: left(_word, 1) || '.'), ' ') || ' ' || words[-1],
                words[1] || ' ' || array_to_string(list_transform(words[2:-2], lambda _word: left(_word, 1)), ' ') || ' ' || words[-1],
                -- the last initial's dot glued to the surname, as 'F.Last' is: 'grace a.okafor'
                words[1] || ' ' || array_to_string(list_transform(words[2:-2], lambda _word: left(_word, 1) || '.'), ' ') || words[-1],
            ] else []::varchar[] end,
            -- parts, for the person's own texts: each word, joined, and its pieces
            case when every_part then list_concat(
                list_transform(words, lambda _word: replace(_word, '.', '')),
                list_transform(words, lambda _word: replace(replace(replace(_word, '.', ''), '-', ''), '''', '')),
                flatten(list_transform(words, lambda _word: string_split(replace(replace(_word, '.', ''), '''', '-'), '-')))
            ) else []::varchar[] end
        ).list_transform(lambda _form: case
            -- most forms hold no apostrophe: one spelling, not four copies for list_distinct to drop
            when not contains(_form, '''') then [replace(_form, '-', ' ')]
            else [
                replace(_form, '-', ' '),
                replace(replace(_form, '-', ' '), '''', ''),
                replace(replace(_form, '-', ' '), '''', ' '),
                -- the apostrophe followed by a space: "sean o' brien"
                replace(replace(_form, '-', ' '), '''', ''' '),
            ]
        end).flatten(),
        -- two letters or more: a form is never a lone initial, nor punctuation (a
        -- name may hold anything: "Bobby'); DELETE ..." has the word "');")
        lambda _form: length(regexp_replace(_form, '[^\pL]+', '', 'g')) >= 2
    )
);
