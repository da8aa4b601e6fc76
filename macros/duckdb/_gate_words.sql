-- _gate_words(folded) -> LIST(VARCHAR)                    (private helper of roster_mentions)
--
-- The words of a folded text (fold_text) for the roster-name gate: runs of
-- letters, everything else a separator ("O'Neil" -> 'o', 'neil';
-- 'Garcia-Lopez,' -> 'garcia', 'lopez'; 'chidi_okonkwo' -> 'chidi',
-- 'okonkwo'), digits too, so a login's number does not hide the name
-- ('grace.okafor2' -> 'grace', 'okafor'). The invisible characters that may
-- sit inside a word (soft hyphen U+00AD, U+200C, U+200D, U+2060, U+FEFF)
-- are dropped: 'Kow' || U&'\00AD' || 'alski' -> 'kowalski'. An address's
-- mailbox and '@' are dropped too ('sean.diaz37@example.com' -> 'example',
-- 'com'): redact_text replaces every 'mailbox@label' as an email before it
-- looks for names, so a name in a mailbox needs no roster forms (else nearly
-- every worker text, which holds the worker's own address, would meet a
-- key). A text and a roster name cut the same way give the same word pairs.
--   _gate_words('covering for kevin ng, today') -> ['covering', 'for', 'kevin', 'ng', 'today']
create or replace temp macro _gate_words(folded) as (
    list_filter(
        string_split(
            regexp_replace(
                case when strlen(folded) = length(folded) then folded
                    else translate(folded, chr(173) || chr(8204) || chr(8205) || chr(8288) || chr(65279), '') end,
                '[a-z0-9._%+-]+@[a-z0-9-]+|[^\pL]+', ' ', 'g'
            ),
            ' '
        ),
        lambda _word: _word <> ''
    )
);
