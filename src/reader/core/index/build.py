"""Reading and analysing article files into index segments, in worker processes or in-process.

Each chunk of files becomes one finished Whoosh segment written in a private staging folder:
the worker loads each file, extracts its quotes and people, computes its cross-article record
and its terms, and files the postings itself. The parent only moves finished segment files
into the index and commits, so both cores do the expensive part of a first build, and a killed
build loses at most the chunks that were in flight.
"""

from __future__ import annotations

import datetime as dt
import importlib.util
import multiprocessing
import os
import pickle
import queue
import shutil
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.index.analysis import name_positions, tag_positions, text_positions
from reader.core.index.catalog import CatalogEntry, SkippedFile, pack_text
from reader.core.index.schema import Preanalyzed, build_schema
from reader.core.loader import load_article
from reader.core.models import Article, LoadIssue, ParagraphKind

PARALLEL_MIN_FILES = 400  # below this, starting worker processes costs more than it saves
MIN_CHUNK, MAX_CHUNK = 200, 20_000  # files per segment: fewer segments vs. less work lost on a kill
_PROGRESS_EVERY = 25  # files between progress messages from a worker
_WRITER_LIMIT_MB = 256
_PARENT_CHECK_SECONDS = 0.5


@dataclass(frozen=True, slots=True)
class FileJob:
    """One file to read: what the catalog knew of it decides how much work it needs."""

    path: Path
    size: int
    mtime_ns: int
    known_fingerprint: str | None = None  # unchanged text means only size/mtime are updated
    index: bool = True  # False: only the cross-article record is wanted (analysis catching up)


class Spilled:
    """Rows written to a file in the chunk's staging folder as they are made and read back one
    at a time. A chunk's texts and cross-article records for 16,000 articles, sent to the main
    process as lists, held a few hundred MB there (and in the worker) during a 100k build."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.count = 0
        self._file: Any = None

    def add(self, row: Any) -> None:
        if self._file is None:
            self._file = open(self.path, "ab")  # noqa: SIM115 - closed by close()
        pickle.dump(row, self._file, protocol=pickle.HIGHEST_PROTOCOL)
        self.count += 1

    def close(self) -> None:
        if self._file is not None:
            self._file.close()
            self._file = None

    def __getstate__(self) -> dict[str, Any]:
        self.close()  # what travels to the main process is the path and the count
        return {"path": self.path, "count": self.count}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.path, self.count, self._file = state["path"], state["count"], None

    def __len__(self) -> int:
        return self.count

    def __iter__(self) -> Iterator[Any]:
        self.close()
        if not self.count:
            return
        with open(self.path, "rb") as spilled:
            for _ in range(self.count):
                yield pickle.load(spilled)  # noqa: S301 - our own worker's file, in our private cache


@dataclass(slots=True)
class ChunkResult:
    """What a worker made of one chunk of files."""

    staging: Path  # folder holding the finished segment (removed once committed)
    segment: Any | None  # the Whoosh segment object, or None when no document was written
    texts: Spilled  # (id, body_start, packed text) rows, for Catalog.put_texts
    records: Spilled  # ArticleAnalysis, for CorpusAnalysis.update
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


# --- the worker side --------------------------------------------------------------------------


class _Enrichment:
    """Extraction, cross-article records and the user's tags, each used only when installed."""

    def __init__(self, tag_db: Path | None) -> None:
        self.extract = _optional("reader.core.extraction", "extract_article")
        self.record = _optional("reader.core.across", "analysis_record")
        self.tags = None
        if tag_db is not None and importlib.util.find_spec("reader.core.tags") is not None:
            from reader.core.tags import TagStore, TagStoreError

            try:
                self.tags = TagStore(tag_db)
            except TagStoreError:
                pass  # indexed without tags; the sync's tag check adds them once the store opens

    def close(self) -> None:
        if self.tags is not None:
            self.tags.close()


@dataclass(frozen=True, slots=True)
class _NoExtraction:
    """Stands in for an extraction that failed, so the article still gets its record."""

    quotes: tuple[Any, ...] = ()
    people: tuple[Any, ...] = ()


_NOTHING_EXTRACTED = _NoExtraction()


def can_analyse() -> bool:
    """Whether builds make cross-article records (without importing the heavy modules)."""
    return all(importlib.util.find_spec(name) is not None for name in ("reader.core.extraction", "reader.core.across"))


def _optional(module: str, name: str) -> Callable[..., Any] | None:
    if importlib.util.find_spec(module) is None:
        return None
    return getattr(importlib.import_module(module), name)


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


