"""The stages of indexing, for a chunk of files: load → extract → record → index.

Each chunk of files becomes one finished index segment written in a private staging folder:
for each file the worker loads the article (``loader``), finds its quotes and people
(``extraction``), makes its cross-article record (``cross_article``), reads the user's tags,
highlights and notes (``tags``) and hands the index the document to file (``index``). The parent only moves
finished segment files into the index and commits (``sync``), so every core does the expensive
part of a first build, and a killed build loses at most the chunks that were in flight.
"""

from __future__ import annotations

import multiprocessing
import os
import queue
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.cross_article import ArticleAnalysis, analysis_record
from reader.core.extraction import Extraction, extract_article
from reader.core.index.catalog import CatalogEntry, SkippedFile, pack_text
from reader.core.index.documents import IndexDocument
from reader.core.index.index_files import StagedSegment
from reader.core.loader import load_article
from reader.core.models import Article, LoadIssue, ParagraphKind
from reader.core.pipeline.spill import Spilled
from reader.core.tags import Annotations, TagStore, TagStoreError, UserData

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
MIN_CHUNK, MAX_CHUNK = 200, 20_000  # files per segment: fewer segments vs. less work lost on a kill
_PROGRESS_EVERY = 25  # files between progress messages from a worker
_PARENT_CHECK_SECONDS = 0.5
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
    indexed: list[CatalogEntry] = field(default_factory=list)
    unchanged: list[tuple[str, int, int]] = field(default_factory=list)  # (id, size, mtime_ns)
    skipped: list[SkippedFile] = field(default_factory=list)
    warnings: list[LoadIssue] = field(default_factory=list)


def worker_count() -> int:
    """How many processes may build at once: the CPUs this process is allowed to use."""
    if hasattr(os, "sched_getaffinity"):
        return max(1, len(os.sched_getaffinity(0)))
    return max(1, os.cpu_count() or 1)


def chunked(jobs: Sequence[FileJob], workers: int) -> list[Sequence[FileJob]]:
    """Split jobs into as few chunks as ``MAX_CHUNK`` allows, a multiple of the worker count.

    Few large segments write far fewer term entries than many small ones (each segment has
    its own dictionary), which is most of the cost of writing an index, and queries run over
    fewer segments; an equal share per worker keeps every core busy to the end.
    """
    rounds = max(1, -(-len(jobs) // (workers * MAX_CHUNK)))
    size = max(MIN_CHUNK, -(-len(jobs) // (workers * rounds)))
    return [jobs[start : start + size] for start in range(0, len(jobs), size)]


# --- the worker side: the stages -------------------------------------------------------------


_progress: Any = None  # the parent's progress queue, set in each worker process


def _init_worker(progress: Any) -> None:
    global _progress
    _progress = progress
    threading.Thread(target=_exit_with_parent, args=(os.getppid(),), daemon=True).start()


def _exit_with_parent(parent: int) -> None:
    """A worker whose parent was killed would wait for work forever: leave instead. (A parent
    that ends normally shuts its pool down; this is for ``kill -9`` and crashes.)"""
    while True:
        time.sleep(_PARENT_CHECK_SECONDS)
        if os.getppid() != parent:
            os._exit(1)


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
    result = ChunkResult(staging=staging, segment=None, texts=texts, records=records)
    tags = _open_tags(tag_db)
    segment = StagedSegment(staging)
    unreported = 0
    try:
        for job in jobs:
            _build_one(root, job, segment, tags, result)
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
        result.texts.close()
        result.records.close()
        _report(unreported)
    return result


def _build_one(root: Path, job: FileJob, segment: StagedSegment, tags: TagStore | None, result: ChunkResult) -> None:
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
    extraction, warnings = _extract(article)
    result.records.add(analysis_record(article, extraction))
    if not job.index:
        return
    user = tags.user_data_for(article) if tags is not None else UserData()
    segment.add(index_document(article, extraction, user.tags, user.annotations))
    result.indexed.append(_catalog_entry(article, user, warnings))
    result.texts.add((article.id, body_start(article), pack_text(article.text)))
    result.warnings.extend(LoadIssue(article.path, warning, False) for warning in warnings)


def _extract(article: Article) -> tuple[Extraction, tuple[str, ...]]:
    """The article's quotes and people, and its warnings (one more if extraction failed)."""
    try:
        return extract_article(article), article.warnings
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
    annotations = user.annotations
    return CatalogEntry(
        id=article.id,
        path=article.path,
        size=article.size,
        mtime_ns=article.mtime_ns,
        fingerprint=article.fingerprint,
        title=article.title,
        date=article.date,
        date_text=article.date_text,
        date_source=article.date_source,
        outlet=article.outlet,
        author=article.author,
        tags=user.tags,
        warnings=warnings,
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
) -> Iterator[ChunkResult]:
    """Yield finished chunks as they complete; ``on_progress(done)`` counts files read so far."""
    workers = worker_count()
    if len(jobs) < PARALLEL_MIN_FILES or workers < 2:
        yield from _run_here(root, staging_parent, jobs, tag_db, on_progress)
    else:
        yield from _run_in_processes(root, staging_parent, jobs, tag_db, on_progress, workers)


def _start_resource_tracker() -> None:
    """Start multiprocessing's helper process with a real stderr to hand down.

    Inside the Textual app ``sys.stderr`` is a capture object whose ``fileno()`` is -1, and
    spawning the helper with that fails ("bad value(s) in fds_to_keep").
    """
    from multiprocessing import resource_tracker

    captured = sys.stderr
    try:
        usable = captured is not None and captured.fileno() >= 0
    except (AttributeError, OSError, ValueError):
        usable = False
    if usable:
        resource_tracker.ensure_running()
        return
    sys.stderr = sys.__stderr__  # None is fine: the tracker then passes no stderr at all
    try:
        resource_tracker.ensure_running()
    finally:
        sys.stderr = captured


def _run_in_processes(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_progress: Callable[[int], None],
    workers: int,
) -> Iterator[ChunkResult]:
    # "spawn": forking a process that runs threads (the app's workers) can deadlock the child.
    context = multiprocessing.get_context("spawn")
    _start_resource_tracker()
    progress = context.Queue()
    chunks = chunked(jobs, workers)
    left = dict(enumerate(chunks))  # chunks not yet handed back
    done = 0
    try:
        with ProcessPoolExecutor(
            max_workers=min(workers, len(chunks)),
            mp_context=context,
            initializer=_init_worker,
            initargs=(progress,),
        ) as pool:
            pending = {pool.submit(build_chunk, root, staging_parent, chunk, tag_db): n for n, chunk in left.items()}
            try:
                while pending:
                    finished, _ = wait(pending, timeout=0.1, return_when=FIRST_COMPLETED)
                    done = _drain(progress, done, on_progress)
                    for future in finished:
                        result = future.result()
                        del left[pending.pop(future)]
                        yield result
            except BaseException:
                for future in pending:
                    future.cancel()
                raise
    except BrokenProcessPool:
        # Workers could not start (a script without an ``if __name__ == "__main__"`` guard, a
        # frozen app): build what is left in this process instead.
        rest = [job for chunk in left.values() for job in chunk]
        yield from _run_here(root, staging_parent, rest, tag_db, lambda count: on_progress(done + count))
    finally:
        progress.close()


def _run_here(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_progress: Callable[[int], None],
) -> Iterator[ChunkResult]:
    done = 0

    def count() -> None:
        nonlocal done
        done += 1
        on_progress(done)

    for chunk in chunked(jobs, 1):
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
