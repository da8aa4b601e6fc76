-- _phone_candidates(folded) -> LIST(VARCHAR)                    (private helper of _phone_spans)
--
-- The stretches of a folded text that may be North American numbers, as
-- written, for _phone_spans to sort out: a number, with any separator people
-- type between the groups, after an optional '+1' or '1'; then what an
-- extension marker (x, ext, ext., extension, #) brings, if any; then every
-- digit that follows, so that a longer number is one stretch and no phone.
-- Each stretch starts at the text's start or after a character that is not a
-- letter, a digit, '_' or '$'.
-- After a marker, a number with separators ('x 614-555-9528', 'x 555-9528',
-- 'ext. (614) 555-9528') is taken whole, ahead of its first digits: read as
-- an extension, those digits would hide the rest of a phone. Bare digits
-- are an extension, of any length ('x 12', 'x 5528572516').
-- Matches do not overlap: a stretch that turns out to be no phone
-- ('1895 4106619349': a country code '1', then eleven digits) has taken the
-- digits of the one it hides; _phone_spans looks again after its first group.
--
-- Example:
--   _phone_candidates('cell 614-555-0142 x 555-9528, 1895 4106619349')
--     -> ['614-555-0142 x 555-9528', '1895 4106619349']
create or replace temp macro _phone_candidates(folded) as (
    regexp_extract_all(
        folded,
        '(?:^|[^0-9a-z_$])((?:\+ ?1 ?[./-]? ?|1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\)|[0-9]{3}) ?[./-]? ?[0-9]{3} ?[./-]? ?[0-9]{4}'
        || '(?: ?,? ?(?:x|ext\.?|extension|#) ?'
        -- after the marker: ten digits with a separator somewhere, then seven with one, then bare digits
        || '(?:(?:1 ?[./-]? ?)?(?:\( ?[0-9]{3} ?\) ?[./-]? ?[0-9]{3} ?[./-]? ?|[0-9]{3}(?: ?[./-] ?| )[0-9]{3} ?[./-]? ?|[0-9]{6}(?: ?[./-] ?| ))[0-9]{4}'
        || '|[0-9]{3}(?: ?- ?|[.-])[0-9]{4}'
        || '|[0-9]+))?[0-9]*)',
        1
    )
);
