-- _names_text(text, folded, needles) -> VARCHAR                 (private helper of redact_text)
--
-- folded is fold_text of text, one character for one (redact_text has it at
-- hand), or NULL to fold it here.
-- needles are name_needles' (the name forms to look for).
-- text with every name form (name_forms, any spelling) replaced by its token
-- where it stands as whole words, and every other byte as it was (step 2 of
-- redact_text). Names are looked for in _name_folded text whose dashes are
-- spaces, and so is punctuation between two letters (_name_separators:
-- 'Grace|Okafor', 'Grace/Okafor', 'q=Grace+Okafor'). Name forms hold single spaces and no invisible characters, so
-- 'Okafor,  Grace' (a doubled space, a tab, a line break and an indent, a
-- no-break space before a hyphen) and 'Kow' || U&'\00AD' || 'alski' (a soft
-- hyphen; also U+200C, U+200D, U+2060, U+FEFF) would hide them; so would
-- decomposed (NFD) accents, whose marks the fold drops. Two paths:
--   * the text has none of these (nearly every text): its fold has one
--     character per character, and _replace_spans replaces at the same
--     offsets;
--   * otherwise the text is cut into units (_name_units, _replace_units): a run of
--     whitespace and dashes is one unit, any other character is one unit
--     with the combining marks and invisible characters that follow it. The
--     folded text with its invisible characters and marks dropped and its
--     runs of spaces cut to one has exactly one character per unit, so a
--     form found there replaces exactly the units it covers, and the rest of
--     the text, doubled spaces, tabs, NFD accents and all, comes through
--     byte for byte. (Should the unit count ever differ from that folded
--     length, the text is composed (NFC) and searched as the first path
--     does: the names are still found, only the layout may change.)
-- _name_units cuts the text; a test sweeps every code point to keep its
-- character classes in step with fold_text's.
--
-- Example:
--   _names_text('Okafor,' || chr(9) || ' Grace  is in', null, name_needles(['okafor, grace']))
--     -> 'name_… is in' with the two spaces after the token kept
create or replace temp macro _names_text(text, folded, needles) as (
    -- no form to look for (a job description that names no one on a roster, an audit sample): nothing to fold
    case when len(coalesce(needles, [])) = 0 then text else list_transform(
        -- the caller's fold_text of text serves unless text holds ß, æ or œ (or it is NULL)
        [_name_separators(translate(case
            when folded is not null and (strlen(text) = length(text) or not regexp_matches(text, '[ßẞæÆœŒ]')) then folded
            else _name_folded(text)
        end, '-', ' '))],
        lambda _names_folded: case
            -- nothing to compact: one folded character per character
            when not contains(_names_folded, '  ')
                and (strlen(text) = length(text) or (
                    length(strip_accents(replace(text, chr(0), ' '))) = length(text)
                    and not regexp_matches(text, '[\x{AD}\x{200C}\x{200D}\x{2060}\x{FEFF}]')
                ))
                then list_reduce(
                    _names_found(_names_folded, needles),
                    lambda _names_acc, _names_form: _replace_spans(_names_acc, _names_form.needle, _names_form.token, true),
                    {'text': text, 'folded': _names_folded}
                ).text
            else list_transform(
                [_name_units(text)],
                lambda _names_units: case
                    -- no form in it: the text as it was
                    when len(_names_found(_name_separators(_names_units.folded), needles)) = 0 then text
                    when len(_names_units.units) = length(_names_units.folded)
                        and strlen(array_to_string(_names_units.units, '')) = strlen(text)
                        then array_to_string(list_reduce(
                            _names_found(_name_separators(_names_units.folded), needles),
                            lambda _names_acc, _names_form: _replace_units(_names_acc, _names_form.needle, _names_form.token),
                            {'units': _names_units.units, 'folded': _name_separators(_names_units.folded)}
                        ).units, '')
                    -- a unit count out of step (not seen: the classes above are fold_text's): compose and search as is
                    else list_transform(
                        [_redaction_base(text)],
                        lambda _names_base: list_transform(
                            [_name_separators(translate(_name_folded(case
                                when length(strip_accents(replace(_names_base, chr(0), ' '))) = length(_names_base) then _names_base
                                else regexp_replace(_names_base, '\pM', '_', 'g')
                            end), '-', ' '))],
                            lambda _names_base_folded: list_reduce(
                                _names_found(_names_base_folded, needles),
                                lambda _names_acc, _names_form: _replace_spans(_names_acc, _names_form.needle, _names_form.token, true),
                                {'text': _names_base, 'folded': _names_base_folded}
                            ).text
                        )[1]
                    )[1]
                end
            )[1]
        end
    )[1] end
);
