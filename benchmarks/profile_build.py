"""Where a first build's time goes, stage by stage (issue 13, item 2): the map for a cheaper build.

    .venv/bin/python benchmarks/profile_build.py --work /work/bench-data              # 10k, one process
    .venv/bin/python benchmarks/profile_build.py --work /work/bench-data --cprofile 30
    .venv/bin/python benchmarks/profile_build.py --work /work/bench-data --workers 2  # the real build
    .venv/bin/python benchmarks/profile_build.py --work /work/bench-data --rebuild    # + a rebuild

A fresh ``Library.sync`` of the synthetic corpus (``synthetic.py``), with a timer around each
stage of the pipeline. With ``--workers 1`` (the default) everything runs in this process, so
the timers see every stage: loading, extraction, cross-article records, analysis (words to
terms with positions), Whoosh writing (``add_document``), finishing the segment (Whoosh sorts
and writes the postings it pooled), and in the main process's commit loop the index commit,
the catalog and the cross-article store. With ``--workers 2`` only the main process's stages
are timed, with when each chunk came back (how long the cores wait): a worker is a plain child
Python (``python -m reader.core.pipeline.workers``) that these timers do not reach; its cpu is
in the reaped children's (``RUSAGE_CHILDREN``), beside the main's.
``--cprofile N`` adds cProfile's N most expensive functions (by their own time). ``--rebuild``
then times a second build, as after an index format change: the extractions kept by the first
(``extraction.cache``) are read back instead of made again.
"""

from __future__ import annotations

import argparse
import cProfile
import functools
import os
import pstats
import resource
import shutil
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import corpus_folder


SPENT: Counter[str] = Counter()  # wall seconds
CPU: Counter[str] = Counter()  # cpu seconds of this process: what the stage costs on a busy machine
CALLS: Counter[str] = Counter()
EVENTS: list[tuple[float, str]] = []
STARTED = time.perf_counter()


