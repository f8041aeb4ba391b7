"""Small text-layout helpers shared by the Line API widgets (the list and the reading pane)."""

from __future__ import annotations

import re
from functools import cache

from rich.cells import get_character_cell_size
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.content import Content
from textual.strip import Strip
from textual.style import Style
from textual.visual import Visual
from textual.widget import Widget
from textual.widgets import OptionList

_LAST_SPACE = re.compile(r".*\s", re.DOTALL)
_NEXT_WORD = re.compile(r"\S")
_EMOJI_PRESENTATION = "\ufe0f"  # makes the character before it two cells wide


@cache
def _single_cells() -> frozenset[str]:
    """Every character below U+3000 that takes exactly one cell (Latin, Greek, Cyrillic,
    punctuation such as curly quotes and dashes…): lines made only of them are measured by
    counting characters, in C."""
    return frozenset(chr(code) for code in range(0x20, 0x3000) if get_character_cell_size(chr(code)) == 1)


def line_end(text: str, start: int, end: int, width: int) -> int:
    """Where the line that begins at ``start`` ends, in the hard line ``text[start:end]``.

    Greedy word wrap: words are added while the line's text, trailing spaces aside, fits in
    ``width`` cells; the spaces after the last word stay on its line; a word wider than a whole
    line is cut. The cost is the length of one line, however long the word or the hard line,
    so wrapping a whole text is linear in its length.
    """
    width = max(width, 1)
    if not _single_cells().issuperset(text[start : start + width + 1]):
        return _line_end_measured(text, start, end, width)
    return end if end - start <= width else _line_end_single_cells(text, start, end, width)


def _line_end_single_cells(text: str, start: int, end: int, width: int) -> int:
    """``line_end`` when every character up to ``start + width`` takes one cell."""
    overflow = _NEXT_WORD.search(text, start + width, end)
    if overflow is None:
        return end  # nothing but spaces after the line is full
    word_start = overflow.start()
    if word_start == start + width:  # it may have begun earlier on the line
        last_space = _LAST_SPACE.match(text, start, word_start)
        word_start = last_space.end() if last_space is not None else start
    return word_start if word_start > start else start + width


def _line_end_measured(text: str, start: int, end: int, width: int) -> int:
    """``line_end`` measuring each character (wide, zero-width and control characters)."""
    cells = 0
    word_start = start
    after_space = False
    position = start
    while position < end:
        character = text[position]
        # Counting the selector as a cell never measures less than rich does (a ZWJ sequence
        # measures more): a line may end early, never overflow.
        character_cells = 1 if character == _EMOJI_PRESENTATION else get_character_cell_size(character)
        if character.isspace():
            after_space = True
        else:
            if after_space:
                word_start, after_space = position, False
            if cells + character_cells > width:
                return word_start if word_start > start else max(position, start + 1)
        cells += character_cells
        position += 1
    return end


def wrap_offsets(text: str, width: int, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Greedy word wrap of ``text[start:end]``; return each line as a ``(start, end)`` span.

    Spans index the original string, so styles kept as offsets (quotes, search marks) can be
    laid over any line. Newlines force a break (an empty hard line is an empty line); words
    wider than the line are cut.
    """
    end = len(text) if end is None else end
    lines: list[tuple[int, int]] = []
    line_start = start
    while True:
        newline = text.find("\n", line_start, end)
        hard_end = end if newline < 0 else newline
        lines.extend(wrap_hard_line(text, line_start, hard_end, width))
        if newline < 0:
            return lines
        line_start = newline + 1


def wrap_hard_line(text: str, start: int, end: int, width: int) -> list[tuple[int, int]]:
    """The lines of one hard line (no newline inside): at least one, empty when it is."""
    lines = []
    position = start
    while True:
        stop = line_end(text, position, end, width)
        lines.append((position, stop))
        if stop >= end:
            return lines
        position = stop


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
