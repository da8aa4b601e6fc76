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
-- Example:
--   _redact_name('ANN met Joann; ann.', 'ann') -> 'name_<16 letters> met Joann; name_<16 letters>.'
create or replace temp macro _redact_name(text, name) as (
    list_transform(
        [string_split(lower(text), name)],
        lambda _pieces: case
            when len(_pieces) < 2 then text
            else list_transform(
                [_keyed_token(name, 'name')],
                lambda _token: array_to_string(
                    list_transform(
                        range(1, len(_pieces) + 1),
                        -- piece _i, then the occurrence that follows it (none after the last piece)
                        lambda _i: substr(
                            text,
                            1 + length(array_to_string(_pieces[1:_i - 1], '')) + (_i - 1) * length(name),
                            length(_pieces[_i])
                        ) || case
                            when _i = len(_pieces) then ''
                            -- the character before the occurrence, then the one after it
                            when not regexp_full_match(
                                    case
                                        when _pieces[_i] <> '' then right(_pieces[_i], 1)
                                        when _i > 1 then right(name, 1)
                                        else ''
                                    end,
                                    '[\p{Latin}\p{Greek}\p{Cyrillic}\pM\pN_]'
                                )
                                and not regexp_full_match(
                                    case
                                        when _pieces[_i + 1] <> '' then left(_pieces[_i + 1], 1)
                                        when _i + 1 < len(_pieces) then left(name, 1)
                                        else ''
                                    end,
                                    '[\p{Latin}\p{Greek}\p{Cyrillic}\pM\pN_]'
                                )
                                then _token
                            else substr(
                                text,
                                1 + length(array_to_string(_pieces[1:_i], '')) + (_i - 1) * length(name),
                                length(name)
                            )
                        end
                    ),
                    ''
                )
            )[1]
        end
    )[1]
);
