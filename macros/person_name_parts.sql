-- person_name_parts(name) -> LIST(VARCHAR)
--
-- The forms a person's name takes in free text, for redact_text: the full
-- name and each part longer than two letters (messages greet workers by first
-- name; initials such as 'F.' are too short to be a safe match).
-- Examples:
--   person_name_parts('Susan X. Ruiz') -> ['Susan X. Ruiz', 'Susan', 'Ruiz']
--   person_name_parts(NULL)            -> []
create or replace temp macro person_name_parts(name) as (
    case
        when name is null then []::varchar[]
        else list_prepend(
            name,
            list_filter(string_split(name, ' '), lambda part: length(replace(part, '.', '')) > 2)
        )
    end
);
