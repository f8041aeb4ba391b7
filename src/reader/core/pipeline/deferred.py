"""The pipeline's heavy parts, imported only when a sync has work for them.

A re-open of an unchanged folder must stay cheap (issue 13: under a second at 100k): the build
brings the extraction rules and the index's writing side, and so does the extraction cache.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.index.catalog import Catalog
    from reader.core.pipeline.build import ChunkResult, FileJob
    from reader.core.pipeline.listing import Listing


def run_chunks(
    root: Path,
    staging_parent: Path,
    jobs: Sequence[FileJob],
    tag_db: Path | None,
    on_progress: Callable[[int], None],
    stop: threading.Event | None = None,
    listing: Listing | None = None,
) -> Iterator[ChunkResult]:
    """The build's ``run_chunks``, imported only when there is something to build: the build
    brings the extraction rules and Whoosh's writing side, more than a re-open may spend."""
    if not jobs and listing is None:
        return
    from reader.core.pipeline import build

    yield from build.run_chunks(root, staging_parent, jobs, tag_db, on_progress, stop, listing)


def forget_extractions(path: Path) -> None:
    """Empty the extraction cache (a rebuild from scratch extracts again); imported here
    because the cache brings the extraction rules, which a re-open does not need."""
    from reader.core.extraction import cache

    cache.forget_extractions(path)


def prune_extractions(path: Path, catalog: Catalog) -> None:
    """Drop cached extractions of texts no longer listed (imported late, as above)."""
    from reader.core.extraction import cache

    cache.prune_extractions(path, catalog)
