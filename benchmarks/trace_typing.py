"""Where a typed query's time goes, step by step: the keystroke latency of ``bench_app.py``
taken apart.

    .venv/bin/python benchmarks/trace_typing.py --work W                 # 100k, every query
    .venv/bin/python benchmarks/trace_typing.py --work W --show 'ver*'   # and one's timeline

The same typing as ``bench_app.py --latency-at`` (a key every 120 ms into the running app, in
process with Pilot; ``W`` holds ``corpus-N`` and ``home-N`` as there), with each step of the
search path logged: the bar's change and debounce, each search asked for, started, given up
(and how long it ran on after it was told to stop) or finished, the hits handed to the list,
the status line, snippets made; the CPU of the step's thread and of the whole process.
Per query: the wait from the last key to the final search's start, that search's wall and
thread CPU, the time from its end to the hits in the list, the longest ran-on-after-stop.
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import gc
import statistics
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import KEY_INTERVAL, keystroke_latency, percentile, typed_queries
from synthetic import machine_load


@dataclass(frozen=True)
class Step:
    at: float  # perf_counter
    name: str
    detail: str
    thread_cpu: float = 0.0  # seconds, for the end of a timed call
    process_cpu: float = 0.0


def _traced(steps: list[Step], owner: Any, name: str, label: Callable[..., str], *, ends: bool = True) -> None:
    """Log each call of ``owner.name`` (and its end or failure, with the CPU it took)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        steps.append(Step(time.perf_counter(), name, label(*args, **kwargs)))
        thread, process = time.thread_time(), time.process_time()
        ending = "end"
        try:
            return original(*args, **kwargs)
        except BaseException as error:
            ending = f"raised {type(error).__name__}"
            raise
        finally:
            if ends:
                cpu = (time.thread_time() - thread, time.process_time() - process)
                steps.append(Step(time.perf_counter(), f"{name} {ending}", label(*args, **kwargs), *cpu))

    setattr(owner, name, wrapper)


def install(steps: list[Step]) -> None:
    from reader.core.library import Library
    from reader.ui.listing.article_list import ArticleList
    from reader.ui.main_screen import MainScreen
    from reader.ui.searching import search_controller
    from reader.ui.searching.search_bar import SearchBar

    controller = search_controller.SearchController
    _traced(steps, SearchBar, "on_input_changed", lambda bar, event: event.value, ends=False)
    _traced(steps, SearchBar, "_settle", lambda bar: bar.value, ends=False)
    _traced(steps, controller, "refresh", lambda self, **_: f"{self.query_text!r} running={self.running}")
    _traced(steps, controller, "finished", lambda self, message: message.query)
    _traced(steps, controller, "_make_snippets", lambda self, query, hits: f"{query} ×{len(hits)}")
    _traced(steps, ArticleList, "show", lambda self, rows, **_: f"{len(rows)} rows")
    _traced(steps, MainScreen, "update_info", lambda self: "")
    _traced(steps, Library, "search", lambda self, query, *a, **k: query)
    _traced(steps, Library, "prepare_search", lambda self, typed="": f"{typed}* ahead")

    class StopFlag(threading.Event):
        """The controller's flag telling a running search to give up, logged when set."""

        def set(self) -> None:
            if not self.is_set():
                steps.append(Step(time.perf_counter(), "stop asked", ""))
            super().set()

    search_controller.threading = SimpleNamespace(Event=StopFlag)  # type: ignore[attr-defined]


@dataclass
class Typed:
    query: str
    shown: float  # seconds from the last key to the hits in the list
    steps: list[tuple[float, Step]]  # (seconds after the last key, step)

    def parts(self) -> dict[str, float]:
        final = [(t, step) for t, step in self.steps if step.detail == self.query]
        start = next((t for t, step in reversed(final) if step.name == "search"), float("nan"))
        end = next(((t, step) for t, step in reversed(final) if step.name.startswith("search ")), None)
        ran_on, asked = 0.0, None
        for t, step in self.steps:
            if step.name == "stop asked":
                asked = t
            elif step.name == "search raised SearchCancelled" and asked is not None:
                ran_on, asked = max(ran_on, t - asked), None
        return {
            "wait": start,
            "search": (end[0] - start) if end else float("nan"),
            "search_cpu": end[1].thread_cpu if end else float("nan"),
            "to_list": (self.shown - end[0]) if end else float("nan"),
            "ran_on": ran_on,
            "searches": sum(1 for _, step in self.steps if step.name == "search"),
        }


