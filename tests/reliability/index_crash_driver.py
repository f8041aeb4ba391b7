"""Kill ``Library.sync`` with SIGKILL at random moments, and check every next start is usable.

Run by test_index_crash.py as its own process: it imports ``reader`` once and then forks a
child for every sync, which makes a hundred kills take seconds rather than minutes (no
interpreter start per run). Forking is safe here because this process runs no threads and
opens no library itself. Prints one JSON line: runs, kills that landed mid-sync, failures.

    python index_crash_driver.py FOLDER RUNS SEED MAX_DELAY
"""

from __future__ import annotations

import json
import os
import random
import shutil
import signal
import sys
import tempfile
import threading
import time
from pathlib import Path

from reader.core.library import Library
from reader.core.paths import corpus_cache_dir


def _sync_once(root: Path) -> None:
    with Library(root) as library:
        library.sync()


def _check_usable(root: Path, expected: list[str]) -> str | None:
    """A fresh start: sync must finish and leave every article once, found by its own word."""
    with Library(root) as library:
        library.sync()
        ids = sorted(summary.id for summary in library.summaries())
        if ids != expected:
            return f"articles after resume: {ids}"
        for article_id in expected:
            marker = "marker" + Path(article_id).stem
            found = [hit.id for hit in library.search(marker).hits]
            if found != [article_id]:
                return f"search {marker!r} found {found}"
        again = library.sync()
        if again.added or again.updated or again.removed or again.unchanged != len(expected):
            return f"a second sync still changed things: {again}"
    return None


def _in_child(work) -> int:  # type: ignore[no-untyped-def]
    """Run ``work`` in a forked child; return its pid."""
    pid = os.fork()
    if pid == 0:
        code = 1
        try:
            problem = work()
            if problem:
                print(problem, file=sys.stderr)
            code = 2 if problem else 0
        finally:
            os._exit(code)
    return pid


def _warm_up(root: Path) -> tuple[float, float]:
    """Index a copy here, so the forked children start with Whoosh and the extraction models
    already loaded, as a long-lived app would; a kill then lands in the sync itself. Returns how
    long a first build and an update of one file take once warm: the windows the kills are
    drawn from, so they land mid-sync however fast this machine (and the sync) is."""
    with tempfile.TemporaryDirectory() as temp:
        copy = Path(temp) / "copy"
        shutil.copytree(root, copy)
        _sync_once(copy)
        shutil.rmtree(corpus_cache_dir(copy), ignore_errors=True)
        started = time.perf_counter()
        _sync_once(copy)
        first_build = time.perf_counter() - started
        with open(next(copy.iterdir()), "a", encoding="utf-8") as changed:
            changed.write("\nWarm-up update.\n")
        started = time.perf_counter()
        _sync_once(copy)
        update = time.perf_counter() - started
    if threading.active_count() != 1:
        raise RuntimeError("threads are running; forking now would not be safe")
    return first_build, update


def main() -> None:
    root, runs, seed, max_delay = Path(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
    expected = sorted(path.name for path in root.iterdir())
    first_build, update = _warm_up(root)
    rng = random.Random(seed)
    killed_mid_sync = 0
    failures: list[str] = []
    for run in range(runs):
        if rng.random() < 0.5:  # half the kills land in a first build from nothing...
            shutil.rmtree(corpus_cache_dir(root), ignore_errors=True)
            window = first_build
        else:  # ...the other half in an update of one changed file
            with open(root / expected[run % len(expected)], "a", encoding="utf-8") as changed:
                changed.write(f"\nUpdate {run}.\n")
            window = update
        child = _in_child(lambda: _sync_once(root))
        time.sleep(rng.uniform(0, min(window, max_delay)))  # the random moment of the kill
        os.kill(child, signal.SIGKILL)
        _, status = os.waitpid(child, 0)
        killed_mid_sync += os.WIFSIGNALED(status)
        checker = _in_child(lambda: _check_usable(root, expected))
        _, status = os.waitpid(checker, 0)
        if not os.WIFEXITED(status) or os.WEXITSTATUS(status) != 0:
            failures.append(f"run {run}: next start not usable (status {status})")
    print(json.dumps({"runs": runs, "killed_mid_sync": killed_mid_sync, "failures": failures}))


if __name__ == "__main__":
    main()
