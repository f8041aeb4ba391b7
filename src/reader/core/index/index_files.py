"""The Whoosh index on disk: opening it (and telling a damaged one), making a new one, writing
new segments in a staging folder and committing them.

The index is written a segment at a time: a segment is built in its own staging folder (in a
worker process, for a large build), then its finished files are moved into the index and the
table of contents is committed, so the index never holds half a segment.
"""

from __future__ import annotations

import gc
import os
import shutil
import stat
import warnings
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reader.core.index.schema import INDEX_FORMAT, build_schema
from reader.core.text import visible


class IndexDamaged(Exception):
    """The index on disk cannot be used as it is; ``str()`` says why, for the user.

    When only some segments are damaged, ``index`` is the index as opened and ``segments``
    the ids of those segments: dropping them (``drop_segments``) keeps the rest.
    """

    def __init__(self, reason: str, index: Any | None = None, segments: frozenset[str] = frozenset()) -> None:
        super().__init__(reason)
        self.index = index
        self.segments = segments


def format_stamp() -> str:
    """The index format plus the Whoosh release: a change in either means a rebuild."""
    import whoosh

    return f"{INDEX_FORMAT}/whoosh-{whoosh.versionstring()}"


def _is_private(folder: Path) -> bool:
    """Owned by this user and writable by nobody else: Whoosh unpickles what it reads there."""
    info = folder.stat()
    owner_ok = not hasattr(os, "getuid") or info.st_uid == os.getuid()
    return owner_ok and not info.st_mode & (stat.S_IWGRP | stat.S_IWOTH)


def open_index(index_dir: Path, *, thorough: bool = True, full: bool = False) -> Any | None:
    """The index in ``index_dir``, None when there is none; ``IndexDamaged`` when unusable.

    Every file is checked against its recorded size and checksum (read again only if its size
    or modification time changed; ``full`` reads them all). ``thorough`` also opens every
    segment; the quick check suits small syncs between full ones.
    """
    if not index_dir.is_dir() or not any(index_dir.glob("_*.toc")):
        return None
    if not _is_private(index_dir):
        raise IndexDamaged("its folder could be changed by other users")
    # Whoosh leaves files open when it fails to read them; they are closed (quietly) as the
    # failure is dropped, inside this block.
    from reader.core.index.checksums import verify_toc

    toc_problem = verify_toc(index_dir, _latest_toc(index_dir))
    if toc_problem is not None:  # checked before Whoosh unpickles it
        raise IndexDamaged(toc_problem)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            found = _storage(index_dir).open_index()
            failure = _damage(index_dir, found, thorough=thorough, full=full)
        except IndexDamaged as damaged:
            failure = damaged
        except Exception as error:  # noqa: BLE001 - any failure to read it means it is damaged
            failure = IndexDamaged(visible(f"{type(error).__name__}: {error}", limit=200))
        if failure is not None:
            gc.collect()
    if failure is not None:
        raise failure
    return found


def _damage(index_dir: Path, found: Any, *, thorough: bool, full: bool) -> IndexDamaged | None:
    """What is wrong with an index that opened, or None."""
    from reader.core.index.checksums import verify

    if set(found.schema.names()) != set(build_schema().names()):
        return IndexDamaged("it was made for different fields")
    toc = found._read_toc()
    damage = verify(index_dir, found.indexname, toc.segments, full=full)
    if damage is not None:
        return IndexDamaged(str(damage), found, damage.segments)
    if thorough:
        _check_segments(found, toc)
    return None


def toc_name(indexname: str, generation: int) -> str:
    """The file name Whoosh gives a table of contents."""
    return f"_{indexname}_{generation}.toc"


def _latest_toc(index_dir: Path) -> str:
    """The name of the newest table of contents (the one Whoosh opens)."""
    tocs = [
        (int(path.stem.rsplit("_", 1)[1]), path.name)
        for path in index_dir.glob("_*_*.toc")
        if path.stem.rsplit("_", 1)[1].isdigit()
    ]
    return max(tocs)[1] if tocs else ""


def verify_index(index_dir: Path) -> str | None:
    """A full check of every file of the index (all read), for the background and after a
    failed read: what is damaged, or None when all is as recorded (or there is no index)."""
    for _ in range(3):
        latest = _latest_toc(index_dir)
        try:
            open_index(index_dir, thorough=True, full=True)
        except IndexDamaged as damaged:
            if _latest_toc(index_dir) != latest:
                continue  # a commit from another process moved files on: check again
            return str(damaged)
        return None
    return None


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


