{#-
  scan_name_parts(folded_name) -> VARCHAR[]                    (the PII scan)

  Every part of one person's name that the own-name scan looks for (§6: the
  row's own person by any part of two letters or more): each run of letters
  or digits, holding a letter, of the folded name with its apostrophes joined ('o''neil' ->
  'oneil', as scan_words reads text), of two characters or more, the
  apostrophe spelling of a part that has one, each piece of an apostrophe
  word ('neil', 'angelo') and each hyphenated word joined ('annemarie'),
  so a cheap contains() on the
  folded text can gate a row before the word test. folded_name is SQL text
  for scan_fold(name); NULL -> NULL.
    scan_name_parts(scan_fold("'Kevin Ng'"))              -> ['kevin', 'ng']
    scan_name_parts(scan_fold("'Anne-Marie D''Angelo'")) -> ['anne', 'marie', 'dangelo', 'd''angelo', 'angelo', 'annemarie']
-#}
{% macro scan_name_parts(folded_name) -%}
list_distinct(list_filter(
    list_concat(
        regexp_extract_all(replace({{ folded_name }}, '''', ''), '[\pL\pN]+'),
        regexp_extract_all({{ folded_name }}, '[\pL\pN]+''[\pL\pN]+'),
        -- the pieces of an apostrophe word ('brien', 'angelo': 'O Brien', 'D Angelo') and a hyphenated
        -- word joined ('annemarie', 'minjun', 'alsayed'), as the redaction makes parts of them
        regexp_extract_all({{ folded_name }}, '[\pL\pN]+'),
        regexp_extract_all(replace(replace({{ folded_name }}, '''', ''), '-', ''), '[\pL\pN]+')
    ),
    -- a part is a name's word: a run of digits in a name field ('100' of 'Percival 100%_Wildcard') is not
    name_part -> length(name_part) >= 2 and regexp_matches(name_part, '\pL')
))
{%- endmacro %}
