{#-
  _scan_fold_unicode(text) -> VARCHAR                (private helper of scan_fold)

  The full fold of scan_fold, for a value that holds a non-ASCII character,
  control whitespace or a doubled space. One translate() maps every
  single-character fold (the tables below, written with \u escapes so each
  character can be read), then the few letters that fold to two letters,
  then whitespace runs -> one space.
    _scan_fold_unicode("'Łukasz  Ørsted'") -> 'lukasz orsted'
-#}
{% macro _scan_fold_unicode(text) -%}
{%- set folds = [
    ('\u0131\u00f8\u0142\u0111\u00f0\u0127\u0167\u0140\u0138\u017f', 'iolddhtlks'),
    ('\u2019\u2018\u02bc\u2032\u0060\u00b4\u02bb\uff07\u201b', "'''''''''"),
    ('\u201c\u201d\u201e\u2033\uff02', '"""""'),
    ('\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d\u2043', '-----------'),
    ('\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t\n\r\u000b\u000c\u0085\u2028\u2029', '                        '),
    ('\uff20\ufe6b\uff08\uff09\uff0e\uff0c\uff0b\uff0f\uff1a\uff3b\uff3d\u3002', '@@().,+/:[].'),
    ('\uff10\uff11\uff12\uff13\uff14\uff15\uff16\uff17\uff18\uff19', '0123456789'),
    ('\uff41\uff42\uff43\uff44\uff45\uff46\uff47\uff48\uff49\uff4a\uff4b\uff4c\uff4d\uff4e\uff4f\uff50\uff51\uff52\uff53\uff54\uff55\uff56\uff57\uff58\uff59\uff5a', 'abcdefghijklmnopqrstuvwxyz'),
] %}
{%- set dropped = '\u200b\u200c\u200d\u2060\ufeff\u00ad' %}
{%- set pairs = [('\u00df', 'ss'), ('\u00e6', 'ae'), ('\u0153', 'oe'), ('\u00fe', 'th'), ('\u0133', 'ij')] %}
{%- set source = folds | map('first') | join('') ~ dropped %}
{%- set target = folds | map('last') | join('') %}
regexp_replace(
    {%- for pair in pairs %}replace({% endfor %}
    translate(strip_accents(lower({{ text }})), {{ source | literal }}, {{ target | literal }})
    {%- for from, to in pairs %}, {{ from | literal }}, {{ to | literal }}){% endfor %},
    ' {2,}',
    ' ',
    'g'
)
{%- endmacro %}
