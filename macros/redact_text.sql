-- redact_text(text, names) -> VARCHAR
--
-- Free text with its PII replaced by tokens (contract §6): the only form in
-- which resume_text, communications, notes, descriptions, scenario and
-- lesson text reach a _safe view, the corpus or a report.
--   text:  VARCHAR (NULL -> NULL)
--   names: LIST(VARCHAR) of the person names known for the row, e.g.
--          person_name_parts(name) or [first_name, last_name,
--          first_name || ' ' || last_name]; NULL entries are ignored;
--          []::varchar[] when none are known.
-- Steps, in this order (each in its own helper macro):
--   1. email addresses           -> pii_token(address, 'email')     _redact_emails
--   2. the known names, longest first, case-insensitive, whole words
--      only, matched literally   -> pii_token(name, 'name')         _redact_names
--   3. SSNs NNN-NN-NNNN           -> pii_token(ssn, 'ssn')            _redact_ssns
--   4. phone numbers as people write them ((614) 555-0142, 614-555-0142,
--      614.555.0142, 614 555 0142, 6145550142, +1 614 555 0142,
--      1-614-555-0142)            -> pii_token(number, 'phone'), or
--      '[phone]' when the number cannot be normalised             _redact_phones
-- Emails go first because addresses are built from names
-- ('susan.ruiz3@example.com'): replacing the name first would leave an
-- address made of name tokens, still masked but with a token that no longer
-- equals the email column's. SSNs go before phones so an SSN is never taken
-- for a phone. Tokens hold only letters and '_', so no later step re-matches
-- one, and names go before phones so no name can hit the '[phone]' text.
-- Each step has a fast path (contains(), one regexp_matches with a constant
-- pattern, or a literal string_split), so text without PII costs a few scans.
-- The name list is prepared (_redact_name_forms) once, outside the per-step lambda:
-- it depends on names only, so DuckDB computes it once for every redact_text
-- of a row that passes the same names (a view's communications and
-- resume_text), instead of once per text.
-- Like pii_token, it raises an error when no PII key is bound, even for a
-- text with nothing to replace: a misconfigured run fails loudly.
--
-- Examples (tokens shortened):
--   redact_text('Susan: call 614.555.0142 or mail susan.ruiz@example.com', ['Susan Ruiz', 'Susan', 'Ruiz'])
--     -> 'name_…: call phone_… or mail email_…'
--   redact_text('Joann called', ['Ann'])   -> 'Joann called'
--   redact_text('SSN 123-45-6789', [])     -> 'SSN ssn_…'
create or replace temp macro redact_text(text, names) as (
    case
        when coalesce(getvariable('pii_key'), '') = ''
            then error('pii_key is not set: bind the PII key with install_macros(con, key)')
        else list_transform(
            [_redact_name_forms(names)],
            lambda _redact_forms: list_reduce(
                ['email', 'name', 'ssn', 'phone'],
                lambda _redact_acc, _redact_step: case _redact_step
                    when 'email' then _redact_emails(_redact_acc)
                    -- _redact_names(_redact_acc, names), with the forms computed once above
                    when 'name' then list_reduce(
                        _redact_forms,
                        lambda _name_text, _name: _redact_name(_name_text, _name),
                        _redact_acc
                    )
                    when 'ssn' then _redact_ssns(_redact_acc)
                    else _redact_phones(_redact_acc)
                end,
                text::varchar
            )
        )[1]
    end
);
