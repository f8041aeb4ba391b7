"""A re-open of a folder that did not change, told without reading the catalog's rows.

The catalog keeps ``FOLDER_DIGEST``, a digest of every file's (id, size, mtime) as it knows them
(skipped files included), and SQLite triggers forget it at any write to what it covers. A scan
of the folder makes the same digest from the files' ``stat``: equal digests mean the same files
with the same sizes and mtimes, so nothing is to be read. Any difference (a file added, removed,
renamed, or changed in size or mtime) gives another digest, and the sync compares the folder
with the catalog row by row as it always did, and catches up the analysis where its records
are missing or stale (``stale_analysis_jobs``).
"""

from __future__ import annotations

import itertools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from reader.core.index.catalog import FOLDER_DIGEST, Catalog
from reader.core.pipeline.scan import FolderScan, Known, folder_digest, relative_id, scan_folder, still_skipped

if TYPE_CHECKING:
    from reader.core.cross_article import CorpusAnalysis
    from reader.core.pipeline.build import FileJob


def scan_if_unchanged(
    root: Path, catalog: Catalog, analysis: CorpusAnalysis | None, skipped_known: dict[Path, Any]
) -> FolderScan | None:
    """The folder's scan when it is as the catalog knows it (and the analysis holds every
    article); None when it must be compared row by row."""
    kept = catalog.meta(FOLDER_DIGEST)
    if kept is None or not _analysis_complete(catalog, analysis):
        return None
    scan = scan_folder(root, None, set(), {})
    return still_skipped(scan, skipped_known) if scan.digest == kept else None


def _analysis_complete(catalog: Catalog, analysis: CorpusAnalysis | None) -> bool:
    """The analysis holds as many articles as the catalog lists (one made anew, or emptied,
    holds none); reading its rows also finds it damaged, as the full comparison would."""
    return analysis is None or analysis.article_count() == catalog.counts()[0]


def keep_catalog_digest(root: Path, catalog: Catalog) -> None:
    """After a sync that changed the catalog, the digest of its rows, if none waits to be
    built: the next re-open of an unchanged folder then reads none of them."""
    with catalog.transaction() as db:
        if catalog.meta(FOLDER_DIGEST) is not None or catalog.pending():
            return
        rows, skipped = catalog.file_states()
        states = itertools.chain(rows, ((relative_id(path, root), size, mtime) for path, size, mtime in skipped))
        catalog.set_meta(FOLDER_DIGEST, folder_digest(states), db)


def stale_analysis_jobs(
    catalog: Catalog, known: Known, pending: set[str], analysed: dict[str, str], queued: list[str], removed: set[str]
) -> list[FileJob]:
    """Files whose cross-article record is missing or stale while their index entry is fine
    (``queued``: the paths of the files already to be read)."""
    stale = [
        i
        for i, (_, _, fingerprint) in known.items()
        if analysed.get(i) != fingerprint and i not in removed and i not in pending
    ]
    if not stale:
        return []
    from reader.core.pipeline.build import FileJob

    reading = set(queued)
    return [
        FileJob(entry.path, entry.size, entry.mtime_ns, entry.fingerprint, index=False)
        for entry in catalog.entries_for(stale).values()
        if str(entry.path) not in reading
    ]
