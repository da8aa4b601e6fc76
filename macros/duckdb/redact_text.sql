-- redact_text(text, forms) -> VARCHAR
--
-- Free text with its PII replaced by tokens (contract §6): the only form in
-- which resume_text, communications, notes, descriptions, scenario notes,
-- lesson text and free string fields reach a safe relation, the corpus or a
-- report.
--   text:        VARCHAR (NULL -> NULL)
--   forms: LIST(VARCHAR), the folded name forms to replace, as name_forms
--          gives them: name_forms(name, true) for the row's own people (the
--          worker of a worker row, a scenario's assigned workers: the full
--          name and every part of two letters or more), name_forms(name,
--          false) for anyone else the text names in full (roster_mentions
--          finds them: full-name forms only, never a lone first or last
--          name). Concatenate both; NULL lists and entries are ignored,
--          []::varchar[] when none. Forms are computed once per person
--          (a view computes them per distinct name), not once per text.
-- Every form (with or without the middle initial, 'Last, First', 'F. Last',
-- hyphen, apostrophe, ß/ss and æ/ae forms) is looked for in the folded text
-- (case, accents, NFC/NFD, ı/ø-style letters, typographic apostrophes and
-- dashes, no-break and doubled spaces, soft hyphens), as whole words, and
-- replaced where it stands: all the rest of the text comes through byte for
-- byte, doubled spaces, tabs, line breaks and decomposed (NFD) accents
-- included (_names_text). Emails, SSNs and phones are looked for in the NFC
-- form of a text that holds decomposed accents (_redaction_base): when one is
-- replaced, the rest of that text comes through in that canonically
-- equivalent form; when nothing is, the text comes through as it was.
-- Steps, in this order:
--   1. email addresses, every form _email_spans lists   -> pii_token(address, 'email')
--   2. names, longest form first, in a folded text whose hyphens are spaces
--      (_names_text)                                   -> pii_token(form, 'name')
--   3. SSNs, every form _ssn_spans lists                -> pii_token(digits, 'ssn')
--   4. phone numbers, every form _phone_spans lists     -> pii_token(number, 'phone') or '[phone]'
--   (3 and 4 read invisible characters, a soft hyphen or a zero-width space
--   pasted into a number, as spaces)
-- Emails go first because addresses are built from names
-- ('susan.ruiz3@example.com'); names before phones, so no name ('Phone')
-- can hit the '[phone]' placeholder; SSNs before phones, so an SSN is never
-- read as a phone. Tokens hold only letters and '_', so no later step
-- re-matches one. The spans of each step are found once, in the folded text
-- as the step before left it, and replaced longest first.
-- Like pii_token, it raises an error when no PII key is bound, even for a
-- text with nothing to replace: a misconfigured run fails loudly.
--
-- Examples (tokens shortened):
--   redact_text('Susan: call 614.555.0142 or mail susan.ruiz@example.com', name_forms('Susan X. Ruiz', true))
--     -> 'name_…: call phone_… or mail email_…'
--   redact_text('Covering for Kevin Ng today', name_forms('Kevin Ng', false)) -> 'Covering for name_… today'
--   redact_text('rose early to mark the form', name_forms('Rose Mark', false)) -> unchanged
--   redact_text('SSN 219 09 9999', [])                                          -> 'SSN ssn_…'
create or replace temp macro redact_text(text, forms) as (
    case
        when coalesce(getvariable('pii_key'), '') = ''
            then error('pii_key is not set: bind the PII key with install_macros(con, key)')
        when text is null then null
        else list_transform([text::varchar], lambda _original: list_transform(
            [_redaction_base(_original)],
            -- nothing replaced: the text as it was (an NFD text keeps its own bytes)
            lambda _base: list_transform([list_transform([{'text': _base, 'folded': _redaction_folded(_base)}], lambda _pair: list_transform([list_transform(
                -- step 1: emails
                [list_reduce(
                    _email_spans(_pair.folded),
                    lambda _redact_acc, _redact_span: _replace_spans(_redact_acc, _redact_span.needle, _redact_span.token, false),
                    _pair
                )],
                -- step 2: names (_names_text), in the text as the record holds it when step 1 replaced
                -- nothing (so an NFD text keeps its own bytes), else in the base step 1 left
                lambda _masked: list_transform(
                    [case when _masked.text = _base then _original else _masked.text end],
                    lambda _names_in: list_transform(
                        [_names_text(_names_in, case when _names_in = _masked.text then _masked.folded end, forms)],
                        -- the folded text, with its hyphens, for steps 3 and 4: folded again only when a name was replaced
                        lambda _named_text: case
                            when _named_text = _names_in then _masked
                            else {'text': _named_text, 'folded': _redaction_folded(_named_text)}
                        end
                    )[1]
                )[1]
            )[1]],
            -- steps 3 and 4: SSNs, then phones, in a fold whose invisible characters (soft hyphen,
            -- zero-width space and joiners, word joiner, BOM) are spaces: '614' || U&'\200B' || '-555-0142'
            -- is a phone (the scan drops them), and a space keeps every offset
            lambda _named: list_transform(
                [case
                    when regexp_matches(_named.folded, '[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]')
                        then {'text': _named.text, 'folded': translate(_named.folded, chr(173) || chr(8203) || chr(8204) || chr(8205) || chr(8288) || chr(65279), '      ')}
                    else _named
                end],
                lambda _digits: list_reduce(
                    list_concat(_ssn_spans(_digits.folded), _phone_spans(_digits.folded)),
                    lambda _redact_acc, _redact_span: _replace_spans(_redact_acc, _redact_span.needle, _redact_span.token, false),
                    _digits
                ).text
            )[1])[1])[1]], lambda _redacted: case when _redacted = _base then _original else _redacted end)[1]
        )[1])[1]
    end
);
