-- normalize_phone(value, restore_leading_zero := false) -> VARCHAR '(NNN) NNN-NNNN' or NULL
--
-- One format for every phone column (decision D). value is a VARCHAR or a
-- BIGINT. Everything but the digits is dropped; eleven digits starting with
-- the country code 1 lose it; with restore_leading_zero := true a number of
-- exactly nine digits gets its lost leading 0 back (use it only for a BIGINT
-- column, where the zero was lost by the type: a 9-digit string is just
-- wrong). The result needs ten digits with an area code other than '000'
-- and an exchange (digits 4-6) starting with 2-9; anything else, '' and NULL
-- give NULL, for the caller to flag (see phone_status). A formatted result is
-- not yet a valid number: an area code starting with 0 or 1 (every restored
-- number) is kept and phone_status flags it 'invalid_area_code'.
-- The rules live in _phone_digits, shared with pii_token('phone').
--
-- Examples:
--   normalize_phone('614.555.0142')                          -> '(614) 555-0142'
--   normalize_phone('+1 614 555 0142')                       -> '(614) 555-0142'
--   normalize_phone(6145550142)                              -> '(614) 555-0142'
--   normalize_phone(513555019, restore_leading_zero := true) -> '(051) 355-5019'   (flagged invalid)
--   normalize_phone(614555014)                               -> NULL
--   normalize_phone('5550142')                               -> NULL
--   normalize_phone('')                                      -> NULL
create or replace temp macro normalize_phone(value, restore_leading_zero := false) as (
    regexp_replace(
        _phone_digits(value, restore_leading_zero),
        '^([0-9]{3})([0-9]{3})([0-9]{4})$',
        '(\1) \2-\3'
    )
);
