"""Where a query's time goes: bench_scale's queries by kind, the slowest under cProfile.

    .venv/bin/python benchmarks/profile_queries.py --work W --size 100000
    .venv/bin/python benchmarks/profile_queries.py --work W --size 100000 --kinds phrase --profile 3

Runs ``bench_scale.py``'s queries (same seed) on a kept index of its work folder (``W/corpus-N``,
``W/state-N/reader-home``: use a copy), each once to warm up and once timed in CPU time (top 20
and every snippet, as the benchmark does); prints each kind's p50/p95 and its slowest queries,
then runs the ``--profile`` slowest of each kind again under cProfile (fresh search caches,
the first keystroke's cost) and prints the functions with the most cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Corpus, machine_load, percentile  # noqa: E402 - the generator bench_scale uses

TOP = 20
KINDS = ("term", "and", "phrase", "prefix", "fuzzy")


def timed(library: Any, text: str) -> float:
    started = time.process_time()
    result = library.search(text, limit=TOP)
    for hit in result.hits:
        hit.snippet  # noqa: B018 - made on first use, as the list shows it
    return time.process_time() - started


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True)
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=40)
    parser.add_argument("--kinds", default=",".join(KINDS))
    parser.add_argument("--profile", type=int, default=2, help="slowest queries of each kind to profile")
    parser.add_argument("--lines", type=int, default=25)
    options = parser.parse_args()
    os.environ["READER_HOME"] = str(options.work / f"state-{options.size}" / "reader-home")
    from reader.core.library import Library

    queries = Corpus().queries(options.queries)
    print(f"load {machine_load()} at the start")
    with Library(options.work / f"corpus-{options.size}") as library:
        library.search("warm", limit=TOP)
        for kind in options.kinds.split(","):
            cold = {text: timed(library, text) for text in queries[kind]}
            slowest = sorted(cold, key=cold.__getitem__, reverse=True)
            values = list(cold.values())
            print(
                f"\n== {kind}: cpu p50 {percentile(values, 0.5) * 1000:.1f} ms,"
                f" p95 {percentile(values, 0.95) * 1000:.1f} ms; slowest: "
                + ", ".join(f"{text!r} {cold[text] * 1000:.0f}" for text in slowest[:5])
            )
            for text in slowest[: options.profile]:
                library._index()._forget()  # noqa: SLF001 - fresh caches: what the benchmark met first
                profiler = cProfile.Profile()
                profiler.enable()
                timed(library, text)
                profiler.disable()
                out = io.StringIO()
                pstats.Stats(profiler, stream=out).sort_stats("cumulative").print_stats(options.lines)
                print(f"-- {text!r}\n" + "\n".join(out.getvalue().splitlines()[6:]))
    print(f"load {machine_load()} at the end")
    return 0


if __name__ == "__main__":
    sys.exit(main())
