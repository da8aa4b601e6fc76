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
--     ten (or 1 and ten) bare digits right after an id word are an id, not a
--     phone: 'PO 4500123456', 'order #1234567890', 'invoice no. 4500123456'
--     (po, order, invoice, ticket, file, badge, req, ref, id, account, claim,
--     case, tracking, confirmation, sku, item, lot, serial, employee, member,
--     policy, check, batch, record, job, work order); unless a phone word
--     (call, cell, tel, ph, phone, text, mobile, fax, contact) stands up to
--     20 characters before them ('cell on file 6145550142'), or the same
--     digits also stand elsewhere in the text, where they may be a phone;
--   seven-digit local numbers 555-0184, 555.0184, 555 - 0184, and each
--   number of a list 555-0143/555-0187                -> '[phone]'
--     except a range of round counts, 500-1000 or 250 - 2000 (first group
--     ending in 0, second a whole number of hundreds from 1000): no phone
--     has that shape more often than a count range does, unless a phone
--     word stands right before it ('call 500-1000', 'cell: 230-4500');
--   international numbers written with '+' and a country code other than 1,
--   8 to 15 digits in groups: +33 1 42 68 53 00, +44 (20) 7946-0958
--                                                    -> pii_token('+' || digits, 'phone')
-- A number never starts right after a letter, a digit, '_' or '$' ('$125-1500'
-- is money, 'JO-000123' an id) and is never followed by more digits (a longer
-- number is not a phone); a seven-digit number never follows a digit and
-- '.', ',', '/' or '-' (the tail of a date or of a longer number), but for
-- the next number of a list after '/'; after a letter or other character and
-- one of them it is a phone ('LEE,ANN,555-0184', 'cell,555-0184', 'c/555-0184'),
-- as the publication scan reads it.
-- Fast path: a text without NNN[sep]NNNN (the end of every number above but
-- some international ones) or a '+' before a digit is not searched.
--
-- Example:
--   _phone_spans('call +1 614 555 0142 x12') -> [{'needle': '+1 614 555 0142 x12', 'token': 'phone_…'}]
create or replace temp macro _phone_spans(folded) as (
    case
        when not regexp_matches(folded, '[0-9]{3} ?[./-]? ?[0-9]{4}|\+ ?[0-9]') then []
        else list_transform([
            case when regexp_matches(folded, '[0-9]{10}') then {
                -- bare digits right after an id word
                'id': regexp_extract_all(
                    folded,
                    '(?:^|[^a-z0-9_])(?:p\.? ?o|purchase order|order|invoice|inv|ticket|tkt|file|badge|req|requisition|ref|reference'
                    || '|id|acct|account|claim|case|tracking|confirmation|conf|sku|item|lot|serial|employee|emp|member|policy'
                    || '|check|batch|record|job|work order|wo)s?\.?(?: ?(?:#|no\.?|num\.?|number|id))? ?[:#]? ?(1?[0-9]{10})(?:[^0-9]|$)',
                    1
                ),
                -- bare digits up to 20 characters after a phone word
                'phone': regexp_extract_all(
                    folded,
                    '(?:^|[^a-z0-9_])(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact)(?:[^a-z0-9_;][^0-9;]{0,20}?)?(1?[0-9]{10})(?:[^0-9]|$)',
                    1
                ),
            } else {'id': []::varchar[], 'phone': []::varchar[]} end],
            lambda _ids: list_transform(
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
                                -- an id: every occurrence of these bare digits follows an id word, none a phone word
                                and (
                                    len(list_filter(_ids.id, lambda _id: _id = _phone)) < len(string_split(folded, _phone)) - 1
                                    or len(list_filter(_ids.phone, lambda _id: _id = _phone)) > 0
                                )
                            ),
                            lambda _phone: {
                                'size': length(_phone),
                                'needle': _phone,
                                'token': coalesce(
                                    _keyed_token(
                                        -- the extension is anchored at the end: one match at most
                                        _normalized_phone(regexp_replace(_phone, ' ?,? ?(?:x|ext\.?|extension|#) ?[0-9]{1,6}$', '', 'g')),
                                        'phone'
                                    ),
                                    '[phone]'
                                ),
                            }
                        ),
                        -- seven-digit numbers: runs of them joined by '/', with the phone word before the run, if any
                        flatten(list_transform(
                            regexp_extract_all(
                                folded,
                                '(?:^|[^0-9a-z_$.,/-]|[^0-9][.,/-])((?:(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact|#)[ .:#]{0,3})?'
                                || '[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}[0-9]*(?: ?/ ?[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}[0-9]*)*)',
                                1
                            ),
                            lambda _run: list_transform(
                                list_filter(
                                    regexp_extract_all(_run, '[0-9]{3}(?: ?- ?|[.-])[0-9]+'),
                                    lambda _local: regexp_full_match(_local, '[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}')
                                        and not (
                                            regexp_full_match(_local, '[2-9][0-9]0 ?- ?[1-9][0-9]00')
                                            and not regexp_matches(_run, '^[a-z#]')
                                        )
                                ),
                                lambda _local: {'size': length(_local), 'needle': _local, 'token': '[phone]'}
                            )
                        )),
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
        )[1]
    end
);
