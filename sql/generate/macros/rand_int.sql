{#-
  rand_int(salt, key, n) -> BIGINT in [0, n)

  A deterministic draw: the same $seed, salt and key give the same integer.
    rand_int('archetype', 'worker_id', 100)   -- 0..99, stable per worker
  n is SQL text, so it may be an expression such as 'len(first_names)'.
-#}
{% macro rand_int(salt, key, n) -%}
({{ _seeded_md5(salt, key) }} % ({{ n }}))
{%- endmacro %}
