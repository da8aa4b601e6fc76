-- _names_text(text, folded, forms) -> STRUCT(text VARCHAR, folded VARCHAR)   (private helper of redact_text)
--
-- The text and folded text redact_text looks for names in. Name forms hold
-- single spaces, so 'Okafor,  Grace' (a doubled space, or a line break and
-- an indent) would hide 'okafor, grace'. When the folded text has a run of
-- spaces and some form is found only once each run is one space, each run of
-- whitespace in the text is cut to its first character (in both texts, so
-- they stay aligned): the rest of such a text loses its extra spaces, which
-- is the price of finding the name. Otherwise both come back as they were.
-- The whitespace here is what fold_text turns into ' '.
--
-- Example:
--   _names_text('Okafor,  Grace', 'okafor,  grace', ['okafor, grace'])
--     -> {'text': 'Okafor, Grace', 'folded': 'okafor, grace'}
create or replace temp macro _names_text(text, folded, forms) as (
    case
        when contains(folded, '  ') and len(list_filter(
                coalesce(forms, []::varchar[]),
                lambda _form: _form <> '' and contains(regexp_replace(folded, ' {2,}', ' ', 'g'), _form)
                    and not contains(folded, _form)
            )) > 0
            then {
                'text': regexp_replace(
                    text,
                    '([\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}])[\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}]+',
                    '\1',
                    'g'
                ),
                'folded': regexp_replace(folded, ' {2,}', ' ', 'g'),
            }
        else {'text': text, 'folded': folded}
    end
);
