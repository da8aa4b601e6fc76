-- _redaction_base(text) -> VARCHAR                           (private helper of redact_text)
--
-- The text redact_text replaces spans in: the text itself, or its NFC form
-- when it holds combining marks (decomposed, NFD, text: 'Zoe' || chr(776)).
-- fold_text keeps one character per character except for combining marks,
-- which strip_accents drops; composing them first keeps the folded text and
-- this base aligned. NFC text is canonically equivalent to the input (the
-- same text by Unicode's definition), so only the encoding of the accents
-- changes, and only in text that had them decomposed.
--
-- Examples:
--   _redaction_base('Ann Lee')          -> 'Ann Lee'
--   _redaction_base('Zoe' || chr(776))  -> 'Zoë' (one code point for ë)
create or replace temp macro _redaction_base(text) as (
    case
        -- ASCII (as many bytes as characters) has no combining mark to compose: strip_accents is not needed
        when strlen(text) = length(text) or length(strip_accents(replace(text, chr(0), ' '))) = length(text) then text
        -- nfc_normalize, like strip_accents, stops at a NUL byte: compose each piece between them
        else array_to_string(list_transform(string_split(text, chr(0)), lambda _piece: nfc_normalize(_piece)), chr(0))
    end
);
