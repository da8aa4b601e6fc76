-- _phone_digits(value, restore_leading_zero) -> VARCHAR of 10 digits or NULL   (private helper)
--
-- The ten digits of a North American phone number, or NULL when value cannot
-- be one. normalize_phone formats them; pii_token('phone') hashes them.
--   1. value::varchar (a BIGINT column works), keep only the digits;
--   2. eleven digits starting with 1 -> drop the country code 1;
--   3. restore_leading_zero and exactly nine digits -> prefix '0' (decision D:
--      an integer column lost the leading zero; a 9-digit STRING has lost
--      nothing and stays invalid because callers pass false for strings);
--   4. valid only as exactly ten digits, area code not '000' (area codes
--      that begin with 0 are accepted: those are the restored numbers) and an
--      exchange (digits 4-6) that starts with 2-9. Anything else -> NULL:
--      the caller flags it, nothing here guesses.
-- Each step reads the previous one once, so the macro expands to one chain.
--
-- Examples:
--   _phone_digits('+1 614 555 0142', false) -> '6145550142'
--   _phone_digits(614555014, true)          -> '0614555014'
--   _phone_digits('614555014', false)       -> NULL
--   _phone_digits('614-155-0142', false)    -> NULL   (exchange starts with 1)
create or replace temp macro _phone_digits(value, restore_leading_zero) as (
    nullif(
        regexp_extract(
            regexp_replace(
                regexp_replace(regexp_replace(value::varchar, '[^0-9]+', '', 'g'), '^1([0-9]{10})$', '\1'),
                '^([0-9]{9})$',
                case when restore_leading_zero then '0\1' else '\1' end
            ),
            '^((?:00[1-9]|0[1-9][0-9]|[1-9][0-9]{2})[2-9][0-9]{6})$',
            1
        ),
        ''
    )
);