def live_documents(ix: Any) -> int:
    """How many documents the index holds, from its table of contents alone (no file read)."""
    return sum(segment.doc_count() for segment in ix._read_toc().segments)


def indexed_ids(ix: Any) -> dict[str, int]:
    """Every live document's id with how many times it is in the index (1, unless damaged)."""
    counts: dict[str, int] = {}
    with ix.reader() as reader:
        for fields in reader.all_stored_fields():
            if "id" in fields:
                counts[fields["id"]] = counts.get(fields["id"], 0) + 1
    return counts


def commit(ix: Any, index_dir: Path, delete_ids: Iterable[str], staging: Path | None, segment: Any | None) -> None:
    """One index commit: delete documents by id, then add a finished segment from ``staging``.

    This is the commit ``whoosh.multiproc.MpWriter`` makes with ``multisegment=True``: the new
    segment joins the table of contents as it is, so the parent never rewrites postings.
    """
    from whoosh.writing import MERGE_SMALL

    from reader.core.index.checksums import record_segments, record_toc

    writer = ix.writer(timeout=30.0, compound=False)  # see storage.py
    try:
        for article_id in delete_ids:
            writer.delete_by_term("id", article_id)
        # Whoosh's policy folds only small segments (the one-file commits of later syncs) into
        # this writer; the large segments of a first build are left alone.
        segments = writer._merge_segments(MERGE_SMALL, False, True)
        if staging is not None and segment is not None:
            _move_segment_files(ix.indexname, segment, staging, index_dir)
            segments.append(segment)
        if writer._added:  # the merge policy copied small segments into this writer
            segments.append(writer._finalize_segment())
        else:
            writer._close_segment()
        record_segments(index_dir, ix.indexname, segments)
        writer._commit_toc(segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    record_toc(index_dir, toc_name(ix.indexname, writer.generation))


def drop_segments(ix: Any, index_dir: Path, segids: frozenset[str]) -> None:
    """Commit the index without the segments ``segids`` (damaged ones): their documents are
    gone from it, the rest stays, and a reconciliation with the catalog reads them again."""
    from reader.core.index.checksums import record_segments, record_toc

    writer = ix.writer(timeout=30.0, compound=False)
    try:
        segments = [segment for segment in writer.segments if segment.segid not in segids]
        writer._close_segment()
        record_segments(index_dir, ix.indexname, segments)
        writer._commit_toc(segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    record_toc(index_dir, toc_name(ix.indexname, writer.generation))


def merge_small_segments(ix: Any, index_dir: Path, staging_parent: Path, made: set[str]) -> None:
    """Merge the small segments among ``made`` (the segment ids a build just committed) into
    one (``merging``), and commit the index with it in place of the first of them."""
    import tempfile

    from reader.core.index.checksums import record_segments, record_toc
    from reader.core.index.merging import merge_segments, mergeable

    if not mergeable(ix._read_toc().segments, made):
        return  # no lock taken when there is nothing to merge
    writer = ix.writer(timeout=30.0, compound=False)
    try:
        small = mergeable(writer.segments, made)
        if not small:
            writer.cancel()
            return
        staging = Path(tempfile.mkdtemp(prefix="merge-", dir=staging_parent))
        try:
            merged = merge_segments(ix.storage, ix.schema, small, staging)
            _move_segment_files(ix.indexname, merged, staging, index_dir)
        finally:
            shutil.rmtree(staging, ignore_errors=True)
        first = writer.segments.index(small[0])
        segments = [segment for segment in writer.segments if segment not in small]
        segments.insert(first, merged)
        writer._close_segment()
        record_segments(index_dir, ix.indexname, segments)
        writer._commit_toc(segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()
    record_toc(index_dir, toc_name(ix.indexname, writer.generation))


def _move_segment_files(indexname: str, segment: Any, staging: Path, index_dir: Path) -> None:
    prefix = f"{indexname}_{segment.segid}"
    for moved in staging.iterdir():
        if moved.name.startswith(prefix):
            os.replace(moved, index_dir / moved.name)
