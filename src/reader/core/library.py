"""The one object the UI and the CLI talk to: a corpus folder with its index, tags and analysis.

Start-up reads only the catalog (SQLite), so ``summaries()`` is instant on a large corpus and
Whoosh is not even imported until the first ``sync`` or ``search``. Everything derived from the
files lives in the user's cache folder (``reader.core.paths.IndexFolder``), never in the
corpus; the user's tags live in the tag store, which is the truth the index follows.
"""

from __future__ import annotations

import dataclasses
import sqlite3
import threading
import time
import weakref
import zlib
from collections import OrderedDict
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from reader.core import damage
from reader.core.damage import IndexReadError
from reader.core.files import MissingFiles, telling_a_full_disk
from reader.core.index.catalog import Catalog
from reader.core.index.query import Node, QueryError, SearchCancelled, Stop, parse, with_linked_people
from reader.core.models import (
    Article,
    ArticleSummary,
    DateSources,
    FolderChanges,
    LoadIssue,
    SearchHit,
    SearchResult,
    Snippet,
    SyncReport,
)
from reader.core.ordering import KEYED_SORTS, SEARCH_SORTS, SQL_ORDER_BY, field_sort_key, index_sort
from reader.core.paths import IndexFolder
from reader.core.user_data import UserData

# Each of these imports something heavy (Whoosh, YAML, the extraction lexicons): the modules
# are imported where first used, so that opening a library and listing it stays instant.
if TYPE_CHECKING:
    from reader.core.cross_article import CorpusAnalysis, PersonMatch
    from reader.core.extraction import Extraction
    from reader.core.index.searcher import RawHits, SearchIndex
    from reader.core.pipeline.sync import Syncer
    from reader.core.tags import Annotations, Highlight, TagStore
    from reader.core.tags.saved_searches import SavedSearches, SavedSearchStatus

__all__ = ["ArticleSummary", "IndexReadError", "Library", "QueryError", "SearchHit", "SearchResult", "SyncReport"]

_EXTRACTION_CACHE_SIZE = 64
_CATALOG_READ_ERRORS = (sqlite3.DatabaseError, zlib.error, UnicodeDecodeError)
_INDEX_NOT_SAVED = "the index was not brought up to date; nothing indexed before is lost"


