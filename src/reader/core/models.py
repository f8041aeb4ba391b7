"""Plain data the whole program speaks: the core produces it, the CLI and the UI read it.

Nothing here knows about files, the index or the terminal; every value is immutable so it can be
shared between threads and cached freely.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from reader.core.dates import date_from_iso
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
    date_source: str | None = None  # where ``date`` was found: a key of ``dates.DATE_SOURCES``
    outlet: str | None = None
    author: str | None = None
    url: str | None = None  # from the front matter, or the canonical link the text states
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
class DateSources:
    """Where the dates of a set of articles came from, and how many have none."""

    by_source: dict[str, int]  # a key of ``dates.DATE_SOURCES`` -> articles dated from it
    undated: int  # articles without a date
    unreadable: int  # of those, articles whose front-matter date could not be read

    @property
    def dated(self) -> int:
        return sum(self.by_source.values())


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


def name_to_bytes(name: str | Path) -> bytes:
    """An article id or a path as SQLite stores it: exact bytes (UTF-8 with surrogate escapes),
    so a file name that is not valid UTF-8 survives the round trip."""
    return str(name).encode("utf-8", "surrogateescape")


def name_from_bytes(stored: bytes) -> str:
    return stored.decode("utf-8", "surrogateescape")


class ArticleSummary:
    """What a list row needs, readable without opening the file.

    Start-up makes one per article (100k of them), so ``path`` and ``date`` may stay in their
    stored form (bytes, ISO text) until a row that is drawn or opened asks for them.
    """

    __slots__ = ("_date", "_path", "author", "date_text", "highlights", "id", "notes", "outlet", "tags", "title")

    def __init__(
        self,
        id: str,
        path: Path,
        title: str,
        date: dt.date | dt.datetime | None,
        date_text: str | None,
        outlet: str | None,
        author: str | None,
        tags: tuple[str, ...] = (),  # the user's tags
        highlights: int = 0,  # how many passages the user highlighted
        notes: int = 0,  # how many notes the user wrote on it and its highlights
    ) -> None:
        self.id = id
        self.title = title
        self.date_text = date_text
        self.outlet = outlet
        self.author = author
        self.tags = tags
        self.highlights = highlights
        self.notes = notes
        self._path: Path | bytes = path
        self._date: dt.date | dt.datetime | str | None = date

    @classmethod
    def from_stored(cls, row: Sequence[Any], tags: tuple[str, ...]) -> ArticleSummary:
        """From a stored row (id, path bytes, title, ISO date, date text, outlet, author, and
        perhaps at 8 and 9 the highlight and note counts), leaving the path and the date
        unconverted until they are asked for. The values many rows repeat (a date, an outlet,
        an author) are interned: one string for all its rows, not a copy per row (~9 MB at 100k)."""
        summary = cls.__new__(cls)
        summary.id, summary._path, summary.title = row[:3]
        summary._date, summary.date_text, summary.outlet, summary.author = map(_shared, row[3:7])
        summary.tags = tags
        summary.highlights, summary.notes = (row[8], row[9]) if len(row) > 9 else (0, 0)
        return summary

    def is_stored(self, row: Sequence[Any], tags: tuple[str, ...]) -> bool:
        """Whether ``from_stored(row, tags)`` would make this same summary (its path and date
        compared in their stored form): a list read again keeps it rather than hold its twin."""
        counts = (row[8], row[9]) if len(row) > 9 else (0, 0)
        stored_path = self._path if isinstance(self._path, bytes) else name_to_bytes(self._path)
        return (
            stored_path == row[1] and self.title == row[2] and self.date_key == (row[3] or "")
            and self.date_text == row[4] and self.outlet == row[5] and self.author == row[6] and self.tags == tags
            and (self.highlights, self.notes) == counts
        )

    @property
    def path(self) -> Path:
        if isinstance(self._path, bytes):
            self._path = Path(name_from_bytes(self._path))
        return self._path

    @property
    def date(self) -> dt.date | dt.datetime | None:
        if isinstance(self._date, str):
            self._date = date_from_iso(self._date)
        return self._date

    @property
    def date_key(self) -> str:
        """The date as ISO text ("" when undated): sorts dates and datetimes together, unparsed."""
        if isinstance(self._date, str):
            return self._date
        return self._date.isoformat() if self._date is not None else ""

    @property
    def date_label(self) -> str:
        if self.date is not None:
            return self.date.strftime("%Y-%m-%d")
        return self.date_text or ""

    def with_tags(self, tags: tuple[str, ...]) -> ArticleSummary:
        """The same article with other user tags."""
        return ArticleSummary(
            self.id, self.path, self.title, self.date, self.date_text, self.outlet, self.author, tags,
            self.highlights, self.notes,
        )

    def with_annotations(self, highlights: int, notes: int) -> ArticleSummary:
        """The same article with other counts of the user's highlights and notes."""
        return ArticleSummary(
            self.id, self.path, self.title, self.date, self.date_text, self.outlet, self.author, self.tags,
            highlights, notes,
        )

    def _fields(self) -> tuple[Any, ...]:
        return (
            self.id, self.path, self.title, self.date, self.date_text, self.outlet, self.author, self.tags,
            self.highlights, self.notes,
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArticleSummary):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"ArticleSummary(id={self.id!r}, title={self.title!r})"


