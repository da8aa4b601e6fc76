-- _gate_pairs(words) -> LIST(VARCHAR)                      (private helper of roster_mentions)
--
-- The keys the roster-name gate joins on: every pair of neighbouring words
-- ('kevin ng'), and every pair around a one-letter word, so a middle initial
-- in the text or in the name does not hide the pair ('susan x ruiz' gives
-- 'susan x', 'x ruiz' and 'susan ruiz').
--   _gate_pairs(['susan', 'x', 'ruiz']) -> ['susan x', 'x ruiz', 'susan ruiz']
create or replace temp macro _gate_pairs(words) as (
    -- words is bound once (a macro argument is an expression, repeated at every use)
    list_transform(
        [words],
        lambda _words: list_concat(
            list_transform(range(1, len(_words)), lambda _i: _words[_i] || ' ' || _words[_i + 1]),
            list_transform(
                list_filter(range(1, len(_words) - 1), lambda _i: length(_words[_i + 1]) = 1),
                lambda _i: _words[_i] || ' ' || _words[_i + 2]
            )
        )
    )[1]
);
