-- job_order_text_fields: how much of the missing job-order structure the
-- description text carries (the gap report's soft gap on target counts).
--
-- Produces: one row: orders, and how many descriptions state a head count
--           ("Need N workers"), a start date ("Start YYYY-MM-DD"), skills
--           ("Requires:"), experience ("N+ years exp") and a rate ("$N.NN/hr").
-- Grain:    one row for the whole dataset.
-- Inputs:   raw_job_orders.
with

orders as (
    select description
    from raw_job_orders
),

final as (
    select
        count(*) as orders,
        count(*) filter (where regexp_matches(description, 'Need [0-9]+ workers')) as with_head_count,
        count(*) filter (where regexp_matches(description, 'Start [0-9]{4}-[0-9]{2}-[0-9]{2}')) as with_start_date,
        count(*) filter (where description like '%Requires:%') as with_requirements,
        count(*) filter (where regexp_matches(description, '[0-9]+\+ years exp')) as with_experience,
        count(*) filter (where regexp_matches(description, '\$[0-9]+\.[0-9]{2}/hr')) as with_rate,
    from orders
)

select * from final
