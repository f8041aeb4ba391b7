"""The list of every article and the sync that keeps the index in line with the folder.

Start-up paints a screenful of rows from one short sorted query, then reads the whole list
(half a second at 100k articles) and sorts it in a worker; sorted lists are kept per order.
While a sync adds rows (a new folder is listed ahead of its index, chunk by chunk), the list
is read again as they come, but never sooner than twice as long as the last reading took after
it ended: reading 100k rows takes a core for half a second, and the build needs the cores. Each
reading keeps the rows that did not change: the app holds one copy of each, not two at a time.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual.screen import Screen
from textual.worker import get_current_worker

from reader.core.files import DiskFull
from reader.core.library import Library
from reader.core.models import ArticleSummary, FolderChanges, LoadIssue, SyncReport
from reader.core.ordering import sort_summaries
from reader.core.text import visible, visible_name
from reader.ui.controller import Controller
from reader.ui.listing.article_list import ArticleList
from reader.ui.listing.status_bar import StatusBar
from reader.ui.messages import (
    CatalogGrew,
    FirstScreenLoaded,
    FolderChecked,
    ForController,
    SummariesLoaded,
    SyncFinished,
    SyncProgress,
)
from reader.ui.settings import update_read_marks

FIRST_SCREEN_ROWS = 200
"""Rows read for the first paint, before the whole list: more than a terminal shows at once."""

PROGRESS_INTERVAL = 0.1
"""Seconds between two progress messages of a sync."""

FOLDER_CHECK_SECONDS = 5.0
"""How often the app looks whether its folder is still there (one directory read)."""

REPAIRS_PER_RUN = 3
"""Syncs started to repair noted damage in one run of the app: a repair that keeps failing is
told once it fails, not retried for ever."""


def skipped_files_message(skipped: Sequence[LoadIssue], root: Path, shown: int = 3) -> str:
    """Name the first few files that were skipped and why; point to ``reader check`` for all."""
    lines = [f"{len(skipped):,} file(s) skipped:"]
    for issue in skipped[:shown]:
        try:
            name = issue.path.relative_to(root)
        except ValueError:
            name = issue.path
        lines.append(visible(f"{visible_name(name, 120)}: {issue.reason}", 200))
    if len(skipped) > shown:
        lines.append(f"… and {len(skipped) - shown:,} more; 'reader check' lists them all.")
    return "\n".join(lines)


class ListController(Controller):
    """Every article the catalog knows, sorted on demand, and the index sync."""

    def __init__(self, screen: Screen[Any], library: Library, read_ids: set[str]) -> None:
        super().__init__(screen)
        self.library = library
        self.read_ids = read_ids  # the list marks the others unread
        self.new_ids: set[str] = set()  # arrived since the user last looked: marked ✚
        self.summaries: dict[str, ArticleSummary] = {}
        self._version = 0  # bumped by every change to ``summaries``, so a stale sort is dropped
        self._sorted: dict[str, list[ArticleSummary]] = {}
        self.sync_running = False
        self.last_sync: SyncReport | None = None
        self._verified = False
        self._repairs = 0
        self.folder_present = True
        self._told_missing = 0  # articles found gone that the user was told about
        self.opened = False  # the sync that opens the folder has ended (done or failed)
        self._unsaved_marks: dict[str, bool] = {}  # article id -> read, not yet on disk
        self._marks_lock = threading.Lock()
        self._undo_marks: list[str] = []  # what the last "mark all read" marked
        self.building: tuple[int, int] | None = None  # (listed, indexed) while a sync adds rows
        self._reading = False  # the whole list is being read
        self._reread = False  # rows came while it was, or too soon after: read it again later
        self._next_read = 0.0  # (monotonic) when the list may be read again for new rows
        self._order = "date"
        self._read_seconds = 0.0

    # -- loading the list -----------------------------------------------------------------------

    def load_first_screen(self, order: str) -> None:
        self.in_thread(partial(self._first_screen, order), "summaries")

    def _first_screen(self, order: str) -> None:
        """A screenful of rows, in the list's order, read in milliseconds."""
        try:
            rows, total = self.library.first_summaries(order, FIRST_SCREEN_ROWS)
        except Exception:  # noqa: BLE001 - the whole-list load that follows says what is wrong
            rows, total = [], 0
        self.screen.post_message(FirstScreenLoaded(rows, total))

    def load_summaries(self, order: str, *, then_sync: bool = False) -> None:
        self._reading, self._order = True, order
        self.in_thread(partial(self._summaries, order, then_sync), "summaries")

    def _summaries(self, order: str, then_sync: bool) -> None:
        started = time.perf_counter()
        try:
            summaries = self.library.summaries(known=self.summaries)  # the unchanged rows kept, not copied
        except Exception as error:  # noqa: BLE001 - a damaged catalog: say so; the sync rebuilds it
            failed = f"{type(error).__name__}: {error}"
            self.screen.post_message(SummariesLoaded([], order, [], then_sync=then_sync, error=failed))
            return
        ordered = sort_summaries(summaries, order)  # here, not in the UI thread: 100k rows take a while
        self._read_seconds = time.perf_counter() - started
        if not get_current_worker().is_cancelled:
            self.screen.post_message(SummariesLoaded(summaries, order, ordered, then_sync=then_sync))

    def keep(self, message: SummariesLoaded) -> bool:
        """Keep a loaded list; True when it is the first one."""
        if message.error is not None:
            self.screen.notify(
                visible(f"The article list could not be read: {message.error}", 300), severity="error", markup=False
            )
        first_load = not self.summaries
        self.summaries = {summary.id: summary for summary in message.summaries}
        self._version += 1
        self._sorted = {message.order: message.ordered}
        self._reading = False
        self._next_read = time.monotonic() + max(2 * self._read_seconds, 0.2)
        if self._reread:
            self._reread = False
            self.screen.set_timer(self._next_read - time.monotonic(), lambda: self.load_summaries(self._order))
        return first_load

    def catalog_grew(self, message: CatalogGrew) -> bool:
        """Read the list again for the rows a sync added; True when more articles became
        searchable (a search under way should run again)."""
        before = self.building
        self.building = (message.listed, message.indexed)
        if self._reading:
            self._reread = True
        elif time.monotonic() < self._next_read:
            self._reading = True  # a reading is as good as under way: later rows wait for it
            self.screen.set_timer(self._next_read - time.monotonic(), lambda: self.load_summaries(self._order))
        else:
            self.load_summaries(self._order)
        return before is None or message.indexed > before[1]

    def row_to_keep(self, open_id: str | None, last_id: str | None) -> str | None:
        """The article the cursor stays on when the list is read again. While a first build
        lists rows, a cursor still on the first row (nobody moved it) stays at the top: it was
        only the first of a screenful of rows, not a place in the list."""
        article_list = self.screen.query_one(ArticleList)
        if self.building is not None and article_list.cursor == 0 and open_id is None:
            return None
        return article_list.current_id or last_id

    def sorted_summaries(self, order: str) -> list[ArticleSummary]:
        if order not in self._sorted:
            self._sorted[order] = sort_summaries(list(self.summaries.values()), order)
        return self._sorted[order]

    def shown_summaries(self, order: str) -> list[ArticleSummary]:
        """The list without the articles whose files are gone (none when the folder is)."""
        if not self.folder_present:
            return []
        missing = self.library.missing_ids()
        rows = self.sorted_summaries(order)
        return [row for row in rows if row.id not in missing] if missing else rows

    def empty_message(self) -> str:
        if not self.folder_present:
            return f"The folder {visible_name(self.library.root, 200)} is not there (deleted, or its disk unmounted?)"
        return "Indexing the folder…" if self.sync_running else "No articles in this folder"

    # -- the folder going away underneath ---------------------------------------------------------

    def watch_folder(self) -> None:
        """Look every few seconds (in a worker: a dead mount may take its time) whether the
        folder is still there."""
        self.screen.set_interval(FOLDER_CHECK_SECONDS, lambda: self.in_thread(self._check_folder, "folder"))

    def _check_folder(self) -> None:
        """Also looks whether a failed read (a search, a snippet, the list) noted damage."""
        present = self.library.folder_present()
        damaged = self.library.damage_noted() and not self.sync_running
        if present != self.folder_present or damaged:
            self.screen.post_message(FolderChecked(present, damaged))

    def folder_checked(self, message: FolderChecked) -> bool:
        """Start a sync to repair noted damage; hide the articles of a folder that went away,
        show them again when it is back, and say so once each time. True when the folder went
        or came back."""
        if message.damaged:
            self.repair_if_needed()
        if message.present == self.folder_present:
            return False
        self.folder_present = present = message.present
        root = visible_name(self.library.root, 200)
        if present:
            self.screen.notify(f"The folder {root} is back.")
        else:
            self.screen.notify(
                f"The folder {root} is not there any more (deleted, or its disk unmounted?): its articles are"
                " hidden, and dropped from the index at the next sync.",
                severity="warning",
                timeout=10,
            )
        return True

    def tell_missing(self, found: int) -> None:
        """Say once that files of a search are gone (more found later are told again)."""
        missing = len(self.library.missing_ids())
        if not found or missing <= self._told_missing or not self.folder_present:
            return
        self._told_missing = missing
        plural = "s are" if missing != 1 else " is"
        self.screen.notify(
            f"{missing:,} article{plural} no longer in the folder (deleted or moved away); left out of the"
            " results, and dropped from the index at the next sync.",
            severity="warning",
            timeout=8,
        )

    def forget_orders(self) -> None:
        """Sorted lists are cached per order; summaries changed, so sort again when asked."""
        self._sorted = {}

    def mark_read(self, article_ids: Iterable[str], *, read: bool) -> None:
        """Mark articles read or unread, and save the change (in a worker, merged with the
        marks on disk so another instance's marks are not lost). An article marked read has
        been looked at: it is no longer new."""
        with self._marks_lock:
            for article_id in article_ids:
                self._unsaved_marks[article_id] = read
                if read:
                    self.read_ids.add(article_id)
                    self.new_ids.discard(article_id)
                else:
                    self.read_ids.discard(article_id)
        self.screen.query_one(ArticleList).refresh()
        self.in_thread(self._save_marks, "read-marks", exclusive=False)

    def _save_marks(self) -> None:
        with self._marks_lock:
            changes, self._unsaved_marks = self._unsaved_marks, {}
            if changes:  # inside the lock: saves happen in the order the changes were made
                update_read_marks(self.library.root, changes)

    def mark_all_read(self, article_ids: Sequence[str]) -> None:
        """``A``: every listed article read; ``ctrl+z`` takes back exactly these."""
        unread = [article_id for article_id in article_ids if article_id not in self.read_ids]
        if not unread:
            self.screen.notify("Every article listed is read already.", timeout=2)
            return
        self._undo_marks = unread
        self.mark_read(unread, read=True)
        count = f"{len(unread):,} article{'s' if len(unread) != 1 else ''}"
        self.screen.notify(f"{count} marked read. Undo: ctrl+z, or \"Undo mark all read\" in the palette.", timeout=6)

    def undo_mark_all_read(self) -> None:
        if not self._undo_marks:
            self.screen.notify("No \"mark all read\" to undo.", timeout=2)
            return
        undone, self._undo_marks = self._undo_marks, []
        self.mark_read(undone, read=False)
        self.screen.notify(f"{len(undone):,} article{'s' if len(undone) != 1 else ''} unread again.", timeout=3)

    @property
    def can_undo(self) -> bool:
        return bool(self._undo_marks)

    def mark_new(self, article_ids: Iterable[str]) -> None:
        self.new_ids.update(article_ids)
        self.screen.query_one(ArticleList).refresh()

    def clear_new(self) -> None:
        self.new_ids.clear()
        self.screen.query_one(ArticleList).refresh()

    # -- changes from the live folder -----------------------------------------------------------

    def apply_changes(
        self, changes: FolderChanges, rows: dict[str, ArticleSummary], order: str, then: Callable[[], None]
    ) -> None:
        """Take a sync's changes into the list (renamed articles keep their read and new marks),
        sort it again in a worker, then call ``then`` to show it."""
        read_again: list[str] = []
        for old_id, new_id in changes.renamed:
            self.summaries.pop(old_id, None)
            if old_id in self.read_ids:
                read_again.append(new_id)
            if old_id in self.new_ids:
                self.new_ids.add(new_id)
        for article_id in changes.removed:
            self.summaries.pop(article_id, None)
        self.new_ids.difference_update(changes.removed)
        self.new_ids.difference_update(old for old, _ in changes.renamed)
        self.summaries.update(rows)
        if read_again:
            with self._marks_lock:
                self._unsaved_marks.update(dict.fromkeys(read_again, True))
                self.read_ids.update(read_again)
            self.in_thread(self._save_marks, "read-marks", exclusive=False)
        self._version += 1
        self._sorted = {}
        snapshot = list(self.summaries.values())
        self.in_thread(partial(self._sort, snapshot, order, self._version, then), "resort")

    def _sort(self, snapshot: list[ArticleSummary], order: str, version: int, then: Callable[[], None]) -> None:
        ordered = sort_summaries(snapshot, order)  # in a worker: 100k rows take a while
        self.screen.post_message(ForController(partial(self._sorted_ready, order, ordered, version, then)))

    def _sorted_ready(self, order: str, ordered: list[ArticleSummary], version: int, then: Callable[[], None]) -> None:
        if version == self._version:
            self._sorted[order] = ordered
            then()

    # -- syncing --------------------------------------------------------------------------------

    def start_sync(self, rebuild: bool = False) -> None:
        if self.sync_running:
            self.screen.notify("The index is already being updated.", severity="warning")
            return
        self.sync_running = True
        status = self.screen.query_one(StatusBar)
        status.progress_label = "Rebuilding" if rebuild else "Indexing"
        status.progress = (0, 0)
        if not self.summaries:
            article_list = self.screen.query_one(ArticleList)
            article_list.empty_message = "Indexing the folder…"
            article_list.refresh()
        self.in_thread(partial(self._sync, rebuild), "sync")

    def _sync(self, rebuild: bool) -> None:
        last_post = 0.0

        def on_progress(done: int, total: int) -> None:
            nonlocal last_post
            now = time.monotonic()
            if now - last_post >= PROGRESS_INTERVAL or done >= total:
                last_post = now
                self.screen.post_message(SyncProgress(done, total))

        def on_catalog(listed: int, indexed: int) -> None:
            self.screen.post_message(CatalogGrew(listed, indexed))

        try:
            changes = self.library.sync_changes(None, on_progress, rebuild=rebuild, on_catalog=on_catalog)
        except DiskFull as error:  # one line that names the full folder
            self.screen.post_message(SyncFinished(None, str(error)))
            return
        except Exception as error:  # noqa: BLE001 - shown in one line; the app keeps running
            self.screen.post_message(SyncFinished(None, f"{type(error).__name__}: {error}"))
            return
        finally:
            # What the sync's main role freed (a first build's, tens of MB at 100k) goes back to
            # the system, not kept by the C library for the rest of the session. (Imported here:
            # ctypes is not needed to paint the list.)
            from reader.core.pipeline.processes import release_memory

            release_memory()
        self.screen.post_message(SyncFinished(changes.report, changes=changes))

    # -- damage: checked in the background, repaired by a sync at once ----------------------------

    def after_sync(self) -> None:
        """Repair what was noted damaged while the sync ran; after the first sync, check every
        file of the index against its checksum, in the background (once per run)."""
        self.repair_if_needed()
        if not self._verified:
            self._verified = True
            self.in_thread(self._verify, "verify")

    def _verify(self) -> None:
        if self.library.verify() is not None:
            self.screen.post_message(FolderChecked(self.folder_present, damaged=True))

    def repair_if_needed(self) -> None:
        """Start a sync when a failed read or a check noted damage (the sync repairs it)."""
        if self.sync_running or self._repairs >= REPAIRS_PER_RUN or not self.library.damage_noted():
            return
        self._repairs += 1
        self.start_sync()

    def sync_progress(self, message: SyncProgress) -> None:
        self.screen.query_one(StatusBar).progress = (message.done, message.total)

    def sync_finished(self, message: SyncFinished) -> bool:
        """Tell what the sync did; True when the list changed and must be read again."""
        self.sync_running = False
        self.building = None
        self._told_missing = 0  # the sync dropped them
        self.opened = True
        self.screen.query_one(StatusBar).progress = None
        report = self.last_sync = message.report
        if report is None:
            self.screen.notify(visible(f"Indexing failed: {message.error}", 300), severity="error", markup=False)
            return False
        for text in report.messages:
            self.screen.notify(visible(text, 300), severity="warning", markup=False)
        skipped = [issue for issue in report.issues if issue.skipped]
        if skipped:
            self.screen.notify(
                skipped_files_message(skipped, self.library.root), severity="warning", timeout=10, markup=False
            )
        if report.added or report.updated or report.removed or not self.summaries:
            self.screen.notify(
                f"Index updated: {report.added:,} added, {report.updated:,} changed, {report.removed:,} removed."
            )
            return True
        return bool(report.retagged)  # tags changed by another process (reader tag, tags import)
