-- phone_pattern() -> VARCHAR, an RE2 pattern
--
-- A North American phone number the way people write it: (614) 555-0142,
-- 614-555-0142, 614.555.0142, 614 555 0142, 6145550142, +1 614 555 0142,
-- 1-614-555-0142; not inside a longer run of letters or digits, so tokens
-- (letters only) and hashes never match. Shared by redaction and the scan.
--   regexp_matches('call 614.555.0142', phone_pattern()) -> true
create or replace temp macro phone_pattern() as (
    '(^|[^0-9A-Za-z_])(\+?1[ .-]?)?(\([0-9]{3}\)|[0-9]{3})[ .-]?[0-9]{3}[ .-]?[0-9]{4}([^0-9A-Za-z_]|$)'
);
