"""Finding quotation spans: which quote marks open, which close, and which are apostrophes.

The marks are read left to right against a stack of open quotes, so nesting of the same mark,
doubled openers (‘‘) and a single quote closed by a double one (‘…”) come out right. An apostrophe
between letters (Kanye’s, didn’t) is never a mark; a plural possessive (families’) closes nothing
unless a quote is open and no better closer follows.

A quote running over paragraphs follows the news rule: no closing mark until its last paragraph,
a new opening mark at the start of each. It is one quote, from the first opening mark to the
final closing mark. In flattened text, where the breaks are lost, the same re-opening shows as an
opening mark right after a full stop while the quote is still open (``…26 weeks. "We are…``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.extraction.document import Document

DOUBLE = "double"
SINGLE = "single"
_MARKS = re.compile("[\"'“”‘’]")
_ELISIONS = re.compile(r"(?:em|n|til|cause|tis|twas|bout|round|cos)\b", re.IGNORECASE)
_MAX_PARAGRAPHS_OPEN = 5  # a double quote still open after this many paragraphs was never one
_OPEN_BEFORE = frozenset(" \t\n\u00a0([{—–-/…")
_CLOSE_AFTER = frozenset(" \t\n\u00a0.,;:!?)]}—–-/…")
_SENTENCE_FINAL = frozenset(".!?…")


@dataclass(slots=True)
class QuoteSpan:
    """One pair of marks. ``start:end`` is the text between them; ``opener`` is the mark itself."""

    opener: int
    start: int
    end: int
    kind: str
    closer: int | None  # None when the quote was cut at the end of its paragraph
    continued: bool = False  # runs over paragraphs, re-opened at each
    excluded: str | None = None  # why these marks do not hold a quote: word, label, title, ...
    tentative: bool = False  # a single word: a quote only if its sentence credits it to someone
    parent: int | None = None  # index of the nearest enclosing kept span
    children: list[int] = field(default_factory=list)

    @property
    def outer_end(self) -> int:
        """Offset just past the closing mark (or the cut)."""
        return self.closer + 1 if self.closer is not None else self.end


@dataclass(slots=True)
class _Open:
    position: int
    kind: str
    paragraph: int
    continued: bool = False
    last_paragraph: int = -1  # the last paragraph that re-opened it


def _curly_role(mark: str, before: str, after: str) -> tuple[str, str] | None:
    if mark == "“":
        return "open", DOUBLE
    if mark == "”":
        return "close", DOUBLE
    if mark == "‘":
        if after.isdigit() or (before.isalpha() and after.isalpha()):
            return "apostrophe", SINGLE
        return "open", SINGLE
    return None


def _is_apostrophe(text: str, index: int, before: str, after: str) -> bool:
    if before.isalnum() and after.isalnum():
        return True  # didn't, Kanye's
    at_word_start = before in _OPEN_BEFORE or not index
    if at_word_start and (after.isdigit() or _ELISIONS.match(text, index + 1)):
        return True  # '90s, 'em
    return text[index] == "’" and before in _OPEN_BEFORE and after.isalnum()  # ’90s


def _straight_role(before: str, after: str) -> str:
    opens = (before in _OPEN_BEFORE or before in "“‘\"'") and after not in _CLOSE_AFTER
    closes = before not in _OPEN_BEFORE and (after in _CLOSE_AFTER or after in "”’\"'")
    if opens and not closes:
        return "open"
    if closes and not opens:
        return "close"
    return "either"


def _role(text: str, index: int) -> tuple[str, str]:
    """("open" | "close" | "either" | "apostrophe", mark kind) for the mark at ``index``."""
    mark = text[index]
    before = text[index - 1] if index else "\n"
    after = text[index + 1] if index + 1 < len(text) else "\n"
    curly = _curly_role(mark, before, after)
    if curly is not None:
        return curly
    kind = DOUBLE if mark == '"' else SINGLE
    if kind == SINGLE and _is_apostrophe(text, index, before, after):
        return "apostrophe", SINGLE
    if mark == "’":
        return "close", SINGLE
    return _straight_role(before, after), kind


def _is_plural_possessive(text: str, index: int, paragraph_end: int) -> bool:
    """families’ home: an s-final mark before a lower-case word, when the quote closes later.

    The next single mark in the paragraph decides: if it opens a new quote, this one was the
    closer; if it closes, this one was a possessive inside the quote.
    """
    if text[index - 1 : index] not in ("s", "S"):
        return False
    rest = text[index + 1 : index + 3]
    if len(rest) < 2 or rest[0] not in " \u00a0" or not rest[1].islower():
        return False
    for later in _MARKS.finditer(text, index + 1, paragraph_end):
        if later.group() in "“”\"":
            continue
        role = _role(text, later.start())[0]
        if role != "apostrophe":
            return role != "open"
    return False


def _after_sentence_end(text: str, index: int, floor: int) -> bool:
    """Whether only spaces separate ``index`` from a full stop, "!" or "?" before it."""
    position = index - 1
    while position > floor and text[position] in " \u00a0":
        position -= 1
    return position < index - 1 and text[position] in _SENTENCE_FINAL


class _Pairing:
    """The left-to-right reading of the marks, with its stack of open quotes."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = document.text
        self.spans: list[QuoteSpan] = []
        self.stack: list[_Open] = []
        self.paragraph = -1

    def emit(self, opened: _Open, end: int, closer: int | None) -> None:
        self.spans.append(QuoteSpan(opened.position, opened.position + 1, end, opened.kind, closer, opened.continued))

    def read(self) -> list[QuoteSpan]:
        for match in _MARKS.finditer(self.text):
            index = match.start()
            role, kind = _role(self.text, index)
            if role == "apostrophe":
                continue
            paragraph = self.document.paragraph_of(index)
            if role != "close" and self._goes_on(index, kind, paragraph):
                continue
            if role == "either":
                role = "close" if self.stack and self.stack[-1].kind == kind else "open"
            if role == "open":
                self.stack.append(_Open(index, kind, paragraph, last_paragraph=paragraph))
            else:
                self._close(index, kind, paragraph)
        self._finish()
        return self.spans

    def _goes_on(self, index: int, kind: str, paragraph: int) -> bool:
        """Whether the opening mark at ``index`` only says the open quote goes on, after a
        paragraph break (kept or lost); entering a paragraph also ends what cannot run on."""
        if paragraph == self.paragraph:
            return self._reopens_inline(index, kind, paragraph)
        if self._reopens_paragraph(index, kind, paragraph):
            self.paragraph = paragraph
            return True
        self._enter(paragraph)
        return self._reopens_paragraph(index, kind, paragraph)

    def _reopens_paragraph(self, index: int, kind: str, paragraph: int) -> bool:
        if not self.stack or index != self.document.paragraphs[paragraph][0]:
            return False
        opened = self.stack[-1]
        if opened.kind != kind or opened.last_paragraph >= paragraph:
            return False
        opened.continued = True
        opened.last_paragraph = paragraph
        return True

    def _reopens_inline(self, index: int, kind: str, paragraph: int) -> bool:
        """Flattened text: ``…26 weeks. "We are…`` while the outermost quote is open."""
        if len(self.stack) != 1 or self.stack[0].kind != kind:
            return False
        opened = self.stack[0]
        if not _after_sentence_end(self.text, index, opened.position):
            return False
        opened.continued = True
        opened.last_paragraph = paragraph
        return True

    def _enter(self, paragraph: int) -> None:
        """A new paragraph that re-opens nothing: quotes that cannot run on into it end here.

        A re-opened quote ends with its last paragraph; a single quote never runs past its
        paragraph unclosed; a double one is dropped after a few paragraphs without a closer.
        """
        kept: list[_Open] = []
        for opened in self.stack:
            if opened.continued:
                self._cut(opened)
            elif opened.kind == DOUBLE and paragraph - opened.paragraph <= _MAX_PARAGRAPHS_OPEN:
                kept.append(opened)
        self.stack[:] = kept
        self.paragraph = paragraph

    def _close(self, index: int, kind: str, paragraph: int) -> None:
        paragraph_end = self.document.paragraphs[paragraph][1] if self.document.paragraphs else len(self.text)
        stack = self.stack
        if (
            kind == SINGLE
            and stack
            and stack[-1].kind == SINGLE
            and _is_plural_possessive(self.text, index, paragraph_end)
        ):
            return
        if not stack:
            return  # a stray closer
        if stack[-1].kind == kind:
            self.emit(stack.pop(), index, index)
        elif kind == DOUBLE:
            # ‘…” : the double mark closes the open single quotes and, if there is one, the double.
            while stack and stack[-1].kind == SINGLE:
                self.emit(stack.pop(), index, index)
            if stack and stack[-1].kind == DOUBLE:
                self.emit(stack.pop(), index, index)
        # a single closer while a double quote is innermost is an apostrophe or a stray

    def _cut(self, opened: _Open) -> None:
        """A re-opened quote whose closing mark never came: it ends with its last paragraph."""
        self.emit(opened, self.document.paragraphs[opened.last_paragraph][1], None)

    def _finish(self) -> None:
        for opened in self.stack:
            if opened.continued:
                self._cut(opened)
        self.stack.clear()


def find_spans(document: Document) -> list[QuoteSpan]:
    """Every pair of quote marks in the text, nested and ordered by opening position."""
    spans = _Pairing(document).read()
    spans.sort(key=lambda span: (span.opener, -span.end))
    return spans


def link(spans: list[QuoteSpan]) -> None:
    """Give every kept span its nearest kept enclosing span (spans are sorted by opening)."""
    open_chain: list[int] = []
    for span in spans:
        span.parent = None
        span.children.clear()
    for index, span in enumerate(spans):
        if span.excluded:
            continue
        while open_chain and spans[open_chain[-1]].end < span.end:
            open_chain.pop()
        if open_chain:
            span.parent = open_chain[-1]
            spans[open_chain[-1]].children.append(index)
        open_chain.append(index)
