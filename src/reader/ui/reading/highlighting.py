"""What the reading pane keeps for highlighting: the reading cursor (a sentence), the selection
being made, and the user's highlights placed in the text.

The reading cursor is the sentence ``h`` highlights. It follows the reading: when scrolling takes
it off screen it moves to the first sentence on screen; ``(`` and ``)`` (or ← and →) move it a
sentence at a time, a click puts it on the sentence clicked, and a jump (to a quote, a match or a
highlight) puts it where the jump landed. A selection is made of whole sentences from the
keyboard (an anchor sentence and a head sentence ``j``/``k`` move) or of words with the mouse.
Nothing here draws or knows Textual; the pane asks it for spans.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from reader.core.models import Article, ParagraphKind
from reader.core.structure import sentence_spans
from reader.core.tags.annotation_values import Placed
from reader.ui.reading.decorations import Decoration, Span, clipped

_WORD_EDGE = re.compile(r"\w")

MAX_WORD_WIDENING = 200
"""How far a mouse selection is widened to a word edge: a longer "word" (a base64 blob, a run of
one character) is cut where the mouse was, not searched to its end."""


@dataclass(frozen=True, slots=True)
class Selection:
    """A passage chosen but not yet highlighted: ``[start, end)`` of the text, and for a keyboard
    selection the sentence it started at and the one it reaches."""

    start: int
    end: int
    anchor: int
    head: int


class Highlighting:
    """The cursor, the selection and the placed highlights of the article in the pane."""

    def __init__(self) -> None:
        self.text = ""
        self.sentences: list[Span] = []
        self._starts: list[int] = []
        self.cursor = 0
        self.selection: Selection | None = None
        self._placed: tuple[Placed, ...] = ()
        self._highlights = Decoration(())
        self._noted = Decoration(())

    @property
    def placed(self) -> tuple[Placed, ...]:
        """The user's highlights placed in the text (orphaned ones have no span)."""
        return self._placed

    @placed.setter
    def placed(self, placed: tuple[Placed, ...]) -> None:
        self._placed = placed
        spans = self.spans()
        self._highlights = Decoration([(start, end) for start, end, _ in spans])
        self._noted = Decoration([(start, end) for start, end, noted in spans if noted])

    def reset(self, article: Article | None, *, with_furniture: bool) -> None:
        """A new article (or the furniture folded or unfolded): sentences again, cursor at the top."""
        self.text = article.text if article is not None else ""
        self.sentences = []
        if article is not None:
            kinds = {ParagraphKind.BODY, ParagraphKind.HEADING}
            if with_furniture:
                kinds.add(ParagraphKind.FURNITURE)
            for paragraph in article.paragraphs:
                if paragraph.kind in kinds:
                    self.sentences.extend(sentence_spans(article.text, paragraph.start, paragraph.end))
        self._starts = [start for start, _ in self.sentences]
        self.cursor = 0
        self.selection = None

    # -- the reading cursor -----------------------------------------------------------------------

    def sentence_at(self, offset: int) -> int:
        """The sentence holding ``offset`` (or the last one before it)."""
        return max(0, bisect_right(self._starts, offset) - 1)

    @property
    def cursor_span(self) -> Span | None:
        return self.sentences[self.cursor] if self.sentences else None

    def move_cursor(self, step: int) -> Span | None:
        if self.sentences:
            self.cursor = max(0, min(self.cursor + step, len(self.sentences) - 1))
        return self.cursor_span

    def put_cursor_at(self, offset: int) -> None:
        if self.sentences:
            self.cursor = self.sentence_at(offset)

    # -- the selection ------------------------------------------------------------------------------

    def begin(self) -> Selection | None:
        """Select the sentence under the cursor."""
        span = self.cursor_span
        if span is None:
            return None
        self.selection = Selection(*span, self.cursor, self.cursor)
        return self.selection

    def extend(self, step: int) -> Selection | None:
        """Move the selection's head a sentence on (``step`` 1) or back (-1): from the anchor
        sentence to the head, whichever way round; starts one at the cursor if there is none."""
        if self.selection is None:
            self.begin()
        selection = self.selection
        if selection is None:
            return None
        head = max(0, min(selection.head + step, len(self.sentences) - 1))
        first, last = min(selection.anchor, head), max(selection.anchor, head)
        self.selection = Selection(self.sentences[first][0], self.sentences[last][1], selection.anchor, head)
        self.cursor = head
        return self.selection

    def select_words(self, start: int, end: int) -> Selection | None:
        """A selection made with the mouse, widened to whole words; None when it holds none."""
        start, end = min(start, end), max(start, end)
        low, high = start - MAX_WORD_WIDENING, end + MAX_WORD_WIDENING
        while start > max(low, 0) and _is_word(self.text, start - 1) and _is_word(self.text, start):
            start -= 1
        while end < min(high, len(self.text)) and _is_word(self.text, end - 1) and _is_word(self.text, end):
            end += 1
        while start < end and self.text[start].isspace():
            start += 1
        while end > start and self.text[end - 1].isspace():
            end -= 1
        if start >= end:
            self.selection = None
            return None
        self.selection = Selection(start, end, self.sentence_at(start), self.sentence_at(end - 1))
        self.cursor = self.selection.head
        return self.selection

    def cancel(self) -> None:
        self.selection = None

    # -- the user's highlights ----------------------------------------------------------------------

    def highlight_at_cursor(self) -> int | None:
        """The highlight (index into ``placed``) that covers most of the cursor sentence."""
        span = self.cursor_span
        if span is None:
            return None
        best: tuple[int, int] | None = None
        for index, item in enumerate(self.placed):
            if item.start is None or item.end is None:
                continue
            overlap = min(span[1], item.end) - max(span[0], item.start)
            if overlap > 0 and (best is None or overlap > best[0]):
                best = (overlap, index)
        return best[1] if best is not None else None

    def spans(self) -> list[tuple[int, int, bool]]:
        """(start, end, has a note) of every highlight that is in the text."""
        return [
            (item.start, item.end, bool(item.highlight.note))
            for item in self.placed
            if item.start is not None and item.end is not None
        ]

    def cursor_decoration(self, start: int, end: int, *, focused: bool) -> list[tuple[int, int, str]]:
        """The reading cursor on text ``[start, end)``, drawn under everything else, while the
        pane has the keyboard and no selection is being made."""
        span = self.cursor_span
        if not focused or self.selection is not None or span is None:
            return []
        return clipped(span, start, end, "reading-pane--cursor")

    def decorations(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """Spans to style on text ``[start, end)`` (one drawn line), in drawing order: highlights,
        then the selection. Found by bisection, however many highlights there are."""
        found = [(a, b, "reading-pane--highlight") for a, b in self._highlights.within(start, end)]
        found += [(a, b, "reading-pane--highlight-noted") for a, b in self._noted.within(start, end)]
        if self.selection is not None:
            found += clipped((self.selection.start, self.selection.end), start, end, "reading-pane--selection")
        return found

    def first_in(self, visible: Sequence[Span]) -> int | None:
        """The first highlight that touches the offsets ``visible`` (one span per screen line)."""
        if not visible:
            return None
        low, high = visible[0][0], visible[-1][1]
        for index, item in enumerate(self.placed):
            if item.start is not None and item.end is not None and item.end > low and item.start < high:
                return index
        return None


def _is_word(text: str, offset: int) -> bool:
    return 0 <= offset < len(text) and _WORD_EDGE.match(text[offset]) is not None
