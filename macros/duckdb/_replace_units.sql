-- _replace_units(state, needle, token) -> STRUCT(units VARCHAR[], folded VARCHAR)
--                                                            (private helper of _names_text)
--
-- _replace_spans for a text cut into units: state.units is the text as a
-- list of pieces and state.folded a string of exactly one character per
-- unit (len(units) = length(folded)). A unit is what one folded character
-- stands for: a letter with its combining marks and invisible characters, or
-- a whole run of whitespace and dashes. Every whole-word occurrence of
-- needle in state.folded (as _replace_spans decides it: _is_word_character on
-- either side, never a token's prefix) becomes token in the folded text, and its units become the
-- token's characters, one unit each, so both stay aligned for the next
-- needle. Every other unit comes through as it was: array_to_string(units,
-- '') is the text with only the occurrences replaced.
-- No regular expression is built from the needle: string_split finds it
-- literally. One pass over the pieces, like _replace_spans.
--
-- Example:
--   _replace_units({'units': ['A', 'n', 'n', ' \t', 'L', 'e', 'e'], 'folded': 'ann lee'}, 'ann lee', 'name_x')
--     -> {'units': ['n', 'a', 'm', 'e', '_', 'x'], 'folded': 'name_x'}
create or replace temp macro _replace_units(state, needle, token) as (
    list_transform(
        [string_split(state.folded, needle)],
        lambda _units_pieces: case
            when len(_units_pieces) < 2 then state
            else list_transform(
                [list_reduce(
                    -- every piece but the last is followed by an occurrence; the piece rides in folded_done
                    list_transform(
                        _units_pieces[1:-2],
                        lambda _units_piece: {'done': []::varchar[], 'folded_done': _units_piece, 'rest': []::varchar[], 'folded_rest': ''}
                    ),
                    lambda _units_acc, _units_step: list_transform(
                        [{
                            'size': length(_units_step.folded_done),
                            'hit': _is_whole_word_at(state.folded, _units_step.folded_done, _units_acc.folded_rest, length(needle)),
                        }],
                        lambda _units_at: {
                            'done': list_concat(
                                _units_acc.done,
                                _units_acc.rest[1:_units_at.size],
                                case when _units_at.hit then string_split(token, '')
                                    else _units_acc.rest[_units_at.size + 1:_units_at.size + length(needle)] end
                            ),
                            'folded_done': _units_acc.folded_done || left(_units_acc.folded_rest, _units_at.size)
                                || case when _units_at.hit then token else needle end,
                            'rest': _units_acc.rest[_units_at.size + length(needle) + 1:],
                            'folded_rest': substr(_units_acc.folded_rest, _units_at.size + length(needle) + 1),
                        }
                    )[1],
                    {'done': []::varchar[], 'folded_done': '', 'rest': state.units, 'folded_rest': state.folded}
                )],
                lambda _units_result: {
                    'units': list_concat(_units_result.done, _units_result.rest),
                    'folded': _units_result.folded_done || _units_result.folded_rest,
                }
            )[1]
        end
    )[1]
);
