"""Finding quotation spans: which quote marks open, which close, and which are apostrophes.

The marks are read left to right against a stack of open quotes, so nesting of the same mark,
doubled openers (‘‘) and a single quote closed by a double one (‘…”) come out right. An apostrophe
between letters (Kanye’s, didn’t) is never a mark; a plural possessive (families’) closes nothing
unless a quote is open and no better closer follows. A quote left open at a paragraph end runs on
(some outlets never close a multi-paragraph quote until its end); when the next paragraph re-opens
with the same mark, as news style does, the first part ends with its paragraph.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.extraction.document import Document, is_common
from reader.core.extraction.lexicons import SPEECH_VERBS

DOUBLE = "double"
SINGLE = "single"
_MARKS = re.compile("[\"'“”‘’]")
_ELISIONS = re.compile(r"(?:em|n|til|cause|tis|twas|bout|round|cos)\b", re.IGNORECASE)
_MAX_PARAGRAPHS_OPEN = 5  # a double quote still open after this many paragraphs was never one
_OPEN_BEFORE = frozenset(" \t\n\u00a0([{—–-/…")
_CLOSE_AFTER = frozenset(" \t\n\u00a0.,;:!?)]}—–-/…")

_VERBS = "|".join(sorted((v for v in SPEECH_VERBS if not v.endswith("ing")), key=len, reverse=True))
_NAME = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}"
_ATTRIBUTED_AFTER = re.compile(
    rf"^[\s,;:—–-]*(?:(?:he|she|they|I|we|{_NAME}|(?:the|a|an)\s+\w+)\s+(?:{_VERBS})\b|(?:{_VERBS})\s)"
)
_LABEL_CUE = re.compile(
    r"\b(?:calls?|called|calling|dubs?|dubbed|dubbing|nicknamed?|nicknaming|brands?|branded|branding"
    r"|label(?:l?ed|s)?|known\s+as|so-called|aka|a\.k\.a\.|titled|entitled|named|the\s+term"
    r"|the\s+words?|the\s+phrase|the\s+hashtag|the\s+slogan)"
    r"(?:\s+(?:her|him|them|it|himself|herself|themselves|me|us|you|this|that))?\s*[,:]?\s*$",
    re.IGNORECASE,
)
_AS_CUE = re.compile(r"\bas\s*$")
_WORK_CUE = re.compile(
    r"\b(?:song|single|track|album|record|EP|mixtape|film|movie|documentary|show|series|sitcom"
    r"|drama|episode|book|novel|memoir|biography|play|musical|opera|poem|podcast|programme|program"
    r"|column|essay|painting|hit|anthem|tour|special|game|newsletter|exhibition|collection)"
    r"(?:\s+of)?\s*,?\s*$",
    re.IGNORECASE,
)
_SENTENCE_MARKS = re.compile(r"[.!?;:]")
_NAME_BEFORE = re.compile(r"([A-Z][\w’'-]+)\s$")
_NAME_AFTER = re.compile(r"^\s([A-Z][\w’'-]+)")


@dataclass(slots=True)
class QuoteSpan:
    """One pair of marks. ``start:end`` is the text between them; ``opener`` is the mark itself."""

    opener: int
    start: int
    end: int
    kind: str
    closer: int | None  # None when the quote was cut at the end of its paragraph
    continued: bool = False  # re-opens a quote from the previous paragraph
    excluded: str | None = None  # why these marks do not hold a quote: word, label, title, ...
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
    continued: bool


def _role(text: str, index: int) -> tuple[str, str]:
    """("open" | "close" | "either" | "apostrophe", mark kind) for the mark at ``index``."""
    mark = text[index]
    before = text[index - 1] if index else "\n"
    after = text[index + 1] if index + 1 < len(text) else "\n"
    if mark == "“":
        return "open", DOUBLE
    if mark == "”":
        return "close", DOUBLE
    if mark == "‘":
        if after.isdigit() or (before.isalpha() and after.isalpha()):
            return "apostrophe", SINGLE
        return "open", SINGLE
    kind = DOUBLE if mark == '"' else SINGLE
    if kind == SINGLE:
        if before.isalnum() and after.isalnum():
            return "apostrophe", SINGLE
        if (before in _OPEN_BEFORE or not index) and (
            after.isdigit() or _ELISIONS.match(text, index + 1)
        ):
            return "apostrophe", SINGLE
    if mark == "’":
        if before in _OPEN_BEFORE and after.isalnum():
            return "apostrophe", SINGLE  # ’90s, ’em
        return "close", SINGLE
    opens = (before in _OPEN_BEFORE or before in "“‘\"'") and after not in _CLOSE_AFTER
    closes = before not in _OPEN_BEFORE and (after in _CLOSE_AFTER or after in "”’\"'")
    if opens and not closes:
        return "open", kind
    if closes and not opens:
        return "close", kind
    return "either", kind


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


def find_spans(document: Document) -> list[QuoteSpan]:
    """Every pair of quote marks in the text, nested and ordered by opening position."""
    text = document.text
    paragraphs = document.paragraphs
    spans: list[QuoteSpan] = []
    stack: list[_Open] = []
    current_paragraph = -1

    def emit(opened: _Open, end: int, closer: int | None) -> None:
        spans.append(QuoteSpan(opened.position, opened.position + 1, end, opened.kind, closer, opened.continued))

    for match in _MARKS.finditer(text):
        index = match.start()
        paragraph = document.paragraph_of(index)
        role, kind = _role(text, index)
        if role == "apostrophe":
            continue
        if paragraph != current_paragraph:
            starts_paragraph = paragraphs and index == paragraphs[paragraph][0]
            if (
                stack
                and starts_paragraph
                and role in ("open", "either")
                and stack[-1].kind == kind
                and stack[-1].paragraph < paragraph
            ):
                # News style: the quote re-opens at each new paragraph instead of closing.
                emit(stack.pop(), paragraphs[paragraph - 1][1], None)
                stack.append(_Open(index, kind, paragraph, True))
                current_paragraph = paragraph
                continue
            while stack and stack[-1].kind == SINGLE and stack[-1].paragraph < paragraph:
                stack.pop()  # a single quote never runs past its paragraph unclosed
            stack[:] = [o for o in stack if paragraph - o.paragraph <= _MAX_PARAGRAPHS_OPEN]
            current_paragraph = paragraph
        if role == "either":
            role = "close" if stack and stack[-1].kind == kind else "open"
        if role == "open":
            stack.append(_Open(index, kind, paragraph, False))
            continue
        paragraph_end = paragraphs[paragraph][1] if paragraphs else len(text)
        if kind == SINGLE and stack and stack[-1].kind == SINGLE and _is_plural_possessive(text, index, paragraph_end):
            continue
        if not stack:
            continue  # a stray closer
        if stack[-1].kind == kind:
            emit(stack.pop(), index, index)
        elif kind == DOUBLE:
            # ‘…” : the double mark closes the open single quotes and, if there is one, the double.
            while stack and stack[-1].kind == SINGLE:
                emit(stack.pop(), index, index)
            if stack and stack[-1].kind == DOUBLE:
                emit(stack.pop(), index, index)
        # a single closer while a double quote is innermost is an apostrophe or a stray
    spans.sort(key=lambda span: (span.opener, -span.end))
    _exclude_non_quotes(document, spans)
    _link(spans)
    return spans


_WORD = re.compile(r"[^\W_][\w’'-]*")


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _titlecase(words: list[str]) -> bool:
    return bool(words) and words[0][:1].isupper() and all(
        w[:1].isupper() for w in words if len(w.strip(".,;:!?")) >= 4
    )


def _between_names(before: str, after: str) -> bool:
    """Dwayne “The Rock” Johnson: marks set between two name words hold a nickname."""
    first = _NAME_BEFORE.search(before)
    last = _NAME_AFTER.match(after)
    return bool(first and last) and not (is_common(first.group(1)) or is_common(last.group(1)))


def _reads_as_work_title(content: str, words: list[str], in_headline: bool, after: str) -> bool:
    """“The Salt Year” in running prose: every word capitalised, no sentence, nobody speaking."""
    return (
        not in_headline
        and 2 <= len(words) <= 8
        and _titlecase(words)
        and all(w[:1].isupper() or len(w) < 4 for w in words)
        and not _SENTENCE_MARKS.search(content.rstrip(","))
        and not _ATTRIBUTED_AFTER.match(after)
    )


def _exclude_non_quotes(document: Document, spans: list[QuoteSpan]) -> None:
    """Mark marks that hold no speech: empty, one word, labels, nicknames, titles of works."""
    text = document.text
    titlecase_paragraph = document.is_titlecase_at
    for span in spans:
        content = text[span.start : span.end]
        words = _words(content)
        before = text[max(0, span.opener - 40) : span.opener]
        after = text[span.outer_end : span.outer_end + 80]
        if not words:
            span.excluded = "empty"
        elif _LABEL_CUE.search(before) and len(words) <= 5:
            span.excluded = "label"
        elif _AS_CUE.search(before) and len(words) <= 4 and content[:1].isupper():
            span.excluded = "label"
        elif _WORK_CUE.search(before) and len(words) <= 8 and _titlecase(words):
            span.excluded = "title"
        elif len(words) <= 3 and content[:1].isupper() and _between_names(before, after):
            span.excluded = "nickname"
        elif _reads_as_work_title(content, words, titlecase_paragraph(span.opener), after):
            span.excluded = "title"
        elif len(words) == 1 and not _ATTRIBUTED_AFTER.match(after):
            span.excluded = "word"


def _link(spans: list[QuoteSpan]) -> None:
    """Give every kept span its nearest kept enclosing span (spans are sorted by opening)."""
    open_chain: list[int] = []
    for index, span in enumerate(spans):
        if span.excluded:
            continue
        while open_chain and spans[open_chain[-1]].end < span.end:
            open_chain.pop()
        if open_chain:
            span.parent = open_chain[-1]
            spans[open_chain[-1]].children.append(index)
        open_chain.append(index)
