"""The reading pane: one article laid out as lines that keep their offsets into ``Article.text``.

Laying the text out ourselves (Line API) rather than in a Static is what makes the two-way
links exact: a quote's offset maps to a line to scroll to, and the scroll position maps back to
the quote being read. Only the lines on screen are drawn, and the layout itself is made a slice
at a time (``PageLayout``), so no article, however long or strange, holds up a key press. File
text only ever becomes ``Content`` (never markup).
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
from reader.core.presentation import byline
from reader.core.text import visible
from reader.ui.layout_text import component_style, content_strip, wrap_offsets
from reader.ui.reading.decorations import Decoration, QuoteOrder, Span
from reader.ui.reading.page_layout import BLANK, Line, PageLayout

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

QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


def with_quote_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote's span widened to take in its quotation marks, which the extractor leaves out."""
    if start > 0 and text[start - 1] in QUOTE_MARKS:
        start -= 1
    if end < len(text) and text[end] in QUOTE_MARKS:
        end += 1
    return start, end


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
    }

    class QuoteInView(Message):
        """The quote being read changed (the first quote on screen), or None."""

        def __init__(self, index: int | None) -> None:
            self.index = index
            super().__init__()

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
        self._layout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._update_quote_in_view()

    def clear(self, message: str | None = None) -> None:
        self.article = None
        self._set_quotes(())
        self._set_marks(())
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

    def set_user_tags(self, tags: Sequence[str]) -> None:
        """New tags change the header only: the body keeps its lines and the reader's place."""
        self.user_tags = tuple(tags)
        if self.article is not None:
            shift = -len(self._page.header)
            self._page.header = self._header_lines(self.article, self._page.width)
            shift += len(self._page.header)
            self._sized()
            if shift and self.top_line:
                self.scroll_to(y=self.top_line + shift, animate=False, immediate=True)

    def action_toggle_furniture(self) -> None:
        """Unfold (or fold again) the page furniture and long runs, keeping the reader's place."""
        self.show_furniture = not self.show_furniture
        self._layout(anchor=self._offset_at_top())

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
            page.header = self._header_lines(self.article, page.width)
        page.extend(FIRST_SLICE)
        self._sized()
        if anchor is not None:
            self._when_laid_out(anchor, lambda: self._scroll_to_line(self.line_of_offset(anchor)))
        if not page.done:
            self.run_worker(self._lay_out_the_rest(page), group="reading-layout", exclusive=True)

    def _scroll_to_line(self, line: int) -> None:
        self.scroll_to(y=line, animate=False, immediate=True)

    async def _lay_out_the_rest(self, page: PageLayout) -> None:
        while page is self._page and not page.done:
            await asyncio.sleep(0)  # let keys and frames through between slices
            if page is not self._page:
                return
            page.extend(SLICE)
            self._sized()
            self._run_waiting()
            self._update_quote_in_view()

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

    def _header_lines(self, article: Article, width: int) -> list[Line]:
        title = visible(article.title, 2000)
        lines = [
            Line(content=Content(title[start:end].strip()), style="reading-pane--title")
            for start, end in wrap_offsets(title, width)
        ]
        if line := byline(article):  # the date says where it was found, unless the front matter
            lines.append(Line(content=Content(line), style="reading-pane--meta"))
        if self.user_tags or article.tags:
            chips: list[Content | str] = [
                Content.styled(f"#{visible(tag, 60)}", ".reading-pane--tags") for tag in self.user_tags
            ]
            chips += [Content.styled(visible(tag, 60), ".reading-pane--meta") for tag in article.tags]
            lines.append(Line(content=Content(" ").join(chips)))
        for warning in article.warnings:
            lines.append(Line(content=Content(f"⚠ {visible(warning, 300)}"), style="reading-pane--warning"))
        lines.append(Line(content=Content("─" * width), style="reading-pane--rule"))
        return lines

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
        decorations = [(a, b, "reading-pane--quote") for a, b in self._quote_marks.within(start, end)]
        if self.current_quote is not None and self.current_quote < len(self.quotes):
            decorations += _clipped(self.quotes[self.current_quote], start, end, "reading-pane--quote-current")
        decorations += [(a, b, "reading-pane--match") for a, b in self._match_marks.within(start, end)]
        if self.current_match is not None:
            decorations += _clipped(self.marks[self.current_match], start, end, "reading-pane--match-current")
        if self.flash_span is not None:
            decorations += _clipped(self.flash_span, start, end, "reading-pane--flash")
        return decorations

    # -- the quote being read -------------------------------------------------------------------

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
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
        """The first quote that is (at least partly) on screen is the one being read."""
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


def _clipped(span: Span, start: int, end: int, name: str) -> list[tuple[int, int, str]]:
    """``span`` cut to ``[start, end)``, or nothing when it falls outside."""
    low, high = max(span[0], start), min(span[1], end)
    return [(low, high, name)] if low < high else []
