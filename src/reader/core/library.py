"""The one object the UI and the CLI talk to: a corpus folder with its index, tags and analysis.

Start-up reads only the catalog (SQLite), so ``summaries()`` is instant on a large corpus and
Whoosh is not even imported until the first ``sync`` or ``search``. Everything derived from the
files lives in the user's cache folder (``reader.core.paths.IndexFolder``), never in the
corpus; the user's tags live in the tag store, which is the truth the index follows.
"""

from __future__ import annotations

import dataclasses
import threading
import time
import weakref
from collections import OrderedDict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core.index.catalog import Catalog, CatalogError
from reader.core.index.query import All, AnyOf, InArticles, Node, Not, Phrase, QueryError, parse
from reader.core.models import (
    Article,
    ArticleSummary,
    DateSources,
    FileState,
    FolderChanges,
    LoadIssue,
    SearchHit,
    SearchResult,
    Snippet,
    SyncReport,
)
from reader.core.ordering import KEYED_SORTS, SEARCH_SORTS, SQL_ORDER_BY, field_sort_key, index_sort
from reader.core.paths import IndexFolder

# Each of these imports something heavy (Whoosh, YAML, the extraction lexicons): the modules
# are imported where first used, so that opening a library and listing it stays instant.
if TYPE_CHECKING:
    from reader.core.cross_article import CorpusAnalysis
    from reader.core.extraction import Extraction
    from reader.core.index.searcher import RawHits, SearchIndex
    from reader.core.tags import Annotations, Highlight, TagStore
    from reader.core.tags.saved_searches import SavedSearches, SavedSearchStatus

__all__ = [
    "ArticleSummary",
    "Library",
    "QueryError",
    "SearchHit",
    "SearchResult",
    "SyncReport",
]

_EXTRACTION_CACHE_SIZE = 64


