{#-
  keyed_rows(relation, key_columns) -> a SELECT

  Every row of relation with two more columns, so that a finding can name
  the row a user must look at:
    row_key    VARCHAR: the key columns joined by '|' (worker_id 42 -> '42';
               NULL when the key is NULL: ids_present names those rows by
               position), or 'row N', the row's position in the file, for a
               dataset without a key (sparse_workers, new_candidates);
    row_order  what to list rows by: the key, or the position.
  Keyed datasets get no window: their key is the name, and a scan of
  workers_500k stays parallel.
    {{ keyed_rows('raw_candidates', ['candidate_id']) }}
-#}
{% macro keyed_rows(relation, key_columns) -%}
select
    *,
{%- if key_columns %}
    nullif(concat_ws('|', {% for column in key_columns %}{{ column | ident }}::varchar{{ ", " if not loop.last }}{% endfor %}), '') as row_key,
    {% if key_columns | length == 1 %}{{ key_columns[0] | ident }}{% else %}row({{ key_columns | ident_list }}){% endif %} as row_order,
{%- else %}
    'row ' || row_number() over () as row_key,
    row_number() over () as row_order,
{%- endif %}
from {{ relation | ident }}
{%- endmacro %}
