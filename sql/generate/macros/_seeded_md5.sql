{#-
  _seeded_md5(salt, key) -> BIGINT in [0, 2^48)

  48 bits of the md5 of the run's seed, a salt naming what is being drawn, and
  a stable key. Private helper of rand_int / rand_unit: every pseudo-random
  value in the project comes from here, so the same seed and keys give the
  same data on every machine (never random() or hash(), whose values are not
  stable). The mask keeps the arithmetic in BIGINT: a modulo on md5_number's
  full UHUGEINT is a 128-bit division and about 30 times slower.

  salt: a template constant, e.g. 'first_name'   key: SQL text, e.g. worker_id
  Needs the parameter $seed.
-#}
{% macro _seeded_md5(salt, key) -%}
((md5_number(concat_ws('|', $seed, {{ salt | literal }}, {{ key }})) & 281474976710655::uhugeint)::bigint)
{%- endmacro %}
