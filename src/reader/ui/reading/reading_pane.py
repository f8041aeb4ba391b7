"""The reading pane: one article laid out as lines that keep their offsets into ``Article.text``.

Laying the text out ourselves (Line API) rather than in a Static is what makes the two-way
links exact: a quote's offset maps to a line to scroll to, and the scroll position maps back to
the quote being read. Only the lines on screen are drawn, and the layout itself is made a slice
at a time (``PageLayout``), so no article, however long or strange, holds up a key press. File
text only ever becomes ``Content`` (never markup). Highlighting (the reading cursor, the
selection, the user's highlights) is kept by ``highlighting.Highlighting`` and driven by
``selecting.Selecting``, which reads the layout through ``line_span`` and ``line_of_offset``.
"""

from __future__ import annotations

import asyncio
from bisect import bisect_left
from collections.abc import Callable, Sequence

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.core.models import Article
from reader.core.tags.annotation_values import Placed
from reader.ui.layout_text import component_style, content_strip
from reader.ui.reading.decorations import Decoration, QuoteOrder, Span, clipped
from reader.ui.reading.highlighting import Highlighting
from reader.ui.reading.page_layout import BLANK, Line, PageLayout, header_lines
from reader.ui.reading.selecting import SELECTING_BINDINGS, HighlightInView, HighlightWanted, Selecting

MAX_MEASURE = 100
"""Longest line of body text in cells: wider lines are hard to read."""

FLASH_SECONDS = 1.2

FIRST_SLICE = 60_000
"""Characters laid out at once when an article opens: a whole news article, and a screenful of
anything."""

SLICE = 20_000
"""Characters laid out between two turns of the event loop for the rest (a few milliseconds)."""

END = 1 << 62
"""An offset past any text: "when the whole article is laid out"."""


