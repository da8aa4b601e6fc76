-- _names_found(folded, needles) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))  (private helper of _names_text)
--
-- The needles (name_needles) that occur in folded, each with its token,
-- longest first (equal lengths in descending order), so a full name is
-- replaced before its parts. needles may be the concatenation of several
-- name_needles lists (a row's own person and the roster people its text
-- names): the found ones are made distinct and sorted again. A form's token
-- is that of its fold_text spelling (ß, æ, œ as s, a, o): 'tomas strauß' gets
-- the token pii_token('Tomas Strauß', 'name') gives the name column. A handle
-- (a needle with no space and a '.' or '_': 'grace.okafor') found with digits
-- right after it ('grace.okafor2', a login) is also found with them, under
-- the handle's token: the whole-word test refuses the handle alone there.
-- Only found needles are looked at, by string_split: no regular expression is
-- built from a name.
--
-- Example:
--   _names_found('ask kevin ng', name_needles(['kevin ng', 'kevin', 'lee']))
--     -> [{'needle': 'kevin ng', 'token': 'name_…'}, {'needle': 'kevin', 'token': 'name_…'}]
create or replace temp macro _names_found(folded, needles) as (
    list_transform(
        list_sort(
            list_transform(
                [list_filter(coalesce(needles, []), lambda _needle: contains(folded, _needle.needle))],
                -- a handle found ('grace.okafor', 'g.okafor', 'grace_okafor') with a login's digits glued on
                -- ('grace.okafor2') is also a needle with those digits: the digits after each occurrence
                lambda _found: list_distinct(list_concat(_found, flatten(list_transform(
                    list_filter(_found, lambda _handle: not contains(_handle.needle, ' ')
                        and (contains(_handle.needle, '.') or contains(_handle.needle, '_'))),
                    lambda _handle: list_transform(
                        list_filter(
                            list_distinct(list_transform(string_split(folded, _handle.needle)[2:], lambda _after: regexp_extract(_after, '^[0-9]+'))),
                            lambda _digits: _digits <> ''
                        ),
                        lambda _digits: {'size': _handle.size + length(_digits), 'needle': _handle.needle || _digits, 'form': _handle.form}
                    )
                ))))
            )[1],
            'desc'
        ),
        lambda _form: {'needle': _form.needle, 'token': _keyed_token(translate(_form.form, 'ßæœ', 'sao'), 'name')}
    )
);