def _shared(value: str | None) -> str | None:
    return None if value is None else sys.intern(value)


Snippet = tuple[str, tuple[tuple[int, int], ...]]
"""A one-line plain-text snippet and the spans ``[start, end)`` of it that matched."""


class SearchHit:
    """One ranked result. Its snippet is made on first use, from the file, and then kept.

    Making snippets lazily lets a search return a thousand hits at once while only the rows
    a list actually draws pay for reading their file.
    """

    __slots__ = ("_make_snippet", "_snippet", "date", "id", "path", "score", "tags", "title")

    def __init__(
        self,
        id: str,
        score: float,
        snippet: str | None = None,
        highlights: tuple[tuple[int, int], ...] = (),
        *,
        title: str = "",
        path: Path | None = None,
        date: dt.date | dt.datetime | None = None,
        tags: tuple[str, ...] = (),
        make_snippet: Callable[[str], Snippet] | None = None,
    ) -> None:
        self.id = id
        self.score = score
        self.title = title
        self.path = path
        self.date = date
        self.tags = tags
        self._snippet = None if snippet is None else (snippet, tuple(highlights))
        self._make_snippet = make_snippet

    def _made(self) -> Snippet:
        if self._snippet is None:
            self._snippet = self._make_snippet(self.id) if self._make_snippet else ("", ())
        return self._snippet

    @property
    def snippet(self) -> str:
        """Plain text, one line, never markup."""
        return self._made()[0]

    @property
    def highlights(self) -> tuple[tuple[int, int], ...]:
        """Spans ``[start, end)`` of ``snippet`` that matched the query."""
        return self._made()[1]

    @property
    def date_label(self) -> str:
        return self.date.strftime("%Y-%m-%d") if self.date is not None else ""

    def __repr__(self) -> str:
        return f"SearchHit(id={self.id!r}, score={self.score:.3f})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, SearchHit):
            return NotImplemented
        return (self.id, self.score) == (other.id, other.score)

    def __hash__(self) -> int:
        return hash((self.id, self.score))


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    terms: frozenset[str] = field(default_factory=frozenset)  # expanded terms, for marking
    total: int = 0  # documents that matched (``hits`` stops at the limit)
    partial: bool = False  # the time limit stopped the search: ``hits`` is what was found in time
    seconds: float = 0.0
    estimated: bool = False  # ``total`` is an estimate ("about N"): counting them all cost too much
    missing: int = 0  # hits left out: their files are gone (deleted, or the folder unmounted)
    # While a build is under way: the articles searched (indexed) of those listed; 0 and 0 after
    indexed: int = 0
    listed: int = 0

    @property
    def covers_all(self) -> bool:
        """Whether every listed article was searched (false while the index is being built)."""
        return self.indexed >= self.listed


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What bringing an index in line with its folder did.

    Reports add up (``first + second``), so each step of a sync reports its own part.
    """

    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    renamed: int = 0  # files that moved: their text was found under a new name
    retagged: int = 0  # articles re-indexed because their tags changed outside this process
    issues: tuple[LoadIssue, ...] = ()
    messages: tuple[str, ...] = ()  # e.g. "the search index was damaged (...); it has been rebuilt"
    seconds: float = 0.0

    @property
    def articles(self) -> int:
        """How many articles the index holds after the sync."""
        return self.added + self.updated + self.unchanged + self.renamed

    def __add__(self, other: SyncReport) -> SyncReport:
        return SyncReport(
            added=self.added + other.added,
            updated=self.updated + other.updated,
            removed=self.removed + other.removed,
            unchanged=self.unchanged + other.unchanged,
            renamed=self.renamed + other.renamed,
            retagged=self.retagged + other.retagged,
            issues=self.issues + other.issues,
            messages=self.messages + other.messages,
            seconds=self.seconds + other.seconds,
        )


FileState = tuple[int, int, str]
"""What the catalog knows of an article's file: (size, mtime_ns, fingerprint)."""


