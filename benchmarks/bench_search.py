"""Search benchmark: build, re-open, query and update times on synthetic corpora.

    .venv/bin/python benchmarks/bench_search.py                 # 1k and 10k articles
    .venv/bin/python benchmarks/bench_search.py --sizes 100000  # the large one, on its own

Everything (corpus, index, tags) goes to a temporary folder that is removed afterwards. Figures
printed per size:
- full build by ``Library.sync`` (loading, extraction, cross-article records, index) against a
  plain single-process Whoosh index of the same files with a stored body (``--baseline-max``
  limits the sizes the slow baseline runs at);
- re-opening the unchanged corpus (a new ``Library`` and ``sync``), and how many files it read;
- query latency, top 20 with every snippet made, over term, AND, phrase, prefix and fuzzy queries;
- re-indexing one changed file; listing every article at start-up (``summaries``).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# The generator and helpers live in synthetic.py; bench_app imports them from here too.
from synthetic import OUTLETS as _OUTLETS  # noqa: F401
from synthetic import Corpus, cpu_seconds, folder_bytes, machine_load, percentile, timed

TARGETS = {
    "speedup": 3.0,
    "build_10k": 30.0,
    "reopen_10k": 0.5,
    "p95_10k": 0.050,
    "p95_100k": 0.150,
    "one_change": 0.100,
}


def baseline_build(root: Path, index_dir: Path) -> float:
    """A plain Whoosh index of the same files, one process, title and body stored."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    from reader.core.loader import iter_article_files, load_article

    def build() -> None:
        schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT(stored=True))
        index_dir.mkdir(parents=True)
        writer = index.create_in(str(index_dir), schema).writer()
        for path in iter_article_files(root):
            if isinstance(path, Path):
                article = load_article(path, root)
                writer.add_document(id=article.id, title=article.title, body=article.text)
        writer.commit()

    seconds, _ = timed(build)
    return seconds


