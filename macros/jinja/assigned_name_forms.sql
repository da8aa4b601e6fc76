{#-
  assigned_name_forms() -> a table expression (scenario_id VARCHAR, forms VARCHAR[])

  Every part of every assigned worker's name, per scenario (contract §6: a
  scenario's assigned workers are redacted by any part in its notes, its
  fill lines' roles and its lessons): name_forms(name, true) of each name in
  raw_scenario_assignments, distinct. A scenario with no named assignee has
  no row (left join, then coalesce(forms, [])).

    left join {{ assigned_name_forms() }} as assigned_forms
        on assigned_forms.scenario_id = scenarios.scenario_id
-#}
{% macro assigned_name_forms() -%}
(
    select
        scenario_id,
        list_distinct(flatten(list(forms))) as forms,
    from (
        -- the forms before the aggregate: Spark aggregates no nondeterministic
        -- expression, and name_forms' accent folding is a reflect() call there
        select
            scenario_id,
            name_forms(name, true) as forms,
        from raw_scenario_assignments
        where name is not null
    )
    group by scenario_id
)
{%- endmacro %}
