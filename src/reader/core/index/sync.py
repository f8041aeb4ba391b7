"""Bringing a corpus's index and catalog in line with its folder, safely and incrementally.

Order of events in one sync, all under the corpus's write lock:
1. clear staging left by a killed run; rebuild from scratch if the index format changed, the
   index is missing, damaged or not private, or the user asked;
2. if the last run died between an index commit and its catalog row (the ``dirty`` flag),
   reconcile the two so nothing is duplicated or lost;
3. compare the folder with the catalog by size and mtime (no file is opened for that), and read
   only new and changed files, confirming a change by the content fingerprint;
4. commit each finished chunk (index first, then catalog, then cross-article analysis);
5. catch up the cross-article analysis and the user's tags where they differ from the index.
"""

from __future__ import annotations

import gc
import itertools
import multiprocessing
import os
import shutil
import stat
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.index.build import ChunkResult, FileJob, can_analyse, run_chunks
from reader.core.index.catalog import Catalog
from reader.core.index.folder import IndexFolder
from reader.core.index.locking import CorpusLock
from reader.core.index.schema import INDEX_FORMAT, build_schema
from reader.core.loader import ARTICLE_SUFFIXES, _relative_id, iter_article_files  # the loader's id rule
from reader.core.models import LoadIssue
from reader.core.text import visible

_DIRTY = "dirty"
_ANALYSIS_SLICE = 2_000  # cross-article records updated at a time
_FORMAT = "format"
_TAGS_SEEN = "tags_seen"


class IndexDamaged(Exception):
    """The index on disk cannot be used; ``str()`` says why, for the user."""


@dataclass(slots=True)
class SyncStats:
    """What a sync did, in counts and sentences (``library.SyncReport`` is made from it)."""

    added: int = 0
    updated: int = 0
    removed: int = 0
    renamed: int = 0
    unchanged: int = 0
    retagged: int = 0
    issues: list[LoadIssue] = field(default_factory=list)
    messages: list[str] = field(default_factory=list)


def format_stamp() -> str:
    """The index format plus the Whoosh release: a change in either means a rebuild."""
    import whoosh

    return f"{INDEX_FORMAT}/whoosh-{whoosh.versionstring()}"


def relative_id(path: Path, root: Path) -> str:
    """The article id the loader gives ``path``: the same rule, so the catalog and the files agree."""
    return _relative_id(path, root)


# --- the Whoosh index on disk -----------------------------------------------------------------


def _is_private(folder: Path) -> bool:
    """Owned by this user and writable by nobody else: Whoosh unpickles what it reads there."""
    info = folder.stat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def open_index(index_dir: Path, *, thorough: bool = True) -> Any | None:
    """The index in ``index_dir``, None when there is none; ``IndexDamaged`` when unusable.

    ``thorough`` also opens every segment, which finds truncated or missing segment files; the
    quick check (table of contents, fields and file sizes) suits small syncs between full ones.
    """
    from reader.core.index.storage import size_damage  # imports Whoosh

    if not index_dir.is_dir() or not any(index_dir.glob("_*.toc")):
        return None
    if not _is_private(index_dir):
        raise IndexDamaged("its folder could be changed by other users")
    failure = None
    # Whoosh leaves files open when it fails to read them; they are closed (quietly) as the
    # failure is dropped, inside this block.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            found = _storage(index_dir).open_index()
            if set(found.schema.names()) != set(build_schema().names()):
                failure = "it was made for different fields"
            else:
                toc = found._read_toc()
                failure = size_damage(index_dir, found.indexname, toc.segments)
                if thorough and failure is None:
                    _check_segments(found, toc)
        except Exception as error:  # noqa: BLE001 - any failure to read it means it is damaged
            failure = visible(f"{type(error).__name__}: {error}", limit=200)
        if failure is not None:
            gc.collect()
    if failure is not None:
        raise IndexDamaged(failure)
    return found


def _storage(index_dir: Path) -> Any:
    from reader.core.index.storage import IndexStorage  # imports Whoosh

    return IndexStorage(str(index_dir))


def _check_segments(ix: Any, toc: Any) -> None:
    """Open every segment and read a little of each, which finds truncated or missing files."""
    from whoosh.reading import SegmentReader

    for segment in toc.segments:
        with SegmentReader(ix.storage, toc.schema, segment, generation=toc.generation) as leaf:
            next(iter(leaf.all_terms()), None)
            for docnum in range(min(leaf.doc_count_all(), 1)):
                leaf.stored_fields(docnum)


def create_index(index_dir: Path) -> Any:
    shutil.rmtree(index_dir, ignore_errors=True)
    index_dir.mkdir(mode=0o700, parents=True)
    return _storage(index_dir).create_index(build_schema())


