-- redact_text_with(text, needles) -> VARCHAR
--
-- redact_text with the name forms already prepared: needles are
-- name_needles(forms), or the concatenation of several such lists (a row's
-- own person, prepared once per distinct name, and the roster people its
-- text names, prepared once per distinct text). A view that redacts many
-- texts of the same people calls this; redact_text(text, forms) is
-- redact_text_with(text, name_needles(forms)). Everything else, the steps
-- and their order, is redact_text's (see redact_text.sql).
--
-- Example:
--   redact_text_with('Covering for Kevin Ng today', name_needles(name_forms('Kevin Ng', false)))
--     -> 'Covering for name_… today'
create or replace temp macro redact_text_with(text, needles) as (
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
                        [_names_text(_names_in, case when _names_in = _masked.text then _masked.folded end, needles)],
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
                    when strlen(_named.folded) <> length(_named.folded) and regexp_matches(_named.folded, '[\x{AD}\x{200B}-\x{200D}\x{2060}\x{FEFF}]')
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
