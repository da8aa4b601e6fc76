{#-
  scan_has_ssn(folded) -> BOOLEAN                              (the PII scan)

  Whether folded text (scan_fold: every Unicode dash is '-', every space
  ' ') holds a US social security number in a form §6 lists: NNN-NN-NNNN
  with '-', '.' or a space as separators, mixed too ('693-09.4444'), but
  never a decimal point followed by a space ('250.00 2026' is money and a
  year), not inside a longer number, a word or money; or nine bare digits
  standing alone when the text calls something an SSN, SS# or a social
  security number. An SSN-shaped number SSA would not issue still
  hits: over-reporting is the safe side.
  Written for the scan, independently of the redaction's own patterns.
    scan_has_ssn("'ssn 219.09.9998'")               -> true
    scan_has_ssn("'SSN: 219099999'")                -> false (not folded)
    scan_has_ssn(scan_fold("'SSN: 219099999'"))     -> true
    scan_has_ssn("'ssn_kpbhmgjoalcdenfi 219099999'") -> false
    scan_has_ssn("'order 219099999'")               -> false
-#}
{% macro scan_has_ssn(folded) -%}
(
    regexp_matches(
        {{ folded }},
        '(?:^|[^a-z0-9_$,.])[0-9]{3}(?:-[0-9]{2}[-. ]|\.[0-9]{2}[-.]| [0-9]{2}[- ])[0-9]{4}(?:[^a-z0-9_]|$)'
    )
    or (
        regexp_matches({{ folded }}, '(?:^|[^a-z0-9_])(?:ssn|ss ?#|ss no|social security)(?:[^a-z_]|$)')
        and regexp_matches({{ folded }}, '(?:^|[^a-z0-9_]|ssn)[0-9]{9}(?:[^a-z0-9_]|$)')
    )
)
{%- endmacro %}
