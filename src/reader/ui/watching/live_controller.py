"""The live folder: files added, changed, renamed or deleted while the app is open show in the list.

A ``FolderWatcher`` thread reports which files changed; they queue here, and one thread worker
at a time syncs the queued files (only those: ``Library.sync_changes``), so a burst of
thousands becomes a few batches. The list then takes the changed rows without reading the
catalog again. Articles that arrived since the user last looked are marked new (✚).
"""

from __future__ import annotations

import os
from functools import partial
from pathlib import Path
from typing import Any, Protocol

from textual.binding import Binding
from textual.screen import Screen

from reader.core.library import Library
from reader.core.live_folder import FolderEvents, FolderWatcher
from reader.core.models import ArticleSummary, FolderChanges, SearchResult
from reader.core.text import visible, visible_name
from reader.ui.controller import Controller
from reader.ui.listing.article_list import ArticleList
from reader.ui.listing.list_controller import ListController
from reader.ui.messages import FolderChecked, ForController
from reader.ui.reading.reading_controller import ReadingController
from reader.ui.settings import Settings

LIVE_BINDINGS = [Binding("w", "next_new", "Next new article", show=False, id="next_new")]
"""Bound on the main screen (see ``LiveActions``)."""

MAX_BATCH_FILES = 2_000
"""Files synced in one go; more wait for the next batch, so the list fills in as they are read."""


class LiveHost(Protocol):
    """What the live folder needs of the screen it serves."""

    library: Library
    listing: ListController
    reading: ReadingController
    settings: Settings

    @property
    def sort(self) -> str: ...

    @property
    def result(self) -> SearchResult | None: ...

    @property
    def query_text(self) -> str: ...

    def refresh_search(self, *, keep_place: bool = False) -> None: ...

    def show_all(self, keep: str | None = None) -> None: ...

    def find_copies(self) -> None: ...

    def remember_open(self, article_id: str) -> None: ...

    def settings_changed(self) -> None: ...

    def update_info(self) -> None: ...


