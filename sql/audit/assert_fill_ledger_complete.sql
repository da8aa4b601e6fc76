-- id: fill_ledger_complete
-- phase: decisions
-- severity: blocking
-- description: Decision A: fill_events holds exactly one row per slot (sum of count) of every scenario, each with provenance.
--
-- Produces: one row per fill line whose slot rows differ from its count, and
--           one per event with missing provenance or a repeated event_id.
-- Grain:    one row per (scenario_id, fill_id, problem).
-- Inputs:   the scenario files ($scenario_paths), fill_events.
with

scenarios as (
    select
        scenario_id,
        fills,
    from {{ read_scenarios('$scenario_paths') }}
),

planned as (
    select
        scenario_id,
        fill.fill_id as fill_id,
        greatest(fill.count, 0) as slot_count,
    from (select scenario_id, unnest(fills) as fill from scenarios)
),

derived as (
    select
        scenario_id,
        fill_id,
        count(*) as slot_rows,
        count(distinct event_id) as distinct_events,
        count(*) filter (where source_path is null or source_sha256 is null or record_sha256 is null) as missing_provenance,
    from fill_events
    group by scenario_id, fill_id
),

final as (
    select
        coalesce(planned.scenario_id, derived.scenario_id) as scenario_id,
        coalesce(planned.fill_id, derived.fill_id) as fill_id,
        case
            when coalesce(derived.slot_rows, 0) <> coalesce(planned.slot_count, 0) then 'slot rows differ from count'
            when derived.distinct_events <> derived.slot_rows then 'repeated event_id'
            else 'missing provenance'
        end as problem,
    from planned
    full outer join derived
        on derived.scenario_id = planned.scenario_id
        and derived.fill_id = planned.fill_id
    where coalesce(derived.slot_rows, 0) <> coalesce(planned.slot_count, 0)
        or derived.distinct_events <> derived.slot_rows
        or derived.missing_provenance > 0
)

select * from final