def per_query(steps: list[Step], keys: list[tuple[str, float]], shown: list[float]) -> list[Typed]:
    """Each typed query's steps from its first key to its hits shown, timed from its last key."""
    typed = []
    previous_end = 0.0
    for (query, last_key), latency in zip(keys, shown, strict=True):
        first = max(previous_end, last_key - KEY_INTERVAL * (len(query) + 1))
        own = [(step.at - last_key, step) for step in steps if first <= step.at <= last_key + latency]
        typed.append(Typed(query, latency, own))
        previous_end = last_key + latency
    return typed


def report(typed: list[Typed], show: list[str]) -> None:
    columns = ("shown", "wait", "search", "(cpu)", "to list", "ran on", "searches")
    print(f"{'query':<24} " + " ".join(f"{column:>7}" for column in columns))
    for one in typed:
        parts = {name: value * 1000 if name != "searches" else value for name, value in one.parts().items()}
        print(
            f"{one.query:<24} {one.shown * 1000:7.0f} {parts['wait']:7.0f} {parts['search']:7.0f}"
            f" {parts['search_cpu']:7.0f} {parts['to_list']:7.0f} {parts['ran_on']:7.0f} {parts['searches']:8.0f}"
        )
        if one.query in show:
            for t, step in one.steps:
                cpu = f"  (thread cpu {step.thread_cpu * 1000:.1f} ms, process {step.process_cpu * 1000:.1f} ms)"
                print(f"      {t * 1000:9.1f} ms  {step.name:<32} {step.detail}{cpu if step.process_cpu else ''}")


def time_full_collections(pauses: list[float]) -> None:
    """Log how long each full collection of the garbage collector takes: it holds the GIL, so
    a search running meanwhile waits that long (at 100k, 89-198 ms each before the app froze
    its long-lived objects)."""
    started: list[float] = []

    def timed(phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            started[:] = [time.perf_counter()]
        elif started:
            pauses.append(time.perf_counter() - started[0])

    gc.callbacks.append(timed)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="holds corpus-N and home-N (see bench_app.py)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--show", action="append", default=[], help="print this query's every step")
    options = parser.parse_args()
    root, home = options.work / f"corpus-{options.size}", options.work / f"home-{options.size}"
    queries = typed_queries(options.queries)
    steps: list[Step] = []
    keys: list[tuple[str, float]] = []
    install(steps)
    pauses: list[float] = []
    time_full_collections(pauses)
    load, cpu = machine_load(), time.process_time()
    figures = asyncio.run(keystroke_latency(root, home, queries, keys))
    shown = [wall for wall, _ in figures]
    spent = time.process_time() - cpu
    in_window = [window_cpu for _, window_cpu in figures]
    print(f"{len(queries)} queries typed at {options.size:,}: cpu {spent:.1f} s (load {load} → {machine_load()})")
    print("ms after the last key; search (cpu): the final search's wall time and its thread's CPU")
    typed = per_query(steps, keys, shown)
    report(typed, options.show)
    longest = max(one.parts()["ran_on"] for one in typed)
    print(
        f"keystroke → shown p50 {statistics.median(shown) * 1000:.0f} ms, p95 {percentile(shown, 0.95) * 1000:.0f} ms;"
        f" process CPU in that time p50 {statistics.median(in_window) * 1000:.0f} ms,"
        f" p95 {percentile(in_window, 0.95) * 1000:.0f} ms; longest ran-on-after-stop {longest * 1000:.0f} ms"
        f" (load {machine_load()})"
    )
    if pauses:
        print(
            f"full garbage collections, start-up included: {len(pauses)}, longest {max(pauses) * 1000:.0f} ms,"
            f" median {statistics.median(pauses) * 1000:.0f} ms, in all {sum(pauses) * 1000:.0f} ms"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
