-- _redact_name_forms(names) -> LIST(VARCHAR)                  (private helper of redact_text)
--
-- The names _redact_names replaces, in the order it replaces them: each entry
-- normalised (_pii_normalize(..., 'name'): lower-case, trimmed, single
-- spaces), NULL and blank entries dropped, duplicates dropped, longest first
-- (equal lengths in descending order). A NULL list counts as empty.
-- It depends on the names only, not on the text: redact_text computes it once
-- per row, outside its per-step lambda, so two columns redacted with the same
-- names (communications and resume_text) share one computation.
--
-- Example:
--   _redact_name_forms(['Susan X. Ruiz', 'Susan', NULL, ' susan ']) -> ['susan x. ruiz', 'susan']
create or replace temp macro _redact_name_forms(names) as (
    list_transform(
        list_sort(
            list_transform(
                list_distinct(list_filter(
                    list_transform(coalesce(names, []::varchar[]), lambda _name: _pii_normalize(_name, 'name')),
                    lambda _name: _name is not null
                )),
                lambda _name: {'size': length(_name), 'name': _name}
            ),
            'desc'
        ),
        lambda _name_entry: _name_entry.name
    )
);
