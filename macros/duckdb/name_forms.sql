-- name_forms(name, every_part) -> LIST(VARCHAR), folded, longest first
--
-- The spellings of one person's name that redact_text looks for, in folded
-- form (fold_text: case, accents, ı/ø-style letters, typographic apostrophes
-- and dashes, no-break spaces; runs of spaces collapsed). Contract §6.
-- The full-name forms, for anyone on any roster:
--   the name as written            'susan x. ruiz'
--   without the dots               'susan x ruiz'
--   first and last, no middle      'susan ruiz'
--   Last, First                    'ruiz, susan'
--   F. Last, F.Last                's. ruiz', 's.ruiz'
-- with hyphens as spaces ('anne marie lee' for 'Anne-Marie Lee': redact_text
-- matches names in a folded text whose hyphens are spaces too, so
-- 'Anne-Marie', 'Anne–Marie' and 'Anne Marie' all match), each also with its
-- apostrophes dropped or as spaces ('dangelo', 'd angelo' for D'Angelo).
-- every_part (the row's own person, a scenario's assigned workers) adds each
-- part of two letters or more: every word ('ng', 'mr' is not a part unless
-- the name holds it), each piece of a hyphenated or apostrophe word
-- ('anne', 'marie', 'garcia', 'lopez', 'angelo') and the word joined
-- ('annemarie', 'oneil'). A single letter ('x', the 'd' of D'Angelo) is never
-- a form on its own.
-- NULL or blank name -> []. Forms are distinct and sorted longest first (equal
-- lengths in descending order), so a full name wins over its parts.
--
-- Examples:
--   name_forms('Kevin Ng', false) -> ['ng, kevin', 'kevin ng', 'k. ng', 'k.ng']
--   name_forms('Kevin Ng', true)  -> the same, then 'kevin', 'ng'
create or replace temp macro name_forms(name, every_part) as (
    list_transform(
        [list_filter(string_split(fold_text(_redaction_base(coalesce(name, ''))), ' '), lambda _word: _word <> '')],
        lambda _words: case
            when len(_words) = 0 then []::varchar[]
            else list_transform(
                list_sort(
                    list_transform(
                        list_distinct(list_filter(
                            list_concat(
                                -- full-name forms, as written and without the dots
                                [array_to_string(_words, ' '), replace(array_to_string(_words, ' '), '.', '')],
                                case when len(_words) >= 2 then [
                                    _words[1] || ' ' || _words[-1],
                                    _words[-1] || ', ' || _words[1],
                                    left(_words[1], 1) || '. ' || _words[-1],
                                    left(_words[1], 1) || '.' || _words[-1],
                                ] else []::varchar[] end,
                                -- parts, for the person's own texts: each word, joined, and its pieces
                                case when every_part then list_concat(
                                    list_transform(_words, lambda _word: replace(_word, '.', '')),
                                    list_transform(_words, lambda _word: replace(replace(replace(_word, '.', ''), '-', ''), '''', '')),
                                    flatten(list_transform(_words, lambda _word: string_split(replace(replace(_word, '.', ''), '''', '-'), '-')))
                                ) else []::varchar[] end
                            ).list_transform(lambda _form: [replace(_form, '-', ' '), replace(replace(_form, '-', ' '), '''', ''), replace(replace(_form, '-', ' '), '''', ' ')]).flatten(),
                            -- two letters or more: a form is never a lone initial, nor punctuation (a
                            -- name may hold anything: "Bobby'); DELETE ..." has the word "');")
                            lambda _form: length(regexp_replace(_form, '[^\pL]+', '', 'g')) >= 2
                        )),
                        lambda _form: {'size': length(_form), 'form': _form}
                    ),
                    'desc'
                ),
                lambda _entry: _entry.form
            )
        end
    )[1]
);
