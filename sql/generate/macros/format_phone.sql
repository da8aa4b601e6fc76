{#-
  format_phone(digits) -> VARCHAR '(NNN) NNN-NNNN'

  Formats a string of exactly ten digits; anything else gives NULL.
    format_phone('6145550142')  -> '(614) 555-0142'
    format_phone('614555014')   -> NULL
-#}
{% macro format_phone(digits) -%}
(case when regexp_full_match({{ digits }}, '[0-9]{10}')
      then '(' || substr({{ digits }}, 1, 3) || ') ' || substr({{ digits }}, 4, 3) || '-' || substr({{ digits }}, 7, 4)
 end)
{%- endmacro %}
