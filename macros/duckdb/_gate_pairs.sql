-- _gate_pairs(words) -> LIST(STRUCT(gram VARCHAR, middle VARCHAR))   (private helper of roster_mentions)
--
-- The keys the roster-name gate joins on: every pair of neighbouring words
-- ('kevin ng'), and every pair around a one-letter word, so a middle initial
-- in the text or in the name does not hide the pair ('susan x ruiz' gives
-- 'susan x', 'x ruiz' and 'susan ruiz'). middle is that one-letter word for
-- a pair around one ('x'), '' otherwise: roster_mentions uses it to look for
-- the name with a middle initial the roster does not hold.
--   _gate_pairs(['susan', 'x', 'ruiz'])
--     -> [{'gram': 'susan x', 'middle': ''}, {'gram': 'x ruiz', 'middle': ''}, {'gram': 'susan ruiz', 'middle': 'x'}]
create or replace temp macro _gate_pairs(words) as (
    -- words is bound once (a macro argument is an expression, repeated at every use)
    list_transform(
        [words],
        lambda _words: list_concat(
            list_transform(range(1, len(_words)), lambda _i: {'gram': _words[_i] || ' ' || _words[_i + 1], 'middle': ''}),
            list_transform(
                list_filter(range(1, len(_words) - 1), lambda _i: length(_words[_i + 1]) = 1),
                lambda _i: {'gram': _words[_i] || ' ' || _words[_i + 2], 'middle': _words[_i + 1]}
            )
        )
    )[1]
);
