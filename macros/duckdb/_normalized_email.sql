-- _normalized_email(value) -> VARCHAR or NULL                   (private helper)
--
-- An email address as it is hashed into its token (_pii_normalize's 'email'
-- class, and every class it does not name): lower-case, surrounding
-- whitespace removed; empty -> NULL. value may be any type (cast to VARCHAR).
-- A macro of its own so that the redaction's email step plans only this, not
-- every class's branch of _pii_normalize (DuckDB binds all branches of a CASE).
--
-- Examples:
--   _normalized_email('  Ann@Example.COM ') -> 'ann@example.com'
--   _normalized_email('   ')                -> NULL
create or replace temp macro _normalized_email(value) as (
    nullif(regexp_replace(lower(value::varchar), '^\s+|\s+$', '', 'g'), '')
);
