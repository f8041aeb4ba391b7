"""The main process of a first build: its peak RSS, when it comes, and its CPU (issue 13).

    git archive <commit> src benchmarks | tar -x -C /tmp/base         # the baseline tree
    .venv/bin/python benchmarks/bench_main_process.py --corpus /tmp/w/corpus-100000 --base /tmp/base
    .venv/bin/python benchmarks/bench_main_process.py --corpus ... --stop-after 120   # the first 2 minutes

Each tree (this one, and ``--base`` when given) runs ``bench_scale.py --child reader-build`` on
the corpus with a fresh ``READER_HOME`` in /tmp, alternating when ``--runs`` > 1. The RSS of the
main process and of main + workers is sampled every 0.1 s, with the time of the main's peak;
the main's own CPU (user + system, from /proc) is read at its last sample, the workers' from
``getrusage`` of the whole tree. The load average is printed beside every figure: the machine
is shared, so read the CPU columns and the ratios.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bench_scale import _children_cpu, _rss_mb, _tree

_TICKS = os.sysconf("SC_CLK_TCK")


def _cpu_seconds(pid: int) -> float | None:
    """User + system CPU of one process (not its children), from /proc; None once it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / _TICKS


@dataclass
class Run:
    tree: str
    wall: float = 0.0
    main_cpu: float = 0.0
    tree_cpu: float = 0.0
    peak_main: float = 0.0
    peak_main_at: float = 0.0
    peak_tree: float = 0.0
    load: tuple[float, float] = (0.0, 0.0)


def run_once(tree: Path, corpus: Path, stop_after: float | None, every: float | None) -> Run:
    home = Path(tempfile.mkdtemp(prefix="main-process-home-"))
    environment = dict(os.environ, READER_HOME=str(home), PYTHONPATH=str(tree / "src"))
    command = [sys.executable, str(tree / "benchmarks" / "bench_scale.py"), "--child", "reader-build", str(corpus)]
    run = Run(tree=str(tree))
    before = os.getloadavg()[0]
    cpu = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.DEVNULL)  # noqa: S603 - our own script
    shown = 0.0
    try:
        while process.poll() is None:
            now = time.perf_counter() - started
            main = _rss_mb(process.pid)
            if every is not None and now - shown >= every:
                shown = now
                print(f"  {now:6.1f} s: main {main:4.0f} MB, cpu {_cpu_seconds(process.pid) or 0:6.1f} s", flush=True)
            if main > run.peak_main:
                run.peak_main, run.peak_main_at = main, now
            run.peak_tree = max(run.peak_tree, sum(_rss_mb(pid) for pid in _tree(process.pid)))
            run.main_cpu = _cpu_seconds(process.pid) or run.main_cpu
            if stop_after is not None and now > stop_after:
                for pid in reversed(_tree(process.pid)):
                    os.kill(pid, 9)
                process.wait()
                break
            time.sleep(0.1)
    finally:
        run.wall = time.perf_counter() - started
        run.tree_cpu = _children_cpu() - cpu
        run.load = (before, os.getloadavg()[0])
        shutil.rmtree(home, ignore_errors=True)
    return run


def show(run: Run) -> None:
    print(
        f"{run.tree}: wall {run.wall:.1f} s | main cpu {run.main_cpu:.1f} s | main + workers cpu {run.tree_cpu:.1f} s"
        f" | peak RSS main {run.peak_main:.0f} MB at {run.peak_main_at:.0f} s | main + workers {run.peak_tree:.0f} MB"
        f" | load {run.load[0]:.1f} -> {run.load[1]:.1f}",
        flush=True,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--corpus", type=Path, required=True, help="the corpus folder (never a kept state)")
    parser.add_argument("--base", type=Path, help="a baseline tree (git archive of src and benchmarks)")
    parser.add_argument("--runs", type=int, default=1, help="runs of each tree, alternating (default 1)")
    parser.add_argument("--stop-after", type=float, help="kill each build after this many seconds")
    parser.add_argument("--every", type=float, help="print the main's RSS and CPU every this many seconds")
    options = parser.parse_args()
    trees = [Path(__file__).resolve().parent.parent]
    if options.base is not None:
        trees.insert(0, options.base.resolve())
    for _ in range(options.runs):
        for tree in trees:
            show(run_once(tree, options.corpus.resolve(), options.stop_after, options.every))


if __name__ == "__main__":
    main()
