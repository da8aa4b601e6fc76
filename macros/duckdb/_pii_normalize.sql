-- _pii_normalize(value, pii_class) -> VARCHAR or NULL           (private helper)
--
-- The canonical spelling of a PII value before it is hashed into a token, so
-- one person gives one token in every file and every spelling:
--   'email' -> lower-case, surrounding whitespace removed (_normalized_email)
--   'phone' -> the ten digits of normalize_phone(value) (_normalized_phone: no
--              leading-zero restore here, the phone fixup restores BIGINT
--              columns first); a value that does not normalise -> NULL
--   'name'  -> folded as redact_text folds a name (fold_text: case, accents,
--              ı/ø-style letters, typographic apostrophes and dashes, no-break
--              spaces; hyphens as spaces), trimmed, inner whitespace collapsed
--              to one space: the first form name_forms gives, so a name column
--              and the name written in full in free text get one token, and
--              'Zoë Müller', 'ZOE MULLER' and 'Zoe Muller' are one person
--   'ssn'   -> the digits only (_normalized_ssn)
--   other   -> lower-case, trimmed (_normalized_email)
-- value may be any type (it is cast to VARCHAR). A result that is empty -> NULL.
-- The redaction's steps call the class's own macro: DuckDB binds every branch
-- of this CASE, the name branch's fold included, at each call.
--
-- Examples:
--   _pii_normalize('  Ann@Example.COM ', 'email') -> 'ann@example.com'
--   _pii_normalize(6145550142, 'phone')           -> '6145550142'
--   _pii_normalize(' Susan   X.  Ruiz', 'name')   -> 'susan x. ruiz'
--   _pii_normalize('Zoë Müller-Ng', 'name')       -> 'zoe muller ng'
--   _pii_normalize('123-45-6789', 'ssn')          -> '123456789'
--   _pii_normalize('   ', 'name')                 -> NULL
create or replace temp macro _pii_normalize(value, pii_class) as (
    case pii_class
        when 'phone' then _normalized_phone(value)
        when 'ssn' then _normalized_ssn(value)
        when 'name' then nullif(case
            -- fast path: ASCII with no hyphen, backtick or whitespace to trim or collapse
            when strlen(value::varchar) = length(value::varchar)
                and not regexp_matches(value::varchar, '^\s|\s$|\s\s|[\t\n\v\f\r`-]')
                and not contains(value::varchar, chr(0))
                then lower(value::varchar)
            -- spaces collapsed first, hyphens then spaces: exactly name_forms' first form
            else translate(trim(regexp_replace(fold_text(_redaction_base(value::varchar)), ' +', ' ', 'g')), '-', ' ')
        end, '')
        else _normalized_email(value)
    end
);
