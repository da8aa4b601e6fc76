{#-
  union_all(relations, empty) -> a query

  The rows of every relation named in relations, one `select * from` each,
  joined by `union all`: the `final` of a check or report built from one CTE
  per dataset or column. The relations must share their columns, in order.
  empty is a typed query that returns no rows; it stands alone when the list
  is empty (a manifest without such a column), so the query still parses and
  returns nothing.
    {{ union_all(['nulls_a', 'nulls_b'], "select null::varchar as dataset where false") }}
    -> select * from "nulls_a"
       union all
       select * from "nulls_b"
-#}
{% macro union_all(relations, empty) -%}
{%- for relation in relations -%}
select * from {{ relation | ident }}
{%- if not loop.last %}
union all
{% endif -%}
{%- else -%}
{{ empty }}
{%- endfor -%}
{%- endmacro %}
