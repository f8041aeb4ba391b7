"""The marks laid over the reading pane's text (quotes, search matches, highlights), found per
line fast."""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from itertools import accumulate

Span = tuple[int, int]


class Decoration:
    """One kind of mark as disjoint spans in text order, so a line finds the ones it holds by
    bisection, however many there are. Overlapping spans of one kind look the same merged."""

    def __init__(self, spans: Sequence[Span]) -> None:
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start <= merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            elif end > start:
                merged.append([start, end])
        self._starts = [start for start, _ in merged]
        self._spans = merged

    def within(self, start: int, end: int) -> list[Span]:
        """The parts of the marks that fall in ``[start, end)``."""
        first = max(bisect_right(self._starts, start) - 1, 0)
        last = bisect_left(self._starts, end)
        return [(max(a, start), min(b, end)) for a, b in self._spans[first:last] if b > start]


class QuoteOrder:
    """The quotes (in text order) as the pane asks about them: which is the first one that
    reaches past an offset, in one bisection."""

    def __init__(self, quotes: Sequence[Span]) -> None:
        self._reach = list(accumulate((end for _, end in quotes), max, initial=-1))[1:]
        self._starts = [start for start, _ in quotes]

    def first_on_screen(self, top: int, bottom: int) -> int | None:
        """The first quote that ends after text offset ``top`` and begins before ``bottom``."""
        index = bisect_right(self._reach, top)
        if index < len(self._starts) and self._starts[index] < bottom:
            return index
        return None


def clipped(span: Span, start: int, end: int, name: str) -> list[tuple[int, int, str]]:
    """``span`` cut to ``[start, end)`` and named, or nothing when it falls outside."""
    low, high = max(span[0], start), min(span[1], end)
    return [(low, high, name)] if low < high else []


QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


def with_quote_marks(text: str, start: int, end: int) -> Span:
    """A quote's span widened to take in its quotation marks, which the extractor leaves out."""
    if start > 0 and text[start - 1] in QUOTE_MARKS:
        start -= 1
    if end < len(text) and text[end] in QUOTE_MARKS:
        end += 1
    return start, end
