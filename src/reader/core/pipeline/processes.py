"""What the pipeline's helper processes (the build workers) need: to leave when the app that
started them is killed, and to hand back the memory a chunk took."""

from __future__ import annotations

import ctypes
import gc
import os
import sys
import time

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
