-- _ssn_spans(folded) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))   (private helper of redact_text)
--
-- The US social security numbers in a folded text (fold_text: Unicode dashes
-- are '-', no-break spaces ' '), each with pii_token(digits, 'ssn'):
--   219-09-9999, 219 09 9999, 219.09.9999, 219–09–9999, 219  09  9999,
--   219 - 09 - 9999
--       NNN NN NNNN with '-' or '.' (spaces around them allowed), or one or
--       two spaces, between the groups, not inside a longer run of digits
--   SSN 219099999, ssn=219099999, SSN on file: 219099999, (SSN) 219099999,
--   S.S.N. 219099999, SS# 219099999, SS No. 219 09 9999, SS number / SS nbr
--   219099999, SSN 219 099 999 (nine digits grouped 3-3-3), Soc. Sec. No. ...,
--   social 219099999, social security number 219099999, SSN (219) 09-9999,
--   SSNs 219099999 and 219099998
--       after a cue word, within 30 characters that hold no digit and no ';'
--       (another number or the end of a clause ends the cue's reach: 'SSN
--       missing on I-9; ADP file #100234567' holds no SSN), nine digits in
--       any grouping, and the numbers listed right after them
--   219099999 is my SSN
--       nine bare digits only where the text calls them an SSN
-- Over-redacting an SSN-shaped number SSA would not issue is acceptable
-- (contract §6): any digits are taken.
-- Fast path: a text without NNN[sep]NN[sep]NNNN, 'ssn', 'ss#', 'ss no'/'ss nbr'/'ss num', 's.s.', 'soc sec' or
-- 'social' is not searched further.
--
-- Example:
--   _ssn_spans('ssn 219 09 9999') -> [{'needle': '219 09 9999', 'token': 'ssn_…'}]
create or replace temp macro _ssn_spans(folded) as (
    case
        when not regexp_matches(folded, '[0-9]{3} ?[ .-]{1,2} ?[0-9]{2} ?[ .-]{1,2} ?[0-9]{4}|ssn|ss ?#|s\.?s\.? ?n(?:o|br|um)|s\.s\.|soc\.? ?sec|social') then []
        else list_transform(
            list_distinct(list_concat(
                list_filter(
                    regexp_extract_all(folded, '(?:^|[^0-9a-z_$])([0-9]{3}(?: ?[.-]{1,2} ?| {1,2})[0-9]{2}(?: ?[.-]{1,2} ?| {1,2})[0-9]{4}[0-9]*)', 1),
                    lambda _ssn: regexp_full_match(_ssn, '[0-9]{3}(?: ?[.-]{1,2} ?| {1,2})[0-9]{2}(?: ?[.-]{1,2} ?| {1,2})[0-9]{4}')
                ),
                -- the numbers after a cue word: each run, then each number of it
                flatten(list_transform(
                    regexp_extract_all(
                        folded,
                        '(?:^|[^a-z0-9_])(?:(?:ssns?|s\.s\.n|s\.?s\.? ?(?:no|nbr|num|number)|soc\.? ?sec|social)(?:[^a-z0-9_]|$)|ss ?#)[^0-9;]{0,30}?'
                        || '((?:\(?[0-9]{3}\)?[ .-]{0,3}[0-9]{2}[ .-]{0,3}[0-9]{4}|[0-9]{3}[ .-]{1,3}[0-9]{3}[ .-]{1,3}[0-9]{3})[0-9]*'
                        || '(?:(?: ?[,/&] ?| and | or )(?:\(?[0-9]{3}\)?[ .-]{0,3}[0-9]{2}[ .-]{0,3}[0-9]{4}|[0-9]{3}[ .-]{1,3}[0-9]{3}[ .-]{1,3}[0-9]{3})[0-9]*)*)',
                        1
                    ),
                    lambda _run: list_filter(
                        regexp_extract_all(_run, '(?:\(?[0-9]{3}\)?[ .-]{0,3}[0-9]{2}[ .-]{0,3}[0-9]{4}|[0-9]{3}[ .-]{1,3}[0-9]{3}[ .-]{1,3}[0-9]{3})[0-9]*'),
                        lambda _ssn: regexp_full_match(_ssn, '\(?[0-9]{3}\)?[ .-]{0,3}[0-9]{2}[ .-]{0,3}[0-9]{4}|[0-9]{3}[ .-]{1,3}[0-9]{3}[ .-]{1,3}[0-9]{3}')
                    )
                )),
                regexp_extract_all(
                    folded,
                    '(?:^|[^0-9])([0-9]{9}) ?,? (?:is|was|=) (?:my |the |his |her |their )?(?:ssn|social security)',
                    1
                )
            )),
            lambda _ssn: {'needle': _ssn, 'token': _keyed_token(_normalized_ssn(_ssn), 'ssn')}
        )
    end
);
