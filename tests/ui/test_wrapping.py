"""Word wrap for the reading pane: exact greedy lines, and a cost of one line per line.

``line_end`` is what the reading pane wraps with; a 900,000-character word once cost it 30 s,
because every cut measured the rest of the word again. Hypothesis checks it against a plain
reference (greedy: as many words as fit, the spaces after them kept on the line, a word wider
than the line cut) on text of every width class: ASCII, accented Latin and curly quotes (the
fast path), CJK, combining marks, tabs and emoji (measured character by character).
"""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from rich.cells import cell_len, get_character_cell_size

from reader.ui.layout_text import line_end, wrap_offsets

PIECES = ["a", "b", "word", "é", "“", "”", "—", " ", " ", "  ", "\n", "x" * 30, "漢", "字", "\t", "\u0301", "😀"]
texts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)
plain_texts = st.lists(st.sampled_from(["a", "bc", "word", "é", "“", "”", "—", " ", "  ", "\n", "x" * 30]), max_size=60).map("".join)
widths = st.integers(min_value=1, max_value=40)


def _cells(text: str) -> int:
    return sum(1 if char == "\ufe0f" else get_character_cell_size(char) for char in text)


def _reference_end(text: str, start: int, end: int, width: int) -> int:
    """The line from ``start``: the furthest word start (or the end) before which everything
    fits, trailing spaces aside; failing that, as much of the first word as fits (one
    character at least)."""
    breaks = [q for q in range(start + 1, end) if not text[q].isspace() and text[q - 1].isspace()] + [end]
    fitting = [q for q in breaks if _cells(text[start:q].rstrip()) <= width]
    if fitting:
        return max(fitting)
    cut = max(q for q in range(start, end + 1) if _cells(text[start:q]) <= width)
    return max(cut, start + 1)


def _reference_wrap(text: str, width: int) -> list[tuple[int, int]]:
    lines: list[tuple[int, int]] = []
    start = 0
    for hard_line in text.split("\n"):
        end = start + len(hard_line)
        position = start
        while True:
            stop = _reference_end(text, position, end, width) if position < end else end
            lines.append((position, stop))
            if stop >= end:
                break
            position = stop
        start = end + 1
    return lines


@settings(max_examples=500, deadline=None)
@given(texts, widths)
def test_wrapping_is_the_greedy_reference_for_text_of_any_width(text: str, width: int) -> None:
    assert wrap_offsets(text, width) == _reference_wrap(text, width)


@settings(max_examples=300, deadline=None)
@given(plain_texts, widths)
def test_single_cell_text_takes_the_fast_path_to_the_same_lines(text: str, width: int) -> None:
    assert wrap_offsets(text, width) == _reference_wrap(text, width)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from([*PIECES, "\u200d", "\ufe0f", "❤", "👨"]), max_size=60).map("".join), widths)
def test_no_line_is_wider_than_the_pane(text: str, width: int) -> None:
    lines = wrap_offsets(text, width)
    # Nothing lost, nothing added: each line starts where the last ended, or past a newline.
    assert lines[0][0] == 0 and lines[-1][1] == len(text)
    for (_, end), (start, _) in zip(lines, lines[1:], strict=False):
        assert start == end or (start == end + 1 and text[end] == "\n")
    for start, end in lines:
        piece = text[start:end].rstrip()
        assert cell_len(piece) <= width or end - start == 1, (piece, width)


def test_a_900000_character_word_is_cut_into_lines_of_the_measure() -> None:
    lines = wrap_offsets("x" * 900_000, 100)
    assert len(lines) == 9_000 and all(end - start == 100 for start, end in lines)


def test_each_character_is_measured_a_bounded_number_of_times(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """Wide text goes through the measured path; its work is counted, not timed: before,
    each cut of a long word measured the whole rest of the word again."""
    import reader.ui.layout_text as layout_text

    calls = 0

    def counted(character: str) -> int:
        nonlocal calls
        calls += 1
        return get_character_cell_size(character)

    monkeypatch.setattr(layout_text, "get_character_cell_size", counted)
    text = "漢字" * 10_000  # 20,000 two-cell characters, no space
    lines = wrap_offsets(text, 100)
    assert len(lines) == 400
    assert calls <= 2 * len(text)
