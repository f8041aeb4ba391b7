"""The one object the UI and the CLI talk to: a corpus folder with its index, tags and analysis.

Start-up reads only the catalog (SQLite), so ``summaries()`` is instant on a large corpus and
Whoosh is not even imported until the first ``sync`` or ``search``. Everything derived from the
files lives in the user's cache folder (``reader.core.paths.corpus_cache_dir``), never in the
corpus; the user's tags live in the tag store, which is the truth the index follows.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.index.catalog import Catalog, CatalogError, date_from_text, split, unkey
from reader.core.index.query import QueryError, parse
from reader.core.models import Article, LoadIssue
from reader.core.ordering import SQL_ORDER_BY

__all__ = [
    "ArticleSummary",
    "Library",
    "QueryError",
    "SearchHit",
    "SearchResult",
    "SyncReport",
]

SORTS = ("relevance", "date", "newest", "oldest", "title", "outlet")
_EXTRACTION_CACHE_SIZE = 64


class ArticleSummary:
    """What a list row needs, readable without opening the file.

    Start-up makes one per article (100k of them), so ``path`` and ``date`` stay in their
    stored form (bytes, ISO text) until a row that is drawn or opened asks for them.
    """

    __slots__ = ("id", "title", "date_text", "outlet", "author", "tags", "_path", "_date")

    def __init__(
        self,
        id: str,  # noqa: A002 - the article id, named like everywhere else
        path: Path,
        title: str,
        date: dt.date | dt.datetime | None,
        date_text: str | None,
        outlet: str | None,
        author: str | None,
        tags: tuple[str, ...] = (),  # the user's tags
    ) -> None:
        self.id = id
        self.title = title
        self.date_text = date_text
        self.outlet = outlet
        self.author = author
        self.tags = tags
        self._path: Path | bytes = path
        self._date: dt.date | dt.datetime | str | None = date

    @classmethod
    def from_catalog(cls, row: Sequence[Any]) -> ArticleSummary:
        """From a ``Catalog.summary_rows`` row, leaving the path and date unconverted."""
        summary = cls.__new__(cls)
        summary.id, summary._path, summary.title, summary._date, summary.date_text = row[:5]
        summary.outlet, summary.author, summary.tags = row[5], row[6], split(row[7])
        return summary

    @property
    def path(self) -> Path:
        if isinstance(self._path, bytes):
            self._path = Path(unkey(self._path))
        return self._path

    @property
    def date(self) -> dt.date | dt.datetime | None:
        if isinstance(self._date, str):
            self._date = date_from_text(self._date)
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
            self.id, self.path, self.title, self.date, self.date_text, self.outlet, self.author, tags
        )

    def _fields(self) -> tuple[Any, ...]:
        return (self.id, self.path, self.title, self.date, self.date_text, self.outlet, self.author, self.tags)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, ArticleSummary):
            return NotImplemented
        return self._fields() == other._fields()

    def __hash__(self) -> int:
        return hash(self._fields())

    def __repr__(self) -> str:
        return f"ArticleSummary(id={self.id!r}, title={self.title!r})"


@dataclass(frozen=True, slots=True)
class SyncReport:
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


class SearchHit:
    """One ranked result. Its snippet is made on first use, from the file, and then kept.

    Making snippets lazily lets a search return a thousand hits at once while only the rows
    a list actually draws pay for reading their file.
    """

    __slots__ = ("id", "score", "title", "path", "date", "tags", "_snippet", "_make_snippet")

    def __init__(
        self,
        id: str,  # noqa: A002 - the article id, named like everywhere else
        score: float,
        snippet: str | None = None,
        highlights: tuple[tuple[int, int], ...] = (),
        *,
        title: str = "",
        path: Path | None = None,
        date: dt.date | dt.datetime | None = None,
        tags: tuple[str, ...] = (),
        make_snippet: Callable[[str], tuple[str, tuple[tuple[int, int], ...]]] | None = None,
    ) -> None:
        self.id = id
        self.score = score
        self.title = title
        self.path = path
        self.date = date
        self.tags = tags
        self._snippet = None if snippet is None else (snippet, tuple(highlights))
        self._make_snippet = make_snippet

    def _made(self) -> tuple[str, tuple[tuple[int, int], ...]]:
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


class Library:
    """A corpus folder and everything derived from it. Safe to share between threads."""

    def __init__(self, root: Path, *, tag_store: Any = None) -> None:
        from reader.core.index.folder import IndexFolder

        self.root = root.expanduser().resolve()
        self._folder = IndexFolder.of(self.root)
        self._notes: list[str] = []  # told to the user by the next sync
        self._catalog = self._open_catalog()
        self._tag_store = tag_store
        self._owns_tag_store = tag_store is None
        self._tag_store_failed = False
        self._analysis: Any = None
        self._open = _OpenIndex()
        # A library dropped without close() still closes its index files (no leaked handles).
        self._finalizer = weakref.finalize(self, self._open.close)
        self._write_lock = threading.RLock()  # one sync or tag change at a time in this process
        self._cache_lock = threading.Lock()
        self._extractions: OrderedDict[tuple[str, str], Any] = OrderedDict()

    def _open_catalog(self) -> Catalog:
        path = self._folder.catalog_path
        try:
            return Catalog(path)
        except CatalogError as error:
            for suffix in ("", "-wal", "-shm"):
                Path(f"{path}{suffix}").unlink(missing_ok=True)
            self._notes.append(f"the article catalog was damaged ({error}); it has been rebuilt")
            return Catalog(path)

    # --- lists and articles -------------------------------------------------------------------

    def summaries(self) -> list[ArticleSummary]:
        """Every indexed article, by id, from the catalog: no file is read, Whoosh not imported."""
        return [ArticleSummary.from_catalog(row) for row in self._catalog.summary_rows()]

    def first_summaries(self, order: str, count: int) -> tuple[list[ArticleSummary], int]:
        """The first ``count`` articles in list ``order`` (see ``ordering``), and how many there
        are in all: a screenful in milliseconds, where ``summaries`` of 100k takes half a second."""
        rows = self._catalog.summary_rows(SQL_ORDER_BY.get(order, SQL_ORDER_BY["date"]), count)
        return [ArticleSummary.from_catalog(row) for row in rows], self._catalog.count()

    def article(self, article_id: str) -> Article | LoadIssue:
        """The article as it is on disk now (the file is read again)."""
        from reader.core.loader import load_article  # not at import: YAML and friends slow start-up

        entry = self._catalog.entry(article_id)
        if entry is not None:
            return load_article(entry.path, self.root)
        candidate = (self.root / article_id).resolve() if self.root.is_dir() else self.root
        if self.root != candidate and self.root not in candidate.parents:
            return LoadIssue(Path(article_id), "not an article of this folder", True)
        return load_article(candidate, self.root)

    def extraction(self, article_id: str) -> Any:
        """Quotes and people of the article as it is now (kept for the last few articles read)."""
        from reader.core.extraction import extract, extract_article

        article = self.article(article_id)
        if isinstance(article, LoadIssue):
            return extract("")
        key = (article.id, article.fingerprint)
        with self._cache_lock:
            if key in self._extractions:
                self._extractions.move_to_end(key)
                return self._extractions[key]
        found = extract_article(article)
        with self._cache_lock:
            self._extractions[key] = found
            while len(self._extractions) > _EXTRACTION_CACHE_SIZE:
                self._extractions.popitem(last=False)
        return found

    # --- keeping up with the folder -----------------------------------------------------------

    def sync(
        self,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        rebuild: bool = False,
        on_wait: Callable[[str], None] | None = None,
        paths: Iterable[Path] | None = None,
    ) -> SyncReport:
        """Bring the index in line with the folder, reading only new and changed files.

        ``on_progress(done, total)`` counts files read; ``on_wait(message)`` is called once if
        another process is updating this corpus's index and this sync has to wait for it.
        ``paths``: look only at these files (ones known to have changed, e.g. by a file
        watcher), skipping the scan of the whole folder.
        """
        from reader.core.index.sync import Syncer

        started = time.perf_counter()
        with self._write_lock:
            notes, self._notes = self._notes, []
            syncer = Syncer(
                self._folder,
                self._catalog,
                tag_store=self._tags(),
                analysis=self.analysis,
                on_progress=on_progress,
                on_wait=on_wait,
            )
            stats = syncer.run(rebuild=rebuild, paths=None if paths is None else list(paths))
            self._after_write()
        if self._tag_store_failed:
            notes.append("the tag store could not be opened; tags are not searchable this time")
            self._tag_store_failed = False
        return SyncReport(
            added=stats.added,
            updated=stats.updated,
            removed=stats.removed,
            unchanged=stats.unchanged,
            renamed=stats.renamed,
            retagged=stats.retagged,
            issues=tuple(stats.issues),
            messages=tuple(notes + stats.messages),
            seconds=time.perf_counter() - started,
        )

    def _after_write(self) -> None:
        self._open.close()  # reopened, with the new commit, by the next search

    # --- searching ----------------------------------------------------------------------------

    def search(self, query: str, limit: int | None = 200, *, sort: str = "relevance") -> SearchResult:
        """Ranked hits for ``query`` (see docs/search.md); ``limit=None`` returns every match.

        Raises ``QueryError`` (one line for the user) for a query it cannot run, and nothing
        else for any input. ``sort``: relevance, date (newest first), oldest, title or outlet.
        """
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        started = time.perf_counter()
        node = parse(query)
        if node is None:
            return SearchResult(query, ())
        count = limit if limit is not None else max(self._catalog.count(), 1)
        index_sort = {"newest": "date", "title": "relevance", "outlet": "relevance"}.get(sort, sort)
        by_key = sort in ("title", "outlet")
        try:
            found = self._index().run(node, max(self._catalog.count(), 1) if by_key else count, index_sort)
        except QueryError:
            raise
        except Exception as error:  # noqa: BLE001 - a damaged index must not crash a search
            self._after_write()
            raise QueryError(
                f"the search index could not be read ({type(error).__name__}); it is rebuilt at the next sync"
            ) from error
        entries = self._catalog.entries_for(article_id for article_id, _ in found.hits)
        ranked = [(article_id, score) for article_id, score in found.hits if article_id in entries]
        if by_key:
            ranked.sort(key=lambda hit: _sort_key(getattr(entries[hit[0]], sort)))
        ranked = ranked[: max(count, 0)]
        make_snippet = self._snippet_maker(found.terms)
        hits = tuple(
            SearchHit(
                article_id,
                score,
                title=entries[article_id].title,
                path=entries[article_id].path,
                date=entries[article_id].date,
                tags=entries[article_id].tags,
                make_snippet=make_snippet,
            )
            for article_id, score in ranked
        )
        return SearchResult(
            query=query,
            hits=hits,
            terms=found.terms,
            total=found.total,
            partial=found.partial,
            seconds=time.perf_counter() - started,
            estimated=found.estimated,
        )

    def _index(self) -> Any:
        from reader.core.index.search import SearchIndex

        with self._cache_lock:
            if self._open.search_index is None:
                self._open.search_index = SearchIndex(self._folder.index_dir)
            return self._open.search_index

    def term_spans(self, text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
        """Spans of ``text`` (an article's text) whose words match ``terms`` (``SearchResult.terms``)."""
        from reader.core.index.analysis import term_spans

        return term_spans(text, terms)

    def snippet(self, article_id: str, terms: Iterable[str]) -> tuple[str, tuple[tuple[int, int], ...]]:
        """The snippet of one article for ``terms``: what ``SearchHit.snippet`` is made with."""
        return self._snippet_maker(frozenset(terms))(article_id)

    def _snippet_maker(self, terms: frozenset[str]) -> Callable[[str], tuple[str, tuple[tuple[int, int], ...]]]:
        def make(article_id: str) -> tuple[str, tuple[tuple[int, int], ...]]:
            from reader.core.index.highlight import snippet

            found = self._text_of(article_id)
            if found is None:
                return "", ()
            text, body_start = found
            return snippet(text, terms, body_start)

        return make

    def _text_of(self, article_id: str) -> tuple[str, int] | None:
        """The article's text as indexed, and where its body starts (from the catalog)."""
        return self._catalog.text(article_id)

    # --- the user's tags ----------------------------------------------------------------------

    def _tags(self) -> Any:
        """The tag store (opened on first use); None when it cannot be opened."""
        if self._tag_store is None and self._owns_tag_store and not self._tag_store_failed:
            if importlib.util.find_spec("reader.core.tags") is None:
                return None
            from reader.core.tags import TagStore, TagStoreError

            try:
                self._tag_store = TagStore()
            except TagStoreError:
                self._tag_store_failed = True
        return self._tag_store

    def _required_tags(self) -> Any:
        store = self._tags()
        if store is None:
            raise RuntimeError("the tag store is not available")
        return store

    def tags_of(self, article_id: str) -> tuple[str, ...]:
        """The user's tags of one article, from the tag store (the truth)."""
        entry = self._catalog.entry(article_id)
        if entry is None:
            return ()
        return tuple(self._required_tags().tags_for(entry))

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with how many articles carry it, most used first."""
        tags: list[tuple[str, int]] = self._required_tags().all_tags()
        return tags

    def add_tags(self, article_ids: Sequence[str], tags: Iterable[str]) -> None:
        """Tag the articles (one transaction), then re-index them so ``tag:`` finds them at once."""
        self._change_tags(article_ids, list(tags), adding=True)

    def remove_tags(self, article_ids: Sequence[str], tags: Iterable[str]) -> None:
        self._change_tags(article_ids, list(tags), adding=False)

    def _change_tags(self, article_ids: Sequence[str], tags: list[str], *, adding: bool) -> None:
        from reader.core.index.sync import Syncer

        entries = self._catalog.entries_for(article_ids)
        unknown = [article_id for article_id in article_ids if article_id not in entries]
        if unknown:
            raise KeyError(f"not an indexed article: {unknown[0]}")
        store = self._required_tags()
        with self._write_lock:
            if adding:
                store.add(list(entries.values()), tags)
            else:
                store.remove(list(entries.values()), tags)
            Syncer(self._folder, self._catalog, tag_store=store, analysis=None).run(retag_ids=list(entries))
            self._after_write()

    # --- cross-article analysis ---------------------------------------------------------------

    @property
    def analysis(self) -> Any:
        """The corpus's ``CorpusAnalysis`` (quote clusters, people, duplicates), kept by sync."""
        if self._analysis is None and importlib.util.find_spec("reader.core.across") is not None:
            from reader.core.across import CorpusAnalysis, analysis_db_path

            with self._cache_lock:
                if self._analysis is None:
                    self._analysis = CorpusAnalysis(analysis_db_path(self.root))
        return self._analysis

    def close(self) -> None:
        """Release files and connections; the library cannot be used afterwards."""
        with self._write_lock:
            self._after_write()
            self._catalog.close()
            if self._analysis is not None:
                self._analysis.close()
            if self._owns_tag_store and self._tag_store is not None:
                self._tag_store.close()

    def __enter__(self) -> Library:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()


class _OpenIndex:
    """The open search index of a library, apart from it so a finalizer can close it."""

    def __init__(self) -> None:
        self.search_index: Any = None

    def close(self) -> None:
        if self.search_index is not None:
            self.search_index.close()
            self.search_index = None


def _sort_key(value: str | None) -> tuple[bool, str]:
    return (not value, (value or "").casefold())