class ReadingPane(ScrollView, can_focus=True):
    """Shows the open article: header block, then paragraphs with quotes and search terms marked."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="pane.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="pane.up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="pane.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="pane.bottom"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="pane.page_down"),
        Binding("pageup,b", "page_up", "Page up", show=False, id="pane.page_up"),
        Binding("f", "toggle_furniture", "Show/fold page furniture and long runs", show=False, id="pane.furniture"),
        *SELECTING_BINDINGS,
    ]

    COMPONENT_CLASSES = {
        "reading-pane--title",
        "reading-pane--meta",
        "reading-pane--tags",
        "reading-pane--warning",
        "reading-pane--rule",
        "reading-pane--heading",
        "reading-pane--furniture",
        "reading-pane--quote",
        "reading-pane--quote-current",
        "reading-pane--match",
        "reading-pane--match-current",
        "reading-pane--flash",
        "reading-pane--empty",
        "reading-pane--highlight",
        "reading-pane--highlight-noted",
        "reading-pane--selection",
        "reading-pane--cursor",
    }

    class QuoteInView(Message):
        """The quote being read changed (the first quote on screen), or None."""

        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

    HighlightWanted = HighlightWanted
    HighlightInView = HighlightInView

    class MatchChanged(Message):
        """``n``/``N`` moved to another search match."""

        def __init__(self, index: int, count: int) -> None:
            self.index = index
            self.count = count
            super().__init__()

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.user_tags: tuple[str, ...] = ()
        self.quotes: tuple[Span, ...] = ()
        self.marks: tuple[Span, ...] = ()
        self.current_match: int | None = None
        self.current_quote: int | None = None
        self.flash_span: Span | None = None
        self.empty_message = "Choose an article and press Enter to read it."
        self.show_furniture = False  # boilerplate and unreadable runs are folded until asked for
        self._page = PageLayout(None, 0)
        self._waiting: list[tuple[int, Callable[[], None]]] = []  # (offset, then) until laid out
        self._quote_marks = Decoration(())
        self._quote_order = QuoteOrder(())
        self._match_marks = Decoration(())
        self._flash_timer: Timer | None = None
        self.marking = Highlighting()
        self.selecting = Selecting(self, self.marking)
        self.highlight_in_view: int | None = None

    # -- data in ------------------------------------------------------------------------------

    def show_article(
        self,
        article: Article,
        *,
        quotes: Sequence[Span] = (),
        user_tags: Sequence[str] = (),
        marks: Sequence[Span] = (),
    ) -> None:
        """Show ``article`` from the top; ``quotes`` (in text order) and ``marks`` are spans of its text."""
        self.article = article
        self.user_tags = tuple(user_tags)
        self._set_quotes(quotes)
        self._set_marks(marks)
        self.flash_span = None
        self.marking.reset(article, with_furniture=self.show_furniture)
        self.marking.placed = ()
        self.highlight_in_view = None
        self._layout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._update_quote_in_view()

    def clear(self, message: str | None = None) -> None:
        self.article = None
        self._set_quotes(())
        self._set_marks(())
        self.marking.reset(None, with_furniture=False)
        self.marking.placed = ()
        if message is not None:
            self.empty_message = message
        self._layout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_quotes(self, quotes: Sequence[Span]) -> None:
        """Quotes arrive after the text when extraction runs late; the view does not jump."""
        self._set_quotes(quotes)
        self.refresh()
        self._update_quote_in_view()

    def set_marks(self, marks: Sequence[Span]) -> None:
        self._set_marks(marks)
        self.refresh()

    def _set_quotes(self, quotes: Sequence[Span]) -> None:
        self.quotes = tuple(quotes)
        self.current_quote = None
        self._quote_marks = Decoration(self.quotes)
        self._quote_order = QuoteOrder(self.quotes)

    def _set_marks(self, marks: Sequence[Span]) -> None:
        self.marks = tuple(sorted(marks))
        self.current_match = None
        self._match_marks = Decoration(self.marks)

    def set_highlights(self, placed: Sequence[Placed]) -> None:
        """The user's highlights, placed in the text (orphaned ones are not drawn)."""
        self.marking.placed = tuple(placed)
        self.highlight_in_view = None
        self.refresh()
        self._update_quote_in_view()

    def set_user_tags(self, tags: Sequence[str]) -> None:
        """New tags change the header only: the body keeps its lines and the reader's place."""
        self.user_tags = tuple(tags)
        if self.article is not None:
            shift = -len(self._page.header)
            self._page.header = header_lines(self.article, self._page.width, self.user_tags)
            shift += len(self._page.header)
            self._sized()
            if shift and self.top_line:
                self.scroll_to(y=self.top_line + shift, animate=False, immediate=True)

    def action_toggle_furniture(self) -> None:
        """Unfold (or fold again) the page furniture and long runs, keeping the reader's place."""
        self.show_furniture = not self.show_furniture
        anchor = self._offset_at_top()
        cursor = self.marking.cursor_span
        self.marking.reset(self.article, with_furniture=self.show_furniture)
        if cursor is not None:
            self.marking.put_cursor_at(cursor[0])
        self._layout(anchor=anchor)

    # -- navigation -----------------------------------------------------------------------------

    def line_of_offset(self, offset: int) -> int:
        """The screen line (in the laid out document) holding text offset ``offset``."""
        return self._page.line_of_offset(offset)

    @property
    def laid_out(self) -> bool:
        """Whether the whole article is laid out (a long one is, a slice at a time)."""
        return self._page.done

    @property
    def top_line(self) -> int:
        return round(self.scroll_y)

    def reveal(self, start: int, end: int, *, flash: bool = True) -> None:
        """Scroll so the span is in view (a third down the pane) and flash it; once laid out,
        if it is not yet."""
        self._when_laid_out(end, lambda: self._reveal(start, end, flash))

    def _reveal(self, start: int, end: int, flash: bool) -> None:
        line = self.line_of_offset(start)
        view = self.scrollable_content_region.height
        last_line = self.line_of_offset(max(start, end - 1))
        if not (self.top_line <= line and last_line < self.top_line + view):
            self.scroll_to(y=max(0, line - view // 3), animate=False, immediate=True)
        self.marking.put_cursor_at(start)
        if flash:
            self.flash_span = (start, end)
            if self._flash_timer is not None:
                self._flash_timer.stop()
            self._flash_timer = self.set_timer(FLASH_SECONDS, self._end_flash)
        self.refresh()
        self._update_quote_in_view()

    def _end_flash(self) -> None:
        self.flash_span = None
        self.refresh()

    def jump_to_match(self, step: int) -> bool:
        """Move to the next (``step`` 1) or previous (-1) search match; False when there is none."""
        if not self.marks:
            return False
        if self.current_match is None:
            # Start from what is on screen: the first match at or after the top line going
            # forward, the last one before the bottom going back.
            starts = [start for start, _ in self.marks]
            if step > 0:
                top = self._page.offset_at(self.top_line)
                index = bisect_left(starts, top) % len(starts) if top is not None else 0
            else:
                bottom = self._page.offset_at(self.top_line + self.scrollable_content_region.height)
                index = (bisect_left(starts, bottom) if bottom is not None else len(starts)) - 1
        else:
            index = (self.current_match + step) % len(self.marks)
        self.current_match = index % len(self.marks)
        start, end = self.marks[self.current_match]
        self.reveal(start, end, flash=False)
        self.post_message(self.MatchChanged(self.current_match, len(self.marks)))
        return True

    def action_scroll_end(self) -> None:
        """The end of the article, once it is laid out (at once, but for a very long one)."""
        self._when_laid_out(END, super().action_scroll_end)

    # -- layout -------------------------------------------------------------------------------

    @property
    def measure(self) -> int:
        return max(10, min(self.scrollable_content_region.width, MAX_MEASURE))

    def on_resize(self, _: events.Resize) -> None:
        if self.measure != self._page.width:
            self._layout(anchor=self._offset_at_top())
        self._show_progress()

    def _offset_at_top(self) -> int | None:
        """The text offset to keep at the top when the lines are laid out again; None at the
        very top, which stays the top (the title and byline, not the first paragraph)."""
        return None if self.top_line == 0 else self._page.offset_at(self.top_line)

    def _layout(self, anchor: int | None = None) -> None:
        """Lay the article out afresh: the first slice now, the rest between key presses."""
        self._page = page = PageLayout(self.article, self.measure, unfold=self.show_furniture)
        self._waiting = []
        if self.article is None:
            page.header = [BLANK, Line(content=Content(self.empty_message), style="reading-pane--empty")]
        else:
            page.header = header_lines(self.article, page.width, self.user_tags)
        page.extend(FIRST_SLICE)
        self._sized()
        if anchor is not None:
            self._when_laid_out(anchor, lambda: self._scroll_to_line(self.line_of_offset(anchor)))
        if not page.done:
            # A coroutine function, not a coroutine: a worker cancelled before it starts (the next
            # article, or quitting) then leaves no coroutine that was never awaited.
            # (mypy cannot pick Textual's WorkType alternative for a coroutine function.)
            self.run_worker(self._lay_out_the_rest, group="reading-layout", exclusive=True)  # type: ignore[arg-type]

    def _scroll_to_line(self, line: int) -> None:
        self.scroll_to(y=line, animate=False, immediate=True)

    async def _lay_out_the_rest(self) -> None:
        """Lay out the current page slice by slice until it is done or another replaces it."""
        page = self._page
        while page is self._page and not page.done:
            await asyncio.sleep(0)  # let keys and frames through between slices
            if page is not self._page:
                return
            page.extend(SLICE)
            self._sized()
            self._run_waiting()
            self._update_quote_in_view()

    def when_laid_out(self, offset: int, then: Callable[[], None]) -> None:
        """Run ``then`` once the line holding text ``offset`` is laid out (now, if it is)."""
        self._when_laid_out(offset, then)

    def is_laid_out(self, offset: int) -> bool:
        return self._page.covers(offset)

    def _when_laid_out(self, offset: int, then: Callable[[], None]) -> None:
        """Run ``then`` once the line holding ``offset`` is laid out (now, if it is)."""
        if self._page.covers(offset):
            then()
        else:
            self._waiting.append((offset, then))

    def _run_waiting(self) -> None:
        ready = [then for offset, then in self._waiting if self._page.covers(offset)]
        self._waiting = [(offset, then) for offset, then in self._waiting if not self._page.covers(offset)]
        for then in ready:
            then()

    def _sized(self) -> None:
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._page))
        self.refresh()

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        base = self.get_visual_style()
        line = self._page.line(self.top_line + y)
        if line is None:
            return Strip.blank(width, base.rich_style)
        if line.content is not None:
            content = line.content
        elif line.start >= 0 and self.article is not None:
            content = self._styled_text(line, width)
        else:
            return Strip.blank(width, base.rich_style)
        if line.style:
            content = content.stylize_before(component_style(self, line.style))
        if line.fold and not line.run:
            content = content.truncate(min(width, self.measure), ellipsis=True)
        return content_strip(self, content, width, base)

    def _styled_text(self, line: Line, width: int) -> Content:
        assert self.article is not None
        start, end = line.start, line.end
        if line.fold:
            end = min(end, start + 4 * width)  # no more is ever seen of folded text
        text = self.article.text[start:end]
        if line.fold:
            text = text.replace("\n", " ")
        content = Content(text.rstrip())
        for span_start, span_end, name in self._decorations(start, end):
            content = content.stylize(component_style(self, name), span_start - start, span_end - start)
        if line.run:
            content = self._folded_run(content, line.run)
        return content

    def _folded_run(self, head: Content, length: int) -> Content:
        """A run too long to read: its first characters and what was folded, on one line."""
        note = Content(f"… {length:,}-character run folded (f unfolds)")
        note = note.stylize(component_style(self, "reading-pane--furniture"))
        room = max(min(self.scrollable_content_region.width, self.measure) - note.cell_length - 1, 8)
        return head.truncate(room) + Content(" ") + note

    def _decorations(self, start: int, end: int) -> list[tuple[int, int, str]]:
        """The marks on text ``[start, end)``, in the order they are laid on (later on top)."""
        decorations = self.marking.cursor_decoration(start, end, focused=self.has_focus)
        decorations += [(a, b, "reading-pane--quote") for a, b in self._quote_marks.within(start, end)]
        if self.current_quote is not None and self.current_quote < len(self.quotes):
            decorations += clipped(self.quotes[self.current_quote], start, end, "reading-pane--quote-current")
        decorations += [(a, b, "reading-pane--match") for a, b in self._match_marks.within(start, end)]
        if self.current_match is not None:
            decorations += clipped(self.marks[self.current_match], start, end, "reading-pane--match-current")
        decorations += self.marking.decorations(start, end)
        if self.flash_span is not None:
            decorations += clipped(self.flash_span, start, end, "reading-pane--flash")
        return decorations

    # -- the quote being read -------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        self.selecting.after_scroll()
        self._update_quote_in_view()
        self._show_progress()

    def watch_virtual_size(self) -> None:
        self._show_progress()

    def _show_progress(self) -> None:
        """How far through the article the reader is, in the pane's header: 0% at the top."""
        if self.article is None:
            self.border_title = None
            return
        end = self.max_scroll_y
        self.border_title = "all" if end <= 0 else f"{round(100 * min(self.scroll_y, end) / end)}%"

    def _update_quote_in_view(self) -> None:
        """The first quote that is (at least partly) on screen is the one being read; the same
        for the user's highlights."""
        highlight = self.selecting.highlight_in_view()
        if highlight != self.highlight_in_view:
            self.highlight_in_view = highlight
            self.post_message(self.HighlightInView(highlight))
        index: int | None = None
        top = self._page.offset_at(self.top_line)
        if self.quotes and top is not None:
            bottom = self._page.offset_at(self.top_line + max(self.scrollable_content_region.height, 1))
            if bottom is None:
                bottom = END if self._page.done else self._page.laid_to
            index = self._quote_order.first_on_screen(top, bottom)
        if index != self.current_quote:
            self.current_quote = index
            self.refresh()
            self.post_message(self.QuoteInView(index))


    # -- highlighting: the keys and the mouse drive ``self.selecting`` --------------------------------

    @property
    def has_selection(self) -> bool:
        return self.marking.selection is not None

    def highlight_at_cursor(self) -> int | None:
        """The highlight under the reading cursor (an index into the placed highlights)."""
        return self.marking.highlight_at_cursor()

    def confirm_selection(self, *, with_note: bool = False) -> None:
        self.selecting.confirm(with_note=with_note)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """While a selection is being made, j/k change it and enter/esc save or drop it."""
        if action in ("scroll_down", "scroll_up"):
            return not self.has_selection
        if action == "select" and parameters[:1] in (("grow",), ("confirm",), ("cancel",)):
            return self.has_selection
        return True

    def action_select(self, what: str, *args: int) -> None:
        """The highlighting keys (``SELECTING_BINDINGS``), carried out by ``self.selecting``."""
        self.selecting.act(what, *args)

    def on_focus(self) -> None:
        self.refresh()  # the reading cursor shows while the pane has the keyboard

    def on_blur(self) -> None:
        self.refresh()

    def on_mouse_down(self, event: events.MouseDown) -> None:
        self.selecting.mouse_down(event)

    def on_mouse_move(self, event: events.MouseMove) -> None:
        self.selecting.mouse_move(event)

    def on_mouse_up(self, event: events.MouseUp) -> None:
        self.selecting.mouse_up(event)

    # What the highlighting driver reads of the layout.

    def line_span(self, number: int) -> tuple[int, int] | None:
        """The text span drawn on line ``number``; None for header and blank lines, and for
        lines not laid out yet. A folded line spans only the text drawn on it."""
        line = self._page.line(number)
        if line is None or line.start < 0:
            return None
        if line.fold:
            return line.start, min(line.end, line.start + 4 * self.measure)
        return line.start, line.end

    @property
    def view_height(self) -> int:
        return max(self.scrollable_content_region.height, 1)
