-- _phone_spans(folded) -> LIST(STRUCT(needle VARCHAR, token VARCHAR))   (private helper of redact_text)
--
-- The phone numbers in a folded text (fold_text: Unicode dashes are '-',
-- no-break spaces ' ', full-width digits ASCII), longest first:
--   North American numbers with any separator people type between the
--   groups (space, '.', '-', '/', or none, with a space on either side):
--     (614) 555-0142, (614)555-0142, 614-555-0142, 614.555.0142, 614/555-0142,
--     614 555 0142, 6145550142, +1 614 555 0142, +1-614-555-0142,
--     1-614-555-0142, 1 (614) 555-0142; with an extension: x12, ext. 12,
--     ext 12, extension 12, #12, of any length (the scan reads 'x 12345678' as one too)
--       -> pii_token(number, 'phone'), the phone column's token, or '[phone]'
--          when the ten digits cannot be a valid number;
--     a marker before a whole number is no extension: in '614-555-0142 x
--     614-555-9528' both are phones, in '614-555-0142 x 555-9528' the seven
--     digits are the seven-digit rules' to judge (below);
--     a stretch of digits that is no phone does not hide the one after its
--     first group: '487-1895 4106619349' (not a country code '1' and eleven
--     digits), 'Suite 200 6145550142' (_phone_candidates);
--     ten (or 1 and ten) bare digits right after an id word are an id, not a
--     phone: 'PO 4500123456', 'order #1234567890', 'invoice no. 4500123456';
--   seven-digit local numbers 555-0184, 555.0184, 555 - 0184, and each
--   number of a list 555-0143/555-0187                -> '[phone]'
--     except where the text says it is a number of something else:
--       right after an id word: 'part no. 611-2045', 'Employee #218-7734',
--         'PO 611-2045';
--       right before a count or unit word: '300-1250 units', '500-1000 lbs',
--         '400-1350 per hour';
--       a range of round counts, 500-1000 or 250 - 2000 (first group ending
--         in 0, second a whole number of hundreds from 1000);
--       a day shift from H:MM (4:00 to 9:45) to HH:MM 4 to 10 hours later,
--         on the quarter hour: '700-1530', '645-1515', '400-1230' (no
--         555-01xx number has that shape, and 1 phone in 10,000 has);
--     a '#' alone is no id word: 'alt #555-0184', 'home # 555-0184' are phones.
--   international numbers written with '+' and a country code other than 1,
--   8 to 15 digits in groups: +33 1 42 68 53 00, +44 (20) 7946-0958
--                                                    -> pii_token('+' || digits, 'phone')
-- The id words: po, purchase order, order, invoice, ticket, file, badge, req,
-- id, account, claim, case, tracking, confirmation, sku, item, part, p/n,
-- model, asset, tag, lot, serial, employee, member, policy, check, batch,
-- record, job, work order (and short forms; not 'ref': 'Refs: 555-0184' lists
-- references' phones). The count words are plural nouns of goods and weights
-- ('units', 'cases', 'pallets', 'lbs'; not 'hours', 'lines' or 'ft', which
-- follow phones: '555-0184 hours 8-5', '555-0184 FT nights'). An id or count
-- word makes an id of every occurrence of the digits, or of none: the same
-- digits elsewhere in the text without one may be a phone. A phone word
-- (call, cell, tel, ph, phone, text, mobile, fax, contact, dial, sms,
-- whatsapp, landline, hotline, caller, voicemail, vm, lvm, on file) up to 20
-- characters before the digits, with no digit or ';' between, makes them a
-- phone whatever the rest says: 'cell on file 6145550142', 'number on file
-- 555-0184', 'call 500-1000'.
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
        -- the cues, looked for only where a number they may decide stands: ten bare digits, or seven that start a number
        else list_transform([case when regexp_matches(folded, '[0-9]{10}|(?:^|[^0-9a-z_$.,/-]|[^0-9][.,/-])[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}') then {
            -- ten bare digits or a seven-digit number right after an id word
            'id': regexp_extract_all(
                folded,
                '(?:^|[^a-z0-9_])(?:p\.? ?o|purchase order|order|invoice|inv|ticket|tkt|file|badge|req|requisition'
                || '|id|acct|account|claim|case|tracking|confirmation|conf|sku|item|part|p/n|pn|model|asset|tag|lot|serial|employee|emp'
                || '|member|policy|check|batch|record|job|work order|wo)s?\.?(?: ?(?:#|no\.?|num\.?|number|id))? ?[:#]? ?'
                || '(1?[0-9]{10}[0-9]*|[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}[0-9]*)',
                1
            ),
            -- the same, up to 20 characters after a phone word; '_' and '[' stop the reach as digits do, and '[phone]'
            -- is no phone word, so that the scan, reading the redacted text where tokens and '[phone]' stand for the
            -- numbers, sees the cues this step saw
            'phone': regexp_extract_all(
                folded,
                '(?:^|[^a-z0-9_\[])(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact|dial|sms|whatsapp|landline|hotline'
                || '|caller|voicemail|vm|lvm|on file)(?:[^a-z0-9_;][^0-9;_\[]{0,20}?)?'
                || '(1?[0-9]{10}[0-9]*|[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}[0-9]*)',
                1
            ),
            -- a seven-digit number right before a count or unit word
            'count': regexp_extract_all(
                folded,
                '([0-9]{3}(?: ?- ?|[.-])[0-9]{4}) ?(?:units|cases|cartons|ctns?|boxes|pallets|plts?|skids|pieces|pcs|items|parts'
                || '|picks|orders|totes|bags|rolls|labels|lbs?|pounds|kgs?|kilos|tons|gal|gallons|feet|sq ?ft|yards|yds|miles'
                || '|per (?:hour|hr|day|shift|week|wk))(?:[^a-z]|$)',
                1
            ),
        } else {'id': []::varchar[], 'phone': []::varchar[], 'count': []::varchar[]} end],
            lambda _cues: list_transform(
                list_sort(
                    list_distinct(list_concat(
                        list_transform(
                            list_filter(
                                flatten(list_transform(
                                    _phone_candidates(folded),
                                    lambda _stretch: case
                                        -- a number, with its extension if any
                                        when regexp_full_match(_stretch, '(?:\+ ?1 ?[./-]? ?|1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\)|[0-9]{3}) ?[./-]? ?[0-9]{3} ?[./-]? ?[0-9]{4}(?: ?,? ?(?:x|ext\.?|extension|#) ?[0-9]+)?') then [_stretch]
                                        -- a marker before another number: no extension. The number before the marker is
                                        -- one; a ten-digit one after it is one too ('x 614-555-9528'); seven digits after it
                                        -- are the seven-digit step's to judge, by its rules ('x 555-9528', '# 630-1300')
                                        when regexp_full_match(
                                            regexp_extract(_stretch, '(?:extension|ext\.?|x|#) ?(.*)$', 1),
                                            '(?:\+ ?1 ?[./-]? ?|1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\)|[0-9]{3}) ?[./-]? ?[0-9]{3} ?[./-]? ?[0-9]{4}(?: ?,? ?(?:x|ext\.?|extension|#) ?[0-9]+)?'
                                        ) then [
                                            regexp_replace(_stretch, ' ?,? ?(?:x|ext|#).*$', '', 'g'),
                                            regexp_extract(_stretch, '(?:extension|ext\.?|x|#) ?(.*)$', 1),
                                        ]
                                        when regexp_full_match(regexp_extract(_stretch, '(?:extension|ext\.?|x|#) ?(.*)$', 1), '[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}')
                                            then [regexp_replace(_stretch, ' ?,? ?(?:x|ext|#).*$', '', 'g')]
                                        -- more digits after the number: its first group (after the marker: the extension)
                                        -- may hide the next number, which one more look finds: '487-1895 4106619349' ('1'
                                        -- read as the country code), 'Suite 200 6145550142', 'x612 18322963896'
                                        else list_concat(
                                            case
                                                when regexp_matches(_stretch, '[a-z#]') then [regexp_extract(_stretch, '^(.*?(?:extension|ext\.?|x|#) ?[0-9]+)', 1)]
                                                else []
                                            end,
                                            list_filter(
                                                _phone_candidates(regexp_replace(
                                                    case when regexp_matches(_stretch, '[a-z#]') then regexp_extract(_stretch, '(?:extension|ext\.?|x|#) ?(.*)$', 1) else _stretch end,
                                                    '^[^0-9]*[0-9]+',
                                                    '',
                                                    'g'
                                                )),
                                                lambda _again: regexp_full_match(_again, '(?:\+ ?1 ?[./-]? ?|1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\)|[0-9]{3}) ?[./-]? ?[0-9]{3} ?[./-]? ?[0-9]{4}(?: ?,? ?(?:x|ext\.?|extension|#) ?[0-9]+)?')
                                            )
                                        )
                                    end
                                )),
                                -- an id: every occurrence of these bare digits follows an id word, none a phone word
                                lambda _phone: (
                                    len(list_filter(_cues.id, lambda _id: _id = _phone)) < len(string_split(folded, _phone)) - 1
                                    or len(list_filter(_cues.phone, lambda _id: _id = _phone)) > 0
                                )
                            ),
                            lambda _phone: {
                                'size': length(_phone),
                                'needle': _phone,
                                'token': coalesce(
                                    _keyed_token(
                                        -- the extension is anchored at the end: one match at most
                                        _normalized_phone(regexp_replace(_phone, ' ?,? ?(?:x|ext\.?|extension|#) ?[0-9]+$', '', 'g')),
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
                                '(?:^|[^0-9a-z_$.,/-]|[^0-9][.,/-])((?:(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact)[ .:#]{0,3})?'
                                || '[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}[0-9]*(?: ?/ ?[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}[0-9]*)*)',
                                1
                            ),
                            lambda _run: list_transform(
                                list_filter(
                                    regexp_extract_all(_run, '[0-9]{3}(?: ?- ?|[.-])[0-9]+'),
                                    lambda _local: regexp_full_match(_local, '[2-9][0-9]{2}(?: ?- ?|[.-])[0-9]{4}')
                                        and (
                                            -- a phone word opens the run ('call 500-1000', glued: 'cell230-4500'), or
                                            -- stands up to 20 characters before these digits
                                            regexp_matches(_run, '^[a-z]')
                                            or len(list_filter(_cues.phone, lambda _cue: _cue = _local)) > 0
                                            or not (
                                                -- a range of round counts; a day shift, H:MM to HH:MM on the quarter hour, 4 to 10 hours long
                                                regexp_full_match(
                                                    _local,
                                                    '[2-9][0-9]0 ?- ?[1-9][0-9]00'
                                                    || '|(?:4(?:[03]0|[14]5) ?- ?1[0-4]|5(?:[03]0|[14]5) ?- ?1[0-5]|6(?:[03]0|[14]5) ?- ?1[0-6]'
                                                    || '|7(?:[03]0|[14]5) ?- ?1[1-7]|8(?:[03]0|[14]5) ?- ?1[2-8]|9(?:[03]0|[14]5) ?- ?1[3-9])(?:[03]0|[14]5)'
                                                )
                                                -- an id word before every occurrence of these digits, or a count word after every one
                                                -- (not the sum: an occurrence between the two words counts once)
                                                or greatest(
                                                    len(list_filter(_cues.id, lambda _cue: _cue = _local)),
                                                    len(list_filter(_cues.count, lambda _cue: _cue = _local))
                                                ) >= len(string_split(folded, _local)) - 1
                                            )
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
