"""The stages of indexing, for a chunk of files: load → extract → record → index.

Each chunk of files becomes one finished index segment written in a private staging folder:
for each file the worker loads the article (``loader``), finds its quotes and people
(``extraction``), makes its cross-article record (``cross_article``), reads the user's tags,
highlights and notes (``tags``) and hands the index the document to file (``index``). The parent only moves
finished segment files into the index and commits (``sync``), so every core does the expensive
part of a first build, and a killed build loses at most the chunks that were in flight.
"""

from __future__ import annotations

import itertools
import os
import queue
import shutil
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from reader.core.cross_article import ArticleAnalysis, analysis_record
from reader.core.extraction import Extraction, extract_article
from reader.core.extraction.cache import ExtractionCache
from reader.core.index.catalog import CatalogEntry, SkippedFile, pack_text
from reader.core.index.documents import IndexDocument
from reader.core.index.segment_writer import SegmentBuilder
from reader.core.loader import load_article
from reader.core.models import Article, LoadIssue, ParagraphKind
from reader.core.paths import extraction_cache_beside
from reader.core.pipeline.listing import Listing, catalog_entry, close_catalogs, list_batch
from reader.core.pipeline.processes import release_memory
from reader.core.pipeline.spill import Spilled
from reader.core.pipeline.workers import WorkerPool
from reader.core.tags import Annotations, TagStore, TagStoreError, UserData

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
FIRST_CHUNK, MAX_CHUNK = 250, 10_000  # files per segment (see ``chunked``)
TAIL_SHARE, MAX_TAIL = 16, 1_000  # the last round's chunks (see ``_tail_size``)
_PROGRESS_EVERY = 25  # files between progress messages from a worker
_NOTHING_EXTRACTED = Extraction(quotes=(), people=())  # stands in for an extraction that failed


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


# --- the worker side: the stages -------------------------------------------------------------


_progress: Any = None  # where a worker process reports files done (``put(count)``)


def progress_to(progress: Any) -> None:
    """In a worker process: report files done to ``progress`` (its answer pipe)."""
    global _progress
    _progress = progress


def _report(count: int) -> None:
    if _progress is not None and count:
        _progress.put(count)


def _open_tags(tag_db: Path | None) -> TagStore | None:
    """The user's tag store, or None: then the articles are indexed without tags, and the
    sync's tag check adds them once the store opens."""
    if tag_db is None:
        return None
    try:
        return TagStore(tag_db)
    except TagStoreError:
        return None


def build_chunk(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_file: Callable[[], None] | None = None,
) -> ChunkResult:
    """Run ``jobs`` through the stages into one new segment in a fresh staging folder."""
    staging = Path(tempfile.mkdtemp(prefix="chunk-", dir=staging_parent))
    texts: Spilled[tuple[str, int, bytes]] = Spilled(staging / "texts.pickle")
    records: Spilled[ArticleAnalysis] = Spilled(staging / "records.pickle")
    indexed: Spilled[CatalogEntry] = Spilled(staging / "indexed.pickle")
    result = ChunkResult(staging=staging, segment=None, texts=texts, records=records, indexed=indexed)
    tags = _open_tags(tag_db)
    extractions = ExtractionCache.open(extraction_cache_beside(staging_parent))
    segment = SegmentBuilder(staging)
    unreported = 0
    try:
        for job in jobs:
            _build_one(root, job, segment, tags, extractions, result)
            if on_file is not None:
                on_file()
            unreported += 1
            if unreported >= _PROGRESS_EVERY:
                _report(unreported)
                unreported = 0
        result.segment = segment.finish()
    except BaseException:
        segment.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        if tags is not None:
            tags.close()
        if extractions is not None:
            extractions.close()
        result.texts.close()
        result.records.close()
        result.indexed.close()
        _report(unreported)
    return result


