-- pii_token(value, pii_class) -> VARCHAR or NULL
--
-- The keyed token that replaces a PII value in every _safe view (decision B):
--   pii_class || '_' || 16 letters
-- where the letters are the first 16 hex characters of
--   sha256(key || chr(31) || pii_class || chr(31) || normalized value)
-- with the digits 0-9 mapped to g-p. The key is getvariable('pii_key'),
-- bound by install_macros(con, key); without a key the macro raises an error
-- rather than produce unkeyed (guessable) tokens.
--
-- The value is normalised per class first (_pii_normalize), so the same
-- person gives one token in every file: emails ignore case and surrounding
-- spaces, phones are compared as their ten digits ('(614) 555-0142',
-- '614.555.0142' and the BIGINT 6145550142 give one token), names ignore
-- case and extra spaces, SSNs keep only digits. NULL, blank, or a phone that
-- does not normalise -> NULL. Same key + same normalised value -> same token;
-- another key -> an unrelated token; without the key a guessed value cannot
-- be hashed to its token.
--
-- Examples (with some key bound):
--   pii_token('Ann@Example.com', 'email') = pii_token('ann@example.com ', 'email')
--   pii_token('(614) 555-0142', 'phone')  = pii_token(6145550142, 'phone')
--   pii_token('555-0142', 'phone')        -> NULL
--   pii_token('', 'name')                 -> NULL
create or replace temp macro pii_token(value, pii_class) as (
    _keyed_token(_pii_normalize(value, pii_class), pii_class)
);
