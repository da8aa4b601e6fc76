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
  'rose. mark'.
    scan_words("'ruiz, susan x. (d''angelo''s)'") -> ['ruiz', ',', 'susan', 'x', '.', 'dangelo']
    scan_words("'n.raman met rose. mark'", true)  -> ['n.raman', 'met', 'rose', '.', 'mark']
-#}
{% macro scan_words(folded, dotted=false) -%}
regexp_extract_all(
    replace(regexp_replace({{ folded }}, '''s([^\pL\pN]|$)', '\1', 'g'), '''', ''),
    {{ ('[\\pL\\pN]+(?:\\.[\\pL\\pN]+)*|[.,]' if dotted else '[\\pL\\pN]+|[.,]') | literal }}
)
{%- endmacro %}
