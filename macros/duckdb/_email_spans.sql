-- _email_spans(folded) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))   (private helper of redact_text)
--
-- The email addresses in a folded text (fold_text: lower case, full-width
-- '＠' already '@'), each with its token, longest first (an address that ends
-- another, 'a@x.com' in 'ba@x.com', cannot split it). Forms (contract §6):
--   ann.lee@example.com, ANN.LEE@EXAMPLE.COM, mailto:ann.lee@example.com
--   ann.lee @ example.com                      spaces around the '@'
--   ann.lee@example., ann@example..com, ann@host   anything@anything: a
--       malformed address is still someone's address
--   ann.lee(at)example.com, ann.lee [at] example [dot] com
--   ann dot lee at example dot com, john at example.com   spelled out
-- A bare ' at ' needs a domain with a dot and a top-level part of two
-- letters or more after it: 'worked at acme.com' is masked too (over-masking
-- a web address is no leak), 'at the gate' is not.
-- The token is pii_token of the address written plainly ('(at)' -> '@',
-- ' dot ' -> '.'), so every form gives the email column's token.
-- Fast path: a text with no '@', no '(at)' or '[at]' and no ' at ' followed by a
-- word and a dot is not searched (one regular expression, the same for every row).
--
-- Example:
--   _email_spans('mail ann dot lee at example dot com') -> [{'needle': 'ann dot lee at example dot com', 'token': 'email_…'}]
create or replace temp macro _email_spans(folded) as (
    case
        when not regexp_matches(folded, '@|[\(\[]at[\)\]]| at [a-z0-9-]+(?:\.| ?[\(\[]dot| dot )') then []
        else list_transform(
            list_sort(
                list_transform(
                    list_distinct(list_concat(
                        case when contains(folded, '@') then regexp_extract_all(
                            folded,
                            '[a-z0-9._%+-]+ ?@ ?[a-z0-9-]+(?:\.+[a-z0-9-]+)*'
                        ) else []::varchar[] end,
                        case when regexp_matches(folded, '[\(\[]at[\)\]]| at [a-z0-9-]+(?:\.| ?[\(\[]dot| dot )') then regexp_extract_all(
                            folded,
                            '[a-z0-9_%+-]+(?:(?:\.| ?[\(\[]dot[\)\]] ?| dot )[a-z0-9_%+-]+)*'
                            || '(?: ?@ ?| ?[\(\[]at[\)\]] ?| at )'
                            || '[a-z0-9-]+(?:(?:\.| ?[\(\[]dot[\)\]] ?| dot )[a-z0-9-]+)*(?:\.| ?[\(\[]dot[\)\]] ?| dot )[a-z]{2,}'
                        ) else []::varchar[] end
                    )),
                    lambda _email: {'size': length(_email), 'needle': _email}
                ),
                'desc'
            ),
            lambda _email: {
                'needle': _email.needle,
                'token': _keyed_token(
                    _pii_normalize(
                        regexp_replace(
                            regexp_replace(_email.needle, ' ?[\(\[]dot[\)\]] ?| dot ', '.', 'g'),
                            ' ?[\(\[]at[\)\]] ?| at | ?@ ?',
                            '@',
                            'g'
                        ),
                        'email'
                    ),
                    'email'
                ),
            }
        )
    end
);
