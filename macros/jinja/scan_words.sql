{#-
  scan_words(folded, dotted=false) -> VARCHAR[]                (the PII scan)

  The words of folded text (scan_fold), as the name scan compares them: a
  possessive 's is dropped and other apostrophes joined ('D'Angelo's' ->
  'dangelo', 'O'Neil' -> 'oneil', like 'ONeil'); every run of letters or
  digits is a word, so a hyphen, '_' or any other punctuation separates
  words ('anne-marie' -> 'anne', 'marie'); '.' and ',' are words of their
  own, so 'F. Last' and 'Last, First' keep their shape and a name never runs
  on across a sentence ('rose. mark' is not 'rose mark').
  dotted (the roster scan): words joined by dots with no space ('n.raman',
  'chidi.okonkwo') are one word, so a handle or 'F.Last' is told apart from
  'rose. mark'; digits after a word's last letter are a word of their own
  ('grace.okafor2' -> 'grace.okafor', '2', and 'grace_okafor2' -> 'grace',
  'okafor', '2': a login's number); and a
  comma with a letter or digit right after it is the word ',,' ('okafor,grace'
  and a CSV row's 'grace,okafor'), so 'First,Last' is told apart from
  'rose, mark the form'.
    scan_words("'ruiz, susan x. (d''angelo''s)'") -> ['ruiz', ',', 'susan', 'x', '.', 'dangelo']
    scan_words("'n.raman met rose. mark'", true)  -> ['n.raman', 'met', 'rose', '.', 'mark']
    scan_words("'grace,okafor,n.raman2'", true)  -> ['grace', ',,', 'okafor', ',,', 'n.raman', '2']
-#}
{% macro scan_words(folded, dotted=false) -%}
{%- if dotted -%}
regexp_extract_all(
    replace(regexp_replace(regexp_replace({{ folded }}, '''s([^\pL\pN]|$)', '\1', 'g'), ',([\pL\pN])', ',,\1', 'g'), '''', ''),
    '[\pL\pN]*\pL(?:\.[\pL\pN]*\pL)*|\pN+(?:\.[\pL\pN]*\pL)*|,,|[.,]'
)
{%- else -%}
regexp_extract_all(
    replace(regexp_replace({{ folded }}, '''s([^\pL\pN]|$)', '\1', 'g'), '''', ''),
    '[\pL\pN]+|[.,]'
)
{%- endif %}
{%- endmacro %}
