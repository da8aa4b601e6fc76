-- _redact_phones(text) -> VARCHAR                               (private helper of redact_text)
--
-- Replaces every phone number written the way people write them by
-- pii_token(number, 'phone') (the token of its ten digits, equal to the phone
-- column's token), or by '[phone]' when it cannot be normalised (area code
-- 000, exchange starting with 0 or 1).
-- Formats: (614) 555-0142, (614)555-0142, 614-555-0142, 614.555.0142,
--          614 555 0142, 6145550142, +1 614 555 0142, 1-614-555-0142,
--          +1 (614) 555-0142; separators '-', '.', ' ' may be mixed.
-- The number must not touch other digits: the character before is not a
-- digit, and a candidate followed by more digits ('61455501423') is left
-- alone, since it is a longer number, not a phone.
-- Fast path: text without NNN[-. ]?NNNN is returned after one regexp_matches.
-- Distinct numbers are replaced literally, longest first ('+1 614 555 0142'
-- before '614 555 0142'); the same digits inside a longer number in the same
-- text are masked too (over-masking, never a leak).
--
-- Example:
--   _redact_phones('call +1 614 555 0142') -> 'call phone_<16 letters>'
create or replace temp macro _redact_phones(text) as (
    case
        when not regexp_matches(text, '[0-9]{3}[-. ]?[0-9]{4}') then text
        else list_reduce(
            list_transform(
                list_sort(
                    list_transform(
                        list_filter(
                            list_distinct(regexp_extract_all(
                                text,
                                '(^|[^0-9])((?:\+?1[-. ]?)?(?:\([0-9]{3}\)[-. ]?|[0-9]{3}[-. ]?)[0-9]{3}[-. ]?[0-9]{4}[0-9]*)',
                                2
                            )),
                            lambda _phone: regexp_full_match(
                                _phone, '(?:\+?1[-. ]?)?(?:\([0-9]{3}\)[-. ]?|[0-9]{3}[-. ]?)[0-9]{3}[-. ]?[0-9]{4}'
                            )
                        ),
                        lambda _phone: {'size': length(_phone), 'number': _phone}
                    ),
                    'desc'
                ),
                lambda _phone_entry: _phone_entry.number
            ),
            lambda _phone_text, _phone: replace(
                _phone_text, _phone, coalesce(_keyed_token(_pii_normalize(_phone, 'phone'), 'phone'), '[phone]')
            ),
            text
        )
    end
);
