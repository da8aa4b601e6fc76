-- scenario_documents: the JSON text of every scenario file (contract §4).
--
-- Grain:   one row per scenario: file_name (SCN-NNN.json) and document.
-- Inputs:  scenario_plans, scenario_fills, scenario_assignments.
-- Notes:   the free-text notes name an assigned worker in some plans and a
--          dispatcher's phone number in others, as real plans do.
with

plans as (
    select
        scenario_id,
        client_id,
        plan_date,
        lead_days,
        created_second,
        site_city,
        site_state,
        site_zip,
    from scenario_plans
),

fills as (
    select
        scenario_id,
        fill_number,
        fill_id,
        job_order_id,
        role,
        count,
        shift_start,
        shift_end,
    from scenario_fills
),

assignments as (
    select
        scenario_id,
        fill_number,
        position,
        worker_id,
        name,
    from scenario_assignments
),

assigned_lists as (
    select
        fills.scenario_id,
        fills.fill_number,
        coalesce(
            list({'worker_id': assignments.worker_id, 'name': assignments.name} order by assignments.position)
                filter (where assignments.worker_id is not null),
            []
        ) as assigned,
    from fills
    left join assignments
        on assignments.scenario_id = fills.scenario_id
        and assignments.fill_number = fills.fill_number
    group by fills.scenario_id, fills.fill_number
),

fill_lists as (
    select
        fills.scenario_id,
        list({
            'fill_id': fills.fill_id,
            'job_order_id': fills.job_order_id,
            'role': fills.role,
            'count': fills.count,
            'shift_start': strftime(fills.shift_start, '%Y-%m-%dT%H:%M:%S'),
            'shift_end': strftime(fills.shift_end, '%Y-%m-%dT%H:%M:%S'),
            'assigned': assigned_lists.assigned,
        } order by fills.fill_number) as fills,
    from fills
    inner join assigned_lists
        on assigned_lists.scenario_id = fills.scenario_id
        and assigned_lists.fill_number = fills.fill_number
    group by fills.scenario_id
),

first_named as (
    select scenario_id, name
    from assignments
    where fill_number = 1 and position = 1
),

noted as (
    select
        plans.*,
        fill_lists.fills,
        'Check in at the gate office; PPE required.'
            || case when {{ rand_unit('notes_name', 'plans.scenario_id') }} < 0.5 and first_named.name is not null
                    then ' ' || first_named.name || ' asked to leave by 2pm.' else '' end
            || case when {{ rand_unit('notes_phone', 'plans.scenario_id') }} < 0.25
                    then ' Dispatcher on call: (' || (200 + {{ rand_int('notes_area', 'plans.scenario_id', 800) }})::varchar
                         || ') 555-01' || lpad({{ rand_int('notes_line', 'plans.scenario_id', 100) }}::varchar, 2, '0') || '.'
                    else '' end
            as notes,
    from plans
    inner join fill_lists on fill_lists.scenario_id = plans.scenario_id
    left join first_named on first_named.scenario_id = plans.scenario_id
),

final as (
    select
        scenario_id || '.json' as file_name,
        to_json({
            'scenario_id': scenario_id,
            'client_id': client_id,
            'plan_date': strftime(plan_date, '%Y-%m-%d'),
            'created_at': strftime(plan_date - to_days(lead_days::integer) + to_seconds(created_second), '%Y-%m-%dT%H:%M:%SZ'),
            'site': {'city': site_city, 'state': site_state, 'zip': site_zip},
            'fills': fills,
            'notes': notes,
        })::varchar as document,
    from noted
    order by scenario_id
)

select * from final
