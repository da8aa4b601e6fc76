-- _redact_names(text, names) -> VARCHAR                         (private helper of redact_text)
--
-- Replaces each known person name in text by pii_token(name, 'name').
--   names: LIST(VARCHAR); NULL, blank and duplicate entries are ignored (names
--          are compared normalised: case, surrounding and repeated spaces do
--          not matter); a NULL list counts as empty.
-- The names are prepared by _redact_name_forms (normalised, distinct, longest first).
-- Longest name first, so a full name wins over its parts ('Susan X. Ruiz'
-- becomes one token, not 'Susan' and 'Ruiz' tokens around an 'X.'). Each
-- name is matched case-insensitively, literally and as a whole word by
-- _redact_name (see there: no regex is built from a name). The words of a
-- name must be separated by one space in the text; pass the name's parts as
-- well (person_name_parts) so a name split over a line break still loses
-- each part.
--
-- Example:
--   _redact_names('Hi SUSAN, Joann says hi', ['Susan', NULL]) -> 'Hi name_<16 letters>, Joann says hi'
create or replace temp macro _redact_names(text, names) as (
    list_reduce(
        _redact_name_forms(names),
        lambda _name_text, _name: _redact_name(_name_text, _name),
        text
    )
);
