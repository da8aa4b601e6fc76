-- _redact_name(text, name) -> VARCHAR                           (private helper of _redact_names)
--
-- Replaces every whole-word, case-insensitive occurrence of ONE name in text
-- by the name's token. name must already be normalised (_pii_normalize(...,
-- 'name'): lower-case, trimmed, single spaces) and non-empty.
--
-- No regular expression is built from the name. The name is found literally
-- with string_split(lower(text), name): lower() maps every code point to
-- exactly one code point (tests/test_masking_macros.py checks all of them),
-- so the pieces' lengths are character offsets into the original text and
-- everything that is not replaced keeps its original spelling. Quotes,
-- backslashes, '%' and regex metacharacters in a name ("O'Brien",
-- 'A.*B (Jr.)') are plain characters, and nothing is compiled per row (a
-- per-row RE2 pattern costs tens of microseconds, with \pL classes
-- milliseconds; this costs a few microseconds).
--
-- An occurrence is a whole word when neither the character before it nor the
-- character after it (in the text before replacement) is a word character:
-- a Latin, Greek or Cyrillic letter, a combining mark, a digit or '_'. So
-- 'ann' never hits 'Joann', 'Annéa' or a token 'name_abc...'. Every other
-- character is a boundary (punctuation, a typographic apostrophe, emoji,
-- Hebrew, Arabic, CJK, which writes no spaces between words): "Ann’s",
-- '«Ann»', 'Ann🙂' and 'Ann在仓库' are redacted. When in doubt, mask.
-- Occurrences are found left to right without overlap, as a regex would.
--
-- One pass over the pieces (list_reduce): the accumulator holds the output so
-- far ('done') and the original text not yet consumed ('rest'); each piece
-- moves its own length plus the name's length from rest to done, as the
-- original spelling or as the token. list_reduce needs its accumulator and
-- the list's elements to share one type, so each piece rides in the same
-- struct ('done' = the piece, 'rest' unused). Before this, each piece's
-- offset was recomputed by joining all earlier pieces: twice the cost per
-- call, and 6x on a text holding one name 8,000 times. The cost still grows
-- with occurrences times text length (each step copies what remains), so a
-- megabyte cell holding one name 100,000 times is slow, never wrong.
--
-- Example:
--   _redact_name('ANN met Joann; ann.', 'ann') -> 'name_<16 letters> met Joann; name_<16 letters>.'
create or replace temp macro _redact_name(text, name) as (
    list_transform(
        [string_split(lower(text), name)],
        lambda _pieces: case
            when len(_pieces) < 2 then text
            else list_transform(
                [list_reduce(
                    -- every piece but the last is followed by an occurrence
                    list_transform(_pieces[1:-2], lambda _piece: {'done': _piece, 'rest': ''}),
                    lambda _acc, _step: {
                        'done': _acc.done || left(_acc.rest, length(_step.done)) || case
                            -- the character before the occurrence, then the one after it
                            when not regexp_full_match(
                                    case
                                        when _step.done <> '' then right(_step.done, 1)
                                        when length(_acc.rest) < length(text)
                                            then substr(text, length(text) - length(_acc.rest), 1)
                                        else ''
                                    end,
                                    '[\p{Latin}\p{Greek}\p{Cyrillic}\pM\pN_]'
                                )
                                and not regexp_full_match(
                                    substr(_acc.rest, length(_step.done) + length(name) + 1, 1),
                                    '[\p{Latin}\p{Greek}\p{Cyrillic}\pM\pN_]'
                                )
                                then _keyed_token(name, 'name')
                            else substr(_acc.rest, length(_step.done) + 1, length(name))
                        end,
                        'rest': substr(_acc.rest, length(_step.done) + length(name) + 1)
                    },
                    {'done': '', 'rest': text}
                )],
                lambda _result: _result.done || _result.rest
            )[1]
        end
    )[1]
);
