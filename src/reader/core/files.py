"""Writing files so that a crash leaves either the old file or the new one, never half of one;
and saying so plainly when the disk is full."""

from __future__ import annotations

import errno
import os
import sqlite3
import tempfile
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

Hit = TypeVar("Hit", bound=tuple[str, float])

_FULL = (errno.ENOSPC, getattr(errno, "EDQUOT", errno.ENOSPC))


class DiskFull(OSError):
    """A write failed for want of space; ``str()`` is one line naming the folder that is full
    and what was not saved. Whatever was committed before stays as it was."""

    def __init__(self, folder: Path, unsaved: str) -> None:
        super().__init__(errno.ENOSPC, f"no space left on the disk of {folder}: {unsaved}")
        self.folder = folder

    def __str__(self) -> str:
        return str(self.strerror)


def _chain(error: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = error
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def is_disk_full(error: BaseException) -> bool:
    """Whether ``error`` (or what caused it) is a full disk or an exceeded quota: an OSError
    with ENOSPC/EDQUOT, or SQLite's "database or disk is full"."""
    for cause in _chain(error):
        if isinstance(cause, OSError) and cause.errno in _FULL:
            return True
        if isinstance(cause, sqlite3.OperationalError) and "disk is full" in str(cause):
            return True
    return False


def full_folder(error: BaseException, default: Path) -> Path:
    """The folder a failed write was writing to, when the error says; else ``default``."""
    for cause in _chain(error):
        if isinstance(cause, OSError) and cause.filename:
            return Path(os.fsdecode(cause.filename)).parent
    return default


def write_atomically(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` (UTF-8, line ends as given) in one step.

    The text goes to a temporary file beside ``path`` (readable by the user alone), is flushed
    to disk, and then renamed over ``path``; an interruption at any moment leaves no half file.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(descriptor, "w", encoding="utf-8", newline="") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


@contextmanager
def telling_a_full_disk(folder: Path, unsaved: str) -> Iterator[None]:
    """Turn a full disk met inside into ``DiskFull``: one line naming the folder that is full
    (the one written, if the error says, else ``folder``) and what was not saved."""
    try:
        yield
    except Exception as error:
        if is_disk_full(error):
            raise DiskFull(full_folder(error, folder), unsaved) from error
        raise


def folder_present(root: Path) -> bool:
    """Whether ``root`` is there: not deleted, and not a disk unmounted from under it (which
    leaves an empty mount point behind)."""
    try:
        if not root.is_dir():
            return root.exists()  # a corpus of one file
        with os.scandir(root) as found:
            return next(found, None) is not None
    except OSError:
        return False


def files_present(ranked: Sequence[Hit], path_of: Callable[[str], Path], count: int) -> tuple[list[Hit], list[str]]:
    """The first ``count`` of ``ranked`` (id first) whose files exist, and the ids of those
    that do not, looked at on the way (no more files are looked at than that takes). The
    caller checks first that the folder itself is there."""
    kept: list[Hit] = []
    gone: list[str] = []
    for hit in ranked:
        if len(kept) >= count:
            break
        if os.path.lexists(path_of(hit[0])):
            kept.append(hit)
        else:
            gone.append(hit[0])
    return kept, gone


class MissingFiles:
    """The articles of a folder whose files searches found gone since the last sync: left out
    of results, and dropped by the next sync. Safe to share between threads."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self._ids: set[str] = set()
        self._lock = threading.Lock()

    def folder_present(self) -> bool:
        return folder_present(self.root)

    def present(self, ranked: Sequence[Hit], path_of: Callable[[str], Path], count: int) -> tuple[list[Hit], int]:
        """The first ``count`` hits whose files are still there, and how many were not (they
        are remembered). None while the folder is gone (a disk unmounted may come back: its
        files are not missing one by one)."""
        if not self.folder_present():
            return [], len(ranked)
        kept, gone = files_present(ranked, path_of, count)
        with self._lock:
            self._ids.update(gone)
        return kept, len(gone)

    def ids(self) -> frozenset[str]:
        with self._lock:
            return frozenset(self._ids)

    def clear(self) -> None:
        with self._lock:
            self._ids.clear()
