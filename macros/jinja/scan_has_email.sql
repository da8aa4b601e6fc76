{#-
  scan_has_email(folded) -> BOOLEAN                            (the PII scan)

  Whether folded text (scan_fold) holds an email address in any form §6
  lists: a plain address in any case, after mailto:, with a full-width ＠
  (folded to @), or cut short ('ann.lee@example.' and 'a@example..com' still
  name a mailbox: local part, '@' and a domain word that starts with a
  letter); with a space around the @ or with the @ of HTML or of a URL
  ('&#64;', '&#x40;', '&commat;', '%40') when a dotted domain follows, so
  'ot @ 1.5x', 'workers @ dock 4' and 'ping @ops-team' are not addresses;
  or spelled out, the @ written ' at ', '(at)', '[at]', '{at}', '<at>',
  '[@]', '(@)' or ' @ ' and a dot written ' dot ', '(dot)', '[dot]', '{dot}',
  '<dot>', '(.)', '[.]' or ' . ' ('ann dot lee at example dot com',
  'x @ example dot com', 'ann.lee[@]example.com', 'annlee @ example . com'). A
  spelled-out address must end in a common top-level domain, so a sentence
  such as 'worked at Acme in Dayton. Co-workers ...' is not one. Zero-width
  characters inside an address are gone already: scan_fold drops them.
  Written for the scan, independently of the redaction's own patterns.
    scan_has_email(scan_fold("'Mail ANN.LEE＠Example.COM'"))     -> true
    scan_has_email("'ann dot lee at example dot com'")           -> true
    scan_has_email("'ann(at)example(dot)org'")                   -> true
    scan_has_email("'ann.lee&#64;example.com'")                  -> true
    scan_has_email("'x @ example dot com'")                      -> true
    scan_has_email("'ann.lee at example(.)com'")                 -> true
    scan_has_email("'item [@] 5, meet @ gate . bring vests'")    -> false
    scan_has_email("'ot @ 1.5x after 40 hrs'")                   -> false
    scan_has_email("'worked at acme distribution in dayton, oh'") -> false
    scan_has_email("'email_kpbhmgjoalcdenfi'")                   -> false
-#}
{% macro scan_has_email(folded) -%}
{%- set dot = "(?:\\.| dot | \\. | ?[\\[({<](?:dot|\\.)[\\])}>] ?)" %}
{%- set web_at = "(?:@|&#0*64;|&#x0*40;|&commat;|%40)" %}
{%- set at = "(?: ?[\\[({<](?:at|@)[\\])}>] ?| at | ?" ~ web_at ~ " ?)" %}
{%- set word = "[a-z0-9_%+-]+" %}
regexp_matches(
    {{ folded }},
    {{ ("[a-z0-9._%+'-] ?" ~ web_at ~ " ?[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.[a-z]{2,}|[a-z0-9._%+'-]@[a-z][a-z0-9-]*"
        ~ "|" ~ word ~ "(?:" ~ dot ~ word ~ ")*" ~ at ~ "[a-z0-9-]+(?:" ~ dot ~ "[a-z0-9-]+)*" ~ dot
        ~ "(?:com|net|org|edu|gov|mil|int|info|biz|io|co|us|uk|ca|de|fr|me)(?:[^a-z0-9_]|$)") | literal }}
)
{%- endmacro %}