def _build_in_worker(root: Path, staging_parent: Path, jobs: Sequence[FileJob], tag_db: Path | None) -> ChunkResult:
    """``build_chunk`` in a worker process, which then hands its spare memory back to the
    system: an idle worker waiting for the build's last chunks would keep its peak meanwhile.
    Its listing, submitted first, is over: its catalog connections are closed."""
    close_catalogs()
    try:
        return build_chunk(root, staging_parent, jobs, tag_db)
    finally:
        release_memory()


def _build_one(
    root: Path,
    job: FileJob,
    segment: SegmentBuilder,
    tags: TagStore | None,
    extractions: ExtractionCache | None,
    result: ChunkResult,
) -> None:
    """One file through the stages: load, extract, record, and (unless only the record is
    wanted) index, with its catalog entry and stored text."""
    loaded = load_article(job.path, root)
    if isinstance(loaded, LoadIssue):
        result.skipped.append(SkippedFile(job.path, job.size, job.mtime_ns, loaded.reason))
        return
    article = loaded
    if job.index and article.fingerprint == job.known_fingerprint:
        result.unchanged.append((article.id, article.size, article.mtime_ns))
        return
    extraction, warnings = _extract(article, extractions)
    result.records.add(analysis_record(article, extraction))
    if not job.index:
        return
    user = tags.user_data_for(article) if tags is not None else UserData()
    segment.add(index_document(article, extraction, user.tags, user.annotations))
    result.indexed.add(_catalog_entry(article, user, warnings))
    result.texts.add((article.id, body_start(article), pack_text(article.text)))
    result.warnings.extend(LoadIssue(article.path, warning, False) for warning in warnings)


def _extract(article: Article, extractions: ExtractionCache | None) -> tuple[Extraction, tuple[str, ...]]:
    """The article's quotes and people (kept ones when this text was extracted before), and
    its warnings (one more if extraction failed)."""
    try:
        return (extractions.extract(article) if extractions is not None else extract_article(article)), article.warnings
    except Exception as error:  # noqa: BLE001 - one odd article must not stop a build
        failed = f"quotes and people not extracted ({type(error).__name__}: {error})"
        return _NOTHING_EXTRACTED, (*article.warnings, failed)


def index_document(
    article: Article, extraction: Extraction, tags: tuple[str, ...], annotations: Annotations | None = None
) -> IndexDocument:
    """What the index is given of an article: its words, people, speakers, outlet, and the
    user's tags, highlights and notes."""
    annotations = annotations or Annotations()
    people = extraction.people
    speakers = [quote.speaker for quote in extraction.quotes if quote.speaker]
    return IndexDocument(
        id=article.id,
        title=article.title,
        body=article.text,
        quotes=tuple(quote.text for quote in extraction.quotes),
        people=tuple(
            name
            for person in people
            for name in ([person.name] * max(person.mentions, 1) + [a for a in person.aliases if a != person.name])
        ),
        quoted=(*speakers, *(person.name for person in people if person.quoted)),
        outlet=article.outlet,
        author=article.author,
        tags=tags,
        highlights=tuple(highlight.text for highlight in annotations.highlights),
        notes=annotations.notes,
        date=article.date,
    )


def _catalog_entry(article: Article, user: UserData, warnings: tuple[str, ...]) -> CatalogEntry:
    """The full catalog row: the list's, with the user's tags and how many highlights and notes."""
    annotations = user.annotations
    return replace(
        catalog_entry(article, user.tags, warnings),
        highlights=len(annotations.highlights),
        notes=len(annotations.notes),
        annotation_digest=annotations.digest,
    )


def body_start(article: Article) -> int:
    """Where the article proper begins: after a headline paragraph, which lists show anyway."""
    for paragraph in article.paragraphs:
        if paragraph.kind is not ParagraphKind.TITLE:
            return paragraph.start
    return 0


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
    they were building is lost; every chunk yielded before is whole)."""
    workers = worker_count()
    stop = stop or threading.Event()
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
    chunks = chunked(jobs, workers)
    left = dict(enumerate(chunks))  # chunks not yet handed back
    held: list[ChunkResult] = []  # built, waiting for the workers to end
    done = 0
    try:
        with WorkerPool(min(workers, len(chunks))) as pool:
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
