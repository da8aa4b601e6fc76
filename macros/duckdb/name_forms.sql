-- name_forms(name, every_part) -> LIST(VARCHAR), folded, longest first
--
-- The spellings of one person's name that redact_text looks for, in folded
-- form (_name_folded: case, accents, ı/ø-style letters, typographic
-- apostrophes and dashes, no-break spaces; ß, æ, œ kept; invisible soft
-- hyphens, joiners and byte-order marks dropped; runs of spaces collapsed).
-- Contract §6. The forms of each spelling are _name_spelling_forms': for
-- anyone on any roster the full-name forms ('susan x. ruiz', 'susan x ruiz',
-- 'susan ruiz', 'ruiz, susan', 'ruiz,susan', 's. ruiz', 's.ruiz',
-- 'susan.ruiz', 'susan_ruiz', middle names as initials: 'mary e. smith'),
-- every_part (the row's own person, a scenario's assigned workers) adds each
-- part of two letters or more ('ng'; 'anne', 'marie', 'annemarie' for
-- Anne-Marie; 'angelo', 'dangelo' for D'Angelo). A single letter is never a
-- form on its own. Hyphens are spaces in every form ('anne marie lee'):
-- redact_text matches names in a folded text whose hyphens are spaces too.
-- The spellings of a name:
--   as folded                                   'tomas strauß'
--   ß, æ, œ as two letters                      'tomas strauss' ('Æby' -> 'aeby')
--   ss, ae as one letter                        'tomas strauß' for Strauss ('Aeby' -> 'æby';
--                                               not oe -> œ: 'Joe', 'Zoe' and 'Chloe' would double their forms
--                                               for a spelling no one types)
-- (a text's ß, æ, œ stay letters of their own in _name_folded, so each
-- spelling meets only what is typed that way), each also without a
-- generational suffix (Jr, Sr, II, III, IV) when the name ends in one and
-- has three words or more: 'Tomas Brandt Jr.' is also 'brandt, tomas'.
-- NULL or blank name -> []. Forms are distinct and sorted longest first (equal
-- lengths in descending order), so a full name wins over its parts.
--
-- Examples:
--   name_forms('Kevin Ng', false) -> ['kevin.ng', 'kevin_ng', 'ng, kevin', 'kevin ng', 'ng,kevin', 'k. ng', 'k.ng']
--   name_forms('Kevin Ng', true)  -> the same, with 'kevin' and 'ng' among them
create or replace temp macro name_forms(name, every_part) as (
    list_transform(
        [list_filter(
            -- the invisible soft hyphen, joiners and byte-order mark are no part of a name
            string_split(list_transform(
                [_name_folded(_redaction_base(coalesce(name, '')))],
                lambda _name: case when strlen(_name) = length(_name) then _name
                    else translate(_name, chr(173) || chr(8204) || chr(8205) || chr(8288) || chr(65279), '') end
            )[1], ' '),
            lambda _word: _word <> ''
        )],
        lambda _words: case
            when len(_words) = 0 then []::varchar[]
            else list_transform(
                list_sort(
                    list_transform(
                        list_distinct(flatten(list_transform(
                            -- the spellings: as folded, ß/æ/œ as two letters, ss/ae as one (most names: one)
                            list_transform(
                                [array_to_string(_words, ' ')],
                                lambda _folded: case
                                    when not regexp_matches(_folded, 'ss|ae|ß|æ|œ') then [_folded]
                                    else list_transform(
                                        [replace(replace(replace(_folded, 'ß', 'ss'), 'æ', 'ae'), 'œ', 'oe')],
                                        lambda _expanded: list_distinct([_folded, _expanded, replace(replace(_expanded, 'ss', 'ß'), 'ae', 'æ')])
                                    )[1]
                                end
                            )[1],
                            lambda _spelling: list_transform(
                                [string_split(_spelling, ' ')],
                                lambda _spelled: case
                                    -- a generational suffix: the forms of the name without it, the name as
                                    -- written, and the suffix as a part of the person's own name
                                    when len(_spelled) >= 3 and replace(_spelled[-1], '.', '') in ('jr', 'sr', 'ii', 'iii', 'iv')
                                        then list_concat(
                                            _name_spelling_forms(_spelled[1:-2], every_part),
                                            [translate(array_to_string(_spelled, ' '), '-', ' '), translate(replace(array_to_string(_spelled, ' '), '.', ''), '-', ' ')],
                                            case when every_part then [replace(_spelled[-1], '.', '')] else []::varchar[] end
                                        )
                                    else _name_spelling_forms(_spelled, every_part)
                                end
                            )[1]
                        ))),
                        lambda _form: {'size': length(_form), 'form': _form}
                    ),
                    'desc'
                ),
                lambda _entry: _entry.form
            )
        end
    )[1]
);
