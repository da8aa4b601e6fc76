-- name_needles(forms) -> LIST(STRUCT(size BIGINT, needle VARCHAR, form VARCHAR)), longest first
--
-- The name forms (name_forms) as redact_text_with looks for them, prepared
-- once per person rather than once per text: a view computes the needles of
-- each distinct name (and of each text's roster mentions) and hands every
-- text of that person the same list.
--   size:   length of the form as name_forms spelled it (the sort key: a
--           full name is replaced before its parts)
--   needle: the form as _names_text spells a text: hyphens as spaces, a run
--           of spaces as one, punctuation between letters as a space
--           (_name_separators: 'a%n' is looked for as 'a n')
--   form:   the form with hyphens as spaces, whose fold_text spelling (ß, æ,
--           œ as s, a, o) gives the token (pii_token(name, 'name') for the
--           full name)
-- NULL lists, NULL and blank entries are ignored; entries are distinct and
-- sorted by (size, needle, form) descending.
--
-- Example:
--   name_needles(['kevin ng', 'anne-marie'])
--     -> [{'size': 10, 'needle': 'anne marie', 'form': 'anne marie'}, {'size': 8, 'needle': 'kevin ng', 'form': 'kevin ng'}]
create or replace temp macro name_needles(forms) as (
    list_transform(
        -- the forms bound once (a macro argument is pasted wherever it is read), NULLs and duplicates dropped
        [list_distinct(coalesce(forms, []::varchar[]))],
        lambda _forms: list_sort(
            case
                -- no hyphen, no doubled space, no punctuation between two letters (nearly every
                -- person): each needle is its form as it is
                when not contains(array_to_string(_forms, ' '), '-')
                    and not contains(array_to_string(_forms, ' '), '  ')
                    and _name_separators(array_to_string(_forms, ' ')) = array_to_string(_forms, ' ')
                    then list_transform(
                        list_filter(_forms, lambda _form: _form <> ''),
                        lambda _form: {'size': length(_form), 'needle': _form, 'form': _form}
                    )
                else list_filter(
                    list_distinct(list_transform(
                        _forms,
                        lambda _form: {
                            'size': length(_form),
                            'needle': _name_separators(case
                                when contains(translate(_form, '-', ' '), '  ') then regexp_replace(translate(_form, '-', ' '), ' {2,}', ' ', 'g')
                                else translate(_form, '-', ' ')
                            end),
                            'form': translate(_form, '-', ' '),
                        }
                    )),
                    lambda _needle: _needle.needle <> ''
                )
            end,
            'desc'
        )
    )[1]
);
