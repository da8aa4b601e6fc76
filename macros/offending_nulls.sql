{#-
  offending_nulls(relation, column, dataset) -> a SELECT

  The shared "not null" check shape: one row when column has NULLs in
  relation, with how many. Columns: dataset, column_name, row_count.
    {{ offending_nulls('raw_job_orders', 'job_order_id', 'job_orders') }}
-#}
{% macro offending_nulls(relation, column, dataset) -%}
select
    {{ dataset | literal }} as dataset,
    {{ column | literal }} as column_name,
    count(*) as row_count,
from {{ relation | ident }}
where {{ column | ident }} is null
having count(*) > 0
{%- endmacro %}
