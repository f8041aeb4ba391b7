"""What a committed chunk did, in the terms of the sync's report: added, updated, renamed,
unchanged, skipped (with why) and warned about."""

from __future__ import annotations

from typing import TYPE_CHECKING

from reader.core.models import LoadIssue, SyncReport
from reader.core.pipeline.scan import Known

if TYPE_CHECKING:  # the build (extraction, Whoosh writing) is imported only when files changed
    from reader.core.pipeline.build import ChunkResult


def count_indexed(chunk: ChunkResult, known: Known, removed_fingerprints: set[str]) -> SyncReport:
    """How many of a chunk's articles were updated, renamed (their text found under a new
    name) or added."""
    updated = renamed = added = 0
    for entry in chunk.indexed:
        if entry.id in known:
            updated += 1
        elif entry.fingerprint in removed_fingerprints:
            renamed += 1
        else:
            added += 1
    return SyncReport(added=added, updated=updated, renamed=renamed)


def skipped_issues(chunk: ChunkResult) -> tuple[LoadIssue, ...]:
    return tuple(LoadIssue(skipped.path, skipped.reason, True) for skipped in chunk.skipped)


def chunk_report(chunk: ChunkResult, *, removed: int) -> SyncReport:
    """What else a committed chunk did: unchanged files, files dropped, skips and warnings."""
    return SyncReport(
        unchanged=len(chunk.unchanged),
        removed=removed,
        issues=skipped_issues(chunk) + tuple(chunk.warnings),
    )
