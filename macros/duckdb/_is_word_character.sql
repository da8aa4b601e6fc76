-- _is_word_character(c) -> BOOLEAN                      (private helper of _is_whole_word_at)
--
-- Whether one character of a folded text continues a word: a Latin, Greek or
-- Cyrillic letter, a combining mark or a digit. Every other character
-- (punctuation, '_', spaces, emoji, Hebrew, Arabic, CJK, which writes no
-- spaces between words) is a boundary: '_' joins the parts of a handle
-- ('chidi_okonkwo'), so it must not hide them. An ASCII character is decided
-- by comparison (folded letters are lower-case), so the Unicode classes'
-- regular expression runs only for the rest.
--   _is_word_character('a') -> true     _is_word_character('''') -> false
--   _is_word_character('é') -> true     _is_word_character('_') -> false
--   _is_word_character('')  -> false    _is_word_character('在') -> false
create or replace temp macro _is_word_character(c) as (
    case
        when c = '' then false
        when strlen(c) = 1 then (c >= 'a' and c <= 'z') or (c >= '0' and c <= '9') or (c >= 'A' and c <= 'Z')
        else regexp_full_match(c, '[\p{Latin}\p{Greek}\p{Cyrillic}\pM\pN]')
    end
);
