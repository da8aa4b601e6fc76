{#-
  read_file_hashes(paths) -> a table expression: filename, file_sha256

  The sha256 of each file's bytes, computed by DuckDB (it equals hashlib's),
  for provenance columns. paths is SQL text, e.g. '$scenario_paths'.
    select file_sha256 from {{ read_file_hashes('$lesson_paths') }}
-#}
{% macro read_file_hashes(paths) -%}
(
    select
        filename,
        sha256(content) as file_sha256,
    from read_text({{ paths }})
)
{%- endmacro %}
