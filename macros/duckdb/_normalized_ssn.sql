-- _normalized_ssn(value) -> VARCHAR or NULL                     (private helper)
--
-- An SSN as it is hashed into its token (_pii_normalize's 'ssn' class): its
-- digits only; no digit -> NULL. value may be any type (cast to VARCHAR).
-- A macro of its own so that the redaction's SSN step plans only this.
--
-- Examples:
--   _normalized_ssn('123-45-6789') -> '123456789'
--   _normalized_ssn('n/a')         -> NULL
create or replace temp macro _normalized_ssn(value) as (
    nullif(regexp_replace(value::varchar, '[^0-9]+', '', 'g'), '')
);
