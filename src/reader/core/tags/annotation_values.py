"""The values of the user's highlights and notes: what the store gives back and exports take.

A ``Highlight`` is a W3C text-quote selector with a position hint (``anchoring``); ``place``
finds where each stands in an article's text as it is now, keeping those it cannot place
("orphaned") instead of dropping them.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from reader.core.tags.anchoring import TextQuote, anchor_all
from reader.core.text import clean_text

MAX_NOTE_CHARS = 100_000  # a note is prose, not a file


class ArticleRef(Protocol):
    """An article file with its text and what exports show of it (``Article`` is one)."""

    @property
    def path(self) -> Path: ...

    @property
    def fingerprint(self) -> str: ...

    @property
    def text(self) -> str: ...

    @property
    def title(self) -> str: ...

    @property
    def outlet(self) -> str | None: ...

    @property
    def date_label(self) -> str: ...


@dataclass(frozen=True, slots=True)
class Highlight:
    """A passage the user marked, with their note on it."""

    id: str
    quote: TextQuote
    start: int  # the position hint: where it was last placed
    end: int
    note: str = ""
    created: str = ""
    updated: str = ""

    @property
    def text(self) -> str:
        return self.quote.exact


@dataclass(frozen=True, slots=True)
class Annotations:
    """Everything the user wrote on one article: its note and its highlights, in text order."""

    note: str = ""
    note_updated: str = ""
    highlights: tuple[Highlight, ...] = ()

    def __bool__(self) -> bool:
        return bool(self.note or self.highlights)

    @property
    def notes(self) -> tuple[str, ...]:
        """Every note: the article's, then each highlight's."""
        return tuple(note for note in (self.note, *(h.note for h in self.highlights)) if note)

    @property
    def digest(self) -> str:
        """Changes whenever a highlight or a note does ("" when there is nothing): an index
        compares it with the one it holds to know the article needs indexing again."""
        if not self:
            return ""
        content = [self.note, [(h.id, h.quote.exact, h.note) for h in self.highlights]]
        return hashlib.sha256(json.dumps(content, ensure_ascii=False).encode("utf-8", "surrogatepass")).hexdigest()[:16]


@dataclass(frozen=True, slots=True)
class UserData:
    """What the user keeps about one article: tags, highlights and notes."""

    tags: tuple[str, ...] = ()
    annotations: Annotations = Annotations()


@dataclass(frozen=True, slots=True)
class Placed:
    """A highlight and where it stands in the text now (``anchor`` None: orphaned)."""

    highlight: Highlight
    start: int | None
    end: int | None
    exact: bool

    @property
    def orphaned(self) -> bool:
        return self.start is None


@dataclass(frozen=True, slots=True)
class AnnotatedArticle:
    """One article's annotations as exported: enough to find the article again anywhere."""

    fingerprint: str
    path: str = ""
    sketch: int | None = None
    aliases: tuple[str, ...] = ()
    title: str = ""
    date: str = ""
    outlet: str = ""
    note: str = ""
    note_updated: str = ""
    highlights: tuple[Highlight, ...] = ()


def place(text: str, annotations: Annotations) -> list[Placed]:
    """Each highlight placed in ``text`` as it is now; orphaned ones keep their stored order at
    the end, so nothing is dropped."""
    anchors = anchor_all(text, [(h.quote, h.start) for h in annotations.highlights])
    placed = [
        Placed(h, a.start, a.end, a.exact) if a is not None else Placed(h, None, None, False)
        for h, a in zip(annotations.highlights, anchors, strict=True)
    ]
    return sorted(placed, key=lambda p: (p.start is None, p.start or 0, p.end or 0))


def now() -> str:
    return dt.datetime.now(dt.UTC).isoformat(timespec="seconds")


def clean_note(note: str) -> str:
    """A note as stored: line ends made ``\n``, control characters shown as symbols (as in
    article text), outer blank lines and trailing spaces off, at most ``MAX_NOTE_CHARS``."""
    lines = [line.rstrip() for line in clean_text(note)[0].split("\n")]
    return "\n".join(lines).strip("\n")[:MAX_NOTE_CHARS]
