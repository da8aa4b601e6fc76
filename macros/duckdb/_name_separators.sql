-- _name_separators(folded) -> VARCHAR of exactly length(folded) characters   (private helper of _names_text)
--
-- A folded text with the punctuation people put between the words of a name
-- in place of a space made a space, where it stands between two letters:
-- 'grace|okafor' (a table cell), 'grace/okafor', '?q=grace+okafor' (a URL),
-- 'grace;okafor', 'grace(okafor)'. The publication scan reads any such
-- character as a word break, so a name written this way must be found here
-- too (else the scan refuses the build). Not '.', ',', '_', the apostrophe
-- and '-': name_forms spells those forms itself ('s.ruiz', 'ruiz,susan',
-- 'susan_ruiz', "o'neil"; hyphens are already spaces). '@' neither: emails are
-- replaced before names. One character for one, so offsets are kept; run
-- twice because a match consumes the letter after it ('a/b/c').
--
-- Example:
--   _name_separators('grace|okafor|picker') -> 'grace okafor picker'
create or replace temp macro _name_separators(folded) as (
    case
        -- no such character between two letters (most texts: 'Skills: ...', '(614)'): nothing to replace
        when not regexp_matches(folded, '\pL[!"#$%&()*+/:;<=>?\[\\\]^{|}~]\pL') then folded
        else regexp_replace(
            regexp_replace(folded, '(\pL)[!"#$%&()*+/:;<=>?\[\\\]^{|}~](\pL)', '\1 \2', 'g'),
            '(\pL)[!"#$%&()*+/:;<=>?\[\\\]^{|}~](\pL)', '\1 \2', 'g'
        )
    end
);
