-- value_like(value, pattern) -> VARCHAR
--
-- A free string a file may fill with anything, kept only when the whole of it
-- matches pattern (an RE2 pattern constant of the template, e.g. a state's
-- '[A-Z]{2}'); anything else -> '[other]', so a name or a phone number typed
-- into a code field never reaches an output. NULL -> NULL. For the PII proof
-- (staffing-sql lint) a column read through value_like is masked.
--   value_like('OH', '[A-Z]{2}')        -> 'OH'
--   value_like('ask Ann', '[A-Z]{2}')   -> '[other]'
create or replace temp macro value_like(value, pattern) as (
    case
        when value is null then null
        when regexp_full_match(value, pattern) then value
        else '[other]'
    end
);
