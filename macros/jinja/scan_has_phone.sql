{#-
  scan_has_phone(folded) -> BOOLEAN                            (the PII scan)

  Whether folded text (scan_fold: every Unicode dash is '-', every space
  ' ', full-width digits ASCII) holds a phone number in any form §6 lists:
  - NANP: ten digits grouped 3-3-4, with or without '(' ')' around the area
    code, any separator people type between groups ('-', '.', '/', a space,
    a separator with spaces around it, or none), after an optional '+1',
    '1' or '1-'; an extension may follow ('x12', 'ext. 12'). Ten bare
    digits right after an id word ('PO 4500123456', 'order #1234567890',
    'invoice no. ...') are an id: they are taken out before a second look,
    so the value hits only if a phone remains, or if a phone word stands up
    to 20 characters before ten bare digits ('cell on file 6145550142');
  - a seven-digit local number NNN-NNNN, NNN - NNNN or NNN.NNNN ('555-0184')
    whose exchange starts with 2-9 as every NANP exchange does (so a range
    such as '100-2000' is not one), not the tail of a longer group of
    digits (so zip+4 '45402-1234' is not one). A range of round counts
    ('500-1000 cases': the first group ends in 0, the second is a whole
    number of hundreds from 1000) is a phone only after a phone word
    ('call', 'cell', 'tel', 'ph', 'text', 'mobile', 'fax', '#'). Not NNN NNNN
    with a space: that is too often not a phone ('Suite 200 1234'), and the
    redaction leaves it too; a scan stricter than the redaction would
    refuse every publication;
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
    scan_has_phone("'+33 1 42 68 53 00'")       -> true
    scan_has_phone("'start 2026-03-02, zip 45402-1234'") -> false
-#}
{% macro scan_has_phone(folded) -%}
{%- set sep = "(?: ?[-./] ?| )?" %}
{%- set before = "(?:^|[^a-z0-9_+])" %}
{#- a letter right after a number: an extension, a glued '(c)'-style letter ('614-555-0142c') or label
    ('...0142Email:'), but not a hex digit followed by more hex (a sha256 that starts with ten digits) #}
{%- set after = "(?:[^a-z0-9_]|$|x ?[0-9]|ext|[g-z]|[a-f](?:[^0-9a-f]|$))" %}
{%- set local_before = "(?:^|[^a-z0-9_.,/$+-]|[^0-9][.,/-])" %}
{#- a seven-digit number that is not a range of round counts: the exchange does not end in 0, or the line number is not NN00 from 1000 #}
{%- set local = "(?:[2-9][0-9][1-9](?: ?- ?|\\.)[0-9]{4}|[2-9][0-9]0\\.[0-9]{4}|[2-9][0-9]0 ?- ?(?:0[0-9]{3}|[0-9]{2}(?:[1-9][0-9]|0[1-9])))" %}
{%- set phone_word = "(?:^|[^a-z0-9_])(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact|#)[ .:#]{0,3}" %}
{%- set pattern = before ~ "(?:\\+ ?1" ~ sep ~ "|1" ~ sep ~ ")?(?:\\([0-9]{3}\\) ?|[0-9]{3}" ~ sep ~ ")[0-9]{3}" ~ sep ~ "[0-9]{4}" ~ after
    ~ "|" ~ local_before ~ local ~ after
    ~ "|" ~ phone_word ~ "[2-9][0-9]{2}(?: ?- ?|\\.)[0-9]{4}" ~ after
    ~ "|(?:^|[^a-z0-9_])\\(?\\+ ?[0-9]{1,3}\\)?(?:[ .-]?\\(?[0-9]\\)?){7,13}(?:[^0-9]|$)" %}
{%- set id_digits = "((?:^|[^a-z0-9_])(?:p\\.? ?o|purchase order|order|invoice|inv|ticket|tkt|file|badge|req|requisition|ref|reference"
    ~ "|id|acct|account|claim|case|tracking|confirmation|conf|sku|item|lot|serial|employee|emp|member|policy"
    ~ "|check|batch|record|job|work order|wo)s?\\.?(?: ?(?:#|no\\.?|num\\.?|number|id))? ?[:#]? ?)1?[0-9]{10}" %}
{%- set phone_digits = "(?:^|[^a-z0-9_])(?:call|cell|tel|telephone|ph|phone|text|txt|mobile|mob|fax|contact)(?:[^a-z0-9_;][^0-9;]{0,20})?1?[0-9]{10}(?:[^0-9]|$)" %}
(
    regexp_matches({{ folded }}, {{ pattern | literal }})
    and (
        not regexp_matches({{ folded }}, {{ id_digits | literal }})
        or regexp_matches(regexp_replace({{ folded }}, {{ id_digits | literal }}, '\1', 'g'), {{ pattern | literal }})
        or regexp_matches({{ folded }}, {{ phone_digits | literal }})
    )
)
{%- endmacro %}
