"""App benchmark: start-up to first painted list, search-as-you-type latency, peak memory.

    .venv/bin/python benchmarks/bench_app.py                          # 1k, 10k and 100k articles
    .venv/bin/python benchmarks/bench_app.py --sizes 1000 10000       # smaller runs
    .venv/bin/python benchmarks/bench_app.py --work /tmp/bench-app    # keep corpora and indexes
    .venv/bin/python benchmarks/bench_app.py --sizes 100000 --work W  # W/corpus-100000, W/home-100000 kept

For each size a synthetic corpus (the generator of ``bench_search.py``: varied titles, outlets,
dates, people and quotes) is written and indexed once with ``Library.sync``; with ``--work`` it
is kept, and a folder and its reader home already there (``corpus-N``, ``home-N`` holding a file
``written``: links to ``bench_scale.py``'s kept 100k corpus and state will do) are only brought up
to date. (A catalog written straight into SQLite beside an empty index no longer stands for a
current index: the sync finds the two disagree and indexes every article again.) Then:
- first paint: the app runs in a pseudo-terminal through ``bench_app_harness.py paint``, which
  watches the app's messages, writes the wall-clock time its list is first on screen and exits.
  Process start to that moment, median and worst of several runs (target ≤ 1.0 s at 100k);
- peak RSS: the same until ``sync`` (list open, the start-up sync done), read from the child's
  rusage (target ≤ 300 MB at 100k); and again after eight searches (terms, phrases, prefixes,
  typos) run one after another from the search bar (``search``);
- keystroke to results (the 10k corpus, in process with Pilot): queries typed a key at a time
  at typing speed, every kind in turn (term, AND, phrase, prefix, typo); from the last key to
  the hits being in the list, p50/p95 (target p95 ≤ 100 ms, the search bar's debounce included).
  Beside it, the floor: the same final queries searched once each through ``Library.search``
  (as many hits as the app asks for, ``SEARCH_LIMIT``), with nothing typed before.
  ``--latency-only`` skips the start-up and memory runs, e.g. at 100k on links to
  ``bench_scale.py``'s kept corpus and a copy of its state:
  ``--sizes 100000 --latency-at 100000 --latency-only --work W``. ``trace_typing.py`` types
  the same queries with each step of the search path timed (where a slow one's time went).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import pty
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import RssSampler  # noqa: E402 - the build benchmark's /proc sampler
from bench_search import Corpus, machine_load  # noqa: E402 - the shared corpus generator
from bytecode import byte_compile_reader  # noqa: E402

HARNESS = Path(__file__).resolve().with_name("bench_app_harness.py")
KEY_INTERVAL = 0.12  # seconds between keystrokes: brisk typing


def prepare(work: Path, size: int) -> tuple[Path, Path]:
    """The corpus folder and state folder of one size, written and indexed if not there yet."""
    root, home = work / f"corpus-{size}", work / f"home-{size}"
    if not (home / "written").exists():
        shutil.rmtree(root, ignore_errors=True)
        shutil.rmtree(home, ignore_errors=True)
        started = time.perf_counter()
        Corpus().write(root, size)
        home.mkdir(parents=True)
        (home / "written").write_text("")
        print(f"  {size:>7,} articles: written in {time.perf_counter() - started:.1f}s")
    os.environ["READER_HOME"] = str(home)
    from reader.core.library import Library

    started = time.perf_counter()  # a full build the first time; a check (or an upgrade) after
    with Library(root) as library:
        report = library.sync()
    print(f"  {size:>7,} articles: index brought up to date in {time.perf_counter() - started:.1f}s ({report.articles:,} articles)")
    return root, home


def run_app_until(
    root: Path,
    home: Path,
    moment: str,
    size: tuple[int, int] = (150, 42),
    queries: list[str] | None = None,
    sampler: list[RssSampler] | None = None,
) -> tuple[float, int]:
    """Run the app on ``root`` in a pty until ``moment``; return (seconds from spawn, peak RSS bytes).
    With ``sampler`` (an empty list), the app and its build workers are sampled from /proc
    every 0.1 s, and the sampler is left in the list."""
    report = home / f"bench-{moment}.txt"
    report.unlink(missing_ok=True)
    env = dict(os.environ, READER_HOME=str(home), TERM="xterm-256color", COLUMNS=str(size[0]), LINES=str(size[1]))
    master, slave = pty.openpty()
    os.set_blocking(master, False)
    command = [sys.executable, str(HARNESS), moment, str(report), str(root), *(queries or [])]
    started = time.time()
    child = subprocess.Popen(command, stdin=slave, stdout=slave, stderr=slave, env=env)
    os.close(slave)
    if sampler is not None:
        sampler.append(RssSampler(child.pid))
    while True:
        pid, status, usage = os.wait4(child.pid, os.WNOHANG)
        if pid:
            break
        ready, _, _ = select.select([master], [], [], 0.05)  # drain, so the app never blocks
        if ready:
            try:
                os.read(master, 1 << 16)
            except OSError:
                pass
    child.returncode = os.waitstatus_to_exitcode(status)
    os.close(master)
    if sampler:
        sampler[0].stop()
    if not report.exists():
        raise RuntimeError(f"the app exited ({child.returncode}) without reporting '{moment}'")
    return float(report.read_text()) - started, usage.ru_maxrss * 1024


async def keystroke_latency(
    root: Path, home: Path, queries: list[str], keys: list[tuple[str, float]] | None = None
) -> list[tuple[float, float]]:
    """Seconds from the last keystroke of each query to its hits being in the list, and the
    CPU seconds this process spent in that time (the search, the stale one it stopped, the app:
    what the wall time would be on an idle machine, the GIL making them take turns); ``keys``
    gets each query's last keystroke (``perf_counter``), for ``trace_typing.py``."""
    os.environ["READER_HOME"] = str(home)
    from textual import events
    from textual.worker import WorkerCancelled

    from reader.ui.app import ReaderApp
    from reader.ui.main_screen import MainScreen

    app = ReaderApp(root, steady=True)
    latencies: list[tuple[float, float]] = []
    async with app.run_test(size=(150, 42)) as pilot:
        screen = app.screen_stack[0]
        assert isinstance(screen, MainScreen)
        while not screen.summaries or screen.sync_running or screen.last_sync is None:
            await asyncio.sleep(0.01)
        try:
            await app.workers.wait_for_complete()
        except WorkerCancelled:
            pass
        await pilot.press("slash")
        shown = _watch_hits(screen)

        def type_key(key: str, char: str | None) -> None:
            event = events.Key(key, char)
            event.set_sender(app)
            app._driver.send_message(event)  # as a terminal would, without Pilot's idle waits

        for query in queries:
            type_key("ctrl+u", None)
            for char in query:
                await asyncio.sleep(KEY_INTERVAL)
                last_key, cpu = time.perf_counter(), time.process_time()
                type_key("space" if char == " " else char, char)
            at, at_cpu = await shown(query)
            latencies.append((at - last_key, at_cpu - cpu))
            if keys is not None:
                keys.append((query, last_key))
    return latencies


