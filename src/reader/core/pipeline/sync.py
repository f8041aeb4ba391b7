"""Bringing a corpus's index and catalog in line with its folder, safely and incrementally.

The pipeline in order, all under the corpus's write lock:
1. clear staging left by a killed run; rebuild from scratch if the index format changed, the
   index is missing, damaged or not private, or the user asked;
2. if the last run died between an index commit and its catalog row (the ``dirty`` flag),
   reconcile the two so nothing is duplicated or lost;
3. list the folder's files and compare them with the catalog by size and mtime (no file is
   opened for that, ``scan``; a folder whose digest is the one the catalog kept is unchanged
   without reading a row, ``unchanged``), and queue only new, changed and still pending files;
   when there are many new files, each gets a catalog row first (``listing``: the sync lists a
   screenful while it scans, the build's workers the rest before they build), so the list
   fills at once;
4. run the queued files through the stages (``build``: load → extract → record → index), and
   commit each finished chunk: index first, then catalog, then cross-article analysis;
5. catch up the cross-article analysis and the user's tags, highlights and notes where they
   differ from the index.

A sync stopped at any point (the app closed, the process killed) leaves every committed chunk
in place and the listed rows waiting (``Catalog.pending``): the next one builds only those.
"""

from __future__ import annotations

import itertools
import shutil
import threading
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.extraction_version import EXTRACTION_VERSION
from reader.core.index.catalog import FOLDER_DIGEST, Catalog
from reader.core.index.index_files import (
    IndexDamaged,
    commit,
    create_index,
    drop_segments,
    format_stamp,
    indexed_ids,
    live_documents,
    merge_small_segments,
    open_index,
)
from reader.core.index.locking import CorpusLock
from reader.core.models import LoadIssue, SyncReport
from reader.core.paths import IndexFolder
from reader.core.pipeline.deferred import forget_extractions, prune_extractions, run_chunks
from reader.core.pipeline.job_columns import FileJobs
from reader.core.pipeline.reports import chunk_report, count_indexed, skipped_issues
from reader.core.pipeline.scan import Known, given_paths, relative_id, scan_folder, scan_paths
from reader.core.pipeline.unchanged import keep_catalog_digest, scan_if_unchanged, stale_analysis_jobs

if TYPE_CHECKING:  # imported where used: a re-open of an unchanged folder needs none of them
    from reader.core.cross_article import CorpusAnalysis
    from reader.core.pipeline.build import ChunkResult, FileJob
    from reader.core.pipeline.listing import Listing  # the loader's reading side (YAML, structure)
    from reader.core.tags import TagStore

_DIRTY = "dirty"
MAX_EDITED_MOVE_CANDIDATES = 2_000  # new files compared by sketch with files gone that carried user data
_ANALYSIS_SLICE = 500  # cross-article records updated at a time: 2,000 took ~22 MB more at the peak, 500 ~6 MB
_FORMAT = "format"
_TAGS_SEEN = "tags_seen"

FIRST_BATCH = 50  # rows listed by the sync itself, during the scan: a screenful, in milliseconds
LISTING_MIN_FILES = 1_000  # new files from which they are listed ahead of the build (listing.py)


class SyncStopped(Exception):
    """The sync was asked to stop (the app is closing): what it committed stays, the rest is
    left for the next sync."""


def index_stamp() -> str:
    """What an index was made by: its format and the extraction rules. Another stamp rebuilds it."""
    return f"{format_stamp()}/extraction-{EXTRACTION_VERSION}"