@dataclass(frozen=True, slots=True)
class FolderChanges:
    """What one sync changed in the list of articles, by article id: what a live list applies.

    ``renamed`` pairs an article that left with one that came, holding the same text (a file
    renamed or moved); those are in neither ``added`` nor ``removed``.
    """

    report: SyncReport
    added: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    renamed: tuple[tuple[str, str], ...] = ()  # (old id, new id)
    first: bool = False  # the folder had no articles before: a first build, nothing is "new"
    complete: bool = True  # False: more changed than the ids say (the index was rebuilt): reload all

    @property
    def any(self) -> bool:
        return bool(self.added or self.changed or self.removed or self.renamed) or not self.complete

    @classmethod
    def between(
        cls,
        before: dict[str, FileState],
        after: dict[str, FileState],
        report: SyncReport,
        *,
        first: bool = False,
        complete: bool = True,
    ) -> FolderChanges:
        """The changes from ``before`` to ``after`` (id -> state, of the same ids or of all);
        ``first``: the folder had no articles before."""
        arrived = sorted(after.keys() - before.keys())
        left = sorted(before.keys() - after.keys())
        changed = tuple(sorted(i for i in before.keys() & after.keys() if before[i] != after[i]))
        renamed = _pair_renames({i: before[i][2] for i in left}, {i: after[i][2] for i in arrived})
        moved_from = {old for old, _ in renamed}
        moved_to = {new for _, new in renamed}
        return cls(
            report=report,
            added=tuple(i for i in arrived if i not in moved_to),
            changed=changed,
            removed=tuple(i for i in left if i not in moved_from),
            renamed=renamed,
            first=first,
            complete=complete,
        )


def _pair_renames(left: dict[str, str], arrived: dict[str, str]) -> tuple[tuple[str, str], ...]:
    """Articles that left and came with the same text (fingerprint), one to one; among several
    candidates the one with the same file name first."""
    by_fingerprint: dict[str, list[str]] = {}
    for article_id, fingerprint in left.items():
        by_fingerprint.setdefault(fingerprint, []).append(article_id)
    pairs: list[tuple[str, str]] = []
    for new_id, fingerprint in arrived.items():
        candidates = by_fingerprint.get(fingerprint)
        if not candidates:
            continue
        name = new_id.rsplit("/", 1)[-1]
        same_name = [old for old in candidates if old.rsplit("/", 1)[-1] == name]
        old_id = (same_name or candidates)[0]
        candidates.remove(old_id)
        pairs.append((old_id, new_id))
    return tuple(pairs)
