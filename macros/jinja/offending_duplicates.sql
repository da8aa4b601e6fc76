{#-
  offending_duplicates(relation, key_columns, dataset) -> a SELECT

  The shared "unique" check shape: one row per key value that occurs more
  than once in relation, with how many times.
  Columns: dataset, key_value (the key columns joined by '|'), row_count.
    {{ offending_duplicates('raw_candidates', ['candidate_id'], 'candidates') }}
-#}
{% macro offending_duplicates(relation, key_columns, dataset) -%}
select
    {{ dataset | literal }} as dataset,
    concat_ws('|', {% for column in key_columns %}{{ column | ident }}::varchar{{ ", " if not loop.last }}{% endfor %}) as key_value,
    count(*) as row_count,
from {{ relation | ident }}
group by {% for column in key_columns %}{{ column | ident }}{{ ", " if not loop.last }}{% endfor %}
having count(*) > 1
{%- endmacro %}
