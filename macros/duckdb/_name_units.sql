-- _name_units(text) -> STRUCT(units VARCHAR[], folded VARCHAR)   (private helper of _names_text)
--
-- text cut into units for _replace_units, and the compact folded text with
-- one character per unit:
--   units:  a run of whitespace and dashes (every character fold_text turns
--           into a space or a dash: tab, line breaks, no-break and other
--           spaces, NUL, Unicode dashes) is one unit; any other character is
--           one unit with the combining marks and invisible characters
--           (soft hyphen U+00AD, U+200C, U+200D, U+2060, U+FEFF) that follow
--           it (those at the very start go with the first unit);
--   folded: _name_folded(text) with dashes as spaces, its marks and
--           invisible characters dropped and its runs of spaces cut to one.
-- Concatenated, the units are the text, byte for byte. The character classes
-- are fold_text's; a test sweeps every code point to keep them in step
-- (len(units) = length(folded)), and _names_text checks it on every text.
--
-- Example:
--   _name_units('Ng,' || chr(9) || ' Kow' || chr(173) || 'al')
--     -> {'units': ['N', 'g', ',', '\t ', 'K', 'o', 'w\xad', 'a', 'l'], 'folded': 'ng, kowal'}
create or replace temp macro _name_units(text) as (
    {
        'units': regexp_extract_all(
            text,
            '[\pM\x{AD}\x{200C}\x{200D}\x{2060}\x{FEFF}]*(?:'
            || '[\x00\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}\-\x{2010}-\x{2015}\x{2212}\x{FE63}\x{FF0D}]'
            || '[\x00\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}\-\x{2010}-\x{2015}\x{2212}\x{FE63}\x{FF0D}\pM\x{AD}\x{200C}\x{200D}\x{2060}\x{FEFF}]*'
            || '|[^\x00\t\n\x0B\f\r \x{A0}\x{1680}\x{2000}-\x{200A}\x{202F}\x{205F}\x{3000}\-\x{2010}-\x{2015}\x{2212}\x{FE63}\x{FF0D}\pM\x{AD}\x{200C}\x{200D}\x{2060}\x{FEFF}]'
            || '[\pM\x{AD}\x{200C}\x{200D}\x{2060}\x{FEFF}]*)'
        ),
        'folded': regexp_replace(
            regexp_replace(translate(_name_folded(text), '-', ' '), '[\pM\x{AD}\x{200C}\x{200D}\x{2060}\x{FEFF}]+', '', 'g'),
            ' {2,}', ' ', 'g'
        ),
    }
);
