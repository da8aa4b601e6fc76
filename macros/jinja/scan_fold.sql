{#-
  scan_fold(text) -> VARCHAR                                  (the PII scan)

  Text folded the way contract §6 folds it, so every detector of the scan
  sees one spelling of each form: lower case; accents and other marks
  stripped, in NFC or NFD (strip_accents); letters without a decomposition
  transliterated (ı->i, ø->o, ł->l, đ/ð->d, ß->ss, æ->ae, œ->oe, þ->th);
  typographic apostrophes -> ', quotes -> ", every Unicode dash or minus
  -> '-'; non-breaking, narrow, figure and other spaces, tabs and line
  breaks -> ' ', runs of spaces -> one; zero-width characters dropped;
  full-width forms (＠, ０-９, ａ-ｚ, （）．，＋／：) -> their ASCII forms.
  text is SQL text for a VARCHAR (NULL -> NULL). Only the scan uses it: the
  redaction macros fold on their own.
  Cost: ASCII text without a tab, a line break, a doubled space or a
  backtick (nearly every value) is only lower-cased (a vertical tab or form
  feed there is left as is); the full fold runs on the other values, so a
  backtick is an apostrophe in ASCII text as in any other ('o`neil' is
  'o''neil' whether or not the value also holds an accent). length() counts
  characters and strlen() bytes, so they differ exactly when a value holds a
  non-ASCII character.
    scan_fold("'Zoë  MÜLLER'")               -> 'zoe muller'
    scan_fold("'Øz' || chr(8217) || 'tÜrk'")  -> 'oz''turk'
    scan_fold("'937' || chr(8211) || '555'") -> '937-555'
    scan_fold("'ann.lee＠Example.com'")      -> 'ann.lee@example.com'
    scan_fold("'O`Neil'")                     -> 'o''neil'
-#}
{% macro scan_fold(text) -%}
(case
    when strlen({{ text }}) = length({{ text }})
        and not contains({{ text }}, '  ')
        and not contains({{ text }}, chr(10))
        and not contains({{ text }}, chr(13))
        and not contains({{ text }}, chr(9))
        and not contains({{ text }}, '`')
        then lower({{ text }})
    else {{ _scan_fold_unicode(text) }}
end)
{%- endmacro %}
