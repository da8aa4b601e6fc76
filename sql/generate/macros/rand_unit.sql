{#-
  rand_unit(salt, key) -> DOUBLE in [0, 1)

  A deterministic uniform draw with 48 bits of resolution.
    rand_unit('reliability', 'worker_id') < 0.3
-#}
{% macro rand_unit(salt, key) -%}
({{ _seeded_md5(salt, key) }} / 281474976710656.0)
{%- endmacro %}
