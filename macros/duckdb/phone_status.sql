-- phone_status(value, restore_leading_zero := false) -> VARCHAR
--
-- Whether normalize_phone's result is a valid number, for the phone fixup's
-- record (decision D; only 'valid' counts as a valid phone):
--   'missing'            NULL or blank; normalize_phone is NULL
--   'invalid'            spells no ten-digit number; normalize_phone is NULL
--   'invalid_area_code'  ten digits whose area code starts with 0 or 1, which
--                        NANP never assigns: normalize_phone keeps them (a
--                        9-digit integer restored as 0NN keeps its zero in
--                        the string), the flag says it cannot be dialled
--   'valid'              a NANP number: area code and exchange start with 2-9
-- Examples:
--   phone_status(513555019, restore_leading_zero := true)  -> 'invalid_area_code'   ('(051) 355-5019')
--   phone_status(6145550142, restore_leading_zero := true) -> 'valid'
--   phone_status('555-0142')                               -> 'invalid'
--   phone_status('')                                       -> 'missing'
create or replace temp macro phone_status(value, restore_leading_zero := false) as (
    case
        when value is null or trim(value::varchar) = '' then 'missing'
        when _phone_digits(value, restore_leading_zero) is null then 'invalid'
        when not regexp_matches(_phone_digits(value, restore_leading_zero), '^[2-9]') then 'invalid_area_code'
        else 'valid'
    end
);
