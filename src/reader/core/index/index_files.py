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
    """The index on disk cannot be used; ``str()`` says why, for the user."""


def format_stamp() -> str:
    """The index format plus the Whoosh release: a change in either means a rebuild."""
    import whoosh

    return f"{INDEX_FORMAT}/whoosh-{whoosh.versionstring()}"


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
    if not index_dir.is_dir() or not any(index_dir.glob("_*.toc")):
        return None
    if not _is_private(index_dir):
        raise IndexDamaged("its folder could be changed by other users")
    # Whoosh leaves files open when it fails to read them; they are closed (quietly) as the
    # failure is dropped, inside this block.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ResourceWarning)
        try:
            found = _storage(index_dir).open_index()
            failure = _damage(index_dir, found, thorough=thorough)
        except Exception as error:  # noqa: BLE001 - any failure to read it means it is damaged
            failure = visible(f"{type(error).__name__}: {error}", limit=200)
        if failure is not None:
            gc.collect()
    if failure is not None:
        raise IndexDamaged(failure)
    return found


def _damage(index_dir: Path, found: Any, *, thorough: bool) -> str | None:
    """What is wrong with an index that opened, or None."""
    from reader.core.index.storage import size_damage  # imports Whoosh

    if set(found.schema.names()) != set(build_schema().names()):
        return "it was made for different fields"
    toc = found._read_toc()
    failure = size_damage(index_dir, found.indexname, toc.segments)
    if thorough and failure is None:
        _check_segments(found, toc)
    return failure


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

    from reader.core.index.storage import record_sizes

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
        record_sizes(index_dir, ix.indexname, segments)
        writer._commit_toc(segments)
    except BaseException:
        writer.cancel()
        raise
    writer._finish()


def _move_segment_files(indexname: str, segment: Any, staging: Path, index_dir: Path) -> None:
    prefix = f"{indexname}_{segment.segid}"
    for moved in staging.iterdir():
        if moved.name.startswith(prefix):
            os.replace(moved, index_dir / moved.name)
