{#-
  rand_pick(list, salt, key) -> one element of a non-empty list

  A deterministic choice: rand_pick('first_names', 'first', 'worker_id').
  list is SQL text naming a LIST column or expression.
-#}
{% macro rand_pick(list, salt, key) -%}
{{ list }}[1 + {{ rand_int(salt, key, 'len(' ~ list ~ ')') }}]
{%- endmacro %}
