-- _gate_words(folded) -> LIST(VARCHAR)                    (private helper of roster_mentions)
--
-- The words of a folded text (fold_text) for the roster-name gate: runs of
-- letters and digits, everything else a separator ("O'Neil" -> 'o', 'neil';
-- 'Garcia-Lopez,' -> 'garcia', 'lopez'; 'chidi_okonkwo' -> 'chidi',
-- 'okonkwo'), except the invisible characters that may sit inside a word
-- (soft hyphen U+00AD, U+200C, U+200D, U+2060, U+FEFF), which are dropped:
-- 'Kow' || U&'\00AD' || 'alski' -> 'kowalski'. A text and a roster name cut the
-- same way give the same word pairs.
--   _gate_words('covering for kevin ng, today') -> ['covering', 'for', 'kevin', 'ng', 'today']
create or replace temp macro _gate_words(folded) as (
    list_filter(
        string_split(
            regexp_replace(
                case when strlen(folded) = length(folded) then folded
                    else translate(folded, chr(173) || chr(8204) || chr(8205) || chr(8288) || chr(65279), '') end,
                '[^\pL\pN]+', ' ', 'g'
            ),
            ' '
        ),
        lambda _word: _word <> ''
    )
);