def _watch_hits(screen: Any) -> Callable[[str], Awaitable[tuple[float, float]]]:
    """A wait for the moment (wall, CPU) the hits of a query are in the list (or its error on
    the status line), stamped as the search controller hands them over: no polling, which would
    take the GIL from the search it times every half millisecond."""
    moments: dict[str, tuple[float, float]] = {}
    changed = asyncio.Event()
    controller = screen.search

    def stamped(handle: Callable[[Any], Any]) -> Callable[[Any], Any]:
        def handled(message: Any) -> Any:
            outcome = handle(message)
            query = screen.query_text
            done = screen.result is not None and screen.result.query == query
            if (done or screen.status.error) and query not in moments:
                moments[query] = (time.perf_counter(), time.process_time())
                changed.set()
            return outcome

        return handled

    controller.finished, controller.failed = stamped(controller.finished), stamped(controller.failed)

    async def shown(query: str) -> tuple[float, float]:
        moments.pop(query, None)  # typed before: only this time's hits count
        while query not in moments:
            changed.clear()
            await changed.wait()
        return moments[query]

    return shown


def start_up(root: Path, home: Path, size: int, runs: int) -> None:
    """First paint and peak RSS, each in a fresh app process."""
    run_app_until(root, home, "paint")  # a warm-up: bytecode and file caches
    paints = [run_app_until(root, home, "paint")[0] for _ in range(runs)]
    print(
        f"  {size:>7,} articles: process start → list painted: median {statistics.median(paints):.3f}s,"
        f" worst {max(paints):.3f}s (target ≤ 1.0 s at 100k)"
    )
    _, peak = run_app_until(root, home, "sync")
    print(f"  {size:>7,} articles: peak RSS, list open and synced: {peak / 2**20:.0f} MB (target ≤ 300 MB at 100k)")
    words = Corpus().queries(2)
    searched = [query for kind in ("term", "phrase", "prefix", "fuzzy") for query in words[kind]]
    _, peak = run_app_until(root, home, "search", queries=searched)
    print(
        f"  {size:>7,} articles: peak RSS, then {len(searched)} searches from the search bar:"
        f" {peak / 2**20:.0f} MB (target ≤ 300 MB at 100k)"
    )


