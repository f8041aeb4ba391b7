"""What the pipeline's helper processes (build workers, the lister) share: how they start
from inside the app, and how they leave when the app that started them is killed."""

from __future__ import annotations

import ctypes
import gc
import multiprocessing
import os
import sys
import time
from typing import Any

_PARENT_CHECK_SECONDS = 0.5


def spawn_context() -> Any:
    """Processes started fresh ("spawn"): forking a process that runs threads (the app's
    workers) can deadlock the child."""
    start_resource_tracker()
    return multiprocessing.get_context("spawn")


def start_resource_tracker() -> None:
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
