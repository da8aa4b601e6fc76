{#-
  scan_words(folded) -> VARCHAR[]                              (the PII scan)

  The words of folded text (scan_fold), as the name scan compares them: a
  possessive 's is dropped and other apostrophes joined ('D'Angelo's' ->
  'dangelo', 'O'Neil' -> 'oneil', like 'ONeil'); every run of letters or
  digits is a word, so a hyphen or any other punctuation separates words
  ('anne-marie' -> 'anne', 'marie'); '.' and ',' are words of their own, so
  'F. Last' and 'Last, First' keep their shape and a name never runs on
  across a sentence ('rose. mark' is not 'rose mark').
    scan_words("'ruiz, susan x. (d''angelo''s)'") -> ['ruiz', ',', 'susan', 'x', '.', 'dangelo']
-#}
{% macro scan_words(folded) -%}
regexp_extract_all(
    replace(regexp_replace({{ folded }}, '''s([^\pL\pN]|$)', '\1', 'g'), '''', ''),
    '[\pL\pN]+|[.,]'
)
{%- endmacro %}
