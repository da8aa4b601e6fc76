-- email_pattern() -> VARCHAR, an RE2 pattern
--
-- What the safe layer treats as an email address in free text: the one
-- definition shared by redaction and by the runtime PII scan.
--   regexp_matches('mail jo.x+1@example.com now', email_pattern()) -> true
create or replace temp macro email_pattern() as (
    '[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}'
);
