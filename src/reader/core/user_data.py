"""The user's own data as one library uses it: tags, highlights, notes and saved searches.

All of it lives in the tag store (``reader.core.tags``), the truth the index follows: a change is
saved there first, then the articles it touches are indexed again at once, so ``tag:``,
``note:`` and ``highlight:`` searches find them as they are now. ``Library`` delegates its user
data methods here and stays about the folder and its index.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Sequence
from typing import TYPE_CHECKING

from reader.core.files import telling_a_full_disk
from reader.core.index.catalog import Catalog
from reader.core.index.query import QueryError
from reader.core.models import Article, LoadIssue
from reader.core.paths import IndexFolder, corpus_key

# Imported where first used: opening a library stays instant (see ``reader.core.library``).
if TYPE_CHECKING:
    from reader.core.tags import Annotations, Highlight, TagStore
    from reader.core.tags.saved_searches import SavedSearches, SavedSearchStatus


class UserData:
    """The tag store of one library (opened on first use, unless one is given) and every change
    to what the user added to its articles. It holds what it needs of the library, never the
    library itself (a library dropped unclosed is freed at once): its index folder, its catalog
    (the library sets a new one here when it replaces a damaged one), the lock of its writes,
    and what closes its open index after a write (so the next search sees the commit)."""

    def __init__(
        self,
        folder: IndexFolder,
        catalog: Catalog,
        write_lock: threading.RLock,
        after_write: Callable[[], None],
        tag_store: TagStore | None,
    ) -> None:
        self.folder = folder
        self.catalog = catalog
        self._write_lock = write_lock
        self._after_write = after_write
        self._store = tag_store
        self._owns_store = tag_store is None
        self._store_failed = False

    # --- the tag store -----------------------------------------------------------------------

    def store(self) -> TagStore | None:
        """The tag store (opened on first use); None when it cannot be opened."""
        if self._store is None and self._owns_store and not self._store_failed:
            from reader.core.tags import TagStore, TagStoreError

            try:
                self._store = TagStore()
            except TagStoreError:
                self._store_failed = True
        return self._store

    def required(self) -> TagStore:
        store = self.store()
        if store is None:
            raise RuntimeError("the tag store is not available")
        return store

    def take_failure(self) -> bool:
        """Whether the store could not be opened since this was last asked (a sync says so)."""
        failed, self._store_failed = self._store_failed, False
        return failed

    def close(self) -> None:
        if self._owns_store and self._store is not None:
            self._store.close()

    def reindex(self, article_ids: list[str]) -> None:
        """Index these articles again at once (the caller holds the write lock)."""
        from reader.core.pipeline.sync import Syncer

        try:
            Syncer(self.folder, self.catalog, tag_store=self.required(), analysis=None).run(retag_ids=article_ids)
        finally:
            self._after_write()

    # --- tags --------------------------------------------------------------------------------

    def tags_of(self, article_id: str) -> tuple[str, ...]:
        entry = self.catalog.entry(article_id)
        if entry is None:
            return ()
        return tuple(self.required().tags_for(entry))

    def all_tags(self) -> list[tuple[str, int]]:
        return self.required().all_tags()

    def change_tags(self, article_ids: Sequence[str], tags: Iterable[str], *, adding: bool) -> None:
        """Tag the articles or untag them (one transaction), then re-index them."""
        entries = self.catalog.entries_for(article_ids)
        unknown = [article_id for article_id in article_ids if article_id not in entries]
        if unknown:
            raise KeyError(f"not an indexed article: {unknown[0]}")
        store = self.required()
        with self._write_lock:
            with telling_a_full_disk(store.path.parent, "the tags were not saved; the tags saved before are kept"):
                if adding:
                    store.add(list(entries.values()), list(tags))
                else:
                    store.remove(list(entries.values()), list(tags))
            unsaved = "the tags are saved, but tag: searches find them only after the next sync"
            with telling_a_full_disk(self.folder.base, unsaved):
                self.reindex(list(entries))

    # --- highlights and notes ----------------------------------------------------------------

    def annotations_of(self, article_id: str) -> Annotations:
        from reader.core.tags import Annotations

        entry = self.catalog.entry(article_id)
        if entry is None:
            return Annotations()
        return self.required().annotations.annotations_for(entry)

    def add_highlight(self, article_id: str, start: int, end: int, note: str, seen_text: str | None) -> Highlight:
        """See ``Library.add_highlight``."""
        from reader.core.tags import anchor, describe

        article = self._indexed_article(article_id)
        if seen_text is not None and seen_text != article.text:
            moved = anchor(article.text, describe(seen_text, start, end), start)
            if moved is None:
                raise ValueError("the file changed on disk and the passage is no longer in it")
            start, end = moved.start, moved.end
        with self._write_lock:
            highlight = self.required().annotations.add_highlight(article, start, end, note)
            self.reindex([article_id])
        return highlight

    def set_highlight_note(self, article_id: str, highlight_id: str, note: str) -> Highlight:
        with self._write_lock:
            highlight = self.required().annotations.set_highlight_note(highlight_id, note)
            self.reindex([article_id])
        return highlight

    def remove_highlight(self, article_id: str, highlight_id: str) -> None:
        with self._write_lock:
            self.required().annotations.remove_highlights([highlight_id])
            self.reindex([article_id])

    def set_article_note(self, article_id: str, note: str) -> None:
        article = self._indexed_article(article_id)
        with self._write_lock:
            self.required().annotations.set_article_note(article, note)
            self.reindex([article_id])

    def _indexed_article(self, article_id: str) -> Article:
        """The article as it is on disk now (the file read again)."""
        from reader.core.loader import load_article

        entry = self.catalog.entry(article_id)
        if entry is None:
            raise KeyError(f"not an indexed article: {article_id}")
        article = load_article(entry.path, self.folder.root)
        if isinstance(article, LoadIssue):
            raise OSError(f"{article_id} cannot be read: {article.reason}")
        return article

    # --- saved searches ----------------------------------------------------------------------

    def saved_searches(self) -> SavedSearches:
        from reader.core.tags.saved_searches import SavedSearches

        return SavedSearches(self.required(), corpus_key(self.folder.root))

    def saved_search_statuses(self, matching_ids: Callable[[str], list[str]]) -> list[SavedSearchStatus]:
        """Every saved search run on this folder (by ``matching_ids``): its count, and how many
        matches are new since it was last opened here. A query that no longer runs gets its
        error, not an exception."""
        from reader.core.tags.saved_searches import SavedSearchStatus

        statuses = []
        for search in self.saved_searches().all():
            try:
                ids = matching_ids(search.query)
            except QueryError as error:
                statuses.append(SavedSearchStatus(search, error=str(error)))
                continue
            new = search.new_among(ids)
            statuses.append(SavedSearchStatus(search, len(ids), None if new is None else len(new)))
        return statuses
