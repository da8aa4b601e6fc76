-- _phone_digits(value, restore_leading_zero) -> VARCHAR of 10 digits or NULL   (private helper)
--
-- The ten digits a phone value spells, or NULL when it spells none.
-- normalize_phone formats them; pii_token('phone') hashes them; phone_status
-- says whether they are a valid NANP number.
--   1. value::varchar (a BIGINT column works), keep only the digits;
--   2. eleven digits starting with 1 -> drop the country code 1;
--   3. restore_leading_zero and exactly nine digits -> prefix '0' (decision D:
--      an integer column lost the leading zero; a 9-digit STRING has lost
--      nothing and stays invalid because callers pass false for strings);
--   4. exactly ten digits, area code not '000' and an exchange (digits 4-6)
--      that starts with 2-9; anything else -> NULL: the caller flags it,
--      nothing here guesses.
-- An area code starting with 0 or 1 is kept here although NANP has none:
-- a restored number is always 0NN, and it must keep its zero so that it stays
-- the same string and the same token as the roster's copy of it. phone_status
-- flags it ('invalid_area_code'); it is never counted valid.
-- Each step reads the previous one once, so the macro expands to one chain.
--
-- Examples:
--   _phone_digits('+1 614 555 0142', false) -> '6145550142'
--   _phone_digits(614555014, true)          -> '0614555014'   (kept, flagged by phone_status)
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
