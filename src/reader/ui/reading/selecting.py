"""The reading pane's highlighting keys and mouse: they move the reading cursor and make a
selection (``highlighting.Highlighting`` keeps both) over the pane's laid-out lines.

Kept apart from the pane, which lays the text out and draws it: this reads only a few things
of its layout (``line_span``, ``line_of_offset``, ``top_line``, ``view_height``), and waits for
the pane to lay out a line (``when_laid_out``), as a long article is laid out a slice at a time.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from rich.cells import cell_len
from textual import events
from textual.binding import Binding

from reader.ui.messages import AnnotationMessage
from reader.ui.reading.highlighting import Highlighting

if TYPE_CHECKING:
    from reader.ui.reading.reading_pane import ReadingPane

# The pane's highlighting keys: each runs ``Selecting.act(name, *args)``.
SELECTING_BINDINGS = [
    Binding("right,right_parenthesis", "select('move', 1)", "Cursor: next sentence", show=False, id="pane.sentence"),
    Binding("left,left_parenthesis", "select('move', -1)", "Cursor: sentence before", show=False, id="pane.back"),
    Binding("h", "select('highlight')", "Highlight sentence", id="pane.highlight"),
    Binding("down,j", "select('grow', 1)", "Selecting: on a sentence", show=False, id="pane.grow"),
    Binding("up,k", "select('grow', -1)", "Selecting: back a sentence", show=False, id="pane.shrink"),
    Binding("shift+down", "select('extend', 1)", "Select on a sentence", show=False, id="pane.extend_down"),
    Binding("shift+up", "select('extend', -1)", "Select back a sentence", show=False, id="pane.extend_up"),
    Binding("enter", "select('confirm')", "Selecting: save the highlight", show=False, id="pane.confirm"),
    Binding("escape", "select('cancel')", "Selecting: drop the selection", show=False, id="pane.cancel"),
]

SELECTING_HINT = "j k or shift+↑↓ change it · h or enter save · a save with a note · esc drop"
MOUSE_HINT = "h or enter save it · a save with a note · esc drop"


class HighlightWanted(AnnotationMessage):
    """The user confirmed a selection: highlight ``[start, end)`` (and open its note)."""

    def __init__(self, start: int, end: int, with_note: bool) -> None:
        self.start = start
        self.end = end
        self.with_note = with_note
        super().__init__()


class HighlightInView(AnnotationMessage):
    """The first highlight on screen changed (an index into the placed highlights), or None."""

    def __init__(self, index: int | None) -> None:
        self.index = index
        super().__init__()


class Selecting:
    def __init__(self, pane: ReadingPane, marking: Highlighting) -> None:
        self.pane = pane
        self.marking = marking
        self._drag_from: int | None = None  # where a mouse selection began

    # -- keys -------------------------------------------------------------------------------------

    def act(self, what: str, *args: int) -> None:
        """Run one of the highlighting keys (see ``SELECTING_BINDINGS``)."""
        actions: dict[str, Callable[..., None]] = {
            "move": self.move,
            "highlight": self.highlight,
            "grow": self.extend,
            "extend": self.extend,
            "confirm": self.confirm,
            "cancel": self.cancel,
        }
        actions[what](*args)

    def highlight(self) -> None:
        """``h``: select the sentence under the reading cursor; ``h`` again saves it."""
        if self.pane.article is None:
            return
        if self.marking.selection is not None:
            self.confirm()
        elif self.marking.begin() is not None:
            self.pane.notify(SELECTING_HINT, timeout=4)
            self.show_cursor()

    def extend(self, step: int) -> None:
        if self.pane.article is not None and self.marking.extend(step) is not None:
            self.show_cursor()

    def move(self, step: int) -> None:
        self.marking.cancel()
        if self.marking.move_cursor(step) is not None:
            self.show_cursor()

    def confirm(self, with_note: bool = False) -> None:
        selection = self.marking.selection
        if selection is None:
            return
        self.marking.cancel()
        self.pane.refresh()
        self.pane.post_message(HighlightWanted(selection.start, selection.end, with_note))

    def cancel(self) -> None:
        self.marking.cancel()
        self.pane.refresh()

    # -- keeping the cursor in view, and the view's highlight -------------------------------------------

    def show_cursor(self) -> None:
        """Scroll the cursor sentence into view (its first line, or its last for a long one),
        once the pane has laid out the line it begins on."""
        span = self.marking.cursor_span
        if span is not None:
            self.pane.when_laid_out(span[0], lambda: self._scroll_to(span))
        self.pane.refresh()

    def _scroll_to(self, span: tuple[int, int]) -> None:
        pane = self.pane
        first = pane.line_of_offset(span[0])
        # The end of a sentence not laid out yet (one huge word) is out of sight anyway.
        last = pane.line_of_offset(span[1] - 1) if pane.is_laid_out(span[1] - 1) else first
        if first < pane.top_line:
            pane.scroll_to(y=first, animate=False, immediate=True)
        elif last >= pane.top_line + pane.view_height:
            pane.scroll_to(y=max(first, last - pane.view_height + 1), animate=False, immediate=True)

    def after_scroll(self) -> None:
        """A cursor that scrolling took off screen moves to the first sentence that starts on it
        (or, if none does, to the one the top line is in)."""
        pane, marking = self.pane, self.marking
        if marking.selection is not None or not marking.sentences:
            return
        top, bottom = pane.top_line, pane.top_line + pane.view_height
        span = marking.cursor_span
        if span is not None and top <= pane.line_of_offset(span[0]) < bottom:
            return
        for number in range(top, bottom):
            line = pane.line_span(number)
            if line is None:
                continue
            marking.put_cursor_at(line[0])
            following = marking.cursor + 1
            starts_above = pane.line_of_offset(marking.sentences[marking.cursor][0]) < top
            if (
                starts_above
                and following < len(marking.sentences)
                and pane.line_of_offset(marking.sentences[following][0]) < bottom
            ):
                marking.cursor = following
            return

    def highlight_in_view(self) -> int | None:
        """The first highlight on screen."""
        pane = self.pane
        lines = [pane.line_span(number) for number in range(pane.top_line, pane.top_line + pane.view_height)]
        return self.marking.first_in([line for line in lines if line is not None])

    # -- the mouse --------------------------------------------------------------------------------

    def offset_at(self, event: events.MouseEvent) -> int | None:
        """The text offset under the mouse, or None off the text."""
        where = event.get_content_offset(self.pane)
        article = self.pane.article
        if where is None or article is None:
            return None
        line = self.pane.line_span(self.pane.top_line + where.y)
        if line is None:
            return None
        cells = 0
        for offset in range(*line):  # a folded line's span is the text drawn on it
            cells += cell_len(article.text[offset])
            if cells > where.x:
                return offset
        return line[1]

    def mouse_down(self, event: events.MouseDown) -> None:
        offset = self.offset_at(event)
        if offset is not None and event.button == 1:
            self._drag_from = offset
            self.pane.capture_mouse()

    def mouse_move(self, event: events.MouseMove) -> None:
        if self._drag_from is None or not event.button:
            return
        offset = self.offset_at(event)
        if offset is not None:
            self.marking.select_words(self._drag_from, offset)
            self.pane.refresh()

    def mouse_up(self, event: events.MouseUp) -> None:
        if self._drag_from is None:
            return
        self.pane.release_mouse()
        start, self._drag_from = self._drag_from, None
        offset = self.offset_at(event)
        if offset is None or offset == start:
            self.marking.cancel()
            self.marking.put_cursor_at(start)  # a click: the reading cursor goes there
        elif self.marking.select_words(start, offset) is not None:
            self.pane.notify(MOUSE_HINT, timeout=4)
        self.pane.refresh()
