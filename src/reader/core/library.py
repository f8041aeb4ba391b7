"""The one object the UI and the CLI talk to: a corpus folder with its index, tags and analysis.

FIRST CUT: loads the corpus in memory. The search work replaces the internals with the catalog
and the Whoosh index without changing this interface.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from reader.core.loader import load_article, load_corpus
from reader.core.models import Article, LoadIssue


@dataclass(frozen=True, slots=True)
class ArticleSummary:
    """What a list row needs, readable without opening the file."""

    id: str
    path: Path
    title: str
    date: dt.date | dt.datetime | None
    date_text: str | None
    outlet: str | None
    author: str | None
    tags: tuple[str, ...] = ()  # the user's tags

    @property
    def date_label(self) -> str:
        if self.date is not None:
            return self.date.strftime("%Y-%m-%d")
        return self.date_text or ""


@dataclass(frozen=True, slots=True)
class SyncReport:
    added: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    issues: tuple[LoadIssue, ...] = ()
    messages: tuple[str, ...] = ()  # e.g. "the index was damaged and has been rebuilt"


@dataclass(frozen=True, slots=True)
class SearchHit:
    id: str
    score: float
    snippet: str  # plain text; never markup
    highlights: tuple[tuple[int, int], ...] = ()  # spans of ``snippet`` that matched


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: str
    hits: tuple[SearchHit, ...]
    terms: frozenset[str] = field(default_factory=frozenset)  # expanded terms, for marking


class QueryError(ValueError):
    """A query the parser cannot take; ``str(error)`` is one line fit to show the user."""


def summarise(article: Article, tags: Iterable[str] = ()) -> ArticleSummary:
    return ArticleSummary(
        id=article.id,
        path=article.path,
        title=article.title,
        date=article.date,
        date_text=article.date_text,
        outlet=article.outlet,
        author=article.author,
        tags=tuple(tags),
    )


class Library:
    """A corpus folder and everything derived from it."""

    def __init__(self, root: Path) -> None:
        self.root = root.expanduser().resolve()
        self._articles: dict[str, Article] = {}

    def summaries(self) -> list[ArticleSummary]:
        """Every known article, in corpus order, without reading any file."""
        return [summarise(article) for article in self._articles.values()]

    def sync(self, on_progress: Callable[[int, int], None] | None = None) -> SyncReport:
        """Bring what is known in line with the folder; report what changed."""
        corpus = load_corpus(self.root, on_progress=on_progress)
        self._articles = {article.id: article for article in corpus.articles}
        return SyncReport(added=len(corpus.articles), issues=corpus.issues)

    def article(self, article_id: str) -> Article | LoadIssue:
        """The article as it is on disk now."""
        known = self._articles.get(article_id)
        path = known.path if known else self.root / article_id
        return load_article(path, self.root)
