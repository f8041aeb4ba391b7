"""The memory of the app's list read again and again, as it is while a first build adds rows.

    .venv/bin/python benchmarks/bench_list_rereads.py --corpus W/corpus-100000 --home W/home-100000
    .venv/bin/python benchmarks/bench_list_rereads.py --corpus ... --home ... --base /tmp/base --runs 2

``--home`` is a reader home holding a built state of ``--corpus`` (work on a copy: opening a
library may write to it). Each tree (this one, and ``--base`` when given: ``git archive <commit>
src | tar -x -C /tmp/base``) reads the whole list ``--reads`` times in a fresh child Python, as
``ListController`` does at each ``CatalogGrew``: ``Library.summaries`` (given the rows read
before, where that tree takes them), sorted newest first, kept by id; the rows read before are
dropped once the new ones are kept. Printed per tree: RSS after the first reading and after
the last, the process's peak RSS (``ru_maxrss``), and the CPU of one reading (median), beside
the load: the machine is shared, so read the CPU figures, not the wall clock.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(corpus: Path, reads: int) -> None:
    """Read the list ``reads`` times; print the figures as JSON."""
    from reader.core.library import Library
    from reader.core.ordering import sort_summaries

    with Library(corpus) as library:
        takes_known = "known" in inspect.signature(library.summaries).parameters
        kept: dict = {}
        cpu, after = [], []
        for _ in range(reads):
            started = time.process_time()
            rows = library.summaries(known=kept) if takes_known else library.summaries()
            ordered = sort_summaries(rows, "date")
            kept = {row.id: row for row in rows}
            cpu.append(time.process_time() - started)
            del rows, ordered
            after.append(rss_mb())
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps({"first": after[0], "last": after[-1], "peak": peak, "cpu": statistics.median(cpu)}))


def load() -> str:
    return f"{os.getloadavg()[0]:.1f}"


def run(tree: Path | None, corpus: Path, home: Path, reads: int) -> dict[str, float]:
    env = dict(os.environ, READER_HOME=str(home))
    if tree is not None:
        env["PYTHONPATH"] = str(tree / "src")
    command = [sys.executable, __file__, "--child", "--corpus", str(corpus), "--home", str(home), "--reads", str(reads)]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # noqa: S603 - our own script
    return json.loads(result.stdout.splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--home", type=Path, required=True, help="a reader home with the corpus built (a copy)")
    parser.add_argument("--base", type=Path, help="a baseline tree (holding src/reader) to run beside this one")
    parser.add_argument("--reads", type=int, default=8)
    parser.add_argument("--runs", type=int, default=1, help="runs of each tree, alternating")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        child(options.corpus, options.reads)
        return 0
    trees: list[tuple[str, Path | None]] = [("this", None)]
    if options.base is not None:
        trees.insert(0, ("base", options.base))
    for _ in range(options.runs):
        for name, tree in trees:
            before = load()
            figures = run(tree, options.corpus, options.home, options.reads)
            print(
                f"{name}: {options.reads} readings · RSS after the first {figures['first']:.0f} MB, after the last"
                f" {figures['last']:.0f} MB, peak {figures['peak']:.0f} MB · cpu per reading {figures['cpu']:.2f} s"
                f" (load {before} → {load()})"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
