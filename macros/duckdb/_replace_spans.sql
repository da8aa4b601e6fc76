-- _replace_spans(pair, needle, token, whole_words) -> STRUCT(text VARCHAR, folded VARCHAR)
--                                                            (private helper of redact_text)
--
-- pair is {'text': ..., 'folded': ...}, a text and its folded form
-- (_redaction_folded), one character for one. Every occurrence of needle (a
-- folded string) in pair.folded is replaced by token at the same offsets in
-- both texts; every other character of pair.text comes through as it was.
-- This is how a name written 'ZOË MÜLLER', 'Zoe Muller' or with a no-break
-- space is found ('zoe muller' in the folded text) and replaced in the
-- original spelling's place.
--
-- whole_words: an occurrence counts only when neither the character before it
-- nor the one after it is a Latin, Greek or Cyrillic letter, a mark or a
-- digit (_is_word_character: so 'ng' never hits 'morning'; '_' is a boundary,
-- so 'chidi_okonkwo' holds both parts), and it is not the prefix of a token
-- ('email' in 'email_' and sixteen letters a-p: a person named Email keeps
-- the token whole). Every other character is a boundary: Hebrew,
-- Arabic and CJK, which writes no spaces between words ('Ann在仓库'), emoji,
-- punctuation. When in doubt, mask.
-- Without it every occurrence is replaced (phones, SSNs, emails: the pattern
-- that found the needle already bounded it; another copy of the same digits
-- inside a longer number is masked too, over-masking, never a leak).
-- token must be its own folded form (tokens are lower-case ASCII).
--
-- No regular expression is built from the needle: string_split finds it
-- literally, so quotes, dots and regex metacharacters in a name are plain
-- characters. One pass over the pieces (list_reduce): the accumulator holds
-- what is done and what remains of both texts; each piece moves its own
-- length plus the needle's from the rest to the done part, as the original
-- spelling or as the token.
--
-- Example:
--   _replace_spans({'text': 'ANN met Joann', 'folded': 'ann met joann'}, 'ann', 'name_x', true)
--     -> {'text': 'name_x met Joann', 'folded': 'name_x met joann'}
create or replace temp macro _replace_spans(pair, needle, token, whole_words) as (
    list_transform(
        [string_split(pair.folded, needle)],
        lambda _spans_pieces: case
            when len(_spans_pieces) < 2 then pair
            -- fast path: the text holds the needle as often as the folded text does, so at the same
            -- offsets (a folded needle is its own folded form): replace() does the same, natively
            when not whole_words and len(string_split(pair.text, needle)) = len(_spans_pieces)
                then {'text': replace(pair.text, needle, token), 'folded': replace(pair.folded, needle, token)}
            else list_transform(
                [list_reduce(
                    -- every piece but the last is followed by an occurrence
                    list_transform(
                        _spans_pieces[1:-2],
                        lambda _spans_piece: {'done': _spans_piece, 'folded_done': '', 'rest': '', 'folded_rest': ''}
                    ),
                    lambda _spans_acc, _spans_step: list_transform(
                        [{
                            'size': length(_spans_step.done),
                            'hit': not whole_words
                                or _is_whole_word_at(pair.folded, _spans_step.done, _spans_acc.folded_rest, length(needle)),
                        }],
                        lambda _spans_at: {
                            'done': _spans_acc.done || left(_spans_acc.rest, _spans_at.size)
                                || case when _spans_at.hit then token else substr(_spans_acc.rest, _spans_at.size + 1, length(needle)) end,
                            'folded_done': _spans_acc.folded_done || left(_spans_acc.folded_rest, _spans_at.size)
                                || case when _spans_at.hit then token else needle end,
                            'rest': substr(_spans_acc.rest, _spans_at.size + length(needle) + 1),
                            'folded_rest': substr(_spans_acc.folded_rest, _spans_at.size + length(needle) + 1),
                        }
                    )[1],
                    {'done': '', 'folded_done': '', 'rest': pair.text, 'folded_rest': pair.folded}
                )],
                lambda _spans_result: {
                    'text': _spans_result.done || _spans_result.rest,
                    'folded': _spans_result.folded_done || _spans_result.folded_rest,
                }
            )[1]
        end
    )[1]
);