def build_chunk(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_file: Callable[[], None] | None = None,
) -> ChunkResult:
    """Read, analyse and index ``jobs`` into one new segment in a fresh staging folder."""
    from whoosh.filedb.filestore import FileStorage
    from whoosh.writing import SegmentWriter

    staging = Path(tempfile.mkdtemp(prefix="chunk-", dir=staging_parent))
    result = ChunkResult(
        staging=staging, segment=None, texts=Spilled(staging / "texts.pickle"), records=Spilled(staging / "records.pickle")
    )
    enrichment = _Enrichment(tag_db)
    writer = SegmentWriter(
        FileStorage(str(staging)).create().create_index(build_schema()), _lk=False,
        limitmb=_WRITER_LIMIT_MB,
        compound=False,  # separate files, read as storage.py explains
    )
    unreported = 0
    try:
        for job in jobs:
            _build_one(root, job, writer, enrichment, result)
            if on_file is not None:
                on_file()
            unreported += 1
            if unreported >= _PROGRESS_EVERY:
                _report(unreported)
                unreported = 0
        if result.indexed:
            result.segment = writer._finalize_segment()  # the same step MpWriter's workers take
        else:
            writer.cancel()
    except BaseException:
        writer.cancel()
        shutil.rmtree(staging, ignore_errors=True)
        raise
    finally:
        enrichment.close()
        result.texts.close()
        result.records.close()
        _report(unreported)
    return result


def _build_one(root: Path, job: FileJob, writer: Any, enrichment: _Enrichment, result: ChunkResult) -> None:
    loaded = load_article(job.path, root)
    if isinstance(loaded, LoadIssue):
        result.skipped.append(SkippedFile(job.path, job.size, job.mtime_ns, loaded.reason))
        return
    article = loaded
    if job.index and article.fingerprint == job.known_fingerprint:
        result.unchanged.append((article.id, article.size, article.mtime_ns))
        return
    warnings = list(article.warnings)
    extraction: Any = None
    if enrichment.extract is not None:
        try:
            extraction = enrichment.extract(article)
        except Exception as error:  # noqa: BLE001 - one odd article must not stop a build
            warnings.append(f"quotes and people not extracted ({type(error).__name__}: {error})")
            extraction = _NOTHING_EXTRACTED
    if enrichment.record is not None and extraction is not None:
        result.records.add(enrichment.record(article, extraction))
    if not job.index:
        return
    tags = enrichment.tags.tags_for(article) if enrichment.tags is not None else ()
    writer.add_document(**document_fields(article, extraction, tags))
    result.indexed.append(
        CatalogEntry(
            id=article.id,
            path=article.path,
            size=article.size,
            mtime_ns=article.mtime_ns,
            fingerprint=article.fingerprint,
            title=article.title,
            date=article.date,
            date_text=article.date_text,
            outlet=article.outlet,
            author=article.author,
            tags=tuple(tags),
            warnings=tuple(warnings),
        )
    )
    result.texts.add((article.id, body_start(article), pack_text(article.text)))
    result.warnings.extend(LoadIssue(article.path, warning, False) for warning in warnings)


def body_start(article: Article) -> int:
    """Where the article proper begins: after a headline paragraph, which lists show anyway."""
    for paragraph in article.paragraphs:
        if paragraph.kind is not ParagraphKind.TITLE:
            return paragraph.start
    return 0


def document_fields(article: Article, extraction: Any, tags: Iterable[str]) -> dict[str, Any]:
    """The Whoosh document of an article: every text field as ready-made terms."""
    quotes = tuple(getattr(extraction, "quotes", ()) or ())
    people = tuple(getattr(extraction, "people", ()) or ())
    names = [name for person in people for name in (person.name, *getattr(person, "aliases", ()))]
    speakers = [quote.speaker for quote in quotes if quote.speaker]
    speakers += [person.name for person in people if getattr(person, "quoted", False)]
    values: dict[str, dict[str, list[int]]] = {
        "title": text_positions(article.title),
        "body": text_positions(article.text),
        "quotes": text_positions("\n\n".join(quote.text for quote in quotes)),
        "people": name_positions(dict.fromkeys(names)),
        "quoted": name_positions(dict.fromkeys(speakers)),
        "outlet": name_positions([article.outlet] if article.outlet else []),
        "author": name_positions([article.author] if article.author else []),
        "tags": tag_positions(tags),
    }
    fields: dict[str, Any] = {"id": article.id}
    fields.update({name: Preanalyzed(terms) for name, terms in values.items() if terms})
    indexed_date = index_date(article.date)
    if indexed_date is not None:
        fields["date"] = indexed_date
    return fields


def index_date(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """Dates as naive UTC datetimes, the form Whoosh's DATETIME field sorts and ranges on."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)


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
        yield from _run_here(root, staging_parent, [job for chunk in left.values() for job in chunk], tag_db,
                             lambda count: on_progress(done + count))
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