class Library:
    """A corpus folder and everything derived from it. Safe to share between threads."""

    def __init__(self, root: Path, *, tag_store: TagStore | None = None) -> None:
        self.root = root.expanduser().resolve()
        self._folder = IndexFolder.of(self.root)
        self._checks = damage.Checks(self._folder)
        self._notes: list[str] = []  # told to the user by the next sync
        self._catalog = damage.open_catalog(self._folder.catalog_path, self._notes)
        self._analysis: CorpusAnalysis | None = None
        self._open = _OpenIndex()
        # A library dropped without close() still closes its index files (no leaked handles).
        self._finalizer = weakref.finalize(self, self._open.close)
        self._write_lock = threading.RLock()  # one sync or tag change at a time in this process
        self._cache_lock = threading.Lock()
        self._extractions: OrderedDict[tuple[str, str], Extraction] = OrderedDict()
        self._missing = MissingFiles(self.root)
        self._user = UserData(self._folder, self._catalog, self._write_lock, self._open.close, tag_store)
        self._stop_sync = threading.Event()  # set by ``stop_sync``: the library is closing
        self._last_syncer: Syncer | None = None  # the last sync's, for ``sync_changes``

    # --- lists and articles -------------------------------------------------------------------

    def summaries(self, known: Mapping[str, ArticleSummary] | None = None) -> list[ArticleSummary]:
        """Every listed article (while a first build runs, also those not indexed yet), by id, from the
        catalog (no file read, Whoosh not imported), keeping those of ``known`` whose row is unchanged.
        Empty when the catalog cannot be read (noted: the next sync rebuilds it)."""
        try:
            return self._catalog.summaries(known=known)
        except _CATALOG_READ_ERRORS as error:
            self._checks.catalog_read_error(error)
            return []

    def first_summaries(self, order: str, count: int) -> tuple[list[ArticleSummary], int]:
        """The first ``count`` articles in list ``order`` (see ``ordering``), and how many there
        are in all: a screenful in milliseconds, where ``summaries`` of 100k takes half a second."""
        try:
            rows = self._catalog.summaries(SQL_ORDER_BY.get(order, SQL_ORDER_BY["date"]), count)
            return rows, self._catalog.count()
        except _CATALOG_READ_ERRORS as error:
            self._checks.catalog_read_error(error)
            return [], 0

    def date_sources(self, article_ids: Iterable[str] | None = None) -> DateSources:
        """Where the dates of the articles (all, or these ids) came from, and how many have none."""
        return self._catalog.date_sources(article_ids)

    def article(self, article_id: str) -> Article | LoadIssue:
        """The article as it is on disk now (the file is read again)."""
        from reader.core.loader import load_article

        try:
            entry = self._catalog.entry(article_id)
        except _CATALOG_READ_ERRORS as error:
            self._checks.catalog_read_error(error)
            entry = None
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
        watcher), skipping the scan of the whole folder. ``on_catalog(listed, indexed)``: rows
        were listed (a first open) or indexed; ``summaries()`` has them, searches the indexed.
        """
        from reader.core.pipeline.sync import Syncer

        started = time.perf_counter()
        self._last_syncer = None

        def run(suspect: str | None) -> SyncReport:
            syncer = self._last_syncer = Syncer(
                self._folder, self._catalog, tag_store=self._user.store(), analysis=self.analysis, suspect=suspect,
                on_progress=on_progress, on_wait=on_wait, on_catalog=on_catalog, stop=self._stop_sync,
            )
            return syncer.run(rebuild=rebuild, paths=None if paths is None else list(paths))

        with self._write_lock, telling_a_full_disk(self._folder.base, _INDEX_NOT_SAVED):
            report = self._repairing(run)
            self.analysis.refresh_wording()  # once for the whole sync, not once per chunk
            notes, self._notes = self._notes, []
        self._missing.clear()  # dropped by the sync, or back
        if self._user.take_failure():
            notes.append("the tag store could not be opened; tags are not searchable this time")
        return dataclasses.replace(report, messages=(*notes, *report.messages), seconds=time.perf_counter() - started)

    def stop_sync(self) -> None:
        """Closing: a sync ends soon (``SyncStopped``), keeping what it committed for the next."""
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
        kept live applies (a first build only says so: 100k rows listed as added held ~50 MB).
        With ``paths`` only those files are looked at (and compared)."""
        given = None if paths is None else list(paths)
        with self._write_lock:
            ids = None if given is None else self._ids_of(given)
            catalog, count_before = self._catalog, self._catalog.count()
            before = None if ids is None else catalog.stats_for(ids)
            report = self.sync(on_progress, rebuild=rebuild, on_wait=on_wait, paths=given, on_catalog=on_catalog)
            syncer = self._take_last_syncer()
            if before is None and syncer is not None and self._catalog is catalog:  # the whole folder
                if syncer.folder_unchanged:  # as the catalog knew it: no row read, before or after
                    return FolderChanges(report, first=count_before == 0)
                before = syncer.compared  # the rows the sync compared the folder with
            if count_before == 0:  # nothing is new: the list reads every row
                return FolderChanges(report, first=True, complete=False)
            after = self._catalog.stats() if ids is None else self._catalog.stats_for(ids)
            count_after = self._catalog.count()
        # A sync of some files may have had to rebuild the whole index, or the rows before are
        # not known (the catalog was made anew): then reload everything.
        grown = count_after - count_before
        complete = before is not None and (
            ids is None or grown == len(after.keys() - before.keys()) - len(before.keys() - after.keys())
        )
        return FolderChanges.between(before or {}, after, report, first=count_before == 0, complete=complete)

    def _take_last_syncer(self) -> Syncer | None:
        """What the last sync compared the folder with; not kept (100k rows)."""
        syncer, self._last_syncer = self._last_syncer, None
        return syncer

    def _ids_of(self, paths: Iterable[Path]) -> list[str]:
        from reader.core.pipeline.scan import relative_id

        return [relative_id(Path(path).parent.resolve() / Path(path).name, self.root) for path in paths]

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

    def _repairing(self, run: Callable[[str | None], SyncReport]) -> SyncReport:
        """``run`` a sync, after making anew what a failed read noted damaged (the index is
        passed on as suspect, to be checked in full). A catalog or an analysis that breaks
        under the sync itself is checked, noted and made anew in a second round."""
        for attempt in (1, 2):
            noted = self._checks.noted()
            self._replace_damaged_stores(noted)
            try:
                report = run(noted.get(damage.INDEX))
            except _CATALOG_READ_ERRORS as error:
                if attempt == 2 or isinstance(error, sqlite3.OperationalError) or not self._checks.stores():
                    raise
                continue
            finally:
                self._after_write()
            damage.clear_damage(self._folder, set(noted))
            return report
        raise AssertionError("unreachable")

    # --- damage: noted by a failed read, repaired by the next sync ----------------------------

    def _replace_damaged_stores(self, noted: dict[str, str]) -> None:
        """Start the catalog or the analysis afresh when a failed read found them damaged (the
        sync then reads every file again, or re-analyses every article)."""
        if damage.CATALOG in noted:
            self._catalog.close()
        if damage.ANALYSIS in noted and self._analysis is not None:
            self._analysis.close()
            self._analysis = None
        self._notes += damage.remove_damaged_stores(self._folder, noted)
        if damage.CATALOG in noted:
            self._catalog = self._user.catalog = Catalog(self._folder.catalog_path)

    def damage_noted(self) -> bool:
        """Whether a failed read or a check noted damage that the next sync is to repair."""
        return bool(self._checks.noted())

    def verify(self) -> str | None:
        """Check every file of the index against its checksum (see ``damage.Checks.verify``)."""
        return self._checks.verify()

    # --- searching ----------------------------------------------------------------------------

    def prepare_search(self, typed: str = "") -> None:
        """Open the index before the first search needs it (~0.1 s at 100k); see ``SearchIndex.prepare``."""
        self._index().prepare(typed)

    def search(
        self, query: str, limit: int | None = 200, *, sort: str = "relevance", stop: Stop = None
    ) -> SearchResult:
        """Ranked hits for ``query`` (the README's query language); ``limit=None``: every match.
        Raises ``QueryError`` (one line for the user) for a query it cannot run, and nothing
        else for any input. ``sort``: one of ``ordering.SEARCH_SORTS``; ``stop``: see ``Stop``.
        """
        if sort not in SEARCH_SORTS:
            raise ValueError(f"sort must be one of {', '.join(SEARCH_SORTS)}")
        started = time.perf_counter()
        node = parse(query)
        if node is None:
            return SearchResult(query, ())
        node = with_linked_people(node, self._person_match)
        try:
            total = self._catalog.count()
        except _CATALOG_READ_ERRORS as error:
            raise self._checks.catalog_read_error(error) from error
        count = limit if limit is not None else max(total, 1)
        by_key = sort in KEYED_SORTS
        found = self._run(node, max(total, 1) if by_key else count, sort, stop)
        try:
            entries = self._catalog.entries_for(article_id for article_id, _ in found.hits)
        except _CATALOG_READ_ERRORS as error:
            raise self._checks.catalog_read_error(error) from error
        ranked = [(article_id, score) for article_id, score in found.hits if article_id in entries]
        if by_key:
            ranked.sort(key=lambda hit: field_sort_key(getattr(entries[hit[0]], sort)))
        make_snippet = self._snippet_maker(found.terms)
        present, missing = self._missing.present(ranked, lambda article_id: entries[article_id].path, max(count, 0))
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
            for article_id, score in present
        )
        listed, indexed = self._catalog.counts() if self._catalog.has_pending() else (0, 0)
        return SearchResult(
            query=query, hits=hits, terms=found.terms, total=max(found.total - missing, len(hits)),
            partial=found.partial, seconds=time.perf_counter() - started, estimated=found.estimated,
            missing=missing, indexed=indexed, listed=listed,
        )

    def folder_present(self) -> bool:
        """Whether the folder is there (not deleted, not unmounted to an empty mount point)."""
        return self._missing.folder_present()

    def missing_ids(self) -> frozenset[str]:
        """Articles found gone from the folder since the last sync (which drops them)."""
        return self._missing.ids()

    def _run(self, node: Node, count: int, sort: str, stop: Stop = None) -> RawHits:
        """The query on the index; once more on the index opened afresh if that fails (another
        process may have just committed), then the failure is checked, noted and reported."""
        for attempt in (1, 2):
            try:
                return self._index().run(node, count, index_sort(sort), stop)
            except (QueryError, SearchCancelled):
                raise
            except Exception as error:
                self._after_write()
                if attempt == 2:
                    raise self._checks.index_read_error(error) from error
        raise AssertionError("unreachable")

    def _person_match(self, name: str) -> PersonMatch | None:
        try:
            return self.analysis.person_match(name)
        except Exception:  # noqa: BLE001 - an analysis that cannot be read leaves the search as typed
            return None

    def matching_ids(self, query: str) -> list[str]:
        """The ids of every article ``query`` finds, best first, without titles or snippets:
        what a saved search's count is made of. Raises ``QueryError`` like ``search``."""
        node = parse(query)
        if node is None:
            return []
        found = self._run(node, max(self._catalog.count(), 1), "relevance")
        return [article_id for article_id, _ in found.hits]

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

            try:
                found = self._catalog.text(article_id)  # the text as indexed, and where its body starts
            except _CATALOG_READ_ERRORS as error:
                self._checks.catalog_read_error(error)
                return "", ()
            if found is None:
                return "", ()
            text, body_start = found
            return snippet(text, terms, body_start)

        return make

    # --- the user's tags, highlights, notes and saved searches (see ``user_data``) -----------

    def tags_of(self, article_id: str) -> tuple[str, ...]:
        """The user's tags of one article, from the tag store (the truth)."""
        return self._user.tags_of(article_id)

    def all_tags(self) -> list[tuple[str, int]]:
        """Every tag with how many articles carry it, most used first."""
        return self._user.all_tags()

    def add_tags(self, article_ids: Sequence[str], tags: Iterable[str]) -> None:
        """Tag the articles (one transaction), then re-index them so ``tag:`` finds them at once."""
        self._user.change_tags(article_ids, tags, adding=True)

    def remove_tags(self, article_ids: Sequence[str], tags: Iterable[str]) -> None:
        self._user.change_tags(article_ids, tags, adding=False)

    def annotations_of(self, article_id: str) -> Annotations:
        """The user's note on an article and its highlights (not yet placed in the text)."""
        return self._user.annotations_of(article_id)

    def add_highlight(
        self, article_id: str, start: int, end: int, note: str = "", *, seen_text: str | None = None
    ) -> Highlight:
        """Highlight ``[start, end)`` of the article's text (merging highlights it overlaps), then
        re-index it; ``KeyError`` for an article not indexed.

        ``seen_text``: the text the offsets point into, when it may be older than the file (the
        text on screen): the passage is then found in the file as it is now, or ``ValueError``.
        """
        return self._user.add_highlight(article_id, start, end, note, seen_text)

    def set_highlight_note(self, article_id: str, highlight_id: str, note: str) -> Highlight:
        return self._user.set_highlight_note(article_id, highlight_id, note)

    def remove_highlight(self, article_id: str, highlight_id: str) -> None:
        self._user.remove_highlight(article_id, highlight_id)

    def set_article_note(self, article_id: str, note: str) -> None:
        """The note on the article as a whole ("" takes it off)."""
        self._user.set_article_note(article_id, note)

    def saved_searches(self) -> SavedSearches:
        """The user's saved searches (kept in the tag store), read for this folder."""
        return self._user.saved_searches()

    def saved_search_statuses(self) -> list[SavedSearchStatus]:
        """Every saved search with its count and how many matches are new (see ``user_data``)."""
        return self._user.saved_search_statuses(self.matching_ids)

    def _required_tags(self) -> TagStore:
        return self._user.required()

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
            self._user.close()

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
