"""The cost of reading a corpus in a first build: the first pass (stage 0) and loading (stage 1).

    .venv/bin/python benchmarks/bench_reading.py --work /work/bench-data
    PYTHONPATH=/path/to/other/src .venv/bin/python benchmarks/bench_reading.py --work ...  # another version

Stage 0 lists every file into a fresh catalog in batches, as the build's workers do
(``listing.list_files``); stage 1 loads every file as the build does (``load_article``). CPU
seconds of this process, the best of ``--rounds`` (a busy machine only ever adds), with the load.
Run it for two versions of the code one after the other and compare the CPU figures.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import corpus_folder

from reader.core.index.catalog import Catalog
from reader.core.loader import iter_article_files, load_article
from reader.core.pipeline.listing import BATCH, list_files


def _cpu(work: Callable[[], object]) -> float:
    started = time.process_time()
    work()
    return time.process_time() - started


def _list_all(root: Path, paths: list[Path]) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        catalog = Catalog(Path(scratch) / "catalog.sqlite")
        try:
            for start in range(0, len(paths), BATCH):
                list_files(root, catalog, paths[start : start + BATCH])
        finally:
            catalog.close()


def _load_all(root: Path, paths: list[Path]) -> None:
    for path in paths:
        load_article(path, root)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "out" / "scale")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    root = corpus_folder(options.work.resolve(), options.size).resolve()
    paths = [item for item in iter_article_files(root) if isinstance(item, Path)]
    print(f"{len(paths):,} files, code from {Path(load_article.__code__.co_filename).parent.parent}")
    best: dict[str, float] = {}
    for number in range(1, options.rounds + 1):
        for stage, work in (("0 first pass", _list_all), ("1 loading", _load_all)):
            spent = _cpu(lambda work=work: work(root, paths))  # type: ignore[misc]
            best[stage] = min(best.get(stage, spent), spent)
            print(f"round {number}: {stage:<13} {spent:6.2f} s cpu  load {os.getloadavg()[0]:.1f}", flush=True)
    print(f"best: stage 0 {best['0 first pass']:.2f} s, stage 1 {best['1 loading']:.2f} s, "
          f"0+1 {sum(best.values()):.2f} s cpu for {len(paths):,} files")


if __name__ == "__main__":
    main()