def first_open(root: Path, work: Path, size: int) -> None:
    """The app opening ``root`` with no state yet, as a new user does: the list fills while the
    index is built by the app's own workers. Process start to the build done, and the peak RSS
    of the app alone and of the app with its build workers (sampled from /proc every 0.1 s)."""
    home = work / f"first-open-home-{size}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    load = machine_load()
    sampled: list[RssSampler] = []
    try:
        seconds, _ = run_app_until(root, home, "sync", sampler=sampled)
    finally:
        shutil.rmtree(home, ignore_errors=True)
    print(
        f"  {size:>7,} articles: first open, nothing built yet: built in {seconds:.1f}s; peak RSS app"
        f" {sampled[0].peak_main:.0f} MB, app + build workers {sampled[0].peak_tree:.0f} MB"
        f" (load {load} → {machine_load()})"
    )


def search_floor(root: Path, home: Path, queries: list[str]) -> list[tuple[float, float]]:
    """Seconds (wall, CPU) each query takes through ``Library.search`` alone (the app's limit),
    searched once each in a fresh library: what typing would not go below but for what the
    searches of the keys before it leave kept."""
    os.environ["READER_HOME"] = str(home)
    from reader.core.library import Library
    from reader.ui.searching.search_controller import SEARCH_LIMIT

    with Library(root) as library:
        library.search("warm", limit=SEARCH_LIMIT)
        seconds = []
        for query in queries:
            started, cpu = time.perf_counter(), time.process_time()
            library.search(query, limit=SEARCH_LIMIT)
            seconds.append((time.perf_counter() - started, time.process_time() - cpu))
    return seconds


def typed_queries(count: int) -> list[str]:
    """``count`` queries, every kind in turn: term, AND, phrase, prefix, typo."""
    words = Corpus().queries(count)
    kinds = ("term", "and", "phrase", "prefix", "fuzzy")
    return [query for group in zip(*(words[kind] for kind in kinds), strict=False) for query in group][:count]


def latency(root: Path, home: Path, size: int, count: int) -> None:
    """Keystroke → results shown, beside the search alone, with the load."""
    queries = typed_queries(count)
    load = machine_load()
    floor = search_floor(root, home, queries)
    typed = asyncio.run(keystroke_latency(root, home, queries))
    print(
        f"  {size:>7,} articles: keystroke → results: {_p50_p95(typed, 0)} over {len(typed)} queries"
        f" (target p95 ≤ 100 ms at 100k); the final queries searched alone: {_p50_p95(floor, 0)} (load {load})"
    )
    print(
        f"  {size:>7,} articles: CPU in that time: typed {_p50_p95(typed, 1)}; alone {_p50_p95(floor, 1)}"
        f" (load {machine_load()})"
    )


def _p50_p95(figures: list[tuple[float, float]], column: int) -> str:
    values = [figure[column] for figure in figures]
    return f"p50 {percentile(values, 0.5) * 1000:.0f} ms, p95 {percentile(values, 0.95) * 1000:.0f} ms"


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[1000, 10_000, 100_000])
    parser.add_argument("--work", type=Path, help="keep corpora and indexes here between runs")
    parser.add_argument("--runs", type=int, default=5, help="start-up runs per size")
    parser.add_argument("--queries", type=int, default=40, help="queries typed for the latency figure")
    parser.add_argument("--latency-at", type=int, nargs="*", default=[10_000], metavar="SIZE",
                        help="sizes to measure keystroke latency at (default 10000)")
    parser.add_argument("--latency-only", action="store_true", help="skip the start-up and memory runs")
    parser.add_argument("--first-open", type=int, nargs="*", default=[], metavar="SIZE",
                        help="sizes to open in the app with no state yet, the whole build in the app (minutes at 100k)")
    options = parser.parse_args()
    work = options.work or Path(tempfile.mkdtemp(prefix="reader-bench-app-"))
    work.mkdir(parents=True, exist_ok=True)
    print(f"reader app benchmark · load {machine_load()} · {os.cpu_count()} CPUs · work in {work}")
    print(byte_compile_reader())
    try:
        for size in options.sizes:
            root, home = prepare(work, size)
            if not options.latency_only:
                start_up(root, home, size, options.runs)
            if size in options.latency_at:
                latency(root, home, size, options.queries)
            if size in options.first_open:
                first_open(root, work, size)
    finally:
        if options.work is None:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
