"""The reading pane: one article laid out as lines that keep their offsets into ``Article.text``.

Laying the text out ourselves (Line API) rather than in a Static is what makes the two-way
links exact: a quote's offset maps to a line to scroll to, and the scroll position maps back to
the quote being read. File text only ever becomes ``Content`` (never markup). Highlighting (the
reading cursor, the selection, the user's highlights) is kept by ``highlighting.Highlighting``.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass

from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.timer import Timer

from reader.core.models import Article, ParagraphKind
from reader.core.presentation import byline
from reader.core.tags.annotation_values import Placed
from reader.core.text import visible
from reader.ui.layout_text import component_style, content_strip, wrap_offsets
from reader.ui.reading.highlighting import Highlighting
from reader.ui.reading.selecting import SELECTING_BINDINGS, HighlightInView, HighlightWanted, Selecting

MAX_MEASURE = 100
"""Longest line of body text in cells: wider lines are hard to read."""

FLASH_SECONDS = 1.2

Span = tuple[int, int]


QUOTE_MARKS = "\"'“”‘’«»„‚‹›"


def with_quote_marks(text: str, start: int, end: int) -> tuple[int, int]:
    """A quote's span widened to take in its quotation marks, which the extractor leaves out."""
    if start > 0 and text[start - 1] in QUOTE_MARKS:
        start -= 1
    if end < len(text) and text[end] in QUOTE_MARKS:
        end += 1
    return start, end


@dataclass(frozen=True, slots=True)
class _Line:
    """One screen line: a piece of the article text, or a prepared line of the header block."""

    start: int = -1  # offset into Article.text; -1 for header and blank lines
    end: int = -1
    style: str = ""  # component class for the whole line
    content: Content | None = None  # header lines come ready-made
    fold: bool = False  # furniture: one line, cut with an ellipsis


_BLANK = _Line()


