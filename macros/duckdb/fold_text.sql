-- fold_text(text) -> VARCHAR of exactly length(text) characters
--
-- The folded form in which the safe layer looks for PII (contract §6): one
-- output character for every input character, so an offset found in the
-- folded text is the same offset in the text (redact_text replaces spans of
-- the original text, everything else comes through byte for byte).
--   1. lower(): one code point to one code point (tests check all of them);
--   2. strip_accents(): 'é' -> 'e', 'Ü' -> 'u'. It drops a combining mark
--      (NFD text), which would break step 1's promise: callers first pass
--      the text through _redaction_base, which composes it (NFC);
--   3. translate(), one character to one:
--      letters that carry no accent to strip: ı ø ł đ ð þ ß æ œ ħ ŧ -> i o l d d t s a o h t
--        (ß -> s and æ -> a, not ss and ae: a fold must keep the length);
--      typographic apostrophes ’ ‘ ʼ ` ´ ′ ＇ ‛ and the okina ʻ -> '
--      dashes ‐ ‑ ‒ – — ― − ﹣ －                             -> -
--      no-break, em, en, thin, ideographic spaces, tab, line breaks, NUL -> ' '
--      full-width ＠ ﹫ -> @, ０-９ -> 0-9, ａ-ｚ -> a-z, ． （ ） -> . ( )
--
-- ASCII text without tab, line break, backtick or NUL (most text) is only
-- lower-cased: translate() costs about twenty nanoseconds a character.
--
-- Examples:
--   fold_text('Zoë MÜLLER')         -> 'zoe muller'
--   fold_text('D’Angelo–Øst')       -> 'd''angelo-ost'
--   fold_text('937' || chr(160) || '555') -> '937 555'
create or replace temp macro fold_text(text) as (
    case
    -- fast path: ASCII (as many bytes as characters) without tab, line break or backtick
    when strlen(text) = length(text) and not regexp_matches(text, '[\t-\r`]') and not contains(text, chr(0)) then lower(text)
    -- strip_accents stops at a NUL byte in non-ASCII text: NUL is a space here, as it is a boundary.
    -- The characters to translate are written as code points, turned into a string once per
    -- query (a constant expression: DuckDB folds it when it plans the query).
    else translate(
        strip_accents(lower(replace(text, chr(0), ' '))),
        array_to_string(list_transform(
            -- letters: ı ø ł đ ð þ ß æ œ ħ ŧ
            [305, 248, 322, 273, 240, 254, 223, 230, 339, 295, 359]
            -- apostrophes: ’ ‘ ʼ ` ´ ′ ＇ ‛, and the okina ʻ (Hawaiian names: Keʻala)
            || [8217, 8216, 700, 96, 180, 8242, 65287, 8219, 699]
            -- dashes: ‐ ‑ ‒ – — ― − ﹣ －
            || [8208, 8209, 8210, 8211, 8212, 8213, 8722, 65123, 65293]
            -- no-break, ogham, en/em/thin/hair and other spaces, narrow no-break, math, ideographic; tab, line breaks
            || [160, 5760, 8192, 8193, 8194, 8195, 8196, 8197, 8198, 8199, 8200, 8201, 8202, 8239, 8287, 12288, 9, 10, 11, 12, 13]
            -- full-width ＠ ﹫, ０-９, ａ-ｚ, ． （ ）
            || [65312, 65131]
            || [65296, 65297, 65298, 65299, 65300, 65301, 65302, 65303, 65304, 65305]
            || [65345, 65346, 65347, 65348, 65349, 65350, 65351, 65352, 65353, 65354, 65355, 65356, 65357, 65358, 65359, 65360, 65361, 65362, 65363, 65364, 65365, 65366, 65367, 65368, 65369, 65370]
            || [65294, 65288, 65289],
            lambda _code_point: chr(_code_point)
        ), ''),
        'iolddtsaoht'
        || repeat('''', 9)
        || repeat('-', 9)
        || repeat(' ', 21)
        || '@@'
        || '0123456789'
        || 'abcdefghijklmnopqrstuvwxyz'
        || '.()'
    )
    end
);
