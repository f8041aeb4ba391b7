"""The app opening a folder it has never seen, as a new user does: when rows reach the list, when
the build ends, and the app's memory through it and after it (issue 13).

    .venv/bin/python benchmarks/bench_first_open_app.py --work W                   # W/corpus-100000
    .venv/bin/python benchmarks/bench_first_open_app.py --work W --base /tmp/base --runs 2

``bench_app.py --first-open`` gives the peaks; this adds, from the app's own messages (the
app runs in a pseudo-terminal with a fresh reader home, through ``bench_app.run_app_until``):
process start to the first rows in the list and to every article in it, to the start-up sync's
end (the whole build), how many times the list was read, and the app's RSS 5 s after the build
(the list read again, near-duplicates found). With ``--base`` (``git archive <commit> src
benchmarks | tar -x -C /tmp/base``) the two trees run in turn. Each run takes the whole build
on both cores (~4-6 minutes at 100k): the load is printed beside every run, and the CPU of the
app and its workers with it.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import sys
import time
from pathlib import Path
from typing import Any

SETTLE_SECONDS = 5.0  # after the build: the list read again, near-duplicates found


def child(report: str, root: str) -> int:
    """The app, logging to ``report``.log when rows reach the list and its RSS after the build."""
    from bench_app_harness import WatchedApp

    log = Path(f"{report}.log")

    def note(kind: str, value: int) -> None:
        with log.open("a", encoding="utf-8") as file:
            file.write(f"{kind} {time.time():.3f} {value}\n")

    class LoggedApp(WatchedApp):
        def on_summaries_loaded(self, message: Any) -> None:
            note("listed", len(message.summaries))

        def on_sync_finished(self, _: Any) -> None:
            note("built", 0)
            self.set_timer(SETTLE_SECONDS, self._settled)

        def _settled(self) -> None:
            status = Path("/proc/self/status").read_text().splitlines()
            note("rss", next(int(line.split()[1]) // 1024 for line in status if line.startswith("VmRSS:")))
            self.call_after_refresh(self._report)

    app = LoggedApp(Path(root), "", Path(report), [])
    app.run()
    return app.return_code or 0


def first_open(tree: Path | None, root: Path, work: Path, size: int) -> str:
    """One first open of ``root`` by ``tree`` (None: this one); its figures in a line."""
    import bench_app
    from bench_search import machine_load

    home = work / f"first-open-log-home-{size}"
    shutil.rmtree(home, ignore_errors=True)
    home.mkdir(parents=True)
    if tree is not None:
        os.environ["PYTHONPATH"] = str(tree / "src")
    bench_app.HARNESS = Path(__file__).resolve()  # run as the child below
    load, sampled, cpu = machine_load(), [], _children_cpu()
    started = time.time()
    try:
        bench_app.run_app_until(root, home, "--child", sampler=sampled)
    finally:
        os.environ.pop("PYTHONPATH", None)
    lines = [line.split() for line in (home / "bench---child.txt.log").read_text().splitlines()]
    shutil.rmtree(home, ignore_errors=True)
    built = next(float(moment) - started for kind, moment, _ in lines if kind == "built")
    listed = [(float(moment) - started, int(count)) for kind, moment, count in lines if kind == "listed"]
    first_rows = min(at for at, count in listed if count)
    all_listed = min(at for at, count in listed if count >= size)
    readings = len(listed)
    after = next(int(value) for kind, _, value in lines if kind == "rss")
    return (
        f"first rows {first_rows:.2f} s, all {size:,} listed {all_listed:.1f} s, built {built:.1f} s,"
        f" {readings} readings of the list; peak RSS app {sampled[0].peak_main:.0f} MB, app + workers"
        f" {sampled[0].peak_tree:.0f} MB; app {SETTLE_SECONDS:.0f} s after the build {after} MB;"
        f" cpu app + workers {_children_cpu() - cpu:.0f} s (load {load} → {machine_load()})"
    )


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def main() -> int:
    if sys.argv[1:2] == ["--child"]:  # started by bench_app.run_app_until as its harness
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        return child(*sys.argv[2:4])
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="holds corpus-SIZE (a link will do)")
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--base", type=Path, help="a baseline tree (src and benchmarks) run in turn with this one")
    parser.add_argument("--runs", type=int, default=1)
    options = parser.parse_args()
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    trees: list[tuple[str, Path | None]] = [("this", None)]
    if options.base is not None:
        trees.insert(0, ("base", options.base))
    root = options.work / f"corpus-{options.size}"
    for _ in range(options.runs):
        for name, tree in trees:
            print(f"{name}: {first_open(tree, root, options.work, options.size)}", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
