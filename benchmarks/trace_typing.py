"""Where a typed query's time goes, step by step: the keystroke latency of ``bench_app.py``
taken apart.

    .venv/bin/python benchmarks/trace_typing.py --work W                 # 100k, every query
    .venv/bin/python benchmarks/trace_typing.py --work W --show 'kar*'   # one query's timeline

The same typing as ``bench_app.py --latency-at`` (a key every 120 ms, in process with Pilot),
with the steps of the search path timed (wall clock, ms after the last key): the bar's change
and debounce, each search asked for, started, given up (and how long it ran on after it was
told to stop) or finished, the hits handed to the list, snippets made. Per query it prints the
wait before the final search started, the final search's own time, what followed, and the
longest "ran on after stop".
"""

from __future__ import annotations

import argparse
import asyncio
import functools
import statistics
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from types import SimpleNamespace
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_app import keystroke_latency, percentile  # noqa: E402
from synthetic import Corpus, machine_load  # noqa: E402

Event = tuple[float, str, str]


def _traced(events: list[Event], owner: Any, name: str, label: Callable[..., str], *, ends: bool = True) -> None:
    """Log each call of ``owner.name`` (and its end, with ``ends``)."""
    original = getattr(owner, name)

    @functools.wraps(original)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        events.append((time.perf_counter(), f"{name}", label(*args, **kwargs)))
        cpu = time.thread_time()
        try:
            return original(*args, **kwargs)
        except BaseException as error:
            events.append((time.perf_counter(), f"{name} raised", f"{type(error).__name__} {cpu_since(cpu)}"))
            raise
        finally:
            if ends:
                events.append((time.perf_counter(), f"{name} end", f"{label(*args, **kwargs)} {cpu_since(cpu)}"))

    setattr(owner, name, wrapper)


def cpu_since(started: float) -> str:
    return f"(thread cpu {(time.thread_time() - started) * 1000:.1f} ms)"


def install(events: list[Event]) -> None:
    from reader.core.library import Library
    from reader.ui.listing.article_list import ArticleList
    from reader.ui.main_screen import MainScreen
    from reader.ui.searching import search_controller
    from reader.ui.searching.search_bar import SearchBar

    controller = search_controller.SearchController
    _traced(events, SearchBar, "on_input_changed", lambda bar, event: event.value, ends=False)
    _traced(events, SearchBar, "_settle", lambda bar: bar.value, ends=False)
    _traced(events, controller, "refresh", lambda self, **_: f"{self.query_text!r} running={self.running}")
    _traced(events, controller, "_search", lambda self, query, *_: query)
    _traced(events, controller, "finished", lambda self, message: message.query)
    _traced(events, controller, "_make_snippets", lambda self, query, hits: f"{query} ×{len(hits)}")
    _traced(events, ArticleList, "show", lambda self, rows, **_: f"{len(rows)} rows")
    _traced(events, Library, "search", lambda self, query, *a, **k: query)
    _traced(events, MainScreen, "update_info", lambda self: "")

    class StopEvent(threading.Event):
        """The controller's stop flags, logged when first set."""

        def set(self) -> None:
            if not self.is_set():
                events.append((time.perf_counter(), "stop asked", ""))
            super().set()

    search_controller.threading = SimpleNamespace(Event=StopEvent)  # type: ignore[attr-defined]


def per_query(events: list[Event], keys: list[tuple[str, float]], latencies: list[float]) -> list[dict[str, Any]]:
    """Each typed query's events from its first key to its result, relative to its last key."""
    rows = []
    for (query, last_key), latency, end_of_previous in zip(keys, latencies, [0.0] + [k[1] for k in keys], strict=False):
        first = last_key - KEY_SPAN * len(query)
        own = [(t - last_key, name, detail) for t, name, detail in events if max(first, end_of_previous) <= t <= last_key + latency]
        rows.append({"query": query, "latency": latency, "events": own})
    return rows


KEY_SPAN = 0.12


def summary(row: dict[str, Any]) -> dict[str, float]:
    """Wait before the final search, the final search, after it; the longest ran-on-after-stop."""
    query, events = row["query"], row["events"]
    starts = [t for t, name, detail in events if name == "_search" and detail == query]
    ends = [t for t, name, detail in events if name == "search end" and detail.startswith(f"{query} (")]
    finished = [t for t, name, detail in events if name == "finished" and detail == query]
    ran_on, asked = 0.0, None
    for t, name, _ in events:
        if name == "stop asked":
            asked = t
        elif name == "search raised" and asked is not None:
            ran_on, asked = max(ran_on, t - asked), None
    searches = sum(1 for _, name, _ in events if name == "search")
    start = starts[-1] if starts else float("nan")
    end = ends[-1] if ends else float("nan")
    shown = finished[-1] if finished else float("nan")
    return {"wait": start, "search": end - start, "to_list": shown - end, "ran_on": ran_on, "searches": searches}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="holds corpus-N and home-N (see bench_app.py)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--show", action="append", default=[], help="print this query's whole timeline")
    options = parser.parse_args()
    root, home = options.work / f"corpus-{options.size}", options.work / f"home-{options.size}"
    words = Corpus().queries(options.queries)
    kinds = ("term", "and", "phrase", "prefix", "fuzzy")
    queries = [query for group in zip(*(words[kind] for kind in kinds), strict=False) for query in group][: options.queries]
    events: list[Event] = []
    keys: list[tuple[str, float]] = []
    install(events)
    load = machine_load()
    cpu = time.process_time()
    latencies = asyncio.run(keystroke_latency(root, home, queries, keys))
    print(f"trace of {len(queries)} typed queries at {options.size:,}: cpu {time.process_time() - cpu:.1f}s (load {load} → {machine_load()})")
    print(f"{'query':<24} {'shown':>7} {'wait':>7} {'search':>7} {'to list':>7} {'ran on':>7} {'searches':>8}   (ms after the last key)")
    rows = per_query(events, keys, latencies)
    for row in rows:
        parts = summary(row)
        print(
            f"{row['query']:<24} {row['latency'] * 1000:7.0f} {parts['wait'] * 1000:7.0f} {parts['search'] * 1000:7.0f}"
            f" {parts['to_list'] * 1000:7.0f} {parts['ran_on'] * 1000:7.0f} {parts['searches']:8.0f}"
        )
        if row["query"] in options.show:
            for t, name, detail in row["events"]:
                print(f"      {t * 1000:9.1f} ms  {name:<22} {detail}")
    shown = [row["latency"] for row in rows]
    print(
        f"keystroke → shown p50 {statistics.median(shown) * 1000:.0f} ms, p95 {percentile(shown, 0.95) * 1000:.0f} ms;"
        f" longest ran-on-after-stop {max(summary(row)['ran_on'] for row in rows) * 1000:.0f} ms (load {machine_load()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
