"""The folder compared with the catalog: which files to read, which are unchanged, which are gone.

Only ``stat`` is used (size and mtime), never the files' contents, one ``stat`` per file and
no ``Path`` for a file that did not change: at 100,000 files this is most of a re-open.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from reader.core.loader import _relative_id, scan_article_files  # the loader's id rule
from reader.core.models import LoadIssue
from reader.core.pipeline.build import FileJob

Known = dict[str, tuple[int, int, str]]
"""What the catalog knows: article id -> (size, mtime_ns, fingerprint)."""


def relative_id(path: Path | str, root: Path) -> str:
    """The article id the loader gives ``path``: the same rule, so the catalog and the files agree."""
    return _relative_id(path, root)


@dataclass(slots=True)
class FolderScan:
    """The folder compared with the catalog: what to read, and what is gone."""

    jobs: list[FileJob] = field(default_factory=list)
    seen: set[str] = field(default_factory=set)
    still_skipped: set[Path] = field(default_factory=set)
    unchanged: int = 0
    new: list[FileJob] = field(default_factory=list)  # the jobs of files the catalog has no row for
    issues: list[LoadIssue] = field(default_factory=list)


def scan_folder(
    root: Path,
    known: Known,
    pending: set[str],
    skipped_known: dict[Path, Any],
    on_new: Callable[[FileJob], None] | None = None,
) -> FolderScan:
    """Every article file of ``root``: new, changed and pending ones (listed, not yet indexed)
    become jobs; ``on_new(job)`` is told of each new file as the scan finds it."""
    scan = FolderScan()
    skipped_by_text = {str(path): skipped for path, skipped in skipped_known.items()}
    prefix = str(root) + os.sep
    cut = len(prefix)
    for item in scan_article_files(root):
        if isinstance(item, LoadIssue):
            scan.issues.append(item)
            continue
        path_text, info = item
        # The loader's id rule, its common case inline: an ASCII path under the root.
        fast = path_text.startswith(prefix) and path_text.isascii() and os.sep == "/"
        article_id = path_text[cut:] if fast else relative_id(path_text, root)
        scan.seen.add(article_id)
        before = known.get(article_id)
        if before is not None:
            same = (before[0], before[1]) == (info.st_size, info.st_mtime_ns)
            if article_id in pending:  # listed, not yet indexed: built in full, not listed again
                scan.jobs.append(FileJob(Path(path_text), info.st_size, info.st_mtime_ns))
            elif same:
                scan.unchanged += 1
            else:
                scan.jobs.append(FileJob(Path(path_text), info.st_size, info.st_mtime_ns, before[2]))
            continue
        skipped = skipped_by_text.get(path_text)
        if skipped is not None and (skipped.size, skipped.mtime_ns) == (info.st_size, info.st_mtime_ns):
            scan.issues.append(LoadIssue(Path(path_text), skipped.reason, True))
            scan.still_skipped.add(Path(path_text))
            continue
        job = FileJob(Path(path_text), info.st_size, info.st_mtime_ns)
        scan.jobs.append(job)
        scan.new.append(job)
        if on_new is not None:
            on_new(job)
    return scan
