"""Live folder benchmark: how long a file added, changed, renamed or deleted takes to reach the list.

    .venv/bin/python benchmarks/bench_live.py                       # 10k articles, a burst of 2,000
    .venv/bin/python benchmarks/bench_live.py --size 1000 --burst 5000

A synthetic corpus (``bench_search.Corpus``) is indexed in a temporary folder (``--corpus``
copies an existing folder instead), then watched as the app watches it: a ``FolderWatcher``
thread, and one sync at a time of the files it reported (``Library.sync_changes``, then
``summaries_for`` for the rows the list takes). Each figure is the time from the write to the
rows being ready, printed side by side with the baseline: before the live folder a change showed
only after a restart, which syncs the whole folder (``Library.sync`` on a new library).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_search import Corpus, machine_load  # noqa: E402

from reader.core.library import Library  # noqa: E402
from reader.core.live_folder import FolderEvents, FolderWatcher  # noqa: E402
from reader.core.models import FolderChanges  # noqa: E402

BUDGET = 2.0
STORY = "---\ntitle: Live story {n}\ndate: 2031-01-01\n---\n\nA story written while the folder is open, number {n}.\n"


class LiveList:
    """What the app's live controller does, without the UI: queue, one sync at a time, rows."""

    def __init__(self, library: Library) -> None:
        self.library = library
        self.pending = FolderEvents()
        self.listed: set[str] = {summary.id for summary in library.summaries()}
        self.batches = 0
        self._lock = threading.Condition()
        self._busy = False

    def events(self, events: FolderEvents) -> None:
        with self._lock:
            self.pending = self.pending | events
            if self._busy:
                return
            self._busy = True
        threading.Thread(target=self._drain, daemon=True).start()

    def _drain(self) -> None:
        while True:
            with self._lock:
                batch, self.pending = self.pending, FolderEvents()
                if not batch:
                    self._busy = False
                    self._lock.notify_all()
                    return
            changes = self.library.sync_changes(None if batch.rescan else sorted(batch.paths))
            self.library.summaries_for([*changes.added, *changes.changed, *(new for _, new in changes.renamed)])
            with self._lock:
                self._apply(changes)
                self.batches += 1
                self._lock.notify_all()

    def _apply(self, changes: FolderChanges) -> None:
        self.listed.difference_update(changes.removed)
        self.listed.difference_update(old for old, _ in changes.renamed)
        self.listed.update(changes.added)
        self.listed.update(new for _, new in changes.renamed)
        self.changed = set(changes.changed)

    def wait(self, condition: Callable[[], bool], timeout: float = 600.0) -> float:
        started = time.perf_counter()
        with self._lock:
            if not self._lock.wait_for(condition, timeout):
                raise SystemExit("the change never reached the list")
        return time.perf_counter() - started


def measure(root: Path, live: LiveList, repeats: int) -> dict[str, list[float]]:
    """Seconds from the write to the rows, per kind of change."""
    times: dict[str, list[float]] = {"added": [], "changed": [], "renamed": [], "deleted": []}
    for n in range(repeats):
        path = root / "live" / f"story-{n}.md"
        started = time.perf_counter()
        path.write_text(STORY.format(n=n), encoding="utf-8")
        live.wait(lambda: f"live/story-{n}.md" in live.listed)
        times["added"].append(time.perf_counter() - started)
        live.changed = set()
        started = time.perf_counter()
        path.write_text(STORY.format(n=n) + "A correction.\n", encoding="utf-8")
        live.wait(lambda: f"live/story-{n}.md" in live.changed)
        times["changed"].append(time.perf_counter() - started)
        started = time.perf_counter()
        path.rename(root / "live" / f"renamed-{n}.md")
        live.wait(lambda: f"live/renamed-{n}.md" in live.listed and f"live/story-{n}.md" not in live.listed)
        times["renamed"].append(time.perf_counter() - started)
        started = time.perf_counter()
        (root / "live" / f"renamed-{n}.md").unlink()
        live.wait(lambda: f"live/renamed-{n}.md" not in live.listed)
        times["deleted"].append(time.perf_counter() - started)
    return times


def burst(root: Path, live: LiveList, count: int) -> tuple[float, float, int]:
    """Write ``count`` files at once; seconds writing, seconds until all listed, syncs run."""
    batches = live.batches
    folder = root / "burst"
    started = time.perf_counter()
    for n in range(count):
        (folder / f"wire-{n:05}.md").write_text(STORY.format(n=n), encoding="utf-8")
    wrote = time.perf_counter() - started
    live.wait(lambda: sum(1 for i in live.listed if i.startswith("burst/")) == count)
    return wrote, time.perf_counter() - started, live.batches - batches


def restart_baseline(root: Path) -> float:
    """A change shown by restarting: a new library syncs the whole folder (one file is new)."""
    (root / "live" / "after-restart.md").write_text(STORY.format(n="restart"), encoding="utf-8")
    started = time.perf_counter()
    with Library(root) as library:
        library.sync()
        library.summaries()
    return time.perf_counter() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000, help="articles in the synthetic corpus")
    parser.add_argument("--corpus", type=Path, help="copy this folder instead of generating one")
    parser.add_argument("--repeats", type=int, default=10, help="single changes of each kind")
    parser.add_argument("--burst", type=int, default=2_000, help="files written at once")
    parser.add_argument("--mode", choices=("auto", "poll"), default="auto")
    options = parser.parse_args()
    load_before = machine_load()
    with tempfile.TemporaryDirectory(prefix="reader-bench-live-") as work:
        os.environ["READER_HOME"] = str(Path(work) / "home")
        root = Path(work) / "corpus"
        if options.corpus:
            shutil.copytree(options.corpus, root)
        else:
            Corpus().write(root, options.size)
        (root / "live").mkdir()
        (root / "burst").mkdir()
        library = Library(root)
        started = time.perf_counter()
        library.sync()
        built = time.perf_counter() - started
        articles = len(library.summaries())
        live = LiveList(library)
        states: list[str] = []
        watcher = FolderWatcher(root, live.events, mode=options.mode, on_state=lambda how, _: states.append(how))
        watcher.start()
        time.sleep(1.0)  # let the watcher set up its watches before the first write
        try:
            times = measure(root, live, options.repeats)
            wrote, listed, batches = burst(root, live, options.burst)
        finally:
            watcher.stop()
            library.close()
        restart = restart_baseline(root)
    print(f"reader live folder, {articles:,} articles (built in {built:.0f} s), {states[-1] if states else '?'}")
    print(f"machine load (1 min): {load_before} at start, {machine_load()} at end; budget {BUDGET:.0f} s")
    print(f"{'change':<10} {'median':>8} {'max':>8}   {'restart (before)':>16}   {'ratio':>6}")
    for kind, values in times.items():
        median, worst = statistics.median(values), max(values)
        print(f"{kind:<10} {median:>7.2f}s {worst:>7.2f}s   {restart:>15.2f}s   {restart / median:>5.1f}x")
    print(f"burst of {options.burst:,} files: written in {wrote:.2f} s, all listed {listed:.2f} s after the first "
          f"write, in {batches} syncs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
