"""Watching an open folder: which article files were added, changed or deleted, in batches.

``FolderWatcher`` runs in a thread of its own and tells a callback what changed, as
``FolderEvents``: the article files to look at again, or that only a scan of the whole folder
can tell (a folder moved in or out). The caller syncs exactly those files
(``Library.sync_changes``), so unchanged files are never read again.

How changes are noticed (``WATCH_MODES``):
1. the platform's notifications (inotify, FSEvents, ReadDirectoryChangesW) through watchfiles;
2. polling: every second or so the folder's article files are listed and compared by size and
   modification time (in nanoseconds), when notifications cannot be set up (the inotify watch
   limit reached, watchfiles missing), or asked for (``"poll"``, or ``WATCHFILES_FORCE_POLLING``
   as watchfiles has it: network folders raise no notification). watchfiles' own poller is not
   used: it compares modification times to the second and ignores sizes, so a file written
   twice within a second keeps its first version.
Bursts (a scraper writing thousands of files) arrive as a few batches: watchfiles groups the
changes of up to ``DEBOUNCE_MS``, and the caller merges the batches that arrive while it syncs.
"""

from __future__ import annotations

import logging
import os
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WATCH_MODES = ("auto", "poll", "off")
"""``auto``: notifications, else polling; ``poll``: always poll; ``off``: do not watch."""

FORCE_POLLING_ENV = "WATCHFILES_FORCE_POLLING"
"""Set (to anything but false/disable/disabled), ``auto`` polls: watchfiles' own switch."""

DEBOUNCE_MS = 500
"""At most this long between the first change of a burst and the batch that reports it."""

STEP_MS = 50
"""A batch is reported once no change came for this long (or ``DEBOUNCE_MS`` passed)."""

POLL_SECONDS = 1.0
"""Between two polls; longer on a folder whose listing takes long (``POLL_SHARE``)."""

POLL_SHARE = 0.25
"""At most this share of the time goes to polling."""

RETRY_SECONDS = 1.0
"""How often a folder that went away is looked for again."""

# watchfiles' "added", "modified" and "deleted"
_ADDED, _MODIFIED, _DELETED = 1, 2, 3

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class FolderEvents:
    """What changed in a folder: article files to look at again, or a whole scan to make."""

    paths: frozenset[Path] = frozenset()
    rescan: bool = False  # a folder came or went, or the root itself did: compare everything

    def __bool__(self) -> bool:
        return bool(self.paths) or self.rescan

    def __or__(self, other: FolderEvents) -> FolderEvents:
        return FolderEvents(self.paths | other.paths, self.rescan or other.rescan)


@dataclass(slots=True)
class _Classifier:
    """Sorts raw changes into article files and whole-folder scans; remembers the folders under
    the root, so a deleted folder (whose files may raise no event) asks for a scan."""

    root: Path
    folders: set[Path] = field(default_factory=set)

    def learn_folders(self) -> None:
        """Every visible folder under the root (hidden ones are not read, so not watched for)."""
        self.folders = set()
        for folder, subfolders, _ in os.walk(self.root):
            subfolders[:] = [name for name in subfolders if not name.startswith(".")]
            self.folders.update(Path(folder) / name for name in subfolders)

    def classify(self, changes: Iterable[tuple[int, str]]) -> FolderEvents:
        from reader.core.loader import ARTICLE_SUFFIXES

        paths: set[Path] = set()
        rescan = False
        for change, raw in changes:
            path = Path(raw)
            if path == self.root:
                rescan = rescan or change == _DELETED
                continue
            try:
                parts = path.relative_to(self.root).parts
            except ValueError:
                continue  # outside the folder: not ours
            if any(part.startswith(".") for part in parts):
                continue  # hidden files and folders are not read (editors' swap files are hidden)
            if path.is_symlink() or path.is_dir():
                rescan = rescan or change != _MODIFIED  # a folder (or a link) came or went; the loader's rules decide
                if change == _ADDED and not path.is_symlink():
                    self.folders.add(path)
            elif path.suffix.lower() in ARTICLE_SUFFIXES:
                paths.add(path)
            elif change == _DELETED and path in self.folders:
                self.folders.discard(path)
                rescan = True  # a folder moved or deleted: its files may have raised no event
        return FolderEvents(frozenset(paths), rescan)