def commit(ix: Any, index_dir: Path, delete_ids: Iterable[str], chunk: ChunkResult | None) -> None:
    """One index commit: delete documents by id, then add a worker's finished segment.

    This is the commit ``whoosh.multiproc.MpWriter`` makes with ``multisegment=True``: the new
    segment joins the table of contents as it is, so the parent never rewrites postings.
    """
    from whoosh.writing import MERGE_SMALL

    from reader.core.index.storage import record_sizes

    writer = ix.writer(timeout=30.0, compound=False)  # see storage.py
    try:
        for article_id in delete_ids:
            writer.delete_by_term("id", article_id)
        # Whoosh's policy folds only small segments (the one-file commits of later syncs) into
        # this writer; the large segments of a first build are left alone.
        segments = writer._merge_segments(MERGE_SMALL, False, True)
        if chunk is not None and chunk.segment is not None:
            prefix = f"{ix.indexname}_{chunk.segment.segid}"
            for moved in chunk.staging.iterdir():
                if moved.name.startswith(prefix):
                    os.replace(moved, index_dir / moved.name)
            segments.append(chunk.segment)
        if writer._added:  # the merge policy copied small segments into this writer
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        record_sizes(index_dir, ix.indexname, segments)
        writer._commit_toc(segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()


def indexed_ids(ix: Any) -> dict[str, int]:
    """Every live document's id with how many times it is in the index (1, unless damaged)."""
    counts: dict[str, int] = {}
    with ix.reader() as reader:
        for fields in reader.all_stored_fields():
            if "id" in fields:
                counts[fields["id"]] = counts.get(fields["id"], 0) + 1
    return counts


# --- one sync ---------------------------------------------------------------------------------


class Syncer:
    """One run of sync (or of re-indexing some articles) for one corpus."""

    def __init__(
        self,
        folder: IndexFolder,
        catalog: Catalog,
        *,
        tag_store: Any = None,
        analysis: Any = None,
        on_progress: Callable[[int, int], None] | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        self.folder = folder
        self.root = folder.root
        self.catalog = catalog
        self.tag_store = tag_store
        self.analysis = analysis
        self.on_progress = on_progress or (lambda done, total: None)
        self.on_wait = on_wait
        self.stats = SyncStats()
        self._ix: Any = None

    # The lock is held for the whole run.
    def run(
        self, *, rebuild: bool = False, retag_ids: Sequence[str] = (), paths: Sequence[Path] | None = None
    ) -> SyncStats:
        if getattr(multiprocessing.current_process(), "_inheriting", False):
            # A build worker is re-running the main script of a program that lacks an
            # ``if __name__ == "__main__"`` guard: waiting for the lock here would hang both.
            # Failing lets the parent notice and build in its own process instead.
            raise RuntimeError("a reader build worker cannot sync; guard the script's main code")
        lock = CorpusLock(self.folder.lock_path)
        lock.acquire(on_wait=self.on_wait)
        try:
            if lock.waited >= 1.0:
                self.stats.messages.append(
                    f"waited {lock.waited:.0f} s for another reader process to finish updating the index"
                )
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
        return self.stats

    # --- preparing the index

    def _prepare(self, rebuild: bool, *, thorough: bool) -> bool:
        """Open the index, or make a new one; True when it starts empty."""
        shutil.rmtree(self.folder.staging_dir, ignore_errors=True)
        self.folder.staging_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
        stamp = format_stamp()
        known_stamp = self.catalog.meta(_FORMAT)
        reason = None
        if rebuild:
            reason = ""
        elif known_stamp is None:
            reason = ""  # first build (or a catalog that was just recreated): nothing to say
        elif known_stamp != stamp:
            reason = "the index was made by another version of reader; it has been rebuilt"
        else:
            try:
                self._ix = open_index(self.folder.index_dir, thorough=thorough)
            except IndexDamaged as damage:
                reason = f"the search index was damaged ({damage}); it has been rebuilt"
            else:
                if self._ix is None:
                    reason = "the search index was missing; it has been rebuilt"
        if reason is not None:
            if reason:
                self.stats.messages.append(reason)
            with self.catalog.transaction() as db:
                Catalog.clear(db)
            self._ix = create_index(self.folder.index_dir)
            self.catalog.set_meta(_FORMAT, stamp)
            return True
        if self.catalog.meta(_DIRTY):
            self._reconcile()
        return False

    def _reconcile(self) -> None:
        """Repair the gap a killed run left between the index and the catalog."""
        in_index = indexed_ids(self._ix)
        in_catalog = self.catalog.stats()
        orphans = [i for i, count in in_index.items() if i not in in_catalog or count > 1]
        missing = [i for i in in_catalog if in_index.get(i) != 1]
        if orphans:
            commit(self._ix, self.folder.index_dir, orphans, None)
        with self.catalog.transaction() as db:
            Catalog.delete(db, missing)
            self.catalog.set_meta(_DIRTY, None, db)
        self.stats.messages.append("the last indexing run was interrupted; it has been resumed")

    # --- comparing the folder with the catalog

    def _sync_folder(self) -> None:
        known = self.catalog.stats()
        skipped_known = self.catalog.skipped()
        jobs: list[FileJob] = []
        seen: set[str] = set()
        still_skipped: set[Path] = set()
        for item in iter_article_files(self.root):
            if isinstance(item, LoadIssue):
                self.stats.issues.append(item)
                continue
            try:
                info = os.stat(item)
            except OSError as error:
                self.stats.issues.append(LoadIssue(item, f"cannot be examined ({error.strerror or error})", True))
                continue
            article_id = relative_id(item, self.root)
            seen.add(article_id)
            before = known.get(article_id)
            if before is not None:
                if before[0] == info.st_size and before[1] == info.st_mtime_ns:
                    self.stats.unchanged += 1
                else:
                    jobs.append(FileJob(item, info.st_size, info.st_mtime_ns, before[2]))
                continue
            skipped = skipped_known.get(item)
            if skipped is not None and (skipped.size, skipped.mtime_ns) == (info.st_size, info.st_mtime_ns):
                self.stats.issues.append(LoadIssue(item, skipped.reason, True))
                still_skipped.add(item)
                continue
            jobs.append(FileJob(item, info.st_size, info.st_mtime_ns))
        removed = [article_id for article_id in known if article_id not in seen]
        gone_skipped = [path for path in skipped_known if path not in still_skipped]
        analysed = self.analysis.fingerprints() if self.analysis is not None and can_analyse() else None
        if analysed is not None:
            jobs.extend(self._analysis_jobs(known, analysed, {job.path for job in jobs}, set(removed)))
        indexed = self._apply(jobs, known, removed, gone_skipped)
        if analysed is not None:
            # Records of articles the index no longer has (left by a rebuild, or a failed update).
            leftover = analysed.keys() - known.keys() - indexed
            if leftover:
                self.analysis.update([], leftover)
        self._retag_if_needed()
        fresh = {issue.path for issue in self.stats.issues}
        self.stats.issues.extend(
            LoadIssue(path, warning, False) for path, warning in self.catalog.warnings() if path not in fresh
        )

    def _sync_paths(self, paths: Sequence[Path]) -> None:
        """Check only these files (the caller knows they changed); the rest are not looked at."""
        known = self.catalog.stats()
        jobs: list[FileJob] = []
        removed: list[str] = []
        for given in dict.fromkeys(Path(path).parent.resolve() / Path(path).name for path in paths):
            if not self._is_plain_article_path(given):
                continue
            article_id = relative_id(given, self.root)
            try:
                info = os.stat(given)
            except FileNotFoundError:
                if article_id in known:
                    removed.append(article_id)
                continue
            before = known.get(article_id)
            if before is not None and (before[0], before[1]) == (info.st_size, info.st_mtime_ns):
                self.stats.unchanged += 1
            else:
                jobs.append(FileJob(given, info.st_size, info.st_mtime_ns, before[2] if before else None))
        self._apply(jobs, known, removed, [])

    def _is_plain_article_path(self, path: Path) -> bool:
        """An article file name inside the root, not hidden and not a symlink.

        Anything else is left to a full sync, which applies the loader's rules to it.
        """
        try:
            parts = path.relative_to(self.root if self.root.is_dir() else self.root.parent).parts
        except ValueError:
            return False
        hidden = any(part.startswith(".") for part in parts)
        return bool(parts) and not hidden and path.suffix.lower() in ARTICLE_SUFFIXES and not path.is_symlink()

    def _analysis_jobs(
        self, known: dict[str, tuple[int, int, str]], analysed: dict[str, str], queued: set[Path], removed: set[str]
    ) -> list[FileJob]:
        """Files whose cross-article record is missing or stale while their index entry is fine."""
        stale = [i for i, (_, _, fingerprint) in known.items() if analysed.get(i) != fingerprint and i not in removed]
        if not stale:
            return []
        return [
            FileJob(entry.path, entry.size, entry.mtime_ns, entry.fingerprint, index=False)
            for entry in self.catalog.entries_for(stale).values()
            if entry.path not in queued
        ]

    # --- reading files and committing what they became

    def _apply(
        self,
        jobs: list[FileJob],
        known: dict[str, tuple[int, int, str]],
        removed: list[str],
        gone_skipped: list[Path],
    ) -> set[str]:
        """Read the jobs, commit chunk by chunk; return the ids that were (re)indexed."""
        removed_fingerprints = {known[i][2] for i in removed}
        indexed: set[str] = set()
        pending_removals = list(removed)
        total = len(jobs)
        self.on_progress(0, total)
        tag_db = getattr(self.tag_store, "path", None)
        for chunk in run_chunks(
            self.root, self.folder.staging_dir, jobs, tag_db, lambda done: self.on_progress(done, total)
        ):
            replaced = [entry.id for entry in chunk.indexed if entry.id in known]
            dropped = [
                relative_id(s.path, self.root) for s in chunk.skipped if relative_id(s.path, self.root) in known
            ]
            for entry in chunk.indexed:
                indexed.add(entry.id)
                if entry.id in known:
                    self.stats.updated += 1
                elif entry.fingerprint in removed_fingerprints:
                    self.stats.renamed += 1
                else:
                    self.stats.added += 1
            self._commit_chunk(chunk, replaced + dropped + pending_removals, dropped + pending_removals)
            self.stats.unchanged += len(chunk.unchanged)
            self.stats.removed += len(dropped)
            self.stats.issues.extend(LoadIssue(s.path, s.reason, True) for s in chunk.skipped)
            self.stats.issues.extend(chunk.warnings)
            pending_removals = []
        if pending_removals or gone_skipped:
            self._commit_chunk(None, pending_removals, pending_removals, gone_skipped)
        self.stats.removed += max(0, len(removed) - self.stats.renamed)
        self.on_progress(total, total)
        return indexed

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
                commit(self._ix, self.folder.index_dir, delete_ids, chunk)
            with self.catalog.transaction() as db:
                Catalog.delete(db, removed_ids)
                if chunk is not None:
                    Catalog.put(db, chunk.indexed)
                    Catalog.put_texts(db, chunk.texts)
                    Catalog.touch(db, chunk.unchanged)
                    Catalog.put_skipped(db, chunk.skipped)
                    Catalog.delete_skipped(db, [entry.path for entry in chunk.indexed])
                Catalog.delete_skipped(db, gone_skipped)
                self.catalog.set_meta(_DIRTY, None, db)
            if self.analysis is not None and (removed_ids or (chunk is not None and chunk.records)):
                # In slices, read from the chunk's staging folder: any order of updates ends the
                # same (a property test holds the analysis to that).
                records = iter(chunk.records if chunk is not None else ())
                self.analysis.update(itertools.islice(records, _ANALYSIS_SLICE), removed_ids)
                while batch := list(itertools.islice(records, _ANALYSIS_SLICE)):
                    self.analysis.update(batch)
        finally:
            if chunk is not None:
                shutil.rmtree(chunk.staging, ignore_errors=True)

    # --- the user's tags

    def _retag_if_needed(self) -> None:
        """Re-index articles whose tags in the store differ from those in the index.

        Skipped when the store's generation is the one seen last time. Otherwise only the
        articles that carry tags on either side are compared, not the whole corpus.
        """
        if self.tag_store is None:
            return
        generation = str(self.tag_store.generation())
        if generation == self.catalog.meta(_TAGS_SEEN):
            return
        rows = self.tag_store.export_rows()
        fingerprints = {row.fingerprint for row in rows} | {alias for row in rows for alias in row.aliases}
        candidates = self.catalog.entries_tagged_or_matching(fingerprints, {row.path for row in rows if row.path})
        stored = self.tag_store.tags_for_many(candidates)
        differing = [entry.id for entry in candidates if tuple(stored.get(entry.path, ())) != entry.tags]
        if differing:
            self._reindex(differing)
        self.catalog.set_meta(_TAGS_SEEN, generation)

    def _reindex(self, article_ids: Sequence[str]) -> None:
        """Read these articles again and replace their documents (their tags changed)."""
        entries = self.catalog.entries_for(article_ids)
        jobs = [FileJob(entry.path, entry.size, entry.mtime_ns) for entry in entries.values()]
        known = {entry.id: (entry.size, entry.mtime_ns, entry.fingerprint) for entry in entries.values()}
        tag_db = getattr(self.tag_store, "path", None)
        for chunk in run_chunks(self.root, self.folder.staging_dir, jobs, tag_db, lambda done: None):
            replaced = [entry.id for entry in chunk.indexed]
            dropped = [relative_id(s.path, self.root) for s in chunk.skipped]
            dropped = [article_id for article_id in dropped if article_id in known]
            self._commit_chunk(chunk, replaced + dropped, dropped)
            self.stats.retagged += len(chunk.indexed)
            self.stats.issues.extend(LoadIssue(s.path, s.reason, True) for s in chunk.skipped)
