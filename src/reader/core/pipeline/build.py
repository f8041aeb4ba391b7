"""Indexing a list of files, chunk by chunk: load → extract → record → index.

Each chunk of files becomes one finished index segment written in a private staging folder:
for each file the worker loads the article (``loader``), finds its quotes and people
(``extraction``), makes its cross-article record (``cross_article``), reads the user's tags,
highlights and notes (``tags``) and hands the index the document to file (``index``): those
stages are in ``stages``, imported only where a chunk is built. The parent only moves
finished segment files into the index and commits (``sync``), so every core does the expensive
part of a first build, and a killed build loses at most the chunks that were in flight.
"""

from __future__ import annotations

import itertools
import os
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.index.catalog import CatalogEntry, SkippedFile
from reader.core.models import LoadIssue
from reader.core.pipeline.listing import Listing, list_batch
from reader.core.pipeline.processes import release_memory, sqlite_memory_bound
from reader.core.pipeline.spill import Spilled
from reader.core.pipeline.workers import BrokenProcessPool, WorkerPool

if TYPE_CHECKING:
    from reader.core.cross_article import ArticleAnalysis

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
FIRST_CHUNK, MAX_CHUNK = 250, 10_000  # files per segment (see ``chunked``)
TAIL_SHARE, MAX_TAIL = 16, 1_000  # the last round's chunks (see ``_tail_size``)
# SQLite's memory in the process committing the chunks (see ``run_chunks``). Left alone, its
# page caches (the catalog's, the cross-article store's 8 MB) came to ~19 MB at 100k.
BUILD_SQLITE_MEMORY = 8_000_000


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file to read: what the catalog knew of it decides how much work it needs."""

    path: Path
    size: int
    mtime_ns: int
    known_fingerprint: str | None = None  # unchanged text means only size/mtime are updated
    index: bool = True  # False: only the cross-article record is wanted (analysis catching up)


@dataclass(slots=True)
class ChunkResult:
    """What a worker made of one chunk of files."""

    staging: Path  # folder holding the finished segment (removed once committed)
    segment: Any | None  # the Whoosh segment object, or None when no document was written
    texts: Spilled[tuple[str, int, bytes]]  # (id, body_start, packed text), for Catalog.put_texts
    records: Spilled[ArticleAnalysis]  # for CorpusAnalysis.update
    indexed: Spilled[CatalogEntry]  # for Catalog.put: ~0.5 KB a file, 5 MB held per 10,000 in memory
    unchanged: list[tuple[str, int, int]] = field(default_factory=list)  # (id, size, mtime_ns)
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[LoadIssue] = field(default_factory=list)


def worker_count() -> int:
    """How many processes may build at once: the CPUs this process is allowed to use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def chunked(jobs: Sequence[FileJob], workers: int) -> list[Sequence[FileJob]]:
    """Split jobs into chunks, each one segment: a small first round, few large ones, a small last.

    The first round (``FIRST_CHUNK`` files each) makes the first articles searchable within
    seconds of a first open. The rest go in as few chunks as ``MAX_CHUNK`` allows (a worker's
    memory grows with its chunk), a multiple of the worker count and all of a size, so every
    core is busy to the end: few segments, each with its own term dictionary, are cheaper to
    write and to search than many small ones. A small last round (``_tail_size``) keeps the
    workers busy while the main process commits the large chunks, instead of idle cores.
    """
    head = [FIRST_CHUNK] * workers if len(jobs) > 2 * workers * FIRST_CHUNK else []
    tail = [_tail_size(len(jobs) - sum(head), workers)] * workers if head and workers > 1 else []
    rest = len(jobs) - sum(head) - sum(tail)
    rounds = max(1, -(-rest // (workers * MAX_CHUNK)))
    size = max(1, -(-rest // (workers * rounds)))
    sizes = head + [size] * (workers * rounds) + [take for take in tail if take]
    starts = list(itertools.accumulate(sizes, initial=0))
    return [jobs[start:end] for start, end in itertools.pairwise(starts) if start < len(jobs)]


def _tail_size(rest: int, workers: int) -> int:
    """Files in each chunk of the last round: a sixteenth of a worker's share, built in about
    the time a large chunk takes to commit; none below ``FIRST_CHUNK`` (a small build)."""
    size = min(MAX_TAIL, MAX_CHUNK, rest // (TAIL_SHARE * workers))
    return size if size >= FIRST_CHUNK else 0


# --- the worker side, imported where a chunk is built -----------------------------------------


def build_chunk(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_file: Callable[[], None] | None = None,
) -> ChunkResult:
    """Run ``jobs`` through the stages into one new segment (``stages.build_chunk``)."""
    from reader.core.pipeline import stages

    return stages.build_chunk(root, staging_parent, jobs, tag_db, on_file)


def _build_in_worker(root: Path, staging_parent: Path, jobs: Sequence[FileJob], tag_db: Path | None) -> ChunkResult:
    """What a worker is sent for each chunk: named here, so the main process that sends it
    never imports the stages (``stages.build_in_worker``)."""
    from reader.core.pipeline import stages

    return stages.build_in_worker(root, staging_parent, jobs, tag_db)


# --- the parent side --------------------------------------------------------------------------


def run_chunks(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_progress: Callable[[int], None],
    stop: threading.Event | None = None,
    listing: Listing | None = None,
) -> Iterator[ChunkResult]:
    """Yield finished chunks as they complete; ``on_progress(done)`` counts files read so far.

    ``listing``: files to give a catalog row first (``listing``), before anything is built.
    Once ``stop`` is set, no further chunk is yielded and the workers are ended at once (what
    they were building is lost; every chunk yielded before is whole).

    Meanwhile this process's SQLite memory is held to ``BUILD_SQLITE_MEMORY``: the chunks are
    committed here, beside the app's list, while the workers hold their own peaks, and pages
    the caches miss come from the OS's cache."""
    workers = worker_count()
    stop = stop or threading.Event()
    with sqlite_memory_bound(BUILD_SQLITE_MEMORY):
        if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
            if listing is not None:
                listing.run_here(root, stop.is_set)
            yield from _run_here(root, staging_parent, jobs, tag_db, on_progress, stop)
        else:
            yield from _run_in_processes(root, staging_parent, jobs, tag_db, on_progress, workers, stop, listing)


def _run_in_processes(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_progress: Callable[[int], None],
    workers: int,
    stop: threading.Event,
    listing: Listing | None,
) -> Iterator[ChunkResult]:
    # The chunks not yet handed back: each one's columns (~33 bytes a file) go when it comes back.
    left = dict(enumerate(chunked(jobs, workers)))
    held: list[ChunkResult] = []  # built, waiting for the workers to end
    done = 0
    try:
        with WorkerPool(min(workers, len(left))) as pool:
            progress = pool.progress
            # Submitted first, so both workers list every file before they build any.
            listing_batches = _submit_listing(pool, root, listing)
            pending = {
                pool.submit(_build_in_worker, root, staging_parent, chunk, tag_db): n for n, chunk in left.items()
            }
            try:
                while pending and not stop.is_set():
                    waiting: set[Future[Any]] = {*pending, *listing_batches.futures}
                    finished, _ = wait(waiting, timeout=0.1, return_when=FIRST_COMPLETED)
                    done = _drain(progress, done, on_progress)
                    for listed in listing_batches.take(finished):
                        listing_batches.count(listed)
                    for future in [future for future in pending if future in finished]:
                        result = future.result()
                        del left[pending.pop(future)]
                        if all(other.done() for other in pending):
                            held.append(result)  # nothing left to build: committed once the workers end
                        elif not stop.is_set():
                            yield result
                            release_memory()  # what committing the chunk took (the main's growth)
                if stop.is_set():
                    pool.terminate()  # now rather than after their chunks (minutes, in a large build)
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
    except BrokenProcessPool:
        # Workers could not start (a frozen app) or one died: build what is left in this process.
        rest = [job for chunk in left.values() for job in chunk]
        yield from _run_here(root, staging_parent, rest, tag_db, lambda count: on_progress(done + count), stop)
    # The last chunks are committed after the workers have ended: the largest commits come last
    # (the cross-article store grows), and idle workers would hold their memory meanwhile.
    for result in held:
        if not stop.is_set():
            yield result


class _ListingBatches:
    """The listing batches handed to the workers, and the rows they have written so far."""

    def __init__(self, listing: Listing | None) -> None:
        self.listing = listing
        self.futures: set[Future[int]] = set()
        self.listed = 0

    def take(self, finished: set[Future[Any]]) -> list[Future[int]]:
        done = [future for future in finished if future in self.futures]
        self.futures.difference_update(done)
        return done

    def count(self, future: Future[int]) -> None:
        """Add a finished batch's rows; a batch that failed is no loss (the build lists its files)."""
        if self.listing is None or future.cancelled() or future.exception() is not None:
            return
        self.listed += future.result()
        self.listing.on_listed(self.listed)


def _submit_listing(pool: WorkerPool, root: Path, listing: Listing | None) -> _ListingBatches:
    batches = _ListingBatches(listing)
    if listing is not None:
        batches.futures = {pool.submit(list_batch, root, listing.catalog_path, batch) for batch in listing.batches()}
    return batches


def _run_here(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_progress: Callable[[int], None],
    stop: threading.Event,
) -> Iterator[ChunkResult]:
    done = 0

    def count() -> None:
        nonlocal done
        done += 1
        on_progress(done)

    for chunk in chunked(jobs, 1):
        if stop.is_set():
            return
        yield build_chunk(root, staging_parent, chunk, tag_db, on_file=count)


def _drain(progress: Any, done: int, on_progress: Callable[[int], None]) -> int:
    moved = done
    deadline = time.monotonic() + 0.05
    while time.monotonic() < deadline:
        try:
            moved += progress.get_nowait()
        except queue.Empty:
            break
    if moved != done:
        on_progress(moved)
    return moved
