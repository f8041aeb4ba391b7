"""Re-opening an unchanged folder (issue 13): this tree against a baseline tree, in one run.

    git archive <commit> src benchmarks | tar -x -C /tmp/reopen-base      # the baseline tree
    .venv/bin/python benchmarks/bench_reopen.py --work /work/bench-data --size 100000 \\
        --baseline /tmp/reopen-base --scratch /tmp/reopen-bench

Each run is a fresh process doing what ``bench_scale.py``'s re-open does (``Library``, ``sync``,
the first 50 rows), through that tree's own ``bench_scale.py --child reader-reopen``. The kept
state of the last build (``WORK/state-SIZE/reader-home``) is copied once per tree into the
scratch folder, never used in place (a sync writes to it). The first run of each tree is shown
apart: the state was made by whatever built it, so this tree's first re-open compares the
folder row by row and keeps the digest the later ones use. Then the trees alternate, and the
medians are printed side by side: whole process (wall), the sync as the child timed it, CPU of
the process (user + system, from ``wait4``), its peak RSS, and the load average.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def run_once(tree: Path, home: Path, root: Path) -> dict[str, Any]:
    """One re-open in a fresh process of ``tree``'s code; its figures."""
    environment = dict(os.environ, READER_HOME=str(home), PYTHONPATH=str(tree / "src"))
    command = [sys.executable, str(tree / "benchmarks" / "bench_scale.py"), "--child", "reader-reopen", str(root)]
    load = os.getloadavg()[0]
    started = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    output, errors = process.communicate()
    if process.returncode:
        raise SystemExit(f"{tree}: re-open failed ({process.returncode}): {errors.strip()[-400:]}")
    child = json.loads(output.splitlines()[-1])
    return {
        "process": wall,
        "sync": child["seconds"],
        "cpu": usage.ru_utime + usage.ru_stime,
        "rss": usage.ru_maxrss / 1024,
        "load": load,
        "unchanged": child["unchanged"],
    }


def line(label: str, runs: dict[str, list[dict[str, Any]]], key: str, unit: str) -> str:
    cells = [f"{statistics.median(r[key] for r in runs[name]):11.3f}" for name in runs]
    return f"  {label:<26}{''.join(cells)}  {unit}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--work", type=Path, required=True, help="the folder bench_scale.py keeps corpora and state in")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--baseline", type=Path, required=True, help="a tree with src/ and benchmarks/ to compare with")
    parser.add_argument("--scratch", type=Path, required=True, help="where each tree's copy of the state goes")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per tree, after the first")
    options = parser.parse_args()
    root = options.work / f"corpus-{options.size}"
    kept = options.work / f"state-{options.size}" / "reader-home"
    trees = {"baseline": options.baseline.resolve(), "this tree": HERE.parent}
    homes = {name: options.scratch / name.replace(" ", "-") / "reader-home" for name in trees}
    for home in homes.values():
        if not home.exists():
            shutil.copytree(kept, home, symlinks=True)
    print(f"re-open unchanged, {options.size:,} files in {root}; load {os.getloadavg()} at the start")
    firsts = {name: run_once(tree, homes[name], root) for name, tree in trees.items()}
    runs: dict[str, list[dict[str, Any]]] = {name: [] for name in trees}
    for _ in range(options.runs):
        for name, tree in trees.items():
            runs[name].append(run_once(tree, homes[name], root))
    print(f"  {'first run (s, process)':<26}" + "".join(f"{firsts[name]['process']:11.3f}" for name in trees))
    print(f"  {'median of ' + str(options.runs):<26}" + "".join(f"{name:>11}" for name in trees))
    print(line("whole process", runs, "process", "s wall"))
    print(line("sync (in the child)", runs, "sync", "s wall"))
    print(line("process cpu", runs, "cpu", "s user + system"))
    print(line("peak RSS", runs, "rss", "MB"))
    print(line("load (1 min) at the run", runs, "load", ""))
    counted = {r["unchanged"] for rs in runs.values() for r in rs}
    print(f"  files found unchanged: {sorted(counted)}; load {os.getloadavg()} at the end")


if __name__ == "__main__":
    main()
