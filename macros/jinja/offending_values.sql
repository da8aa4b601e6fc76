{#-
  offending_values(relation, column, dataset, accepted, key_columns) -> a SELECT

  The shared "accepted values" check shape: one row per value of column
  that is not in the accepted list (NULL counts as not accepted), with how
  many rows hold it and the keys of the first five of them (keyed_rows:
  the dataset's key, or 'row N' without one), so a user can find them.
  Columns: dataset, column_name, value, row_count, sample_keys. accepted is a
  list of strings from the manifest (configuration, rendered as literals).
    {{ offending_values('raw_candidates', 'status', 'candidates', ['new', 'placed'], ['candidate_id']) }}
-#}
{% macro offending_values(relation, column, dataset, accepted, key_columns) -%}
select
    {{ dataset | literal }} as dataset,
    {{ column | literal }} as column_name,
    {{ column | ident }}::varchar as value,
    count(*) as row_count,
    list(row_key order by row_order)[1:5] as sample_keys,
from (
    {{ keyed_rows(relation, key_columns) | indent(4) }}
) as keyed
where {{ column | ident }} is null
    or {{ column | ident }}::varchar not in ({% for value in accepted %}{{ value | literal }}{{ ", " if not loop.last }}{% endfor %})
group by {{ column | ident }}
{%- endmacro %}
