"""A build worker's peak memory and CPU for one chunk, this tree against another (issue 13).

    .venv/bin/python benchmarks/bench_chunk_memory.py --corpus /work/bench-data/corpus-100000 \
        --files 9750 --base /tmp/base-tree/src

Each run is ``build_chunk`` over ``--files`` files of the corpus (from ``--skip``) in a fresh
process and a fresh staging folder (and extraction cache: nothing kept from before), as a build worker runs
one chunk: its peak RSS (``ru_maxrss``), its CPU time, and the segment's size on disk. The two
trees alternate (``--runs`` each), and the load is printed beside every figure: the machine is
shared, so read the CPU and memory, not the wall.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

_CHILD = """
import json, resource, sys, time
from pathlib import Path
root, staging, skip, count = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
paths = []
for folder in sorted(root.iterdir()):
    names = sorted(folder.iterdir())
    if skip >= len(names):
        skip -= len(names)
        continue
    paths += names[skip : skip + count - len(paths)]
    skip = 0
    if len(paths) >= count:
        break
jobs = [(path, path.stat()) for path in paths]
del paths
started, wall = time.process_time(), time.perf_counter()
from reader.core.pipeline.build import FileJob, build_chunk
jobs = [FileJob(path, info.st_size, info.st_mtime_ns) for path, info in jobs]
result = build_chunk(root, staging, jobs, None)
size = sum(path.stat().st_size for path in result.staging.iterdir() if path.name.startswith("MAIN_"))
print(json.dumps({
    "cpu": time.process_time() - started,
    "wall": time.perf_counter() - wall,
    "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    "documents": len(result.indexed),
    "segment_mb": size / 2**20,
}))
"""


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def _run(source: Path, corpus: Path, skip: int, count: int) -> dict[str, float]:
    folder = Path(tempfile.mkdtemp(prefix="chunk-memory-"))
    staging = folder / "staging"  # its extraction cache is made beside it: a new one each run
    staging.mkdir()
    try:
        env = {**os.environ, "PYTHONPATH": str(source)}
        done = subprocess.run(  # noqa: S603 - our own interpreter and script
            [sys.executable, "-c", _CHILD, str(corpus), str(staging), str(skip), str(count)],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        figures: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
        return figures
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, required=True)
    parser.add_argument("--files", type=int, default=9_750)
    parser.add_argument("--skip", type=int, default=500, help="files before the chunk (the first round's)")
    parser.add_argument("--base", type=Path, help="the other tree's src folder (e.g. a git archive of main)")
    parser.add_argument("--runs", type=int, default=1)
    args = parser.parse_args()
    here = Path(__file__).resolve().parent.parent / "src"
    trees = [("base", args.base), ("this", here)] if args.base else [("this", here)]
    print(f"build_chunk of {args.files:,} files of {args.corpus} (from {args.skip:,}); load {_load()} at the start")
    print(f"{'tree':6} {'cpu s':>8} {'wall s':>8} {'peak MB':>8} {'docs':>7} {'segment MB':>10}  load (1/5/15)")
    for _ in range(args.runs):
        for name, source in trees:
            figures = _run(source, args.corpus, args.skip, args.files)
            print(
                f"{name:6} {figures['cpu']:8.1f} {figures['wall']:8.1f} {figures['peak_mb']:8.1f}"
                f" {figures['documents']:7.0f} {figures['segment_mb']:10.1f}  {_load()}",
                flush=True,
            )
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    print(
        f"children cpu in all: {children.ru_utime + children.ru_stime:.1f} s; load {_load()} at the end; "
        f"{time.strftime('%H:%M:%S')}"
    )


if __name__ == "__main__":
    main()
