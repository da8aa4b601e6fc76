-- _gate_words(folded) -> LIST(VARCHAR)                    (private helper of roster_mentions)
--
-- The words of a folded text (fold_text) for the roster-name gate: runs of
-- letters and digits, everything else a separator ("O'Neil" -> 'o', 'neil';
-- 'Garcia-Lopez,' -> 'garcia', 'lopez'). A text and a roster name cut the
-- same way give the same word pairs.
--   _gate_words('covering for kevin ng, today') -> ['covering', 'for', 'kevin', 'ng', 'today']
create or replace temp macro _gate_words(folded) as (
    list_filter(string_split(regexp_replace(folded, '[^\pL\pN]+', ' ', 'g'), ' '), lambda _word: _word <> '')
);
