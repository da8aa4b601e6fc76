-- _name_folded(text) -> VARCHAR                      (private helper of name_forms and redact_text)
--
-- The folded text names are looked for in: fold_text, except that ß, æ and œ
-- (and their capitals) stay the letters ß, æ, œ. fold_text turns them into
-- one letter (s, a, o) to keep its length, which loses what a person typed:
-- 'Strauß' would fold to 'straus' and never meet 'Strauss'. Kept as they
-- are, name_forms can spell a name both ways ('strauß' and 'strauss', 'æby'
-- and 'aeby') and each text spelling meets exactly its own form. Like
-- fold_text, one character for one except combining marks (dropped).
-- The three letters go through fold_text as noncharacters U+FDD0-U+FDD2
-- (reserved by Unicode for internal use, so no text is meant to hold them).
--
-- Examples:
--   _name_folded('Tomas STRAUẞ')  -> 'tomas strauß'
--   _name_folded('Æby Zoë')       -> 'æby zoe'
create or replace temp macro _name_folded(text) as (
    case
        -- ASCII, or no ß, æ, œ: fold_text as it is
        when strlen(text) = length(text) or not regexp_matches(text, '[ßẞæÆœŒ]') then fold_text(text)
        else translate(
            fold_text(translate(text, 'ßẞæÆœŒ', chr(64976) || chr(64976) || chr(64977) || chr(64977) || chr(64978) || chr(64978))),
            chr(64976) || chr(64977) || chr(64978),
            'ßæœ'
        )
    end
);
