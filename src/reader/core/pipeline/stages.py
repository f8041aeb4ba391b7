"""The stages a chunk's files go through in a build worker: load → extract → record → index.

Kept apart from ``build`` (the chunks, the workers, what they send back): the main process of a
parallel build only sends chunks and commits what comes back, and these stages bring the
extraction rules (~4 MB it would hold for nothing). A worker, or the main process building a
small folder itself, imports them when it builds its first chunk.
"""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import replace
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
from reader.core.pipeline.build import ChunkResult, FileJob
from reader.core.pipeline.listing import catalog_entry, close_catalogs
from reader.core.pipeline.processes import release_memory
from reader.core.pipeline.spill import Spilled
from reader.core.tags import Annotations, TagStore, TagStoreError, UserData

_PROGRESS_EVERY = 25  # files between progress messages from a worker
_NOTHING_EXTRACTED = Extraction(quotes=(), people=())  # stands in for an extraction that failed

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


def build_in_worker(root: Path, staging_parent: Path, jobs: Sequence[FileJob], tag_db: Path | None) -> ChunkResult:
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
