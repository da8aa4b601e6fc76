-- audit_results: the history of every audit run, for the analyst database.
--
-- Produces: one row per (run, check): status, offending-row count, masked
--           samples (JSON text), the offending rows per dataset (breakdown:
--           empty for a check without a dataset column, NULL in runs recorded
--           before it existed), the rendered SQL's sha256, every input file
--           with its sha256 and size, versions and timings, and the PII
--           key's fingerprint and whether it was the development key, the
--           run's engine and its version, and the engine that ran the check
--           (ran_on: DuckDB on a Spark run when the check does not port,
--           ran_on_reason says why) (NULL in runs recorded before those
--           fields existed).
-- Grain:    one row per (run_id, check_id).
-- Inputs:   the append-only ledger: one newline-delimited JSON file per run
--           ($ledger: the list of its files), each written whole and renamed
--           into place.
with

ledger as (
    select
        run_id,
        check_id,
        phase,
        severity,
        description,
        status,
        offending_rows,
        samples_json,
        breakdown,
        error,
        sql_path,
        sql_sha256,
        inputs,
        tool_version,
        duckdb_version,
        started_at,
        ended_at,
        duration_s,
        key_fingerprint,
        development_key,
        engine,
        engine_version,
        ran_on,
        ran_on_reason,
    from read_json(
        $ledger,
        format = 'newline_delimited',
        columns = {
            run_id: 'VARCHAR', check_id: 'VARCHAR', phase: 'VARCHAR', severity: 'VARCHAR',
            description: 'VARCHAR', status: 'VARCHAR', offending_rows: 'BIGINT', samples_json: 'VARCHAR',
            breakdown: 'STRUCT(dataset VARCHAR, offending_rows BIGINT)[]', error: 'VARCHAR', sql_path: 'VARCHAR', sql_sha256: 'VARCHAR',
            inputs: 'STRUCT(path VARCHAR, sha256 VARCHAR, bytes BIGINT)[]',
            tool_version: 'VARCHAR', duckdb_version: 'VARCHAR',
            started_at: 'TIMESTAMP', ended_at: 'TIMESTAMP', duration_s: 'DOUBLE',
            key_fingerprint: 'VARCHAR', development_key: 'BOOLEAN',
            engine: 'VARCHAR', engine_version: 'VARCHAR', ran_on: 'VARCHAR', ran_on_reason: 'VARCHAR'
        }
    )
),

final as (
    select *
    from ledger
    order by run_id, started_at, check_id
)

select * from final
