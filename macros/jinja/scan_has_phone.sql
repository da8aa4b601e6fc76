{#-
  scan_has_phone(folded) -> BOOLEAN                            (the PII scan)

  Whether folded text (scan_fold: every Unicode dash is '-', every space
  ' ', full-width digits ASCII) holds a phone number in any form §6 lists:
  - NANP: ten digits grouped 3-3-4, with or without '(' ')' around the area
    code, any separator people type between groups ('-', '.', '/', a space,
    a separator with spaces around it, or none), after an optional '+1',
    '1' or '1-'; an extension may follow ('x12', 'ext. 12'). Ten bare
    digits are one too ('6145550142');
  - a seven-digit local number NNN-NNNN, NNN - NNNN or NNN.NNNN ('555-0184')
    whose exchange starts with 2-9 as every NANP exchange does (so a range
    such as '100-2000' is not one), not the tail of a longer group of
    digits (so zip+4 '45402-1234' is not one). Not NNN NNNN with a space:
    that is too often not a phone ('Suite 200 1234'), and the redaction
    leaves it too; a scan stricter than the redaction would refuse every
    publication;
  - but not a number the text gives as something else: ten bare digits or
    seven digits right after an id word ('PO 4500123456', 'part no.
    611-2045', 'Employee #218-7734'; 'ref' is none, nor is a '#' alone:
    'alt #555-0184' is a phone), seven digits right before a plural count
    or weight ('300-1250 units', '400-1350 lbs'; not 'hours' or 'ft': '...
    555-0184 hours 8-5'), a range of round counts ('500-1000': the first
    group ends in 0, the second is a whole number of hundreds from 1000),
    or a day shift from H:MM (4:00 to 9:45) to HH:MM 4 to 10 hours later,
    on the quarter hour ('700-1530', '645-1515'; not '730-1045'). These
    are taken out of the text (a ten-digit number standing alone is kept
    whole, so its last seven digits are never taken for a count; digits
    glued before a shift, '3/2/2026 700-1530', make no number) before a
    second look;
    and any of them is a phone after all when a phone word (call, cell,
    tel, ph, phone, text, mobile, fax, contact, dial, sms, whatsapp,
    landline, hotline, caller, voicemail, vm, lvm, on file) stands up to
    20 characters before it, with no digit or ';' between ('cell on file
    6145550142', 'call 500-1000');
  - an international number: '+', a country code (in parentheses or not),
    then 7 to 13 more digits in groups, a group in parentheses or not
    ('+33 1 42 68 53 00', '(+41) 22 730 5989', '+44 (20) 7123 4567').
  Every form must stand alone: no letter, digit or '_' right before it, no
  digit right after it (a letter after it as an extension, or glued on as
  PDF text does, '614-555-0142c', '614-555-0142Email:', as the redaction
  reads it; not hex digits, which continue a hash). So dates
  (2026-03-02, 03/02/2026), times (06:00-14:30), zips, money ($1,250.00),
  ids (JO-000123), tokens and sha256 hex strings do not hit.
  Written for the scan, independently of the redaction's own patterns.
    scan_has_phone("'call 937/555-0183 x12'")   -> true
    scan_has_phone(scan_fold("'937' || chr(8211) || '555' || chr(8211) || '0181'")) -> true
    scan_has_phone("'call 555-0184'")           -> true
    scan_has_phone("'lift 100-2000 lbs'")       -> false
    scan_has_phone("'500-1000 cases per shift'") -> false
    scan_has_phone("'po 4500123456'")           -> false
    scan_has_phone("'part no. 611-2045'")       -> false
    scan_has_phone("'hours 700-1530 m-f'")      -> false
    scan_has_phone("'cell on file 555-0184'")   -> true
    scan_has_phone("'+33 1 42 68 53 00'")       -> true
    scan_has_phone("'start 2026-03-02, zip 45402-1234'") -> false
-#}
{% macro scan_has_phone(folded) -%}
{%- set sep = "(?: ?[-./] ?| )?" %}
{%- set before = "(?:^|[^a-z0-9_+])" %}
{#- a letter right after a number: an extension, a glued '(c)'-style letter ('614-555-0142c') or label
    ('...0142Email:'), but not a hex digit followed by more hex (a sha256 that starts with ten digits) #}
{%- set after = "(?:[^a-z0-9_]|$|x ?[0-9]|ext|[g-z]|[a-f](?:[^0-9a-f]|$))" %}
{%- set nanp = "(?:\\+ ?1" ~ sep ~ "|1" ~ sep ~ ")?(?:\\([0-9]{3}\\) ?|[0-9]{3}" ~ sep ~ ")[0-9]{3}" ~ sep ~ "[0-9]{4}" %}
{%- set local_before = "(?:^|[^a-z0-9_.,/$+-]|[^0-9][.,/-])" %}
{%- set local = "[2-9][0-9]{2}(?: ?- ?|\\.)[0-9]{4}" %}
{%- set phone_word = "(?:^|[^a-z0-9_])(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact)" %}
{%- set pattern = before ~ nanp ~ after
    ~ "|" ~ local_before ~ local ~ after
    ~ "|" ~ phone_word ~ "[ .:#]{0,3}" ~ local ~ after
    ~ "|(?:^|[^a-z0-9_])\\(?\\+ ?[0-9]{1,3}\\)?(?:[ .-]?\\(?[0-9]\\)?){7,13}(?:[^0-9]|$)" %}
{%- set id_word = "(?:^|[^a-z0-9_])(?:p\\.? ?o|purchase order|order|invoice|inv|ticket|tkt|file|badge|req|requisition"
    ~ "|id|acct|account|claim|case|tracking|confirmation|conf|sku|item|part|p/n|pn|model|asset|tag|lot|serial|employee|emp"
    ~ "|member|policy|check|batch|record|job|work order|wo)s?\\.?(?: ?(?:#|no\\.?|num\\.?|number|id))? ?[:#]? ?" %}
{%- set count_word = " ?(?:units|cases|cartons|ctns?|boxes|pallets|plts?|skids|pieces|pcs|items|parts|picks|orders|totes|bags|rolls"
    ~ "|labels|lbs?|pounds|kgs?|kilos|tons|gal|gallons|feet|sq ?ft|yards|yds|miles|per (?:hour|hr|day|shift|week|wk))(?:[^a-z]|$)" %}
{%- set quarter = "(?:[03]0|[14]5)" %}
{#- a day shift: H:MM from 4:00 to 9:45, to HH:MM 4 to 10 hours later #}
{%- set shift = "(?:4" ~ quarter ~ " ?- ?1[0-4]|5" ~ quarter ~ " ?- ?1[0-5]|6" ~ quarter ~ " ?- ?1[0-6]|7" ~ quarter ~ " ?- ?1[1-7]|8"
    ~ quarter ~ " ?- ?1[2-8]|9" ~ quarter ~ " ?- ?1[3-9])" ~ quarter %}
{%- set round_or_shift = "[2-9][0-9]0 ?- ?[1-9][0-9]00|" ~ shift %}
{%- set not_phone = id_word ~ "(?:1?[0-9]{10}|" ~ local ~ ")|" ~ local ~ count_word ~ "|" ~ round_or_shift %}
{#- the redaction's placeholder '[phone]' is no phone word, and its tokens and placeholders stop the reach as the
    digits they replaced did: 'contact [phone] case 980-7900' has no cue for the case number #}
{%- set phone_cue = "(?:^|[^a-z0-9_\\[])(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact|dial|sms|whatsapp"
    ~ "|landline|hotline|caller|voicemail|vm|lvm|on file)(?:[^a-z0-9_;][^0-9;_\\[]{0,20})?(?:1?[0-9]{10}|" ~ local ~ ")(?:[^0-9]|$)" %}
{#- a CASE, so that each step runs only on the values the step before left undecided #}
(case
    when not regexp_matches({{ folded }}, {{ pattern | literal }}) then false
    when not regexp_matches({{ folded }}, {{ not_phone | literal }}) then true
    -- a phone left once they are out: ids first, on their own (the character before an id word may be the
    -- one a count word's end takes), then counts, rounds and shifts, a ten-digit number (group 1) kept whole
    -- when it stands alone as the pattern reads one ('3/2/2026 700-1530': '026 700-1530' is no number)
    else regexp_matches(
            regexp_replace(
                regexp_replace({{ folded }}, {{ ("(" ~ id_word ~ ")(?:1?[0-9]{10}|" ~ local ~ ")") | literal }}, '\1', 'g'),
                {{ ("(" ~ before ~ nanp ~ ")|" ~ local ~ "(" ~ count_word ~ ")|" ~ round_or_shift) | literal }},
                '\1\2',
                'g'
            ),
            {{ pattern | literal }}
        )
        or regexp_matches({{ folded }}, {{ phone_cue | literal }})
end)
{%- endmacro %}
