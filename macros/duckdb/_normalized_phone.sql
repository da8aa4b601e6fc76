-- _normalized_phone(value) -> VARCHAR or NULL                   (private helper)
--
-- A phone number as it is hashed into its token (_pii_normalize's 'phone'
-- class): the ten digits of normalize_phone(value), with no leading-zero
-- restore (the phone fixup restores BIGINT columns first); a value that does
-- not normalise -> NULL. value may be VARCHAR or an integer.
-- A macro of its own so that the redaction's phone step plans only this.
--
-- Examples:
--   _normalized_phone('(614) 555-0142') -> '6145550142'
--   _normalized_phone(6145550142)       -> '6145550142'
create or replace temp macro _normalized_phone(value) as (
    nullif(_phone_digits(value, false), '')
);
