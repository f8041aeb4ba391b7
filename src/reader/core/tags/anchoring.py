"""Where a highlight is in an article's text now: text-quote selectors and fuzzy re-anchoring.

A highlight is kept as the W3C Web Annotation ``TextQuoteSelector`` (the exact text, with a
little text before and after it) plus a ``TextPositionSelector`` (where it was): offsets alone
break at the first edit above the passage, and text alone cannot tell two occurrences apart.
Placing it again (``anchor``) tries, in order:

1. the exact text, wherever it is: of several occurrences, the one whose surrounding text is
   most like the stored prefix and suffix, then the one nearest the old position (edits
   elsewhere in the file, a rename, a move: nothing inside the passage changed);
2. the passage after small edits inside it: the words of the quote aligned with the words of
   the text (case, accents, punctuation and spacing ignored), at most ``FUZZY_TOLERANCE`` of
   them added, dropped or changed. Candidates come from the pigeonhole principle (with k edits,
   one of k+1 pieces of the quote is still there word for word), so the alignment runs only
   near them, never over the whole text;
3. nothing: the highlight is orphaned (the caller keeps it, and says so).

Everything here is a pure function of its arguments.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.text import without_accents

CONTEXT_CHARS = 32  # of text kept before and after a highlight (Hypothesis keeps 32 too)
FUZZY_TOLERANCE = 0.25  # words of the quote that may be added, dropped or changed
MAX_OCCURRENCES = 10_000  # exact occurrences weighed (a one-word highlight of "the")
MAX_CANDIDATES = 200  # places the fuzzy alignment is tried, the nearest to the old position first

_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
_TYPED_EQUIVALENTS = str.maketrans({
    "“": '"', "”": '"', "„": '"', "«": '"', "»": '"', "‘": "'", "’": "'", "‚": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "\u00a0": " ",
})


@dataclass(frozen=True, slots=True)
class TextQuote:
    """The W3C ``TextQuoteSelector``: the passage and the text just before and after it."""

    exact: str
    prefix: str = ""
    suffix: str = ""


@dataclass(frozen=True, slots=True)
class Anchor:
    """Where a highlight stands in the text now, ``[start, end)``."""

    start: int
    end: int
    exact: bool  # the stored text verbatim; False: re-attached after edits inside the passage


def describe(text: str, start: int, end: int, context: int = CONTEXT_CHARS) -> TextQuote:
    """The selector of ``text[start:end]``."""
    start, end = max(0, min(start, len(text))), max(0, min(end, len(text)))
    return TextQuote(text[start:end], text[max(0, start - context) : start], text[end : end + context])


def anchor(text: str, quote: TextQuote, hint: int = 0) -> Anchor | None:
    """Where ``quote`` stands in ``text`` now (``hint``: where it stood), or None: orphaned."""
    return anchor_all(text, [(quote, hint)])[0]


def anchor_all(text: str, quotes: Sequence[tuple[TextQuote, int]]) -> list[Anchor | None]:
    """``anchor`` for many highlights of one text, cutting the text into words at most once."""
    words: _Words | None = None
    placed: list[Anchor | None] = []
    for quote, hint in quotes:
        found = _exact(text, quote, hint)
        if found is None and quote.exact.strip():
            words = words or _Words(text)
            found = _fuzzy(text, words, quote, hint)
        placed.append(found)
    return placed


def find_typed(text: str, typed: str) -> list[tuple[int, int]]:
    """Every place ``typed`` (a passage a person typed or pasted) stands in ``text``.

    Verbatim first; failing that, with case, runs of spaces and line breaks, curly or straight
    quotation marks and kinds of dash taken as equal.
    """
    typed = typed.strip()
    if not typed:
        return []
    found = _occurrences(text, typed)
    if found:
        return [(start, start + len(typed)) for start in found]
    folded, origin = _folded_with_origin(text)
    wanted, _ = _folded_with_origin(typed)
    return [(origin[start], origin[start + len(wanted) - 1] + 1) for start in _occurrences(folded, wanted)]


# -- 1. the exact text ----------------------------------------------------------------------------


def _exact(text: str, quote: TextQuote, hint: int) -> Anchor | None:
    if not quote.exact:
        return None
    found = _occurrences(text, quote.exact)
    if not found:
        return None
    size = len(quote.exact)
    best = max(found, key=lambda start: (_context_score(text, quote, start, start + size), -abs(start - hint)))
    return Anchor(best, best + size, True)


def _occurrences(text: str, part: str) -> list[int]:
    found: list[int] = []
    position = text.find(part)
    while position >= 0 and len(found) < MAX_OCCURRENCES:
        found.append(position)
        position = text.find(part, position + 1)
    return found


def _context_score(text: str, quote: TextQuote, start: int, end: int) -> int:
    """How many characters of the stored prefix and suffix still stand next to ``[start, end)``."""
    before = text[max(0, start - len(quote.prefix)) : start]
    after = text[end : end + len(quote.suffix)]
    return _common_tail(before, quote.prefix) + _common_head(after, quote.suffix)


def _common_head(first: str, second: str) -> int:
    count = 0
    for a, b in zip(first, second, strict=False):
        if a != b:
            break
        count += 1
    return count


def _common_tail(first: str, second: str) -> int:
    return _common_head(first[::-1], second[::-1])


# -- 2. after edits inside the passage --------------------------------------------------------------


class _Words:
    """The words of a text, folded (case and accents), with their spans; and, once asked for,
    where each folded word stands (worked out once for all the highlights of a text)."""

    def __init__(self, text: str) -> None:
        self.spans = [match.span() for match in _WORD.finditer(text)]
        # Folding the whole text at once is many times faster than word by word, and keeps the
        # words apart as they were unless folding joined or split one (then: word by word).
        folded = _WORD.findall(without_accents(text.casefold()))
        if len(folded) != len(self.spans):
            folded = [_fold(text[start:end]) for start, end in self.spans]
        self.folded: list[str] = folded
        self._starts = [start for start, _ in self.spans]
        self._where: dict[str, list[int]] | None = None

    def index_at(self, offset: int) -> int:
        """The first word that starts at or after ``offset``."""
        return bisect_left(self._starts, offset)

    def where(self, word: str) -> list[int]:
        """The indexes of ``word`` (folded) in the text."""
        if self._where is None:
            self._where = {}
            for index, folded in enumerate(self.folded):
                self._where.setdefault(folded, []).append(index)
        return self._where.get(word, [])


def _fold(word: str) -> str:
    return without_accents(word.casefold())


def _fuzzy(text: str, words: _Words, quote: TextQuote, hint: int) -> Anchor | None:
    wanted = [_fold(word) for word in _WORD.findall(quote.exact)]
    if not wanted or not words.folded:
        return None
    allowed = int(len(wanted) * FUZZY_TOLERANCE)
    best: tuple[tuple[int, int, int], Anchor] | None = None
    for first in _candidate_starts(words, wanted, allowed, words.index_at(hint)):
        # The window takes in every alignment that starts within ``allowed`` words of ``first``.
        aligned = _align(wanted, words.folded, first - 2 * allowed, first + len(wanted) + 2 * allowed)
        if aligned is None or aligned[0] > allowed:
            continue
        edits, first_word, last_word = aligned
        start, end = _with_edge_marks(text, quote.exact, words.spans[first_word][0], words.spans[last_word][1])
        rank = (edits, -_context_score(text, quote, start, end), abs(start - hint))
        if best is None or rank < best[0]:
            best = (rank, Anchor(start, end, text[start:end] == quote.exact))
    return best[1] if best is not None else None


def _candidate_starts(words: _Words, wanted: list[str], allowed: int, near: int) -> list[int]:
    """Word indexes where the quote may begin: wherever one of its ``allowed + 1`` pieces
    stands word for word (one of them must, with at most ``allowed`` edits). Starts within
    ``allowed`` words of one already kept add nothing (its window covers them)."""
    size, count = len(wanted), allowed + 1
    bounds = [round(part * size / count) for part in range(count + 1)]
    pieces = [(bounds[part], wanted[bounds[part] : bounds[part + 1]]) for part in range(count)]
    pieces = [(offset, piece) for offset, piece in pieces if piece]
    starts: set[int] = set()
    for offset, piece in pieces:
        # Look the piece up by its rarest word: "the" may stand thousands of times in a text.
        pivot = min(range(len(piece)), key=lambda i: len(words.where(piece[i])))
        for index in words.where(piece[pivot]):
            first = index - pivot
            if first >= 0 and words.folded[first : first + len(piece)] == piece:
                starts.add(max(0, first - offset))
    kept: list[int] = []
    for start in sorted(starts, key=lambda start: (abs(start - near), start)):
        if all(abs(start - other) > allowed for other in kept):
            kept.append(start)
            if len(kept) >= MAX_CANDIDATES:
                break
    return kept


def _align(wanted: list[str], folded: list[str], low: int, high: int) -> tuple[int, int, int] | None:
    """The best match of ``wanted`` inside ``folded[low:high]`` (Sellers' edit distance, free
    start and end in the text): (edits, first word, last word), or None when nothing matched."""
    low, high = max(0, low), min(len(folded), high)
    window = folded[low:high]
    if not window:
        return None
    # costs[j], starts[j]: the best alignment of the quote so far ending before window[j].
    costs = [0] * (len(window) + 1)
    starts = list(range(len(window) + 1))
    for row, word in enumerate(wanted, start=1):
        new_costs = [row] + [0] * len(window)
        new_starts = [0] * (len(window) + 1)
        for j, other in enumerate(window, start=1):
            choice = (costs[j - 1] + (word != other), starts[j - 1])
            if costs[j] + 1 < choice[0]:
                choice = (costs[j] + 1, starts[j])
            if new_costs[j - 1] + 1 < choice[0]:
                choice = (new_costs[j - 1] + 1, new_starts[j - 1])
            new_costs[j], new_starts[j] = choice
        costs, starts = new_costs, new_starts
    # The lowest cost, and of equal ones the longest: a last word changed is still in the passage.
    end = min(range(1, len(window) + 1), key=lambda j: (costs[j], -j))
    first = starts[end]
    if first >= end:
        return None
    return costs[end], low + first, low + end - 1


def _with_edge_marks(text: str, exact: str, start: int, end: int) -> tuple[int, int]:
    """Take in the punctuation the quote began or ended with (an opening quotation mark, a full
    stop) where the text has it too: the words alone would leave it out."""
    words = list(_WORD.finditer(exact))
    lead, trail = exact[: words[0].start()], exact[words[-1].end() :]
    if lead and text[max(0, start - len(lead)) : start] == lead:
        start -= len(lead)
    if trail and text[end : end + len(trail)] == trail:
        end += len(trail)
    return start, end


# -- typed passages ----------------------------------------------------------------------------------


def _folded_with_origin(text: str) -> tuple[str, list[int]]:
    """``text`` with case, spaces, quotation marks and dashes folded, and for each character of
    the result the offset in ``text`` it came from."""
    pieces: list[str] = []
    origin: list[int] = []
    translated = text.translate(_TYPED_EQUIVALENTS)
    position = 0
    for match in _SPACE.finditer(translated):
        _fold_run(translated, position, match.start(), pieces, origin)
        pieces.append(" ")
        origin.append(match.start())
        position = match.end()
    _fold_run(translated, position, len(translated), pieces, origin)
    return "".join(pieces), origin


def _fold_run(text: str, start: int, end: int, pieces: list[str], origin: list[int]) -> None:
    for offset in range(start, end):
        folded = text[offset].casefold()
        pieces.append(folded)
        origin.extend([offset] * len(folded))
