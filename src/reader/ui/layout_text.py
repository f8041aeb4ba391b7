"""Small text-layout helpers shared by the Line API widgets (the list and the reading pane)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import OptionList

_WORD_RE = re.compile(r"\S+\s*|\s+")


def wrap_offsets(text: str, width: int, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]``; return each line as a ``(start, end)`` span.

    Spans index the original string, so styles kept as offsets (quotes, search marks) can be
    laid over any line. Newlines force a break; words wider than the line are cut.
    """
    end = len(text) if end is None else end
    width = max(width, 1)
    lines: list[tuple[int, int]] = []
    line_start = start
    while True:
        newline = text.find("\n", line_start, end)
        hard_end = end if newline < 0 else newline
        lines.extend(_wrap_hard_line(text, line_start, hard_end, width))
        if newline < 0:
            return lines
        line_start = newline + 1


def _wrap_hard_line(text: str, start: int, end: int, width: int) -> Iterable[tuple[int, int]]:
    line_start = start
    used = 0
    for match in _WORD_RE.finditer(text, start, end):
        word = match.group()
        word_cells = cell_len(word.rstrip()) or cell_len(word)
        if used and used + word_cells > width:
            yield line_start, match.start()
            line_start, used = match.start(), 0
        position = match.start()
        while word_cells > width:  # a word longer than the line: cut it into line-sized pieces
            cut = position
            cells = 0
            while cut < match.end() and cells + cell_len(text[cut]) <= width:
                cells += cell_len(text[cut])
                cut += 1
            cut = max(cut, position + 1)
            yield line_start, cut
            line_start = position = cut
            word_cells = cell_len(text[cut : match.end()].rstrip())
        used += cell_len(text[position : match.end()])
    yield line_start, end


def component_style(widget: Widget, name: str) -> Style:
    """The style of one of ``widget``'s component classes, to lay over text already styled.

    A partial style keeps the colours underneath (a cursor row's background shows through
    muted text), but Textual leaves its background transparent; a class that sets a
    background gets the real one from its full style.
    """
    style = widget.get_visual_style(name, partial=True)
    if widget.get_component_styles(name).has_rule("background"):
        style = style + Style(background=widget.get_visual_style(name).background)
    return style


def content_strip(widget: Widget, content: Content, width: int, style: Style) -> Strip:
    """One line of ``content`` as a strip exactly ``width`` cells wide on ``style``.

    Component-class styles in spans (".name") resolve through the widget, so colours stay in
    the stylesheet and follow the theme.
    """
    content = content.truncate(width, ellipsis=True)
    strips = Visual.to_strips(widget, content, width, 1, style, pad=True)
    if not strips:
        return Strip.blank(width, style.rich_style)
    return strips[0].adjust_cell_length(width, style.rich_style)


def in_colour(strip: Strip, colour: RichStyle) -> Strip:
    """The strip with every character in ``colour``'s foreground (backgrounds and bold kept)."""
    recoloured = [Segment(text, (style or RichStyle()) + colour, control) for text, style, control in strip]
    return Strip(recoloured, strip.cell_length)


class ReadableOptionList(OptionList):
    """An OptionList whose highlighted option is drawn all in the cursor's text colour: muted
    or coloured parts of it (a speaker, a count) are made to read on the panel, not the cursor."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        line = self.scroll_offset.y + y
        lines = self._lines
        if self.highlighted is None or line >= len(lines) or lines[line][0] != self.highlighted:
            return strip
        style = self.get_visual_style("option-list--option", "option-list--option-highlighted").rich_style
        return in_colour(strip, RichStyle(color=style.color))
