-- phone_is_valid(phone_status) -> BOOLEAN
--
-- The safe views' phone_valid: whether the fixed-up phone (decision D) is a
-- number that can be dialled. Only phone_status 'valid' counts: a restored
-- 9-digit BIGINT keeps its zero in the string but its area code starts with
-- 0 ('invalid_area_code'), and an invalid or missing phone is not valid.
-- NULL status -> false.
--   phone_is_valid('valid')              -> true
--   phone_is_valid('invalid_area_code')  -> false
create or replace temp macro phone_is_valid(phone_status) as (
    coalesce(phone_status = 'valid', false)
);
