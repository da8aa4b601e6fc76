-- _is_whole_word_at(folded, before, rest, needle_length) -> BOOLEAN
--                                  (private helper of _replace_spans and _replace_units)
--
-- Whether an occurrence of a needle of needle_length characters stands as a
-- whole word, the one test both replacers apply. folded is the whole folded
-- text, rest the part of it not yet passed (the occurrence lies in it), and
-- before the part of rest in front of the occurrence. The occurrence counts
-- when neither the character before it (the last of before, else the one in
-- folded just ahead of rest, else none) nor the one after it continues a word
-- (_is_word_character), and it is not the prefix of a token ('email' in
-- 'email_' and sixteen letters a-p: a person named Email keeps the token
-- whole).
--
-- Example:
--   _is_whole_word_at('morning', 'morni', 'morning', 2)      -> false ('i' before 'ng')
--   _is_whole_word_at('ask ng now', 'ask ', 'ask ng now', 2) -> true
create or replace temp macro _is_whole_word_at(folded, before, rest, needle_length) as (
    not _is_word_character(
        case
            when before <> '' then right(before, 1)
            when length(rest) < length(folded) then substr(folded, length(folded) - length(rest), 1)
            else ''
        end
    )
    and not _is_word_character(substr(rest, length(before) + needle_length + 1, 1))
    and not (
        substr(rest, length(before) + needle_length + 1, 1) = '_'
        and regexp_matches(substr(rest, length(before) + needle_length + 1, 18), '^_[a-p]{16}(?:[^\pL\pN]|$)')
    )
);
