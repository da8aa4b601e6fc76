-- _names_found(folded, forms) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))  (private helper of _names_text)
--
-- The name forms (name_forms, hyphens as spaces) that occur in folded, each
-- with its token, longest first (equal lengths in descending order), so a
-- full name is replaced before its parts. NULL lists and blank entries are
-- ignored. A form's token is that of its fold_text spelling (ß, æ, œ as s,
-- a, o): 'tomas strauß' gets the token pii_token('Tomas Strauß', 'name')
-- gives the name column.
--
-- Example:
--   _names_found('ask kevin ng', ['kevin ng', 'kevin', 'lee'])
--     -> [{'needle': 'kevin ng', 'token': 'name_…'}, {'needle': 'kevin', 'token': 'name_…'}]
create or replace temp macro _names_found(folded, forms) as (
    list_transform(
        list_sort(
            list_transform(
                list_distinct(list_filter(
                    list_transform(coalesce(forms, []::varchar[]), lambda _form: translate(_form, '-', ' ')),
                    lambda _form: _form <> '' and contains(folded, _form)
                )),
                lambda _form: {'size': length(_form), 'form': _form}
            ),
            'desc'
        ),
        lambda _form: {'needle': _form.form, 'token': _keyed_token(translate(_form.form, 'ßæœ', 'sao'), 'name')}
    )
);
