-- planted_problems: the known answers, read back from the generated tables.
--
-- Grain:   one row per planted problem: its kind, the audit check that must
--          catch it, the dataset it lives in, and its identifying detail (JSON).
-- Inputs:  workers_500k, ethereal_workers, job_orders, scenario_plans,
--          scenario_fills, scenario_assignments, lesson_records.
-- Each row is computed from what was written, not from the parameters, so
-- GENERATED.json lists only problems that really are in the files.
with

duplicate_ids as (
    select
        'duplicate_worker_id' as kind,
        'ids_unique' as check_id,
        'workers_500k' as dataset,
        to_json({'worker_id': worker_id, 'rows': count(*)}) as detail,
    from workers_500k
    group by worker_id
    having count(*) > 1
),

scores_out_of_range as (
    select
        'score_out_of_range' as kind,
        'scores_in_range' as check_id,
        'workers_500k' as dataset,
        to_json({'worker_id': worker_id, 'column': score.column_name, 'value': score.value}) as detail,
    from (
        unpivot (select worker_id, reliability, responsiveness, engagement, compliance, availability from workers_500k)
        on reliability, responsiveness, engagement, compliance, availability
        into name column_name value value
    ) as score
    where score.value not between 0 and 1
),

placed as (
    select
        assignments.scenario_id,
        assignments.fill_id,
        assignments.position,
        assignments.worker_id,
        fills.count,
        fills.shift_start,
        fills.shift_end,
        fills.job_order_id,
        plans.client_id,
        plans.site_state,
    from scenario_assignments as assignments
    inner join scenario_fills as fills
        on fills.scenario_id = assignments.scenario_id
        and fills.fill_number = assignments.fill_number
    inner join scenario_plans as plans on plans.scenario_id = assignments.scenario_id
),

double_bookings as (
    select
        'double_booking' as kind,
        'no_overlapping_shifts' as check_id,
        'scenarios' as dataset,
        to_json({
            'worker_id': first_shift.worker_id,
            'scenario_ids': [first_shift.scenario_id, second_shift.scenario_id],
            'fill_ids': [first_shift.fill_id, second_shift.fill_id],
        }) as detail,
    from placed as first_shift
    inner join placed as second_shift
        on second_shift.worker_id = first_shift.worker_id
        and (second_shift.scenario_id, second_shift.fill_id) > (first_shift.scenario_id, first_shift.fill_id)
        and second_shift.shift_start < first_shift.shift_end
        and first_shift.shift_start < second_shift.shift_end
    where first_shift.position <= first_shift.count and second_shift.position <= second_shift.count
),

out_of_state as (
    select
        'worker_out_of_state' as kind,
        'worker_lives_in_site_state' as check_id,
        'scenarios' as dataset,
        to_json({'scenario_id': placed.scenario_id, 'fill_id': placed.fill_id, 'worker_id': placed.worker_id,
                 'worker_state': roster.state, 'site_state': placed.site_state}) as detail,
    from placed
    inner join ethereal_workers as roster on roster.worker_id = placed.worker_id
    where roster.state <> placed.site_state and placed.position <= placed.count
),

unknown_workers as (
    select
        'unknown_worker' as kind,
        'assigned_worker_exists' as check_id,
        'scenarios' as dataset,
        to_json({'scenario_id': placed.scenario_id, 'fill_id': placed.fill_id, 'worker_id': placed.worker_id}) as detail,
    from placed
    where placed.worker_id not in (select worker_id from workers_500k)
),

foreign_orders as (
    select
        'foreign_job_order' as kind,
        'job_order_belongs_to_client' as check_id,
        'scenarios' as dataset,
        to_json({'scenario_id': fills.scenario_id, 'fill_id': fills.fill_id, 'job_order_id': fills.job_order_id,
                 'order_client_id': orders.client_id, 'scenario_client_id': plans.client_id}) as detail,
    from scenario_fills as fills
    inner join scenario_plans as plans on plans.scenario_id = fills.scenario_id
    inner join job_orders as orders on orders.job_order_id = fills.job_order_id
    where orders.client_id <> plans.client_id
),

over_assigned as (
    select
        'over_assigned' as kind,
        'assigned_within_count' as check_id,
        'scenarios' as dataset,
        to_json({'scenario_id': scenario_id, 'fill_id': fill_id, 'count': any_value(count), 'assigned': count(*)}) as detail,
    from placed
    group by scenario_id, fill_id
    having count(*) > any_value(count)
),

lesson_mismatches as (
    select
        'lesson_total_mismatch' as kind,
        'lesson_totals_agree' as check_id,
        'lessons' as dataset,
        to_json({'lesson_id': lessons.lesson_id, 'scenario_id': lessons.scenario_id,
                 'events_total': lessons.events_total, 'slots': totals.slots}) as detail,
    from lesson_records as lessons
    inner join (
        select scenario_id, sum(count) as slots
        from scenario_fills
        group by scenario_id
    ) as totals on totals.scenario_id = lessons.scenario_id
    where lessons.events_total <> totals.slots
),

final as (
    select * from duplicate_ids
    union all select * from scores_out_of_range
    union all select * from double_bookings
    union all select * from out_of_state
    union all select * from unknown_workers
    union all select * from foreign_orders
    union all select * from over_assigned
    union all select * from lesson_mismatches
)

select
    kind,
    check_id,
    dataset,
    detail::varchar as detail,
from final
