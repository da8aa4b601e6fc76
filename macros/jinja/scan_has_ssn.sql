{#-
  scan_has_ssn(folded) -> BOOLEAN                              (the PII scan)

  Whether folded text (scan_fold: every Unicode dash is '-', every space
  ' ') holds a US social security number in a form §6 lists: NNN-NN-NNNN
  with '-', '.' or a space as separators, mixed too ('693-09.4444'), or a
  dash with spaces around it ('219 - 09 - 9999'), but never a decimal point
  followed by a space ('250.00 2026' is money and a year), not inside a
  longer number, a word or money (a letter and ',' or '.' before it is no
  money: 'Ann Lee,219-09-9999', 'Verified.219-09-9999'; nor a dashed one
  after ',' in a CSV row, '1,219-09-9999'); or nine digits, in any grouping
  ('219099999', '(219) 09-9999', '219 099 999'), standing alone within 30
  characters after a word that calls them an SSN ('ssn', 'ssns', 's.s.n.',
  'ss#', 'ss no.', 'ss number', 'ss nbr', 'soc. sec.',
  'social', 'social security number'), with no digit and no ';' in between:
  another number or the end of a clause ends the cue's reach, so 'ssn missing
  on i-9; adp file #100234567' holds none; or nine digits followed by 'is my
  SSN'. An SSN-shaped number SSA would not issue still hits: over-reporting
  is the safe side.
  Written for the scan, independently of the redaction's own patterns.
    scan_has_ssn("'ssn 219.09.9998'")               -> true
    scan_has_ssn("'SSN: 219099999'")                -> false (not folded)
    scan_has_ssn(scan_fold("'SSN: 219099999'"))     -> true
    scan_has_ssn("'s.s.n. 219099999'")              -> true
    scan_has_ssn("'ssn_kpbhmgjoalcdenfi 219099999'") -> false
    scan_has_ssn("'order 219099999'")               -> false
    scan_has_ssn("'ssn missing; file #100234567'")  -> false
-#}
{% macro scan_has_ssn(folded) -%}
{%- set cue = "(?:^|[^a-z0-9_])(?:(?:ssns?|s\\.s\\.n\\.?|ss ?(?:no|nbr|num|number)\\.?|s\\.s\\. ?no\\.?|soc\\.? ?sec\\.?|social)(?:[^a-z0-9_]|$)|ss ?#)" %}
{%- set nine = "(?:\\(?[0-9]{3}\\)?(?: ?[-.] ?| )?[0-9]{2}(?: ?[-.] ?| )?[0-9]{4}|[0-9]{3}(?: ?[-.] ?| )[0-9]{3}(?: ?[-.] ?| )[0-9]{3})(?:[^0-9]|$)" %}
(
    regexp_matches(
        {{ folded }},
        '(?:^|[^a-z0-9_$,.]|[^0-9$][,.])[0-9]{3}(?:-[0-9]{2}[-. ]|\.[0-9]{2}[-.]| [0-9]{2}[- ]| - [0-9]{2} - )[0-9]{4}(?:[^a-z0-9_]|$)|,[0-9]{3}-[0-9]{2}-[0-9]{4}(?:[^a-z0-9_]|$)'
    )
    or (
        regexp_matches({{ folded }}, '(?:^|[^a-z0-9_])(?:ssn|ss ?#|ss ?n(?:o|br|um)|s\.s\.|soc)')
        and regexp_matches(
            {{ folded }},
            {{ (cue ~ "[^0-9;]{0,30}" ~ nine
                ~ "|(?:^|[^a-z0-9_])[0-9]{9},? (?:is|was|=|-) (?:(?:my|the|his|her|their|an?) )?(?:ssn|social security)") | literal }}
        )
    )
)
{%- endmacro %}