class FolderWatcher:
    """Tells ``on_events`` (called from the watcher's thread) what changed under ``root``.

    ``on_state(text, fallback)`` is told how the folder is watched, once at the start and again
    when that changes (``fallback``: notifications could not be used).
    """

    def __init__(
        self,
        root: Path,
        on_events: Callable[[FolderEvents], None],
        *,
        mode: str = "auto",
        on_state: Callable[[str, bool], None] | None = None,
    ) -> None:
        if mode not in WATCH_MODES:
            raise ValueError(f"mode must be one of {', '.join(WATCH_MODES)}")
        self.root = root.expanduser().resolve()
        self.mode = mode
        self.how = "not started"
        self._on_events = on_events
        self._on_state = on_state or (lambda text, fallback: None)
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._classifier = _Classifier(self.root)

    def start(self) -> None:
        if self.mode == "off" or self._thread is not None:
            return
        self._thread = threading.Thread(target=self._run, name="reader-folder-watcher", daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        """Stop watching; returns once the thread has ended (within ``timeout``)."""
        self._stop.set()
        if self._thread is not None and self._thread is not threading.current_thread():
            self._thread.join(timeout)

    @property
    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    # -- the watcher's thread --------------------------------------------------------------

    def _run(self) -> None:
        forced = os.environ.get(FORCE_POLLING_ENV, "").strip().lower() not in ("", "false", "disable", "disabled")
        ways = ["notify", "poll"] if self.mode == "auto" and not forced else ["poll"]
        reason = ""
        gone = False
        while not self._stop.is_set():
            if not self._wait_for_root():
                return
            if gone:  # the folder is back (mounted again, say): compare all of it
                self._on_events(FolderEvents(rescan=True))
            way = ways[0]
            try:
                gone = self._poll(reason) if way == "poll" else self._watch()
            except Exception as error:  # noqa: BLE001 - any failure of a way to watch: try the next
                reason = f"{type(error).__name__}: {error}"
                log.warning("watching %s by %s failed: %s", self.root, way, reason)
                if len(ways) > 1:
                    ways.pop(0)
                else:
                    self._stop.wait(RETRY_SECONDS)
                gone = False
                continue
            if gone:  # deleted or unmounted: say so now, and watch again once it is back
                self._on_events(FolderEvents(rescan=True))

    def _tell(self, way: str, reason: str) -> None:
        texts = {"notify": "watching the folder for changes", "poll": "watching the folder by polling it"}
        text = texts[way] + (f" (notifications unavailable: {reason})" if reason else "")
        if text != self.how:
            self.how = text
            self._on_state(text, bool(reason))

    def _wait_for_root(self) -> bool:
        """Wait until the folder exists; False when stopped first."""
        while not self.root.exists():
            if self._stop.wait(RETRY_SECONDS):
                return False
        if self.root.is_dir():
            self._classifier.learn_folders()
        return not self._stop.is_set()

    def _watch(self) -> bool:
        """Watch with notifications until stopped (False) or until the folder goes away (True)."""
        import watchfiles  # imported here: only the watcher's thread pays for it

        identity = _identity(self.root)
        self._tell("notify", "")

        for changes in watchfiles.watch(
            self.root,
            watch_filter=None,
            debounce=DEBOUNCE_MS,
            step=STEP_MS,
            stop_event=self._stop,
            rust_timeout=1_000,
            yield_on_timeout=True,  # an empty batch each second: a folder moved away raises no event
            raise_interrupt=False,
            force_polling=False,  # polling is ours (see the module docstring)
            ignore_permission_denied=True,
        ):
            events = self._classifier.classify((int(change), path) for change, path in changes)
            if events:
                self._on_events(events)
            if _root_deleted(self.root, changes) or not _same_folder(self.root, identity):
                return True
        return False

    def _poll(self, reason: str) -> bool:
        """Compare the folder's files by size and time every second or so; True when the folder
        went away. ``reason``: why notifications are not used (told once the first look is taken)."""
        started = time.monotonic()
        before = _snapshot(self.root)
        took = time.monotonic() - started
        self._tell("poll", reason)
        while not self._stop.wait(max(POLL_SECONDS, took / POLL_SHARE)):
            if not self.root.exists():
                return True
            started = time.monotonic()
            now = _snapshot(self.root)
            took = time.monotonic() - started
            changed = {Path(path) for path in before.keys() | now.keys() if before.get(path) != now.get(path)}
            before = now
            if changed:
                self._on_events(FolderEvents(frozenset(changed)))
        return False


def _snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Size and modification time of every visible article file under ``root``, by path.

    A plain walk (100k files in about a second): the loader's finer rules are applied by the
    sync each reported file goes through, so reporting a file it then refuses costs nothing.
    Symlinked folders are not followed, as the loader does not follow them.
    """
    from reader.core.loader import ARTICLE_SUFFIXES

    if not root.is_dir():
        try:
            info = root.stat()
        except OSError:
            return {}
        return {str(root): (info.st_size, info.st_mtime_ns)}
    files: dict[str, tuple[int, int]] = {}
    folders = [str(root)]
    while folders:
        try:
            with os.scandir(folders.pop()) as entries:
                for entry in entries:
                    if entry.name.startswith("."):
                        continue
                    try:
                        if entry.is_dir(follow_symlinks=False):
                            folders.append(entry.path)
                        elif os.path.splitext(entry.name)[1].lower() in ARTICLE_SUFFIXES:
                            info = entry.stat()
                            files[entry.path] = (info.st_size, info.st_mtime_ns)
                    except OSError:
                        continue  # gone or unreadable meanwhile: the next look tells
        except OSError:
            continue
    return files


def _identity(path: Path) -> tuple[int, int]:
    info = path.stat()
    return info.st_dev, info.st_ino


def _root_deleted(root: Path, changes: Iterable[tuple[Any, str]]) -> bool:
    """Whether notifications say the folder itself was deleted. It is then gone even if a folder
    of the same inode is already back (one deleted and made again at once usually gets its inode
    back), and the notifications of the old one are dead."""
    return any(int(change) == _DELETED and Path(path) == root for change, path in changes)


def _same_folder(path: Path, identity: tuple[int, int]) -> bool:
    """Still the folder that was watched: not another one moved or mounted in its place."""
    try:
        return _identity(path) == identity
    except OSError:
        return False
