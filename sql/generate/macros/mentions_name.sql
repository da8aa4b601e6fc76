{#-
  mentions_name(text, name) -> BOOLEAN

  True when the free text names the person: the whole name, in any letter case,
  not inside a longer word ('Ann X. Lee' is not found in 'Joann X. Lee').
  The name is matched literally, so quotes, dots and regex metacharacters in
  it ('O''Brien', 'A.*B (Jr.)') are plain characters, never a pattern.
    mentions_name('SUSAN X. RUIZ no-show at 6am', 'Susan X. Ruiz') -> true
-#}
{% macro mentions_name(text, name) -%}
regexp_matches(
    {{ text }},
    '(^|[^[:alnum:]])' || regexp_escape({{ name }}) || '([^[:alnum:]]|$)',
    'i'
)
{%- endmacro %}
