-- _keyed_token(normalized, pii_class) -> VARCHAR or NULL        (private helper)
--
-- The keyed token of a value that is ALREADY normalised for its class (see
-- _pii_normalize). pii_token and redact_text both end here, so a value gets
-- the same token in a column and inside free text.
--
--   pii_class || '_' || translate(left(sha256(key || chr(31) || pii_class
--                                           || chr(31) || normalized), 16),
--                                 '0123456789', 'ghijklmnop')
--
-- key is getvariable('pii_key'), bound by install_macros(con, key) with a
-- parameter: the key is never a macro argument and never in SQL text. The
-- class is hashed too, so one value gives unrelated tokens in two classes.
-- 16 hex characters (64 bits) with the digits mapped to the letters g..p:
-- a token holds only letters and '_', so no scanner mistakes it for a phone
-- number or an SSN, and no later redaction step re-matches it.
--
-- NULL normalized value -> NULL. A missing or empty key is an ERROR, never a
-- silent unkeyed token (error() fires when the query is planned, even if it
-- would return no rows).
--
-- Examples (key 'k'):
--   _keyed_token('ann@example.com', 'email') -> 'email_' followed by 16 letters a..p
--   _keyed_token(NULL, 'email')              -> NULL
--   with no key bound                        -> Invalid Input Error: pii_key is not set
create or replace temp macro _keyed_token(normalized, pii_class) as (
    case
        when coalesce(getvariable('pii_key'), '') = ''
            then error('pii_key is not set: bind the PII key with install_macros(con, key)')
        -- a NULL normalized value makes the concatenation NULL: no branch of its own, so the
        -- argument (often a long expression) is pasted once, not twice, when the macro expands
        else pii_class || '_' || translate(
            left(sha256(getvariable('pii_key') || chr(31) || pii_class || chr(31) || normalized), 16),
            '0123456789',
            'ghijklmnop'
        )
    end
);
