-- _email_spans(folded) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))   (private helper of redact_text)
--
-- The email addresses in a folded text (fold_text: lower case, full-width
-- '＠' already '@'), each with its token, longest first (an address that ends
-- another, 'a@x.com' in 'ba@x.com', cannot split it). Forms (contract §6):
--   ann.lee@example.com, ANN.LEE@EXAMPLE.COM, mailto:ann.lee@example.com
--   ann.lee@example., ann@example..com, ann@host   anything@anything, written
--       without a space: a malformed address is still someone's address
--   ann.lee @ example.com, ann.lee @ example dot com   spaces around the '@'
--   ann.lee(at)example(dot)com, ann.lee [at] example [dot] com, {at}, <at>
--   ann.lee[@]example.com, ann.lee(@)example.com, ann.lee at example(.)com
--                                       defanged: the '@' or the dot bracketed
--   annlee @ example . com              spaces around a dot as well
--   ann.lee&#64;example.com, &#x40;, &commat;, ann.lee%40example.com
--                                       the '@' of HTML and of a URL
--   ann dot lee at example dot com, john at example.com   spelled out
--   sean.o'brien@example.com        an apostrophe inside the local part (the
--       whole address is the token, not 'brien@...' alone)
--   ann.lee<U+200B>@example.com     zero-width spaces, joiners, word joiner,
--       BOM and soft hyphen anywhere inside: invisible, so a copy-paste keeps
--       them; fold_text keeps them (it keeps one character for one)
-- Every form but the plain 'a@b' needs a domain with a dot (or ' dot ') and
-- a top-level part of two letters or more: 'ot @ 1.5x', 'workers @ dock 4',
-- 'ping @ops-team', 'meet @ 7am' and 'item [@] 5' are not addresses, 'at the
-- gate' is not one, 'worked at acme.com' is masked (over-masking a web
-- address is no leak). A last dot written ' . ' needs a common top-level
-- domain after it ('com', 'org', ...): 'meet @ gate . bring vests' is a
-- sentence.
-- The token is pii_token of the address written plainly (invisible
-- characters dropped, '(at)' and '[@]' -> '@', ' dot ', '(.)' and ' . ' ->
-- '.'), so every form gives the
-- email column's token.
-- Fast path: a text with no '@', no bracketed 'at', no HTML or URL '@' and no
-- ' at ' followed by a word and a dot is not searched (one regular
-- expression, the same for every row).
--
-- Example:
--   _email_spans('mail ann dot lee at example dot com') -> [{'needle': 'ann dot lee at example dot com', 'token': 'email_…'}]
create or replace temp macro _email_spans(folded) as (
    case
        when not regexp_matches(folded, '@|[\(\[{<]at[\)\]}>]| at [a-z0-9-]+(?:\.| ?[\(\[{<](?:dot|\.)| dot )|&#|&commat;|%40') then []
        else list_transform(
            list_sort(
                list_transform(
                    list_distinct(list_concat(
                        -- anything@anything, no space around the '@'
                        case when contains(folded, '@') then regexp_extract_all(
                            folded,
                            '[a-z0-9._%+\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+(?:''[a-z0-9._%+\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+)*@[a-z0-9\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+'
                            || '(?:\.+[a-z0-9\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+)*'
                        ) else []::varchar[] end,
                        -- every other form: a dotted domain with a top-level part of letters
                        regexp_extract_all(
                            folded,
                            '[a-z0-9_%+\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+'
                            || '(?:(?:\.| ?[\(\[{<](?:dot|\.)[\)\]}>] ?| dot | \. |'')[a-z0-9_%+\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+)*'
                            || '(?: ?@ ?| ?[\(\[{<](?:at|@)[\)\]}>] ?| at | ?&#0*64; ?| ?&#x0*40; ?| ?&commat; ?|%40)'
                            || '[a-z0-9\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+'
                            || '(?:(?:\.| ?[\(\[{<](?:dot|\.)[\)\]}>] ?| dot | \. )[a-z0-9\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}-]+)*'
                            || '(?:(?:\.| ?[\(\[{<](?:dot|\.)[\)\]}>] ?| dot )[a-z](?:[\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}]*[a-z])+'
                            -- a dot with a space on both sides ends an address only before a common top-level
                            -- domain: 'meet @ gate . bring vests' is a sentence
                            || '| \. (?:com|net|org|edu|gov|mil|int|info|biz|io|co|us|uk|ca|de|fr|me)\b)'
                        )
                    )),
                    lambda _email: {'size': length(_email), 'needle': _email}
                ),
                'desc'
            ),
            lambda _email: {
                'needle': _email.needle,
                'token': _keyed_token(
                    _normalized_email(
                        regexp_replace(
                            regexp_replace(
                                regexp_replace(_email.needle, '[\x{200b}-\x{200d}\x{2060}\x{feff}\x{ad}]+', '', 'g'),
                                ' ?[\(\[{<](?:dot|\.)[\)\]}>] ?| dot | \. ',
                                '.',
                                'g'
                            ),
                            ' ?[\(\[{<](?:at|@)[\)\]}>] ?| at | ?@ ?| ?&#0*64; ?| ?&#x0*40; ?| ?&commat; ?|%40',
                            '@',
                            'g'
                        )
                    ),
                    'email'
                ),
            }
        )
    end
);
