{#-
  offending_values(relation, column, dataset, accepted) -> a SELECT

  The shared "accepted values" check shape: one row per value of column
  that is not in the accepted list (NULL counts as not accepted).
  Columns: dataset, column_name, value, row_count. accepted is a list of
  strings from the manifest (configuration, rendered as literals).
    {{ offending_values('raw_candidates', 'status', 'candidates', ['new', 'placed']) }}
-#}
{% macro offending_values(relation, column, dataset, accepted) -%}
select
    {{ dataset | literal }} as dataset,
    {{ column | literal }} as column_name,
    {{ column | ident }}::varchar as value,
    count(*) as row_count,
from {{ relation | ident }}
where {{ column | ident }} is null
    or {{ column | ident }}::varchar not in ({% for value in accepted %}{{ value | literal }}{{ ", " if not loop.last }}{% endfor %})
group by {{ column | ident }}
{%- endmacro %}
