-- lesson_records: the 64 post-run retrospectives (contract §4).
--
-- Grain:   one row per lesson, LSN-0001..LSN-0064.
-- Inputs:  scenario_plans, scenario_fills, scenario_assignments, ethereal_workers.
-- Rules:   lessons 1-56 each look back on a drawn scenario (so some scenarios
--          get several, some none); 57-64 are general (no scenario). A lesson
--          about a scenario that had workers either reports an incident that
--          names one of them (tag from the incident list; the name in any
--          letter case) or praises one by name (tag ok: no incident).
--          events_total is the scenario's slot count (sum of count) and
--          events_ok its filled slots whose worker no incident lesson of that
--          scenario names, matched through the roster with mentions_name, the
--          same rule fill_events uses.
-- Planted: $total_mismatch_lesson looks back on $total_mismatch_scenario and
--          overstates events_total by 2.
with

plans as (
    select
        scenario_id,
        scenario_number,
        plan_date,
        site_city,
    from scenario_plans
),

fills as (
    select
        scenario_id,
        fill_number,
        role,
        count,
        shift_start,
    from scenario_fills
),

slots as (
    -- Assigned entries within their line's count; extra names get no slot.
    select
        assignments.scenario_id,
        assignments.fill_number,
        assignments.position,
        assignments.worker_id,
        roster.name as roster_name,
        fills.role,
        fills.shift_start,
    from scenario_assignments as assignments
    inner join fills
        on fills.scenario_id = assignments.scenario_id
        and fills.fill_number = assignments.fill_number
    left join ethereal_workers as roster on roster.worker_id = assignments.worker_id
    where assignments.position <= fills.count
),

nameable as (
    select
        *,
        row_number() over (partition by scenario_id order by fill_number, position) - 1 as nameable_index,
        count(*) over (partition by scenario_id) as nameable_count,
    from slots
    where roster_name is not null
),

lesson_numbers as (
    select i as lesson_number
    from range(1, 65) as numbers(i)
),

drawn as (
    select
        'LSN-' || lpad(lesson_number::varchar, 4, '0') as lesson_id,
        lesson_number,
        case
            when 'LSN-' || lpad(lesson_number::varchar, 4, '0') = $total_mismatch_lesson then $total_mismatch_scenario
            when lesson_number <= 56 then 'SCN-' || lpad((1 + {{ rand_int('lesson_scenario', 'lesson_number', 44) }})::varchar, 3, '0')
        end as scenario_id,
        {{ rand_unit('lesson_incident', 'lesson_number') }} < 0.55 as reports_incident,
        ['no_show', 'late', 'double_booking', 'wrong_site', 'walk_off', 'safety'][1 + {{ rand_int('lesson_tag', 'lesson_number', 6) }}] as incident_tag,
        {{ rand_int('lesson_names', 'lesson_number', 1000000) }} as name_draw,
        {{ rand_int('lesson_case', 'lesson_number', 3) }} as name_case,
        {{ rand_int('lesson_minute', 'lesson_number', 480) }} as recorded_minute,
        {{ rand_int('lesson_general', 'lesson_number', 4) }} as general_text,
    from lesson_numbers
),

with_subject as (
    select
        drawn.*,
        plans.plan_date,
        plans.site_city,
        nameable.roster_name,
        nameable.role,
        nameable.shift_start,
    from drawn
    left join plans on plans.scenario_id = drawn.scenario_id
    left join nameable
        on nameable.scenario_id = drawn.scenario_id
        and nameable.nameable_index = drawn.name_draw % nameable.nameable_count
),

written as (
    select
        *,
        case name_case when 0 then roster_name when 1 then upper(roster_name) else lower(roster_name) end as written_name,
        case
            when scenario_id is null then 'general'
            when roster_name is null then 'unstaffed'
            when reports_incident then 'incident'
            else 'praise'
        end as lesson_kind,
    from with_subject
),

texts as (
    select
        *,
        case lesson_kind
            when 'general' then [
                'Confirm site addresses 48 hours ahead and resend them the night before.',
                'Keep a standby bench of two workers for any order above five slots.',
                'Ask clients for parking and badge instructions when the order is placed.',
                'Text shift reminders at 7pm the day before, not the same morning.'][1 + general_text]
            when 'unstaffed' then 'No workers could be placed for this plan; widen the search radius next time.'
            when 'praise' then 'Client praised ' || written_name || ' on the ' || strftime(shift_start, '%H:%M') || ' '
                || role || ' shift; keep them on the preferred list.'
            else case incident_tag
                when 'no_show' then written_name || ' was a no-show for the ' || strftime(shift_start, '%H:%M') || ' '
                    || role || ' shift; backfilled from the bench within two hours.'
                when 'late' then written_name || ' arrived 40 minutes late to the ' || strftime(shift_start, '%H:%M')
                    || ' ' || role || ' shift; send an earlier reminder text.'
                when 'double_booking' then written_name || ' double-booked on the ' || strftime(shift_start, '%H:%M')
                    || ' ' || role || ' shift and went to the other client.'
                when 'wrong_site' then written_name || ' reported to the wrong site in ' || site_city
                    || '; resend the address the night before.'
                when 'walk_off' then written_name || ' walked off mid-shift from the ' || role || ' line.'
                else written_name || ' reported a near-miss on the ' || role || ' shift; the site retrained the crew.'
            end
        end as lesson,
        case lesson_kind
            when 'general' then [['general'], ['process'], ['general', 'process'], ['general']][1 + general_text]
            when 'unstaffed' then ['process']
            when 'praise' then ['ok']
            else [incident_tag]
        end as tags,
    from written
),

incident_slots as (
    -- Slots whose worker an incident lesson of the same scenario names.
    select distinct
        slots.scenario_id,
        slots.fill_number,
        slots.position,
    from slots
    inner join texts on texts.scenario_id = slots.scenario_id
    where texts.lesson_kind = 'incident'
        and slots.roster_name is not null
        and {{ mentions_name('texts.lesson', 'slots.roster_name') }}
),

scenario_totals as (
    select
        plans.scenario_id,
        (select coalesce(sum(fills.count), 0) from fills where fills.scenario_id = plans.scenario_id) as events_total,
        (select count(*) from slots where slots.scenario_id = plans.scenario_id)
            - (select count(*) from incident_slots where incident_slots.scenario_id = plans.scenario_id) as events_ok,
    from plans
),

final as (
    select
        texts.lesson_id,
        texts.scenario_id,
        case
            when texts.plan_date is null then timestamp '2026-03-01 09:00:00' + to_days(texts.lesson_number::integer) + to_minutes(texts.recorded_minute)
            else texts.plan_date + to_days(1) + to_hours(9) + to_minutes(texts.recorded_minute)
        end as recorded_at,
        coalesce(scenario_totals.events_total, 0)
            + case when texts.lesson_id = $total_mismatch_lesson then 2 else 0 end as events_total,
        coalesce(scenario_totals.events_ok, 0) as events_ok,
        texts.lesson,
        texts.tags,
        texts.lesson_kind,
    from texts
    left join scenario_totals on scenario_totals.scenario_id = texts.scenario_id
    order by texts.lesson_id
)

select * from final
