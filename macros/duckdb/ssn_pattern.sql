-- ssn_pattern() -> VARCHAR, an RE2 pattern
--
-- A US social security number written NNN-NN-NNNN, not inside a longer run
-- of digits. Shared by redaction and the runtime PII scan.
--   regexp_matches('SSN 123-45-6789.', ssn_pattern()) -> true
create or replace temp macro ssn_pattern() as (
    '(^|[^0-9A-Za-z_])[0-9]{3}-[0-9]{2}-[0-9]{4}([^0-9A-Za-z_]|$)'
);
