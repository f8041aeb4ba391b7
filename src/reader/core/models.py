"""Plain data the whole program speaks: the core produces it, the CLI and the UI read it.

Nothing here knows about files, the index or the terminal; every value is immutable so it can be
shared between threads and cached freely.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from reader.core.text import visible_name


class ParagraphKind(str, Enum):
    """What a paragraph of an article is, so views can style or fold it."""

    TITLE = "title"  # the headline line at the top of a file without front matter
    HEADING = "heading"  # a short sub-heading inside the article
    BODY = "body"
    FURNITURE = "furniture"  # page boilerplate from scraping: share prompts, disclaimers, ...


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One paragraph, as a span ``[start, end)`` of ``Article.text``."""

    start: int
    end: int
    kind: ParagraphKind


@dataclass(frozen=True, slots=True)
class LoadIssue:
    """Something wrong with one file: why it was skipped, or what was worked around."""

    path: Path
    reason: str
    skipped: bool  # True: the file is not in the corpus; False: loaded with a warning

    def __str__(self) -> str:
        verb = "skipped" if self.skipped else "warning"
        return f"{visible_name(self.path, limit=None)}: {verb}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Article:
    """One article file, cleaned and ready to show, index and analyse.

    ``text`` is the document as a reader sees it, and every offset in the program (paragraphs,
    quotes, search hits) points into it. For a file with front matter it is the front-matter
    title, a blank line, then the body; otherwise it is the file's cleaned content, whose first
    paragraph may be the headline (``ParagraphKind.TITLE``).
    """

    id: str  # the path relative to the corpus root, with forward slashes: stable and readable
    path: Path  # absolute path of the file
    title: str
    title_derived: bool  # True when no headline existed and the title was made from the prose
    text: str
    paragraphs: tuple[Paragraph, ...]
    date: dt.date | dt.datetime | None = None
    date_text: str | None = None  # the date exactly as written, kept when it could not be parsed
    outlet: str | None = None
    author: str | None = None
    url: str | None = None
    tags: tuple[str, ...] = ()  # tags and categories from the file's front matter
    metadata: dict[str, Any] = field(default_factory=dict)  # other front-matter keys, as loaded
    size: int = 0  # bytes on disk when loaded
    mtime_ns: int = 0  # modification time when loaded
    fingerprint: str = ""  # hash of the normalised text: follows the article across renames
    truncated: bool = False  # True when the file was larger than the loading cap
    warnings: tuple[str, ...] = ()
    encoding: str = "utf-8"  # what the file's bytes were read as

    def paragraph_text(self, paragraph: Paragraph) -> str:
        return self.text[paragraph.start : paragraph.end]

    @property
    def body_paragraphs(self) -> tuple[Paragraph, ...]:
        """Paragraphs that are the article proper: no headline line, no page furniture."""
        return tuple(
            p for p in self.paragraphs if p.kind in (ParagraphKind.BODY, ParagraphKind.HEADING)
        )

    @property
    def date_label(self) -> str:
        """The date as a short label for lists: ISO day, the raw text, or empty."""
        if self.date is not None:
            return self.date.strftime("%Y-%m-%d")
        return self.date_text or ""


@dataclass(frozen=True, slots=True)
class Corpus:
    """The articles of one folder, plus every file that could not be loaded and why."""

    root: Path
    articles: tuple[Article, ...]
    issues: tuple[LoadIssue, ...]
    hidden: tuple[Path, ...] = ()  # hidden files and folders under the root, not read

    @property
    def skipped(self) -> tuple[LoadIssue, ...]:
        return tuple(issue for issue in self.issues if issue.skipped)
