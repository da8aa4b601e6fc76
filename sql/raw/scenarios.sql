-- raw_scenarios: the scenario files (contract §4), one row per file, as read.
--
-- Produces: the plan's header fields, the site flattened, the notes, and the
--           file's provenance (path relative to the data folder, sha256).
-- Grain:    one row per scenario file (scenario_id is unique: the gate checks).
-- Inputs:   $scenario_paths (read_scenarios, the contract's types), $data_dir.
-- Holds PII (notes, and any free string): a temp table for one run, read only
-- by the safe views (views/scenarios_safe.sql), never written to a file.
with

files as (
    select
        filename,
        file_sha256,
    from {{ read_file_hashes('$scenario_paths') }}
),

scenarios as (
    select
        scenario_id,
        client_id,
        plan_date,
        created_at,
        site,
        notes,
        filename,
    from {{ read_scenarios('$scenario_paths') }}
),

final as (
    select
        scenarios.scenario_id,
        scenarios.client_id,
        scenarios.plan_date,
        scenarios.created_at,
        scenarios.site.city as site_city,
        scenarios.site.state as site_state,
        scenarios.site.zip as site_zip,
        scenarios.notes,
        substr(scenarios.filename, length($data_dir) + 2) as source_path,
        files.file_sha256 as source_sha256,
    from scenarios
    inner join files on files.filename = scenarios.filename
)

select
    scenario_id,
    client_id,
    plan_date,
    created_at,
    site_city,
    site_state,
    site_zip,
    notes,
    source_path,
    source_sha256,
from final
order by scenario_id