def run_size(size: int, work: Path, corpus: Corpus, baseline_max: int, per_kind: int) -> dict[str, float]:
    import reader.core.pipeline.build as build
    import reader.core.pipeline.stages as stages
    from reader.core.library import Library
    from reader.core.paths import IndexFolder

    root = work / f"corpus-{size}"
    seconds, _ = timed(lambda: corpus.write(root, size))
    print(f"\n== {size:,} articles ({folder_bytes(root) / 1e6:.0f} MB, written in {seconds:.1f} s)")
    figures: dict[str, float] = {}

    if size <= baseline_max:
        cpu = cpu_seconds()
        figures["baseline"] = baseline_build(root, work / f"baseline-{size}")
        print(f"baseline build (plain Whoosh, 1 process, stored body): {figures['baseline']:8.2f} s"
              f"  (cpu {cpu_seconds() - cpu:.1f} s, load {machine_load()})")
        shutil.rmtree(work / f"baseline-{size}")

    library = Library(root)
    cpu = cpu_seconds()
    figures["build"], report = timed(library.sync)
    print(f"reader build (sync, {build.worker_count()} workers):        {figures['build']:8.2f} s"
          f"  ({size / figures['build']:,.0f} files/s, {report.added:,} added,"
          f" cpu {cpu_seconds() - cpu:.1f} s, load {machine_load()})")
    if "baseline" in figures:
        figures["speedup"] = figures["baseline"] / figures["build"]
        print(f"speed-up over the baseline:                         {figures['speedup']:8.2f} x")
    folder = IndexFolder.of(root.resolve())
    print(f"index size: {folder_bytes(folder.index_dir) / 1e6:.1f} MB, "
          f"catalog {sum(p.stat().st_size for p in folder.base.glob('catalog.sqlite3*')) / 1e6:.1f} MB, "
          f"segments {len(list(folder.index_dir.glob('*.pst')))}")
    library.close()

    reads = 0
    original = stages.load_article

    def counting(path: Path, root_: Path):  # type: ignore[no-untyped-def]
        nonlocal reads
        reads += 1
        return original(path, root_)

    stages.load_article = counting
    try:
        reopened = Library(root)
        figures["reopen"], report = timed(reopened.sync)
    finally:
        stages.load_article = original
    print(f"re-open unchanged (new Library + sync):             {figures['reopen']:8.3f} s"
          f"  ({reads} files read, {report.unchanged:,} unchanged)")
    figures["summaries"], summaries = timed(reopened.summaries)
    print(f"summaries() of every article:                       {figures['summaries']:8.3f} s ({len(summaries):,})")

    queries = corpus.queries(per_kind)
    for kind_queries in queries.values():  # warm up: first search opens the index
        reopened.search(kind_queries[0], limit=20)
    latencies: dict[str, list[float]] = {}
    for kind, kind_queries in queries.items():
        for text in kind_queries:
            def query(text: str = text) -> int:
                result = reopened.search(text, limit=20)
                return sum(len(hit.snippet) for hit in result.hits)

            latencies.setdefault(kind, []).append(timed(query)[0])
    every = [value for values in latencies.values() for value in values]
    for kind, values in latencies.items():
        print(f"  {kind:<7} p50 {statistics.median(values) * 1000:6.1f} ms   "
              f"p95 {percentile(values, 0.95) * 1000:6.1f} ms   max {max(values) * 1000:6.1f} ms")
    figures["p95"] = percentile(every, 0.95)
    print(f"query p95, top 20 with snippets ({len(every)} queries):   {figures['p95'] * 1000:8.1f} ms")

    changed = sorted((root / "000").iterdir())[:3]
    for path in changed:
        path.write_text(path.read_text(encoding="utf-8") + "\nA late correction was added.\n", encoding="utf-8")
    first, _ = timed(lambda: reopened.sync(paths=[changed[0]]))
    figures["one_change"], report = timed(lambda: reopened.sync(paths=[changed[1]]))
    figures["one_change_scan"], _ = timed(reopened.sync)
    print(f"one changed file re-indexed, sync(paths=[file]):    {figures['one_change'] * 1000:8.1f} ms"
          f"  ({report.updated} updated; the first in this process took {first * 1000:.0f} ms:"
          f" it imports extraction)")
    print(f"one changed file found by a full sync (scan):       {figures['one_change_scan'] * 1000:8.1f} ms")
    reopened.close()
    shutil.rmtree(root)
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,10000", help="comma-separated corpus sizes (default 1000,10000)")
    parser.add_argument("--baseline-max", type=int, default=10_000, help="largest size to run the baseline at")
    parser.add_argument("--queries", type=int, default=40, help="queries of each kind (default 40)")
    options = parser.parse_args()
    sizes = [int(size) for size in options.sizes.split(",") if size.strip()]
    work = Path(tempfile.mkdtemp(prefix="reader-bench-"))
    os.environ["READER_HOME"] = str(work / "home")
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, work folder {work}")
    corpus = Corpus()
    results = {}
    try:
        for size in sizes:
            results[size] = run_size(size, work, corpus, options.baseline_max, options.queries)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print("\n== targets")
    for size, figures in results.items():
        checks = []
        if "speedup" in figures:
            checks.append(("build >= 3x baseline", figures["speedup"] >= TARGETS["speedup"], f"{figures['speedup']:.2f}x"))
        if size == 10_000:
            checks.append(("10k build <= 30 s", figures["build"] <= TARGETS["build_10k"], f"{figures['build']:.1f} s"))
            checks.append(("10k re-open <= 0.5 s", figures["reopen"] <= TARGETS["reopen_10k"], f"{figures['reopen']:.3f} s"))
            checks.append(("10k p95 <= 50 ms", figures["p95"] <= TARGETS["p95_10k"], f"{figures['p95'] * 1000:.1f} ms"))
        if size == 100_000:
            checks.append(("100k p95 <= 150 ms", figures["p95"] <= TARGETS["p95_100k"], f"{figures['p95'] * 1000:.1f} ms"))
        checks.append(("one change <= 100 ms", figures["one_change"] <= TARGETS["one_change"],
                       f"{figures['one_change'] * 1000:.0f} ms (full sync {figures['one_change_scan'] * 1000:.0f} ms)"))
        for label, passed, value in checks:
            print(f"{size:>7,}  {'PASS' if passed else 'MISS'}  {label:<24} {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
