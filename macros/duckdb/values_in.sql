-- values_in(strings, allowed) -> LIST(VARCHAR)
--
-- A list of free strings a file may fill with anything (a lesson's tags),
-- each kept only when it is one of the allowed values (its domain, e.g. the
-- manifest's lesson tags); anything else -> '[other]', so a name or a phone
-- number typed into a tag never reaches an output. NULL list -> NULL, NULL
-- entry -> NULL. For the PII proof (staffing-sql lint) a column read through
-- values_in is masked.
--   values_in(['late', 'grace-okafor'], ['late', 'ok'])  -> ['late', '[other]']
create or replace temp macro values_in(strings, allowed) as (
    list_transform(
        strings,
        lambda _value: case
            when _value is null then null
            when list_contains(allowed, _value) then _value
            else '[other]'
        end
    )
);