class Syncer:
    """One run of sync (or of re-indexing some articles) for one corpus."""

    def __init__(
        self,
        folder: IndexFolder,
        catalog: Catalog,
        *,
        tag_store: TagStore | None = None,
        analysis: CorpusAnalysis | None = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[str], None] | None = None,
        on_catalog: Callable[[int, int], None] | None = None,
        stop: threading.Event | None = None,
        suspect: str | None = None,
    ) -> None:
        self.folder = folder
        self.suspect = suspect  # why the index is suspected (a read of it failed): check it all
        self.root = folder.root
        self.catalog = catalog
        self.tag_store = tag_store
        self.analysis = analysis
        self.on_progress = on_progress or (lambda done, total: None)
        self.on_wait = on_wait
        # (rows listed, rows indexed) whenever the catalog gained rows: the list can grow
        self.on_catalog = on_catalog or (lambda listed, indexed: None)
        self.stop = stop or threading.Event()  # set: end after the chunks committed so far
        self.report = SyncReport()
        self._ix: Any = None
        self._first_new: list[str] = []  # the paths of the first new files the scan met, listed at once
        self.compared: Known | None = None  # the catalog's rows the folder was compared with
        self.folder_unchanged = False  # the folder is as the catalog knew it (its digest said so)

    def _note(self, message: str) -> None:
        self.report += SyncReport(messages=(message,))

    # The lock is held for the whole run.
    def run(
        self, *, rebuild: bool = False, retag_ids: Sequence[str] = (), paths: Sequence[Path] | None = None
    ) -> SyncReport:
        lock = CorpusLock(self.folder.lock_path)
        lock.acquire(on_wait=self.on_wait)
        try:
            if lock.waited >= 1.0:
                self._note(f"waited {lock.waited:.0f} s for another reader process to finish updating the index")
            rebuilt = self._prepare(rebuild, thorough=paths is None and not retag_ids)
            if rebuilt:
                self._sync_folder()  # whatever was asked, an empty index needs every file
            elif retag_ids:
                self._reindex(retag_ids)
            elif paths is not None:
                self._sync_paths(paths)
            else:
                self._sync_folder()
        finally:
            self._ix = None
            lock.release()
        return self.report

    # --- preparing the index

    def _prepare(self, rebuild: bool, *, thorough: bool) -> bool:
        """Open the index, or make a new one; True when it starts empty."""
        shutil.rmtree(self.folder.staging_dir, ignore_errors=True)
        self.folder.staging_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = index_stamp()
        if rebuild:  # asked for from scratch: extractions are made again too
            forget_extractions(self.folder.extraction_cache_path)
        reason = "" if rebuild else self._reason_to_rebuild(stamp, thorough=thorough)
        if reason is not None:
            if reason:
                self._note(reason)
            with self.catalog.transaction() as db:
                Catalog.reset(db)
            self._ix = create_index(self.folder.index_dir)
            self.catalog.set_meta(_FORMAT, stamp)
            return True
        if self.catalog.meta(_DIRTY):
            self._reconcile()
        elif live_documents(self._ix) != self.catalog.counts()[1]:  # rows listed ahead have no document yet
            self._reconcile("the search index and the article catalog disagreed; they have been reconciled")
        return False

    def _reason_to_rebuild(self, stamp: str, *, thorough: bool) -> str | None:
        """Why the index must be made again ("" when there is nothing to tell), or None when
        it opened fine (it is then ``self._ix``)."""
        known_stamp = self.catalog.meta(_FORMAT)
        if known_stamp is None:
            return ""  # first build (or a catalog that was just recreated): nothing to say
        if known_stamp != stamp:
            return "the index was made by another version of reader; it has been rebuilt"
        try:
            self._ix = open_index(self.folder.index_dir, thorough=thorough, full=self.suspect is not None)
        except IndexDamaged as damage:
            if damage.index is None:
                return f"the search index was damaged ({damage}); it has been rebuilt"
            self._drop_damaged(damage)
            return None
        if self._ix is None:
            return "the search index was missing; it has been rebuilt"
        if self.suspect is not None:
            return f"the search index could not be read ({self.suspect}); it has been rebuilt"
        return None

    def _drop_damaged(self, damage: IndexDamaged) -> None:
        """Drop the damaged segments; the articles they held are read again (``_reconcile``)."""
        self._ix = damage.index
        self.catalog.set_meta(_DIRTY, "1")
        drop_segments(self._ix, self.folder.index_dir, damage.segments)
        self._reconcile(f"the search index was damaged ({damage}); the articles it held have been read again")

    def _reconcile(self, note: str = "the last indexing run was interrupted; it has been resumed") -> None:
        """Repair the gap a killed run (or a damaged segment) left between the index and the
        catalog: documents the catalog does not count as indexed leave the index, and rows whose
        document is missing wait to be built again (they stay listed)."""
        in_index = indexed_ids(self._ix)
        pending = self.catalog.pending()
        in_catalog = [i for i in self.catalog.stats() if i not in pending]
        indexed = set(in_catalog)
        orphans = [i for i, count in in_index.items() if i not in indexed or count > 1]
        missing = [i for i in in_catalog if in_index.get(i) != 1]
        if orphans:
            commit(self._ix, self.folder.index_dir, orphans, None, None)
        with self.catalog.transaction() as db:
            Catalog.mark_pending(db, missing + [i for i in orphans if i in indexed])
            self.catalog.set_meta(_DIRTY, None, db)
        self._note(note)

    # --- listing the files and comparing them with the catalog

    def _sync_folder(self) -> None:
        skipped_known = self.catalog.skipped()
        scan = scan_if_unchanged(self.root, self.catalog, self.analysis, skipped_known)
        changed = False
        if scan is not None:
            self.folder_unchanged = True
            self.report += SyncReport(unchanged=scan.unchanged, issues=tuple(scan.issues))
            self._apply([], {}, set(), [], [])
        else:
            changed = self._compare_and_apply(skipped_known)
        self._retag_if_needed()
        self._add_warnings()
        if changed:
            keep_catalog_digest(self.root, self.catalog)

    def _compare_and_apply(self, skipped_known: dict[Path, Any]) -> bool:
        """Compare the folder with the catalog's rows and read what changed; False when there
        was nothing to do (the folder's digest is then kept for the next re-open)."""
        known = self.compared = self.catalog.stats()
        pending = self.catalog.pending()
        scan = scan_folder(self.root, known, pending, skipped_known, self._list_first)
        self.report += SyncReport(unchanged=scan.unchanged, issues=tuple(scan.issues))
        removed = [article_id for article_id in known if article_id not in scan.seen]
        gone_skipped = [path for path in skipped_known if path not in scan.still_skipped]
        unlisted_records = self._queue_stale_analysis(scan.jobs, known, pending, removed)
        changed = bool(scan.jobs or removed or gone_skipped)
        if changed:  # the digest is kept only for a folder that did not change: not needed through the build
            scan.lines.clear()
        self._apply(scan.jobs, known, pending, removed, gone_skipped, self._listing(scan.new))
        if (scan.jobs or removed) and not self.catalog.has_pending():  # not while a build is unfinished
            prune_extractions(self.folder.extraction_cache_path, self.catalog)
        # Records of articles the index no longer has (left by a rebuild, or a failed update):
        # those of articles the catalog did not list, and still does not once the build is done.
        leftover = unlisted_records - self.catalog.stats_for(unlisted_records).keys()
        if self.analysis is not None and leftover:
            self.analysis.update([], leftover)
            changed = True
        if not changed:  # the retagging that follows forgets it if it writes a row again
            self.catalog.set_meta(FOLDER_DIGEST, scan.digest)
        return changed

    def _queue_stale_analysis(self, jobs: FileJobs, known: Known, pending: set[str], removed: list[str]) -> set[str]:
        """Queue the files whose cross-article record is missing or stale; return the ids of
        records whose article the catalog does not list (the analysis's fingerprints, 100k at
        a rebuild, are not kept through the build)."""
        if self.analysis is None:
            return set()
        analysed = self.analysis.fingerprints()
        jobs.extend(stale_analysis_jobs(self.catalog, known, pending, analysed, jobs.paths, set(removed)))
        return analysed.keys() - known.keys()

    def _add_warnings(self) -> None:
        """The warnings of every indexed file (those read this time were reported as they were)."""
        fresh = {issue.path for issue in self.report.issues}
        warnings = tuple(
            LoadIssue(path, warning, False) for path, warning in self.catalog.warnings() if path not in fresh
        )
        self.report += SyncReport(issues=warnings)

    # --- the first pass over many new files

    def _list_first(self, path: str) -> None:
        """The scan met a new file: the first ``FIRST_BATCH`` are listed here and now, so the
        first rows of a folder never seen show while the scan goes on."""
        from reader.core.pipeline.listing import list_files

        if self.stop.is_set() or len(self._first_new) >= FIRST_BATCH:
            return
        self._first_new.append(path)
        if len(self._first_new) == FIRST_BATCH:
            list_files(self.root, self.catalog, [Path(first) for first in self._first_new])
            self._catalog_changed()

    def _listing(self, new: list[str]) -> Listing | None:
        """The rest of many new files, listed by the build's workers before they build."""
        if len(new) < LISTING_MIN_FILES:
            return None
        from reader.core.pipeline.listing import Listing

        return Listing(self.folder.catalog_path, new[len(self._first_new) :], lambda _: self._catalog_changed())

    def _catalog_changed(self) -> None:
        """Tell how many rows the catalog holds, and how many are indexed (after a batch of
        rows listed, or a chunk committed)."""
        self.on_catalog(*self.catalog.counts())

    def _sync_paths(self, paths: Sequence[Path]) -> None:
        """Check only these files (the caller knows they changed); the rest are not looked at,
        nor are the catalog's rows of the rest read."""
        given = given_paths(paths)
        known = self.catalog.stats_for(relative_id(path, self.root) for path in given)
        jobs, removed, unchanged = scan_paths(self.root, known, given)
        self.report += SyncReport(unchanged=unchanged)
        self._apply(jobs, known, self.catalog.pending(), removed, [])

    # --- running the stages and committing what they made

    def _apply(
        self,
        jobs: Sequence[FileJob],
        known: Known,
        pending: set[str],
        removed: list[str],
        gone_skipped: list[Path],
        listing: Listing | None = None,
    ) -> None:
        """Run the jobs through the stages, commit chunk by chunk. Pending rows (listed, never
        indexed) count as added, and have no document to replace."""
        removed_fingerprints = {known[i][2] for i in removed}
        in_index = {i: value for i, value in known.items() if i not in pending} if pending else known
        gone = [entry.path for entry in self.catalog.entries_for(removed).values()] if self.tag_store else []
        arrived: list[str] = []  # new articles, kept only when files with user data went (edited moves)
        pending_removals = list(removed)
        renamed = 0
        made: set[str] = set()  # the segments this build commits
        total = len(jobs)
        self.on_progress(0, total)
        for chunk in run_chunks(
            self.root,
            self.folder.staging_dir,
            jobs,
            self._tag_db(),
            lambda done: self.on_progress(done, total),
            self.stop,
            listing,
        ):
            if gone and len(arrived) <= MAX_EDITED_MOVE_CANDIDATES:
                arrived.extend(entry.id for entry in chunk.indexed if entry.id not in in_index)
            made.update([chunk.segment.segid] if chunk.segment is not None else [])
            renamed += self._commit_built(chunk, known, in_index, removed_fingerprints, pending_removals)
            _forget_rows(chunk)
            pending_removals = []
        if self.stop.is_set():
            raise SyncStopped("the update of the index was stopped; the next one continues it")
        merge_small_segments(self._ix, self.folder.index_dir, self.folder.staging_dir, made)  # fewer to search
        if pending_removals or gone_skipped:
            self._commit_chunk(None, pending_removals, pending_removals, gone_skipped)
        self.report += SyncReport(removed=max(0, len(removed) - renamed))
        if gone and arrived and len(arrived) <= MAX_EDITED_MOVE_CANDIDATES:
            self._follow_edited_moves(gone, arrived)
        self.on_progress(total, total)

    def _commit_built(
        self, chunk: ChunkResult, known: Known, in_index: Known, removed_fingerprints: set[str], removals: list[str]
    ) -> int:
        """Commit one built chunk (with ``removals``, documents of files gone); how many of its
        articles were renamed files."""
        replaced = [entry.id for entry in chunk.indexed if entry.id in in_index]
        dropped = [article_id for article_id in self._skipped_ids(chunk) if article_id in known]
        counted = count_indexed(chunk, in_index, removed_fingerprints)
        self._commit_chunk(chunk, replaced + dropped + removals, dropped + removals)
        self.report += counted + chunk_report(chunk, removed=len(dropped))
        self._catalog_changed()
        return counted.renamed

    def _skipped_ids(self, chunk: ChunkResult) -> list[str]:
        return [relative_id(skipped.path, self.root) for skipped in chunk.skipped]

    def _tag_db(self) -> Path | None:
        return self.tag_store.path if self.tag_store is not None else None

    def _commit_chunk(
        self,
        chunk: ChunkResult | None,
        delete_ids: list[str],
        removed_ids: list[str],
        gone_skipped: Iterable[Path] = (),
    ) -> None:
        try:
            if delete_ids or (chunk is not None and chunk.segment is not None):
                self.catalog.set_meta(_DIRTY, "1")
                commit(
                    self._ix,
                    self.folder.index_dir,
                    delete_ids,
                    chunk.staging if chunk is not None else None,
                    chunk.segment if chunk is not None else None,
                )
            self._commit_catalog(chunk, removed_ids, gone_skipped)
            self._commit_analysis(chunk, removed_ids)
        finally:
            if chunk is not None:
                shutil.rmtree(chunk.staging, ignore_errors=True)

    def _commit_catalog(self, chunk: ChunkResult | None, removed_ids: list[str], gone_skipped: Iterable[Path]) -> None:
        with self.catalog.transaction() as db:
            Catalog.delete(db, removed_ids)
            if chunk is not None:
                Catalog.put(db, chunk.indexed)
                Catalog.put_texts(db, chunk.texts)
                Catalog.touch(db, chunk.unchanged)
                Catalog.put_skipped(db, chunk.skipped)
                Catalog.delete_listed(db, self._skipped_ids(chunk))  # listed ahead, then unreadable
                Catalog.delete_skipped(db, [entry.path for entry in chunk.indexed])
            Catalog.delete_skipped(db, gone_skipped)
            self.catalog.set_meta(_DIRTY, None, db)

    def _commit_analysis(self, chunk: ChunkResult | None, removed_ids: list[str]) -> None:
        """In slices, read from the chunk's staging folder: any order of updates ends the same
        (a property test holds the analysis to that)."""
        if self.analysis is None or not (removed_ids or (chunk is not None and chunk.records)):
            return
        records = iter(chunk.records if chunk is not None else ())
        self.analysis.update(itertools.islice(records, _ANALYSIS_SLICE), removed_ids)
        while batch := list(itertools.islice(records, _ANALYSIS_SLICE)):
            self.analysis.update(batch)

    # --- the user's tags, highlights and notes

    def _retag_if_needed(self) -> None:
        """Re-index articles whose tags, highlights or notes in the store differ from those in
        the index (changed by another process: the CLI, another window).

        Skipped when the store's generation is the one seen last time. Otherwise only the
        articles that carry user data on either side are compared, not the whole corpus.
        """
        if self.tag_store is None:
            return
        generation = str(self.tag_store.generation())
        if generation == self.catalog.meta(_TAGS_SEEN):
            return
        rows = self.tag_store.export_rows()
        annotated = self.tag_store.annotations.export_articles()
        fingerprints = {row.fingerprint for row in rows} | {alias for row in rows for alias in row.aliases}
        fingerprints |= {item.fingerprint for item in annotated} | {a for item in annotated for a in item.aliases}
        paths = {row.path for row in rows if row.path} | {item.path for item in annotated if item.path}
        candidates = self.catalog.entries_tagged_or_matching(fingerprints, paths)
        stored = self.tag_store.user_data_for_many(candidates)
        differing = [
            entry.id
            for entry in candidates
            if (user := stored[entry.path]).tags != entry.tags or user.annotations.digest != entry.annotation_digest
        ]
        if differing:
            self._reindex(differing)
        self.catalog.set_meta(_TAGS_SEEN, generation)

    def _follow_edited_moves(self, gone: list[Path], arrived: list[str]) -> None:
        """Files renamed and edited at once keep their tags, highlights and notes: the store
        matches them by sketch (see ``TagStore.follow_edited_moves``); they are indexed again."""
        assert self.tag_store is not None
        entries = self.catalog.entries_for(arrived)
        refs = [_StoredText(entry.path, entry.fingerprint, entry.id, self.catalog) for entry in entries.values()]
        found = self.tag_store.follow_edited_moves(gone, refs)
        if found:
            self._reindex([ref.id for ref in found if isinstance(ref, _StoredText)])

    def _reindex(self, article_ids: Sequence[str]) -> None:
        """Read these articles again and replace their documents (their tags changed)."""
        from reader.core.pipeline.build import FileJob

        entries = self.catalog.entries_for(article_ids)
        jobs = [FileJob(entry.path, entry.size, entry.mtime_ns) for entry in entries.values()]
        for chunk in run_chunks(self.root, self.folder.staging_dir, jobs, self._tag_db(), lambda done: None):
            replaced = [entry.id for entry in chunk.indexed]
            dropped = [article_id for article_id in self._skipped_ids(chunk) if article_id in entries]
            self._commit_chunk(chunk, replaced + dropped, dropped)
            self.report += SyncReport(retagged=len(chunk.indexed), issues=skipped_issues(chunk))


def _forget_rows(chunk: ChunkResult) -> None:
    """A committed chunk's rows are freed at once: the build still holds the chunk until the
    next one comes (minutes). (Its catalog entries, the bulk, stay in its staging folder.)"""
    chunk.unchanged.clear()
    chunk.skipped.clear()
    chunk.warnings.clear()


class _StoredText:
    """An indexed article as the tag store reads it: its text is unpacked from the catalog only
    if asked for (to work out its sketch)."""

    def __init__(self, path: Path, fingerprint: str, article_id: str, catalog: Catalog) -> None:
        self.path = path
        self.fingerprint = fingerprint
        self.id = article_id
        self._catalog = catalog

    @property
    def text(self) -> str | None:
        found = self._catalog.text(self.id)
        return found[0] if found is not None else None
