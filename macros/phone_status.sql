-- phone_status(value, restore_leading_zero := false) -> VARCHAR
--
-- Why normalize_phone returned what it did, for the phone fixup's record:
--   'missing'                NULL or blank
--   'invalid'                cannot be a valid number (normalize_phone is NULL)
--   'restored_leading_zero'  a 9-digit integer whose leading 0 was restored
--   'valid'                  anything else
-- Examples:
--   phone_status(614555014, restore_leading_zero := true)  -> 'restored_leading_zero'
--   phone_status('555-0142')                               -> 'invalid'
--   phone_status('')                                       -> 'missing'
create or replace temp macro phone_status(value, restore_leading_zero := false) as (
    case
        when value is null or trim(value::varchar) = '' then 'missing'
        when normalize_phone(value, restore_leading_zero := restore_leading_zero) is null then 'invalid'
        when restore_leading_zero and length(regexp_replace(value::varchar, '[^0-9]', '', 'g')) = 9
            then 'restored_leading_zero'
        else 'valid'
    end
);
