-- _redact_ssns(text) -> VARCHAR                                 (private helper of redact_text)
--
-- Replaces every US SSN written NNN-NN-NNNN by pii_token(ssn, 'ssn'). The
-- digits on either side must not be digits: '123-45-67890' and
-- '9123-45-6789' are not SSNs. Runs before _redact_phones, so an SSN is never
-- taken for a phone number.
-- Fast path: text without an NNN-NN-NNNN is returned after one regexp_matches.
-- Matches are replaced literally (replace()), so the same digits inside a
-- longer number elsewhere in the same text are masked too: over-masking,
-- never a leak.
--
-- Example:
--   _redact_ssns('SSN 123-45-6789.') -> 'SSN ssn_<16 letters>.'
create or replace temp macro _redact_ssns(text) as (
    case
        when not regexp_matches(text, '[0-9]{3}-[0-9]{2}-[0-9]{4}') then text
        else list_reduce(
            list_filter(
                list_distinct(regexp_extract_all(text, '(^|[^0-9])([0-9]{3}-[0-9]{2}-[0-9]{4}[0-9]*)', 2)),
                lambda _ssn: length(_ssn) = 11
            ),
            lambda _ssn_text, _ssn: replace(_ssn_text, _ssn, _keyed_token(_pii_normalize(_ssn, 'ssn'), 'ssn')),
            text
        )
    end
);