class LiveController(Controller):
    """Watches the folder, syncs what changed, and keeps the list and the "new" marks."""

    def __init__(self, screen: Screen[Any], host: LiveHost) -> None:
        super().__init__(screen)
        self.host = host
        self.watcher: FolderWatcher | None = None
        self.how = "not watched"
        self.pending = FolderEvents()
        self.syncing = False
        self.gone = False  # the folder was deleted or unmounted; the list hides its articles
        self.batches = 0  # syncs run for changes seen while open (the tests count them)
        self._removed_unshown: set[str] = set()  # articles removed since the list was last shown
        self._renamed_unshown: dict[str, str] = {}  # and renamed: old id -> new id

    @property
    def root(self) -> Path:
        return self.host.library.root

    # -- the watcher ------------------------------------------------------------------------

    def start(self, mode: str) -> None:
        """Watch the folder (``live_folder.WATCH_MODES``); changes are queued until the sync
        that opens the folder is done, so none is missed and none is read twice."""
        if self.watcher is not None or mode == "off":
            self.how = "not watched (turned off)" if mode == "off" else self.how
            return
        self.watcher = FolderWatcher(self.root, self._from_watcher, mode=mode, on_state=self._state_from_watcher)
        self.watcher.start()

    def stop(self) -> None:
        if self.watcher is not None:
            self.watcher.stop()
            self.watcher = None
        self.how = "not watched (turned off)"

    @property
    def watching(self) -> bool:
        return self.watcher is not None

    def toggle(self) -> None:
        """Stop watching the folder, or watch it again (and catch up with what changed meanwhile);
        kept in the settings."""
        if self.watching:
            self.stop()
            self.host.settings.watch = "off"
            self.screen.notify("The folder is no longer watched; the palette's \"Rescan the folder\" catches up.")
        else:
            self.host.settings.watch = "auto"
            self.start("auto")
            self.changed(FolderEvents(rescan=True))
        self.host.settings_changed()

    def _from_watcher(self, events: FolderEvents) -> None:
        """On the watcher's thread: hand the events to the UI thread (post_message is safe)."""
        self.screen.post_message(ForController(partial(self.changed, events)))

    def _state_from_watcher(self, how: str, fallback: bool) -> None:
        self.screen.post_message(ForController(partial(self._watching, how, fallback)))

    def _watching(self, how: str, fallback: bool) -> None:
        self.how = how
        if fallback:
            self.screen.notify(visible(f"The folder is {how}.", 300), severity="warning", timeout=8, markup=False)

    # -- syncing what changed ---------------------------------------------------------------

    def changed(self, events: FolderEvents) -> None:
        self.pending = self.pending | events
        self.kick()

    def kick(self) -> None:
        """Sync the queued changes, unless a sync is running (it calls again when done)."""
        if self.syncing or self.host.listing.sync_running or not self.pending:
            return
        if not self._folder_there():
            self.pending = FolderEvents()
            if not self.gone:  # the list hides its articles and says so, once (see ListController)
                self.gone = True
                self.screen.post_message(FolderChecked(present=False))
            return
        if self.gone:  # the list shows them again and says so; the rescan brings it up to date
            self.gone = False
            self.pending = FolderEvents(rescan=True)
            self.screen.post_message(FolderChecked(present=True))
        batch = self._take_batch()
        self.syncing = True
        self.batches += 1
        self.in_thread(partial(self._sync, batch), "live-sync", exclusive=False)

    def _folder_there(self) -> bool:
        """The folder exists, and a whole-folder scan would not find it empty while the list has
        articles: that is what an unmounted folder looks like (its empty mount point), and a
        scan would drop every article, to index them all again when it is mounted."""
        if not self.root.exists():
            return False
        if not (self.pending.rescan and self.root.is_dir() and self.host.listing.summaries):
            return True
        try:
            with os.scandir(self.root) as entries:
                return next(entries, None) is not None
        except OSError:
            return False

    def _take_batch(self) -> list[Path] | None:
        """The files of the next sync (None: the whole folder), leaving the rest queued."""
        if self.pending.rescan:
            self.pending = FolderEvents()
            return None
        paths = sorted(self.pending.paths)
        self.pending = FolderEvents(frozenset(paths[MAX_BATCH_FILES:]))
        return paths[:MAX_BATCH_FILES]

    def _sync(self, paths: list[Path] | None) -> None:
        """In a worker: sync the files, then read the rows of what was added or changed."""
        library = self.host.library
        try:
            changes = library.sync_changes(paths)
            wanted = [*changes.added, *changes.changed, *(new for _, new in changes.renamed)]
            rows = library.summaries_for(wanted) if changes.complete else {}
        except Exception as error:  # noqa: BLE001 - one line; the next change tries again
            self.screen.post_message(ForController(partial(self._failed, f"{type(error).__name__}: {error}")))
            return
        self.screen.post_message(ForController(partial(self.synced, changes, rows)))

    def _failed(self, error: str) -> None:
        self.syncing = False
        self.screen.notify(visible(f"The list could not be updated: {error}", 300), severity="error", markup=False)
        self.kick()

    def synced(self, changes: FolderChanges, rows: dict[str, ArticleSummary]) -> None:
        """Apply a sync's changes to the list (and to the open article), then sync what queued."""
        self.syncing = False
        for message in changes.report.messages:
            self.screen.notify(visible(message, 300), severity="warning", markup=False)
        if changes.any:
            self.apply(changes, rows)
        self.kick()

    def apply(self, changes: FolderChanges, rows: dict[str, ArticleSummary]) -> None:
        """What a sync added, changed, renamed and removed, shown: rows, marks, the open article."""
        listing = self.host.listing
        open_id = self.screen.query_one(ArticleList).open_id
        self._removed_unshown.update(changes.removed)
        self._renamed_unshown.update(changes.renamed)
        if changes.complete:
            listing.apply_changes(changes, rows, self.host.sort, self._show)
        else:
            listing.load_summaries(self.host.sort)
        self.arrived(changes)
        if open_id is not None:
            self._open_article_changed(open_id, changes)

    def _show(self) -> None:
        """Show the list again, the cursor on the article it was on: renamed, under its new name;
        gone, on the next one that stays (the rows shown are still those before the changes)."""
        article_list = self.screen.query_one(ArticleList)
        gone, renamed = self._removed_unshown | set(self._renamed_unshown), self._renamed_unshown
        self._removed_unshown, self._renamed_unshown = set(), {}
        keep = renamed.get(article_list.current_id or "") or article_list.nearest_kept(gone)
        if self.host.query_text:
            self.host.refresh_search(keep_place=True)
        else:
            self.host.show_all(keep=keep)
        self.host.find_copies()

    def _open_article_changed(self, open_id: str, changes: FolderChanges) -> None:
        """The open article's file was renamed, changed or deleted: follow it, or say it is gone."""
        new_id = dict(changes.renamed).get(open_id, open_id if open_id in changes.changed else None)
        if new_id is None:
            if open_id in changes.removed:
                self.screen.notify(
                    visible(f"The file of the open article is gone: {visible_name(open_id, 200)}", 300),
                    severity="warning", markup=False,
                )
            return
        if new_id != open_id:
            self.screen.query_one(ArticleList).set_open(new_id)
            self.host.remember_open(new_id)
        result = self.host.result
        self.host.reading.load(new_id, result.terms if result is not None else frozenset(), keep_place=True)

    def arrived(self, changes: FolderChanges) -> None:
        """Mark what a sync added as new (not the first build of a folder: nothing is new then)."""
        if changes.first or not changes.added:
            return
        self.host.listing.mark_new(changes.added)

    # -- the "new" marks --------------------------------------------------------------------

    def clear_new(self) -> None:
        """Every article marked new counts as seen (the palette's "Mark new articles as seen")."""
        self.host.listing.clear_new()
        self.host.update_info()

    def next_new(self) -> None:
        """``w``: move to the next article marked new in the list (after the cursor, wrapping)."""
        article_list = self.screen.query_one(ArticleList)
        article_id = article_list.next_marked(self.host.listing.new_ids)
        if article_id is None:
            self.screen.notify("Nothing new in this list.", timeout=1.5)
            return
        article_list.move_to(article_id)
        article_list.focus()


class LiveActions:
    """The main screen's ``w`` (bound there), and the watcher stopped with the screen."""

    live: LiveController

    def action_next_new(self) -> None:
        self.live.next_new()

    def on_unmount(self) -> None:
        self.live.stop()
