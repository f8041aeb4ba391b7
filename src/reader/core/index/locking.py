"""One writer per corpus, across processes and threads, with no lock that can go stale.

The lock is an OS advisory lock on a file (``flock`` on POSIX, ``msvcrt.locking`` on Windows):
the kernel drops it when its holder exits, however it exits, so a killed indexer never leaves
a lock behind and there is nothing to "break". The holder writes its process id into the file
only so that a waiting process can say whom it is waiting for.
"""

from __future__ import annotations

import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

_POLL_SECONDS = 0.05


class LockTimeout(TimeoutError):
    """Another process kept the lock for longer than the caller would wait."""


if sys.platform == "win32":
    import msvcrt

    def _try_lock(descriptor: int) -> bool:
        try:
            msvcrt.locking(descriptor, msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        os.lseek(descriptor, 0, os.SEEK_SET)
        msvcrt.locking(descriptor, msvcrt.LK_UNLCK, 1)

else:
    import fcntl

    def _try_lock(descriptor: int) -> bool:
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return False
        return True

    def _unlock(descriptor: int) -> None:
        fcntl.flock(descriptor, fcntl.LOCK_UN)


class CorpusLock:
    """The write lock of one corpus's index; use as ``with lock.hold(...):``."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._descriptor: int | None = None
        self.waited = 0.0  # seconds the last acquire spent waiting for another holder

    def holder(self) -> str:
        """Who holds the lock, as far as its file says (for messages only)."""
        try:
            pid = self.path.read_text(encoding="ascii").strip()
        except (OSError, ValueError):
            return "another process"
        return f"process {pid}" if pid.isdigit() else "another process"

    def acquire(
        self,
        timeout: float | None = None,
        on_wait: Callable[[str], None] | None = None,
    ) -> None:
        """Take the lock, waiting (forever when ``timeout`` is None) while another holds it."""
        descriptor = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
        started = time.monotonic()
        told = False
        try:
            while not _try_lock(descriptor):
                if not told and on_wait is not None:
                    on_wait(f"waiting for {self.holder()}, which is updating this index")
                    told = True
                if timeout is not None and time.monotonic() - started >= timeout:
                    raise LockTimeout(f"{self.holder()} is still updating this index")
                time.sleep(_POLL_SECONDS)
        except BaseException:
            os.close(descriptor)
            raise
        self.waited = time.monotonic() - started if told else 0.0
        if sys.platform != "win32":  # on Windows the locked byte cannot be rewritten; no pid there
            os.ftruncate(descriptor, 0)
            os.pwrite(descriptor, str(os.getpid()).encode("ascii"), 0)
        self._descriptor = descriptor

    def release(self) -> None:
        if self._descriptor is None:
            return
        descriptor, self._descriptor = self._descriptor, None
        try:
            _unlock(descriptor)
        finally:
            os.close(descriptor)

    def __enter__(self) -> CorpusLock:
        self.acquire()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.release()
