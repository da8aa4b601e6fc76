{#-
  offending_nulls(relation, column, dataset) -> a SELECT

  The shared "not null" check shape: one row when column has NULLs in
  relation, with how many and where the first five are. A NULL key cannot
  name its row, so the row is named by its position in the file ('row N',
  counted from 1). Columns: dataset, column_name, row_count, sample_keys.
    {{ offending_nulls('raw_job_orders', 'job_order_id', 'job_orders') }}
-#}
{% macro offending_nulls(relation, column, dataset) -%}
select
    {{ dataset | literal }} as dataset,
    {{ column | literal }} as column_name,
    count(*) as row_count,
    list('row ' || position order by position)[1:5] as sample_keys,
from (
    select
        {{ column | ident }},
        row_number() over () as position,
    from {{ relation | ident }}
) as positioned
where {{ column | ident }} is null
having count(*) > 0
{%- endmacro %}
