-- _redaction_folded(base) -> VARCHAR of exactly length(base) characters   (private helper of redact_text)
--
-- fold_text of a _redaction_base: where a combining mark survived NFC (no
-- precomposed form exists, as in Devanagari vowel signs or stacked marks), it
-- becomes '_' first, so strip_accents cannot drop it and every offset in the
-- folded text is still an offset in base.
--
-- Examples:
--   _redaction_folded('Zoë MÜLLER')        -> 'zoe muller'
--   _redaction_folded('a' || chr(7623))    -> 'a_'   (U+1DC7 has no precomposed form)
create or replace temp macro _redaction_folded(base) as (
    fold_text(
        case
            when strlen(base) = length(base) or length(strip_accents(replace(base, chr(0), ' '))) = length(base) then base
            else regexp_replace(base, '\pM', '_', 'g')
        end
    )
);