class ReadingPane(ScrollView, can_focus=True):
    """Shows the open article: header block, then paragraphs with quotes and search terms marked."""

    BINDINGS = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="pane.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="pane.up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="pane.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="pane.bottom"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="pane.page_down"),
        Binding("pageup,b", "page_up", "Page up", show=False, id="pane.page_up"),
        Binding("f", "toggle_furniture", "Show/fold page furniture", show=False, id="pane.furniture"),
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
        self._lines: list[_Line] = [_BLANK]
        self._line_starts: list[int] = []  # text offset of each body line, for bisect
        self._line_numbers: list[int] = []  # the line number of each entry in _line_starts
        self._laid_out_width = 0
        self._flash_timer: Timer | None = None
        self.show_furniture = False  # page boilerplate is folded to one dim line until asked for
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
        """Show ``article`` from the top; ``quotes`` and ``marks`` are spans of its text."""
        self.article = article
        self.quotes = tuple(quotes)
        self.user_tags = tuple(user_tags)
        self.marks = tuple(sorted(marks))
        self.current_match = None
        self.current_quote = None
        self.flash_span = None
        self.marking.reset(article, with_furniture=self.show_furniture)
        self.marking.placed = ()
        self.highlight_in_view = None
        self._layout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self._update_quote_in_view()

    def clear(self, message: str | None = None) -> None:
        self.article = None
        self.quotes = self.marks = ()
        self.current_match = self.current_quote = None
        self.marking.reset(None, with_furniture=False)
        self.marking.placed = ()
        if message is not None:
            self.empty_message = message
        self._layout()
        self.scroll_to(y=0, animate=False, immediate=True)

    def set_quotes(self, quotes: Sequence[Span]) -> None:
        """Quotes arrive after the text when extraction runs late; the view does not jump."""
        self.quotes = tuple(quotes)
        self.current_quote = None
        self.refresh()
        self._update_quote_in_view()

    def set_marks(self, marks: Sequence[Span]) -> None:
        self.marks = tuple(sorted(marks))
        self.current_match = None
        self.refresh()

    def set_highlights(self, placed: Sequence[Placed]) -> None:
        """The user's highlights, placed in the text (orphaned ones are not drawn)."""
        self.marking.placed = tuple(placed)
        self.highlight_in_view = None
        self.refresh()
        self._update_quote_in_view()

    def set_user_tags(self, tags: Sequence[str]) -> None:
        self.user_tags = tuple(tags)
        self._layout()

    def action_toggle_furniture(self) -> None:
        """Unfold (or fold again) the page furniture, keeping the reader's place."""
        self.show_furniture = not self.show_furniture
        anchor = self._offset_at_top()
        cursor = self.marking.cursor_span
        self.marking.reset(self.article, with_furniture=self.show_furniture)
        if cursor is not None:
            self.marking.put_cursor_at(cursor[0])
        self._layout()
        if anchor is not None:
            self.scroll_to(y=self.line_of_offset(anchor), animate=False, immediate=True)

    # -- navigation -----------------------------------------------------------------------------

    def line_of_offset(self, offset: int) -> int:
        """The screen line (in the laid out document) holding text offset ``offset``."""
        position = bisect_right(self._line_starts, offset) - 1
        return self._line_numbers[position] if position >= 0 else 0

    @property
    def top_line(self) -> int:
        return round(self.scroll_y)

    def reveal(self, start: int, end: int, *, flash: bool = True) -> None:
        """Scroll so the span is in view (a third down the pane) and flash it."""
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
            top = self.top_line
            lines = [self.line_of_offset(start) for start, _ in self.marks]
            if step > 0:
                candidates = [i for i, line in enumerate(lines) if line >= top]
                index = candidates[0] if candidates else 0
            else:
                bottom = top + self.scrollable_content_region.height
                candidates = [i for i, line in enumerate(lines) if line < bottom]
                index = candidates[-1] if candidates else len(self.marks) - 1
        else:
            index = (self.current_match + step) % len(self.marks)
        self.current_match = index
        start, end = self.marks[index]
        self.reveal(start, end, flash=False)
        self.post_message(self.MatchChanged(index, len(self.marks)))
        return True

    # -- layout -------------------------------------------------------------------------------

    @property
    def measure(self) -> int:
        return max(10, min(self.scrollable_content_region.width, MAX_MEASURE))

    def on_resize(self, _: events.Resize) -> None:
        if self.measure != self._laid_out_width:
            anchor = self._offset_at_top()
            self._layout()
            if anchor is not None:
                self.scroll_to(y=self.line_of_offset(anchor), animate=False, immediate=True)
        self._show_progress()

    def _offset_at_top(self) -> int | None:
        """The text offset to keep at the top when the lines are laid out again; None at the
        very top, which stays the top (the title and byline, not the first paragraph)."""
        if self.top_line == 0:
            return None
        for line in self._lines[self.top_line :]:
            if line.start >= 0:
                return line.start
        return None

    def _layout(self) -> None:
        width = self.measure
        self._laid_out_width = width
        if self.article is None:
            self._lines = [_BLANK, _Line(content=Content(self.empty_message), style="reading-pane--empty")]
        else:
            self._lines = [*self._header_lines(self.article, width), *self._body_lines(self.article, width)]
        self._line_starts = []
        self._line_numbers = []
        for number, line in enumerate(self._lines):
            if line.start >= 0:
                self._line_starts.append(line.start)
                self._line_numbers.append(number)
        self.virtual_size = Size(self.scrollable_content_region.width, len(self._lines))
        self.refresh()

    def _header_lines(self, article: Article, width: int) -> list[_Line]:
        title = visible(article.title, 2000)
        lines = [
            _Line(content=Content(title[start:end].strip()), style="reading-pane--title")
            for start, end in wrap_offsets(title, width)
        ]
        if line := byline(article):  # the date says where it was found, unless the front matter
            lines.append(_Line(content=Content(line), style="reading-pane--meta"))
        if self.user_tags or article.tags:
            chips: list[Content | str] = [
                Content.styled(f"#{visible(tag, 60)}", ".reading-pane--tags") for tag in self.user_tags
            ]
            chips += [Content.styled(visible(tag, 60), ".reading-pane--meta") for tag in article.tags]
            lines.append(_Line(content=Content(" ").join(chips)))
        for warning in article.warnings:
            lines.append(_Line(content=Content(f"⚠ {visible(warning, 300)}"), style="reading-pane--warning"))
        lines.append(_Line(content=Content("─" * width), style="reading-pane--rule"))
        return lines

    def _body_lines(self, article: Article, width: int) -> list[_Line]:
        lines: list[_Line] = []
        for paragraph in article.paragraphs:
            if paragraph.kind is ParagraphKind.TITLE:
                continue  # shown as the header
            lines.append(_BLANK)
            if paragraph.kind is ParagraphKind.FURNITURE and not self.show_furniture:
                lines.append(_Line(paragraph.start, paragraph.end, "reading-pane--furniture", fold=True))
                continue
            style = {
                ParagraphKind.HEADING: "reading-pane--heading",
                ParagraphKind.FURNITURE: "reading-pane--furniture",
            }.get(paragraph.kind, "")
            for start, end in wrap_offsets(article.text, width, paragraph.start, paragraph.end):
                lines.append(_Line(start, end, style))
        return lines

    # -- drawing ------------------------------------------------------------------------------

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        number = self.top_line + y
        base = self.get_visual_style()
        if number >= len(self._lines):
            return Strip.blank(width, base.rich_style)
        line = self._lines[number]
        if line.content is not None:
            content = line.content
        elif line.start >= 0 and self.article is not None:
            content = self._styled_text(line)
        else:
            return Strip.blank(width, base.rich_style)
        if line.style:
            content = content.stylize_before(component_style(self, line.style))
        if line.fold:
            content = content.truncate(min(width, self.measure), ellipsis=True)
        return content_strip(self, content, width, base)

    def _styled_text(self, line: _Line) -> Content:
        assert self.article is not None
        start, end = line.start, line.end
        text = self.article.text[start:end]
        if line.fold:
            text = text.replace("\n", " ")
        content = Content(text.rstrip())
        for span_start, span_end, name in self._decorations():
            if span_end > start and span_start < end:
                style = component_style(self, name)
                content = content.stylize(style, max(span_start, start) - start, min(span_end, end) - start)
        return content

    def _decorations(self) -> list[tuple[int, int, str]]:
        decorations = self.marking.cursor_decoration(focused=self.has_focus)
        decorations += [(s, e, "reading-pane--quote") for s, e in self.quotes]
        if self.current_quote is not None and self.current_quote < len(self.quotes):
            s, e = self.quotes[self.current_quote]
            decorations.append((s, e, "reading-pane--quote-current"))
        decorations += [(s, e, "reading-pane--match") for s, e in self.marks]
        if self.current_match is not None:
            s, e = self.marks[self.current_match]
            decorations.append((s, e, "reading-pane--match-current"))
        decorations += self.marking.decorations()
        if self.flash_span is not None:
            decorations.append((*self.flash_span, "reading-pane--flash"))
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
        if self.quotes and self._line_starts:
            top = self.top_line
            bottom = top + max(self.scrollable_content_region.height, 1)
            for position, (start, end) in enumerate(self.quotes):
                first, last = self.line_of_offset(start), self.line_of_offset(max(start, end - 1))
                if last >= top and first < bottom:
                    index = position
                    break
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
        """The text span drawn on laid-out line ``number``; None for header and blank lines."""
        if not 0 <= number < len(self._lines) or self._lines[number].start < 0:
            return None
        return self._lines[number].start, self._lines[number].end

    @property
    def view_height(self) -> int:
        return max(self.scrollable_content_region.height, 1)