def timed(stage: str, function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, adding its wall time to ``stage`` (not counted twice when it recurses)."""
    depth = 0

    @functools.wraps(function)
    def wrapper(*arguments: Any, **keywords: Any) -> Any:
        nonlocal depth
        depth += 1
        started, cpu = time.perf_counter(), time.process_time()
        try:
            return function(*arguments, **keywords)
        finally:
            depth -= 1
            if depth == 0:
                SPENT[stage] += time.perf_counter() - started
                CPU[stage] += time.process_time() - cpu
                CALLS[stage] += 1

    return wrapper


def patch(owner: Any, name: str, stage: str) -> None:
    setattr(owner, name, timed(stage, getattr(owner, name)))


def instrument() -> None:
    """Timers around every stage, patched where the build looks each one up."""
    import reader.core.pipeline.build as build
    import reader.core.pipeline.listing as listing
    import reader.core.pipeline.stages as stages
    import reader.core.pipeline.sync as sync
    from reader.core.cross_article import CorpusAnalysis
    from reader.core.extraction.cache import ExtractionCache
    from reader.core.index import documents
    from reader.core.index.catalog import Catalog
    from reader.core.index.segment_writer import SegmentBuilder

    patch(listing, "list_files", "0 listing ahead of the build (first pass)")
    patch(stages, "load_article", "1 loading (read, decode, front matter, paragraphs)")
    patch(stages, "extract_article", "2 extraction (quotes, speakers, people)")
    patch(ExtractionCache, "extract", "2 extraction (quotes, speakers, people)")  # with the kept ones
    patch(stages, "analysis_record", "3 cross-article record")
    patch(documents, "text_positions", "4 analysis: text fields to terms + positions")
    patch(documents, "name_positions", "4 analysis: name fields to terms + positions")
    patch(SegmentBuilder, "_add_positions", "5 postings gathered (arrays per term)")
    patch(SegmentBuilder, "finish", "6 segment written (terms in order, blocks)")
    patch(stages.Spilled, "add", "7 spilling texts and records to the staging folder")
    patch(sync, "commit", "8 main: index commit (move segment, table of contents)")
    patch(Catalog, "put", "9 main: catalog rows")
    patch(Catalog, "put_texts", "9 main: catalog texts (compressed)")
    patch(CorpusAnalysis, "update", "10 main: cross-article store update")
    original = build.run_chunks

    def run_chunks(*arguments: Any, **keywords: Any) -> Any:
        for chunk in original(*arguments, **keywords):
            EVENTS.append((time.perf_counter() - STARTED, f"chunk of {len(chunk.indexed):,} back from its worker"))
            yield chunk

    sync.run_chunks = run_chunks


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--size", type=int, default=10_000, help="articles (default 10000)")
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "out" / "scale",
                        help="folder keeping the corpora (default benchmarks/out/scale)")
    parser.add_argument("--workers", type=int, default=1, help="build processes (default 1: all stages timed)")
    parser.add_argument("--cprofile", type=int, default=0, help="print cProfile's N most expensive functions")
    parser.add_argument("--rebuild", action="store_true", help="then time a rebuild after a format change")
    options = parser.parse_args()
    root = corpus_folder(options.work.resolve(), options.size)
    home = options.work.resolve() / f"profile-home-{options.size}"
    shutil.rmtree(home, ignore_errors=True)
    os.environ["READER_HOME"] = str(home)

    import reader.core.pipeline.build as build
    from reader.core.library import Library

    build.worker_count = lambda: options.workers  # type: ignore[assignment]
    instrument()
    load = "/".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{options.size:,} articles, {options.workers} build process(es), load {load} at the start", flush=True)
    library = Library(root)
    profiler = cProfile.Profile() if options.cprofile else None
    report = _timed_sync(library, profiler, "build")
    if options.rebuild:
        _report_stages(report)
        _forget_format(library)
        library.close()
        library = Library(root)
        report = _timed_sync(library, profiler, "rebuild after a format change")
    library.close()
    _report_stages(report)
    if profiler is not None:
        print()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(options.cprofile)
    shutil.rmtree(home, ignore_errors=True)
    return 0


def _timed_sync(library: Any, profiler: cProfile.Profile | None, what: str) -> Any:
    """Sync with the stage timers (and the profiler) on; the timers start from zero."""
    for counter in (SPENT, CPU, CALLS):
        counter.clear()
    EVENTS.clear()
    cpu, wall = time.process_time(), time.perf_counter()
    if profiler is not None:
        profiler.enable()
    children = _children_cpu()
    report = library.sync()
    if profiler is not None:
        profiler.disable()
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    children = _children_cpu() - children
    load = "/".join(f"{value:.2f}" for value in os.getloadavg())
    print(f"{what}: {wall:.1f} s wall, {cpu:.1f} s cpu in this process + {children:.1f} s in its children "
          f"= {cpu + children:.1f} s, {report.added:,} added, load {load} at the end")
    return (wall, cpu)


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _report_stages(spent: tuple[float, float]) -> None:
    wall, cpu = spent
    print(f"\n{'stage':<58}{'wall s':>8}{'cpu s':>8}{'cpu share':>10}{'calls':>9}")
    for stage in sorted(SPENT, key=lambda name: int(name.split()[0])):
        print(f"{stage:<58}{SPENT[stage]:>8.1f}{CPU[stage]:>8.1f}{CPU[stage] / cpu:>10.0%}{CALLS[stage]:>9,}")
    rest = "(outside these stages: scan, imports, tags, the rest)"
    print(f"{rest:<58}{wall - sum(SPENT.values()):>8.1f}{cpu - sum(CPU.values()):>8.1f}")
    for moment, event in EVENTS:
        print(f"  at {moment:6.1f} s: {event}")
    print()


def _forget_format(library: Any) -> None:
    """Make the next sync rebuild as a new index format would (kept extractions stay)."""
    from reader.core.index.catalog import Catalog
    from reader.core.paths import IndexFolder

    catalog = Catalog(IndexFolder.of(library.root).catalog_path)
    catalog.set_meta("format", "0/older-format")
    catalog.close()


if __name__ == "__main__":
    sys.exit(main())
