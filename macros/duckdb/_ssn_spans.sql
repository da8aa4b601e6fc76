-- _ssn_spans(folded) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))   (private helper of redact_text)
--
-- The US social security numbers in a folded text (fold_text: Unicode dashes
-- are '-', no-break spaces ' '), each with pii_token(digits, 'ssn'):
--   219-09-9999, 219 09 9999, 219.09.9999, 219–09–9999, 219  09  9999
--       NNN NN NNNN with one or two of '-', ' ', '.' between the groups, not
--       inside a longer run of digits
--   SSN 219099999, SSN: 219099999, SSN#219099999, ssn is 219099999,
--   social security number 219099999, social security no. 219099999
--   219099999 is my SSN
--       nine bare digits only where the text calls them an SSN
-- Over-redacting an SSN-shaped number SSA would not issue is acceptable
-- (contract §6): any digits are taken.
-- Fast path: a text without NNN[sep]NN[sep]NNNN, 'ssn', 'ss#' or 'social sec' is not searched further.
--
-- Example:
--   _ssn_spans('ssn 219 09 9999') -> [{'needle': '219 09 9999', 'token': 'ssn_…'}]
create or replace temp macro _ssn_spans(folded) as (
    case
        when not regexp_matches(folded, '[0-9]{3}[ .-]{1,2}[0-9]{2}[ .-]{1,2}[0-9]{4}|ssn|ss#|social sec') then []
        else list_transform(
            list_distinct(list_concat(
                list_filter(
                    regexp_extract_all(folded, '(?:^|[^0-9a-z_$])([0-9]{3}[ .-]{1,2}[0-9]{2}[ .-]{1,2}[0-9]{4}[0-9]*)', 1),
                    lambda _ssn: regexp_full_match(_ssn, '[0-9]{3}[ .-]{1,2}[0-9]{2}[ .-]{1,2}[0-9]{4}')
                ),
                list_filter(
                    regexp_extract_all(
                        folded,
                        '(?:^|[^a-z])(?:ssn|ss#|social security)(?: ?(?:number|no\.?|num|#))?[ :#.-]{0,3}(?:(?:is|was|of) )?([0-9]{9}[0-9]*)',
                        1
                    ),
                    lambda _ssn: length(_ssn) = 9
                ),
                regexp_extract_all(
                    folded,
                    '(?:^|[^0-9])([0-9]{9}) ?,? (?:is|was|=) (?:my |the |his |her |their )?(?:ssn|social security)',
                    1
                )
            )),
            lambda _ssn: {'needle': _ssn, 'token': _keyed_token(_pii_normalize(_ssn, 'ssn'), 'ssn')}
        )
    end
);
