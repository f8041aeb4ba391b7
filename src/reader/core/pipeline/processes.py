"""What the pipeline's processes need to keep their memory down: the build workers, to leave
when the app that started them is killed and to hand back the memory a chunk took; the main
process, to hold SQLite's page caches to a bound while it commits a build's chunks."""

from __future__ import annotations

import ctypes
import gc
import os
import sqlite3
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager

_PARENT_CHECK_SECONDS = 0.5


def exit_with_parent(parent: int) -> None:
    """Leave when ``parent`` is gone: a helper whose parent was killed would otherwise wait for
    work forever. (A parent that ends normally stops its helpers; this is for ``kill -9``.)"""
    while os.getppid() == parent:
        time.sleep(_PARENT_CHECK_SECONDS)
    os._exit(1)


def release_memory() -> None:
    """Hand the memory freed so far back to the system (glibc keeps freed blocks for reuse; a
    worker's are most of a chunk's peak), where the C library can (``malloc_trim``, Linux)."""
    gc.collect()
    if sys.platform.startswith("linux"):
        trim = getattr(ctypes.CDLL(None), "malloc_trim", None)
        if trim is not None:
            trim(0)


@contextmanager
def sqlite_memory_bound(limit: int) -> Iterator[None]:
    """Hold all of this process's SQLite memory near ``limit`` bytes meanwhile (SQLite's soft
    heap limit, process-wide: past it, every connection reuses its cached pages rather than
    adding more), then put back the bound there was. A limit already lower is kept."""
    db = sqlite3.connect(":memory:")
    try:
        before = int(db.execute("PRAGMA soft_heap_limit").fetchone()[0])
        bound = before if 0 < before <= limit else int(limit)
        db.execute(f"PRAGMA soft_heap_limit = {bound}")
        try:
            yield
        finally:
            db.execute(f"PRAGMA soft_heap_limit = {before}")
    finally:
        db.close()