class Library:
    """A corpus folder and everything derived from it. Safe to share between threads."""

    def __init__(self, root: Path, *, tag_store: TagStore | None = None) -> None:
        self.root = root.expanduser().resolve()
        self._folder = IndexFolder.of(self.root)
        self._notes: list[str] = []  # told to the user by the next sync
        self._catalog = self._open_catalog()
        self._tag_store = tag_store
        self._owns_tag_store = tag_store is None
        self._tag_store_failed = False
        self._analysis: CorpusAnalysis | None = None
        self._open = _OpenIndex()
        # A library dropped without close() still closes its index files (no leaked handles).
        self._finalizer = weakref.finalize(self, self._open.close)
        self._write_lock = threading.RLock()  # one sync or tag change at a time in this process
        self._cache_lock = threading.Lock()
        self._extractions: OrderedDict[tuple[str, str], Extraction] = OrderedDict()
        self._stop_sync = threading.Event()  # set by ``stop_sync``: the library is closing

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
        """Every listed article (while a first build runs, also those not indexed yet), by id,
        from the catalog: no file is read, Whoosh not imported."""
        return self._catalog.summaries()

    def first_summaries(self, order: str, count: int) -> tuple[list[ArticleSummary], int]:
        """The first ``count`` articles in list ``order`` (see ``ordering``), and how many there
        are in all: a screenful in milliseconds, where ``summaries`` of 100k takes half a second."""
        rows = self._catalog.summaries(SQL_ORDER_BY.get(order, SQL_ORDER_BY["date"]), count)
        return rows, self._catalog.count()

    def date_sources(self, article_ids: Iterable[str] | None = None) -> DateSources:
        """Where the dates of the articles (all, or these ids) came from, and how many have none."""
        return self._catalog.date_sources(article_ids)

    def article(self, article_id: str) -> Article | LoadIssue:
        """The article as it is on disk now (the file is read again)."""
        from reader.core.loader import load_article

        entry = self._catalog.entry(article_id)
        if entry is not None:
            return load_article(entry.path, self.root)
        candidate = (self.root / article_id).resolve() if self.root.is_dir() else self.root
        if self.root != candidate and self.root not in candidate.parents:
            return LoadIssue(Path(article_id), "not an article of this folder", True)
        return load_article(candidate, self.root)

    def extraction(self, article_id: str) -> Extraction:
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
        on_catalog: Callable[[int, int], None] | None = None,
    ) -> SyncReport:
        """Bring the index in line with the folder, reading only new and changed files.

        ``on_progress(done, total)`` counts files read; ``on_wait(message)`` is called once if
        another process is updating this corpus's index and this sync has to wait for it.
        ``paths``: look only at these files (ones known to have changed, e.g. by a file
        watcher), skipping the scan of the whole folder. ``on_catalog(listed, indexed)``: the
        catalog gained rows (a batch listed by the first pass over many new files, or a chunk
        indexed); ``summaries()`` has them, and searches find the indexed ones.
        """
        from reader.core.pipeline.sync import Syncer

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
                on_catalog=on_catalog,
                stop=self._stop_sync,
            )
            report = syncer.run(rebuild=rebuild, paths=None if paths is None else list(paths))
            self.analysis.refresh_wording()  # once for the whole sync, not once per chunk
            self._after_write()
        if self._tag_store_failed:
            notes.append("the tag store could not be opened; tags are not searchable this time")
            self._tag_store_failed = False
        return dataclasses.replace(
            report, messages=(*notes, *report.messages), seconds=time.perf_counter() - started
        )

    def stop_sync(self) -> None:
        """The library is closing: a sync under way (or one about to start) ends soon, raising
        ``SyncStopped``; the chunks it committed stay, and the next sync does not read them again."""
        self._stop_sync.set()

    def sync_changes(
        self,
        paths: Iterable[Path] | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        *,
        rebuild: bool = False,
        on_wait: Callable[[str], None] | None = None,
        on_catalog: Callable[[int, int], None] | None = None,
    ) -> FolderChanges:
        """``sync``, telling which articles it added, changed, renamed and removed: what a list
        kept live applies. With ``paths`` only those files are looked at (and compared)."""
        given = None if paths is None else list(paths)
        with self._write_lock:
            ids = None if given is None else self._ids_of(given)
            before, count_before = self._states(ids), self._catalog.count()
            report = self.sync(on_progress, rebuild=rebuild, on_wait=on_wait, paths=given, on_catalog=on_catalog)
            after, count_after = self._states(ids), self._catalog.count()
        # A sync of some files may have had to rebuild the whole index: then reload everything.
        complete = ids is None or count_after - count_before == len(after.keys() - before.keys()) - len(
            before.keys() - after.keys()
        )
        return FolderChanges.between(before, after, report, first=count_before == 0, complete=complete)

    def _ids_of(self, paths: Iterable[Path]) -> list[str]:
        from reader.core.pipeline.scan import relative_id

        return [relative_id(Path(path).parent.resolve() / Path(path).name, self.root) for path in paths]

    def _states(self, article_ids: Iterable[str] | None) -> dict[str, FileState]:
        if article_ids is None:
            return self._catalog.stats()
        entries = self._catalog.entries_for(article_ids)
        return {article_id: (entry.size, entry.mtime_ns, entry.fingerprint) for article_id, entry in entries.items()}

    def summaries_for(self, article_ids: Iterable[str]) -> dict[str, ArticleSummary]:
        """The list rows of some articles (those a sync just added or changed), by id."""
        return {
            entry.id: ArticleSummary(
                entry.id, entry.path, entry.title, entry.date, entry.date_text, entry.outlet, entry.author, entry.tags
            )
            for entry in self._catalog.entries_for(article_ids).values()
        }

    def _after_write(self) -> None:
        self._open.close()  # reopened, with the new commit, by the next search

    # --- searching ----------------------------------------------------------------------------

    def search(self, query: str, limit: int | None = 200, *, sort: str = "relevance") -> SearchResult:
        """Ranked hits for ``query`` (see the README's query language); ``limit=None`` returns
        every match.

        Raises ``QueryError`` (one line for the user) for a query it cannot run, and nothing
        else for any input. ``sort``: one of ``ordering.SEARCH_SORTS``.
        """
        if sort not in SEARCH_SORTS:
            raise ValueError(f"sort must be one of {', '.join(SEARCH_SORTS)}")
        started = time.perf_counter()
        node = parse(query)
        if node is None:
            return SearchResult(query, ())
        node = self._with_linked_people(node)
        count = limit if limit is not None else max(self._catalog.count(), 1)
        by_key = sort in KEYED_SORTS
        found = self._run(node, max(self._catalog.count(), 1) if by_key else count, index_sort(sort))
        entries = self._catalog.entries_for(article_id for article_id, _ in found.hits)
        ranked = [(article_id, score) for article_id, score in found.hits if article_id in entries]
        if by_key:
            ranked.sort(key=lambda hit: field_sort_key(getattr(entries[hit[0]], sort)))
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
            for article_id, score in ranked[: max(count, 0)]
        )
        listed, indexed = self._catalog.counts() if self._catalog.has_pending() else (0, 0)
        return SearchResult(
            query=query,
            hits=hits,
            terms=found.terms,
            total=found.total,
            partial=found.partial,
            seconds=time.perf_counter() - started,
            estimated=found.estimated,
            indexed=indexed,
            listed=listed,
        )

    def _with_linked_people(self, node: Node) -> Node:
        """``person:"Full Name"`` (and ``quoted:``) also finds the person's other spellings and the
        articles that give only their surname, where the corpus links it to them."""
        if isinstance(node, All | AnyOf):
            return type(node)(tuple(self._with_linked_people(item) for item in node.items))
        if isinstance(node, Not):
            return Not(self._with_linked_people(node.item))
        if not isinstance(node, Phrase) or node.field not in ("people", "quoted") or len(node.text.split()) < 2:
            return node
        try:
            match = self.analysis.person_match(node.text)
        except Exception:  # noqa: BLE001 - an analysis that cannot be read leaves the search as typed
            return node
        if match is None:
            return node
        spellings = [Phrase(spelling, node.field) for spelling in dict.fromkeys((node.text, *match.spellings))]
        linked = [
            InArticles(Phrase(written, node.field), frozenset(ids)) for written, ids in match.linked.items()
        ]
        return AnyOf((*spellings, *linked)) if len(spellings) + len(linked) > 1 else node

    def matching_ids(self, query: str) -> list[str]:
        """The ids of every article ``query`` finds, best first, without titles or snippets:
        what a saved search's count is made of. Raises ``QueryError`` like ``search``."""
        node = parse(query)
        if node is None:
            return []
        found = self._run(node, max(self._catalog.count(), 1), "relevance")
        return [article_id for article_id, _ in found.hits]

    def _run(self, node: Node, count: int, sort: str) -> RawHits:
        """Run a parsed query on the index; a damaged index becomes a one-line ``QueryError``."""
        try:
            return self._index().run(node, count, sort)
        except QueryError:
            raise
        except Exception as error:
            self._after_write()
            raise QueryError(
                f"the search index could not be read ({type(error).__name__}); it is rebuilt at the next sync"
            ) from error

    def _index(self) -> SearchIndex:
        from reader.core.index.searcher import SearchIndex

        with self._cache_lock:
            if self._open.search_index is None:
                self._open.search_index = SearchIndex(self._folder.index_dir)
            return self._open.search_index

    def term_spans(self, text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
        """Spans of ``text`` (an article's text) whose words match ``terms`` (``SearchResult.terms``)."""
        from reader.core.index.terms import term_spans

        return term_spans(text, terms)

    def snippet(self, article_id: str, terms: Iterable[str]) -> Snippet:
        """The snippet of one article for ``terms``: what ``SearchHit.snippet`` is made with."""
        return self._snippet_maker(frozenset(terms))(article_id)

    def _snippet_maker(self, terms: frozenset[str]) -> Callable[[str], Snippet]:
        def make(article_id: str) -> Snippet:
            from reader.core.index.highlight import snippet

            found = self._catalog.text(article_id)  # the text as indexed, and where its body starts
            if found is None:
                return "", ()
            text, body_start = found
            return snippet(text, terms, body_start)

        return make

    # --- the user's tags ----------------------------------------------------------------------

    def _tags(self) -> TagStore | None:
        """The tag store (opened on first use); None when it cannot be opened."""
        if self._tag_store is None and self._owns_tag_store and not self._tag_store_failed:
            from reader.core.tags import TagStore, TagStoreError

            try:
                self._tag_store = TagStore()
            except TagStoreError:
                self._tag_store_failed = True
        return self._tag_store

    def _required_tags(self) -> TagStore:
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
        return self._required_tags().all_tags()

    def add_tags(self, article_ids: Sequence[str], tags: Iterable[str]) -> None:
        """Tag the articles (one transaction), then re-index them so ``tag:`` finds them at once."""
        self._change_tags(article_ids, list(tags), adding=True)

    def remove_tags(self, article_ids: Sequence[str], tags: Iterable[str]) -> None:
        self._change_tags(article_ids, list(tags), adding=False)

    def _change_tags(self, article_ids: Sequence[str], tags: list[str], *, adding: bool) -> None:
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
            self._reindex(list(entries))

    def _reindex(self, article_ids: list[str]) -> None:
        """Index these articles again at once, so ``tag:``, ``note:`` and ``highlight:`` find
        them as they are now (the caller holds the write lock)."""
        from reader.core.pipeline.sync import Syncer

        Syncer(self._folder, self._catalog, tag_store=self._required_tags(), analysis=None).run(retag_ids=article_ids)
        self._after_write()

    # --- the user's highlights and notes ------------------------------------------------------

    def annotations_of(self, article_id: str) -> Annotations:
        """The user's note on an article and its highlights (not yet placed in the text)."""
        from reader.core.tags import Annotations

        entry = self._catalog.entry(article_id)
        if entry is None:
            return Annotations()
        return self._required_tags().annotations.annotations_for(entry)

    def add_highlight(
        self, article_id: str, start: int, end: int, note: str = "", *, seen_text: str | None = None
    ) -> Highlight:
        """Highlight ``[start, end)`` of the article's text (merging highlights it overlaps), then
        re-index it; ``KeyError`` for an article not indexed.

        ``seen_text``: the text the offsets point into, when it may be older than the file (the
        text on screen): the passage is then found in the file as it is now, or ``ValueError``.
        """
        from reader.core.tags import anchor, describe

        article = self._indexed_article(article_id)
        if seen_text is not None and seen_text != article.text:
            moved = anchor(article.text, describe(seen_text, start, end), start)
            if moved is None:
                raise ValueError("the file changed on disk and the passage is no longer in it")
            start, end = moved.start, moved.end
        with self._write_lock:
            highlight = self._required_tags().annotations.add_highlight(article, start, end, note)
            self._reindex([article_id])
        return highlight

    def set_highlight_note(self, article_id: str, highlight_id: str, note: str) -> Highlight:
        with self._write_lock:
            highlight = self._required_tags().annotations.set_highlight_note(highlight_id, note)
            self._reindex([article_id])
        return highlight

    def remove_highlight(self, article_id: str, highlight_id: str) -> None:
        with self._write_lock:
            self._required_tags().annotations.remove_highlights([highlight_id])
            self._reindex([article_id])

    def set_article_note(self, article_id: str, note: str) -> None:
        """The note on the article as a whole ("" takes it off)."""
        article = self._indexed_article(article_id)
        with self._write_lock:
            self._required_tags().annotations.set_article_note(article, note)
            self._reindex([article_id])

    def _indexed_article(self, article_id: str) -> Article:
        if self._catalog.entry(article_id) is None:
            raise KeyError(f"not an indexed article: {article_id}")
        article = self.article(article_id)
        if isinstance(article, LoadIssue):
            raise OSError(f"{article_id} cannot be read: {article.reason}")
        return article

    # --- saved searches -------------------------------------------------------------------------

    def saved_searches(self) -> SavedSearches:
        """The user's saved searches (kept in the tag store), read for this folder."""
        from reader.core.paths import corpus_key
        from reader.core.tags.saved_searches import SavedSearches

        return SavedSearches(self._required_tags(), corpus_key(self.root))

    def saved_search_statuses(self) -> list[SavedSearchStatus]:
        """Every saved search run on this folder: its count, and how many matches are new since
        it was last opened here. A query that no longer runs gets its error, not an exception."""
        from reader.core.tags.saved_searches import SavedSearchStatus

        statuses = []
        for search in self.saved_searches().all():
            try:
                ids = self.matching_ids(search.query)
            except QueryError as error:
                statuses.append(SavedSearchStatus(search, error=str(error)))
                continue
            new = search.new_among(ids)
            statuses.append(SavedSearchStatus(search, len(ids), None if new is None else len(new)))
        return statuses

    # --- cross-article analysis ---------------------------------------------------------------

    @property
    def analysis(self) -> CorpusAnalysis:
        """The corpus's ``CorpusAnalysis`` (quote clusters, people, duplicates), kept by sync."""
        if self._analysis is None:
            from reader.core.cross_article import CorpusAnalysis

            with self._cache_lock:
                if self._analysis is None:
                    self._analysis = CorpusAnalysis(self._folder.analysis_path)
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
        self.search_index: SearchIndex | None = None

    def close(self) -> None:
        if self.search_index is not None:
            self.search_index.close()
            self.search_index = None
