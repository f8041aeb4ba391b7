"""An article laid out as screen lines, a slice at a time, each line keeping its text offsets.

The reading pane never lays out a whole article at once: the first slice fills the screen and
the rest follows in slices between key presses, so a million characters (or one word of them)
never holds up the app. Wrapping costs the length of a line whatever the text, and an unbroken
run of characters too long to be read (a base64 blob, minified script) is folded to one line
until asked for.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from textual.content import Content

from reader.core.models import Article, ParagraphKind
from reader.core.presentation import byline
from reader.core.text import visible
from reader.ui.layout_text import line_end, wrap_offsets

FOLD_RUN_CHARS = 1000
"""An unbroken run this long (ten lines of text, no space) is folded to one line."""

_LONG_RUN = re.compile(rf"\S{{{FOLD_RUN_CHARS},}}")
_SPACES = re.compile(r"[^\S\n]*")


@dataclass(frozen=True, slots=True)
class Line:
    """One screen line: a piece of the article text, or a prepared line of the header block."""

    start: int = -1  # offset into Article.text; -1 for header and blank lines
    end: int = -1
    style: str = ""  # component class for the whole line
    content: Content | None = None  # header lines come ready-made
    fold: bool = False  # folded text: one line, cut with an ellipsis
    run: int = 0  # for a folded run of characters: how many there are


BLANK = Line()

_STYLES = {ParagraphKind.HEADING: "reading-pane--heading", ParagraphKind.FURNITURE: "reading-pane--furniture"}


class PageLayout:
    """The lines of one article at one width: the header block, then the body as far as it is
    laid out so far (``extend`` adds a slice; ``done`` once the text is all there)."""

    def __init__(self, article: Article | None, width: int, *, unfold: bool = False) -> None:
        self.article = article
        self.width = width
        self.unfold = unfold
        self.header: list[Line] = []
        self.body: list[Line] = []
        self._starts: list[int] = []  # text offset of each body line that shows text
        self._numbers: list[int] = []  # its index in ``body``
        self._paragraph = 0  # the next paragraph to lay out
        self._position = -1  # where the next line of that paragraph starts; -1: not begun
        self._hard_end = -1  # end of the hard line (up to a newline) being wrapped
        self.laid_to = 0  # text offset up to which the body is laid out
        self.done = article is None

    # -- the lines --------------------------------------------------------------------------

    def __len__(self) -> int:
        return len(self.header) + len(self.body)

    def line(self, number: int) -> Line | None:
        if number < len(self.header):
            return self.header[number] if number >= 0 else None
        number -= len(self.header)
        return self.body[number] if number < len(self.body) else None

    def covers(self, offset: int) -> bool:
        """Whether the line holding text ``offset`` is laid out yet."""
        return self.done or offset < self.laid_to

    def line_of_offset(self, offset: int) -> int:
        """The line holding text offset ``offset`` (the last one laid out, if it is further)."""
        position = bisect_right(self._starts, offset) - 1
        return len(self.header) + self._numbers[position] if position >= 0 else 0

    def offset_at(self, number: int) -> int | None:
        """The text offset of the first line at or after line ``number`` that shows text."""
        body_number = max(number - len(self.header), 0)
        position = bisect_right(self._numbers, body_number - 1)
        return self._starts[position] if position < len(self._starts) else None

    # -- laying out -------------------------------------------------------------------------

    def extend(self, budget: int) -> bool:
        """Lay out about ``budget`` more characters of the body (whole lines); True when done."""
        article = self.article
        if article is None or self.done:
            return True
        paragraphs = article.paragraphs
        while budget > 0 and self._paragraph < len(paragraphs):
            paragraph = paragraphs[self._paragraph]
            if self._position < 0:
                if paragraph.kind is ParagraphKind.TITLE:  # shown in the header
                    self._next_paragraph(paragraph.end)
                    continue
                self.body.append(BLANK)
                if paragraph.kind is ParagraphKind.FURNITURE and not self.unfold:
                    self._add(Line(paragraph.start, paragraph.end, "reading-pane--furniture", fold=True))
                    self._next_paragraph(paragraph.end)
                    budget -= 100
                    continue
                self._position = paragraph.start
                self._hard_end = -1
            budget -= self._wrap(article.text, paragraph.end, _STYLES.get(paragraph.kind, ""), budget)
        self.done = self._paragraph >= len(paragraphs)
        return self.done

    def _next_paragraph(self, end: int) -> None:
        self._paragraph += 1
        self._position = -1
        self.laid_to = max(self.laid_to, end)

    def _wrap(self, text: str, end: int, style: str, budget: int) -> int:
        """Lines of the current paragraph until it ends or ``budget`` is spent; the cost."""
        width = self.width
        spent = 0
        position = self._position
        while spent < budget:
            if self._hard_end < position:
                newline = text.find("\n", position, end)
                self._hard_end = end if newline < 0 else newline
            hard_end = self._hard_end
            stop = self._folded_run_end(text, position, hard_end) if not self.unfold else -1
            if stop >= 0:
                self._add(Line(position, stop, style, fold=True, run=len(text[position:stop].rstrip())))
            else:
                stop = line_end(text, position, hard_end, width)
                self._add(Line(position, stop, style))
            spent += stop - position + 20
            if stop >= end or (stop == hard_end == end):
                self._next_paragraph(end)
                return spent
            position = stop + 1 if stop == hard_end else stop  # past the newline
            if position > end:
                self._next_paragraph(end)
                return spent
            self.laid_to = position
        self._position = position
        return spent

    @staticmethod
    def _folded_run_end(text: str, position: int, hard_end: int) -> int:
        """Where a run too long to read that begins at ``position`` ends (with the spaces after
        it), or -1 when none begins there."""
        run = _LONG_RUN.match(text, position, hard_end)
        if run is None:
            return -1
        return _SPACES.match(text, run.end(), hard_end).end()  # type: ignore[union-attr]

    def _add(self, line: Line) -> None:
        self._starts.append(line.start)
        self._numbers.append(len(self.body))
        self.body.append(line)
        self.laid_to = max(self.laid_to, line.end)


def header_lines(article: Article, width: int, user_tags: tuple[str, ...]) -> list[Line]:
    """The block above the body: the title, the byline, the tags, warnings, and a rule."""
    title = visible(article.title, 2000)
    lines = [
        Line(content=Content(title[start:end].strip()), style="reading-pane--title")
        for start, end in wrap_offsets(title, width)
    ]
    if line := byline(article):  # the date says where it was found, unless the front matter
        lines.append(Line(content=Content(line), style="reading-pane--meta"))
    if user_tags or article.tags:
        chips: list[Content | str] = [
            Content.styled(f"#{visible(tag, 60)}", ".reading-pane--tags") for tag in user_tags
        ]
        chips += [Content.styled(visible(tag, 60), ".reading-pane--meta") for tag in article.tags]
        lines.append(Line(content=Content(" ").join(chips)))
    for warning in article.warnings:
        lines.append(Line(content=Content(f"⚠ {visible(warning, 300)}"), style="reading-pane--warning"))
    lines.append(Line(content=Content("─" * width), style="reading-pane--rule"))
    return lines
