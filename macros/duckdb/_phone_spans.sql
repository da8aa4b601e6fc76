-- _phone_spans(folded) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))   (private helper of redact_text)
--
-- The phone numbers in a folded text (fold_text: Unicode dashes are '-',
-- no-break spaces ' ', full-width digits ASCII), longest first:
--   North American numbers with any separator people type between the
--   groups (space, '.', '-', '/', or none, with a space on either side):
--     (614) 555-0142, (614)555-0142, 614-555-0142, 614.555.0142, 614/555-0142,
--     614 555 0142, 6145550142, +1 614 555 0142, +1-614-555-0142,
--     1-614-555-0142, 1 (614) 555-0142; with an extension: x12, ext. 12,
--     ext 12, extension 12, #12
--       -> pii_token(number, 'phone'), the phone column's token, or '[phone]'
--          when the ten digits cannot be a valid number;
--   seven-digit local numbers 555-0184, 555.0184     -> '[phone]'
--   international numbers written with '+' and a country code other than 1,
--   8 to 15 digits in groups: +33 1 42 68 53 00, +44 (20) 7946-0958
--                                                    -> pii_token('+' || digits, 'phone')
-- A number never starts right after a letter, a digit, '_' or '$' ('$125-1500'
-- is money, 'JO-000123' an id) and is never followed by more digits (a longer
-- number is not a phone); a seven-digit number never follows '.', ',', '/' or
-- '-' (the tail of a date or of a longer number).
-- Fast path: a text without NNN[sep]NNNN (the end of every number above but
-- some international ones) or a '+' before a digit is not searched.
--
-- Example:
--   _phone_spans('call +1 614 555 0142 x12') -> [{'needle': '+1 614 555 0142 x12', 'token': 'phone_…'}]
create or replace temp macro _phone_spans(folded) as (
    case
        when not regexp_matches(folded, '[0-9]{3} ?[./-]? ?[0-9]{4}|\+ ?[0-9]') then []
        else list_transform(
            list_sort(
                list_distinct(list_concat(
                    list_transform(
                        list_filter(
                            regexp_extract_all(
                                folded,
                                '(?:^|[^0-9a-z_$])((?:\+ ?1 ?[./-]? ?|1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\)|[0-9]{3}) ?[./-]? ?[0-9]{3} ?[./-]? ?[0-9]{4}(?: ?,? ?(?:x|ext\.?|extension|#) ?[0-9]{1,6})?[0-9]*)',
                                1
                            ),
                            lambda _phone: regexp_full_match(
                                _phone,
                                '(?:\+ ?1 ?[./-]? ?|1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\)|[0-9]{3}) ?[./-]? ?[0-9]{3} ?[./-]? ?[0-9]{4}(?: ?,? ?(?:x|ext\.?|extension|#) ?[0-9]{1,6})?'
                            )
                        ),
                        lambda _phone: {
                            'size': length(_phone),
                            'needle': _phone,
                            'token': coalesce(
                                _keyed_token(
                                    _pii_normalize(regexp_replace(_phone, ' ?,? ?(?:x|ext\.?|extension|#) ?[0-9]{1,6}$', ''), 'phone'),
                                    'phone'
                                ),
                                '[phone]'
                            ),
                        }
                    ),
                    list_transform(
                        list_filter(
                            regexp_extract_all(folded, '(?:^|[^0-9a-z_$.,/-])([2-9][0-9]{2}[.-][0-9]{4}[0-9]*)', 1),
                            lambda _phone: length(_phone) = 8
                        ),
                        lambda _phone: {'size': length(_phone), 'needle': _phone, 'token': '[phone]'}
                    ),
                    case when contains(folded, '+') then list_transform(
                        list_filter(
                            regexp_extract_all(folded, '(?:^|[^0-9a-z_$])(\+ ?[2-9][0-9]{0,2}(?: ?[./-]? ?\(?[0-9]{1,4}\)?){2,7})', 1),
                            lambda _phone: length(regexp_replace(_phone, '[^0-9]', '', 'g')) between 8 and 15
                        ),
                        lambda _phone: {
                            'size': length(_phone),
                            'needle': _phone,
                            'token': _keyed_token('+' || regexp_replace(_phone, '[^0-9]', '', 'g'), 'phone'),
                        }
                    ) else [] end
                )),
                'desc'
            ),
            lambda _phone: {'needle': _phone.needle, 'token': _phone.token}
        )
    end
);
