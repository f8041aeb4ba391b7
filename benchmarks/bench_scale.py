"""Scale benchmark (issue 13): reader against plain Whoosh and SQLite FTS5, side by side.

    .venv/bin/python benchmarks/bench_scale.py --work /work/bench-data                 # 10k, then 100k
    .venv/bin/python benchmarks/bench_scale.py --work /work/bench-data --sizes 10000
    .venv/bin/python benchmarks/bench_scale.py --work /work/bench-data --sizes 100000 --keep-indexes

The synthetic corpora (``synthetic.py``, the Zipf generator every benchmark uses) are written
once into the work folder and kept between runs: 100k articles take minutes to write. For each
size, three systems are measured on the same files:

- reader: ``Library.sync`` in a fresh process, as a user opening a folder never seen before,
  with a fresh state folder. The parent polls the catalog through ``Library.first_summaries``
  every 0.1 s (time to the first rows listed, and to all of them) and samples the RSS of the
  build process and its workers from /proc (their sum: main + workers). Then the unchanged
  folder is opened again in a new process (``Library`` + ``sync``), three times;
- plain Whoosh (``--whoosh-max``, default 10k: at 100k it takes most of an hour): one process,
  ``load_article`` then ``add_document`` with title and body stored, one commit;
- SQLite FTS5: one process, ``load_article`` then INSERT into an fts5 table (porter unicode61,
  prefix indexes of 2 and 3 characters), one transaction.

Queries, in this process, on each system: ``--queries`` of each kind (term, AND, phrase, prefix,
fuzzy), top 20 and a snippet for each of them: ``Library.search`` and every ``hit.snippet``;
Whoosh's parser, ``search`` and ``hit.highlights``; FTS5's ``MATCH ... ORDER BY rank LIMIT 20``
with ``snippet()``. FTS5 has no fuzzy search: the typo is expanded over its vocabulary (the
``fts5vocab`` table, loaded once) with Whoosh's own Levenshtein automaton, prefix 1, the 24
commonest terms kept (as the reader does), and the terms are OR-ed.

``--keep-indexes`` reuses the indexes of the last run that built them (the build figures printed
are that run's, marked "kept") and measures re-opening and queries again: the way to compare
query work without a 10-minute 100k build each time. The machine is shared: the load average
is printed at the start and the end, and ratios are the figures to read.
"""

from __future__ import annotations

import argparse
import bisect
import contextlib
import json
import math
import os
import shutil
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from bytecode import byte_compile_reader
from synthetic import Corpus, corpus_folder, folder_bytes, percentile

KINDS = ("term", "and", "phrase", "prefix", "fuzzy")
TOP = 20
POLL_SECONDS = 0.1
REOPEN_RUNS = 3
FUZZY_EXPANSIONS = 24  # as the reader's MAX_EXPANSIONS
TARGETS = {  # issue 13
    10_000: {"first_rows": 1.0, "all_listed": 10.0, "p95_ms": 40.0, "p95_vs_fts5": 2.0, "speedup": 3.0},
    100_000: {"first_rows": 1.0, "all_listed": 60.0, "p95_ms": 150.0, "p95_vs_fts5": 1.0, "build": 240.0,
              "rss_mb": 300.0, "reopen": 1.0},
}


# --- measuring a process and its workers ------------------------------------------------------


def _tree(pid: int) -> list[int]:
    """``pid`` and every process below it (children found through /proc/<pid>/task/*/children)."""
    found, queue = [], [pid]
    while queue:
        current = queue.pop()
        found.append(current)
        with contextlib.suppress(OSError):
            for task in Path(f"/proc/{current}/task").iterdir():
                with contextlib.suppress(OSError):
                    queue.extend(int(child) for child in (task / "children").read_text().split())
    return found


def _rss_mb(pid: int) -> float:
    with contextlib.suppress(OSError):
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


class RssSampler:
    """Peak RSS of a process (alone, and summed with its descendants), sampled every 0.1 s."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak_main = 0.0
        self.peak_tree = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(POLL_SECONDS):
            self.sample()

    def sample(self) -> None:
        self.peak_main = max(self.peak_main, _rss_mb(self.pid))
        self.peak_tree = max(self.peak_tree, sum(_rss_mb(pid) for pid in _tree(self.pid)))

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def _child(mode: str, *arguments: str) -> list[str]:
    return [sys.executable, str(Path(__file__).resolve()), "--child", mode, *arguments]


def _children_cpu() -> float:
    import resource

    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


@dataclass
class Build:
    """One build in a child process, as the parent saw it."""

    seconds: float = 0.0  # what the child timed: the build itself
    process_seconds: float = 0.0  # process start to exit, imports included
    cpu_seconds: float = 0.0  # of the process and its workers
    peak_main_mb: float = 0.0
    peak_tree_mb: float = 0.0
    first_rows: float | None = None  # process start to the first rows in the catalog (reader only)
    all_listed: float | None = None  # ... to every article in it
    extra: dict[str, Any] = field(default_factory=dict)


def run_build(command: list[str], size: int, listed: Callable[[], int] | None = None) -> Build:
    """Run a build command, sampling memory (and, for the reader, how many rows are listed)."""
    cpu = _children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, text=True)
    sampler = RssSampler(process.pid)
    build = Build()
    assert process.stdout is not None
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(process.stdout or ()), daemon=True)
    reader.start()
    poll = None
    while process.poll() is None:
        time.sleep(POLL_SECONDS)
        if listed is not None and build.all_listed is None and any(line.startswith("opened") for line in lines):
            poll = poll or listed
            count = poll()
            now = time.perf_counter() - started
            if count and build.first_rows is None:
                build.first_rows = now
            if count >= size:
                build.all_listed = now
    build.process_seconds = time.perf_counter() - started
    sampler.stop()
    reader.join()
    if process.returncode:
        raise SystemExit(f"{' '.join(command[-3:])} failed with status {process.returncode}")
    report = json.loads(lines[-1])
    build.seconds = report.pop("seconds")
    build.extra = report
    build.cpu_seconds = _children_cpu() - cpu
    build.peak_main_mb, build.peak_tree_mb = sampler.peak_main, sampler.peak_tree
    if listed is not None and build.all_listed is None:
        build.all_listed = build.process_seconds
        build.first_rows = build.first_rows or build.process_seconds
    return build


# --- the child processes ----------------------------------------------------------------------


def child_reader_build(root: Path) -> dict[str, Any]:
    from reader.core.library import Library

    library = Library(root)
    print("opened", flush=True)
    started = time.perf_counter()
    report = library.sync()
    seconds = time.perf_counter() - started
    library.close()
    return {"seconds": seconds, "added": report.added}


def child_reader_reopen(root: Path) -> dict[str, Any]:
    from reader.core.library import Library

    started = time.perf_counter()
    library = Library(root)
    report = library.sync()
    rows, count = library.first_summaries("date", 50)
    seconds = time.perf_counter() - started
    library.close()
    return {"seconds": seconds, "unchanged": report.unchanged, "listed": count, "rows": len(rows)}


def _articles(root: Path) -> Iterator[Any]:
    from reader.core.loader import iter_article_files, load_article
    from reader.core.models import LoadIssue

    for path in iter_article_files(root):
        if isinstance(path, Path):
            article = load_article(path, root)
            if not isinstance(article, LoadIssue):
                yield article


def child_whoosh_build(root: Path, destination: Path) -> dict[str, Any]:
    """A plain Whoosh index of the same files, one process, title and body stored."""
    from whoosh import index
    from whoosh.fields import ID, TEXT, Schema

    started = time.perf_counter()
    schema = Schema(id=ID(stored=True, unique=True), title=TEXT(stored=True), body=TEXT(stored=True))
    shutil.rmtree(destination, ignore_errors=True)
    destination.mkdir(parents=True)
    writer = index.create_in(str(destination), schema).writer()
    count = 0
    for article in _articles(root):
        writer.add_document(id=article.id, title=article.title, body=article.text)
        count += 1
    writer.commit()
    return {"seconds": time.perf_counter() - started, "added": count}


_FTS5_TABLE = (
    "CREATE VIRTUAL TABLE docs USING fts5(id UNINDEXED, title, body,"
    " tokenize='porter unicode61 remove_diacritics 2', prefix='2 3')"
)


def child_fts5_build(root: Path, destination: Path) -> dict[str, Any]:
    """SQLite FTS5 on the same files, one process, one transaction."""
    started = time.perf_counter()
    destination.unlink(missing_ok=True)
    db = sqlite3.connect(destination, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute(_FTS5_TABLE)
    db.execute("BEGIN")
    count = 0
    for article in _articles(root):
        db.execute("INSERT INTO docs (id, title, body) VALUES (?, ?, ?)", (article.id, article.title, article.text))
        count += 1
    db.execute("COMMIT")
    db.close()
    return {"seconds": time.perf_counter() - started, "added": count}


CHILDREN: dict[str, Callable[..., dict[str, Any]]] = {
    "reader-build": child_reader_build,
    "reader-reopen": child_reader_reopen,
    "whoosh-build": child_whoosh_build,
    "fts5-build": child_fts5_build,
}


# --- queries ----------------------------------------------------------------------------------


@dataclass
class Latencies:
    """Each query's wall time, and its CPU time in this process: on a shared machine a query
    of 20 ms waits for a core as long as one of 2 ms takes, so both are printed."""

    by_kind: dict[str, list[float]] = field(default_factory=dict)
    cpu_by_kind: dict[str, list[float]] = field(default_factory=dict)
    about: int = 0  # reader: results whose total is an estimate

    def add(self, kind: str, seconds: float, cpu: float) -> None:
        self.by_kind.setdefault(kind, []).append(seconds)
        self.cpu_by_kind.setdefault(kind, []).append(cpu)

    def every(self, *, cpu: bool = False) -> list[float]:
        return [value for values in (self.cpu_by_kind if cpu else self.by_kind).values() for value in values]

    def _values(self, kind: str | None, cpu: bool) -> list[float]:
        return self.every(cpu=cpu) if kind is None else (self.cpu_by_kind if cpu else self.by_kind).get(kind, [])

    def p95(self, kind: str | None = None, *, cpu: bool = False) -> float:
        values = self._values(kind, cpu)
        return percentile(values, 0.95) * 1000 if values else float("nan")

    def p50(self, kind: str | None = None, *, cpu: bool = False) -> float:
        values = self._values(kind, cpu)
        return statistics.median(values) * 1000 if values else float("nan")


def _timed_queries(queries: dict[str, list[str]], run: Callable[[str, str], object]) -> Latencies:
    latencies = Latencies()
    for kind in KINDS:  # warm up: the first search opens files and fills caches
        run(kind, queries[kind][0])
    for kind in KINDS:
        for text in queries[kind]:
            started, cpu = time.perf_counter(), time.process_time()
            run(kind, text)
            latencies.add(kind, time.perf_counter() - started, time.process_time() - cpu)
    return latencies


def reader_queries(root: Path, queries: dict[str, list[str]]) -> Latencies:
    from reader.core.library import Library

    library = Library(root)
    about = 0

    def run(kind: str, text: str) -> int:
        nonlocal about
        result = library.search(text, limit=TOP)
        about += bool(getattr(result, "estimated", False))
        return sum(len(hit.snippet) for hit in result.hits)

    latencies = _timed_queries(queries, run)
    latencies.about = about
    library.close()
    return latencies


def _whoosh_text(kind: str, text: str) -> str:
    """The reader's query in Whoosh's syntax: a typo allows the reader's edits, prefix 1."""
    if kind == "fuzzy":
        return f"{text.rstrip('~')}~2/1"
    return text


def whoosh_queries(index_dir: Path, queries: dict[str, list[str]]) -> Latencies:
    from whoosh import index
    from whoosh.qparser import FuzzyTermPlugin, MultifieldParser

    ix = index.open_dir(str(index_dir))
    parser = MultifieldParser(["title", "body"], ix.schema)
    parser.add_plugin(FuzzyTermPlugin())
    with ix.searcher() as searcher:

        def run(kind: str, text: str) -> int:
            results = searcher.search(parser.parse(_whoosh_text(kind, text)), limit=TOP)
            return sum(len(hit.highlights("body")) for hit in results)

        latencies = _timed_queries(queries, run)
    ix.close()
    return latencies


class _SortedCursor:
    """A sorted word list in the shape Whoosh's automaton search walks (``text``, ``find``)."""

    def __init__(self, words: list[str]) -> None:
        self.words = words
        self.position = 0

    def text(self) -> str | None:
        return self.words[self.position] if self.position < len(self.words) else None

    def find(self, target: str) -> None:
        self.position = bisect.bisect_left(self.words, target)


class Fts5:
    """An FTS5 index opened for searching, with its vocabulary for typo expansion."""

    def __init__(self, path: Path) -> None:
        self.db = sqlite3.connect(path)
        started = time.perf_counter()
        self.db.execute("CREATE VIRTUAL TABLE temp.vocabulary USING fts5vocab(main, docs, 'row')")
        rows = self.db.execute("SELECT term, doc FROM temp.vocabulary").fetchall()
        self.frequency = dict(rows)
        self.words = sorted(self.frequency)
        self.vocabulary_seconds = time.perf_counter() - started

    def match(self, kind: str, text: str) -> str:
        if kind == "prefix":
            return f'"{text.rstrip("*")}"*'
        if kind == "fuzzy":
            from whoosh.codec.base import Automata

            dfa = Automata.levenshtein_dfa(text.rstrip("~").lower(), 2, 1)
            found = list(Automata.find_matches(dfa, _SortedCursor(self.words)))
            found.sort(key=self.frequency.__getitem__, reverse=True)
            return " OR ".join(f'"{word}"' for word in found[:FUZZY_EXPANSIONS]) or '"_nothing_"'
        if kind == "phrase":
            return text
        return " AND ".join(f'"{word}"' for word in text.split())

    def search(self, kind: str, text: str) -> int:
        rows = self.db.execute(
            "SELECT id, title, snippet(docs, 2, '[', ']', '…', 24) FROM docs WHERE docs MATCH ?"
            " ORDER BY rank LIMIT ?",
            (self.match(kind, text), TOP),
        ).fetchall()
        return sum(len(row[2]) for row in rows)

    def close(self) -> None:
        self.db.close()


def fts5_queries(path: Path, queries: dict[str, list[str]]) -> tuple[Latencies, float]:
    fts5 = Fts5(path)
    latencies = _timed_queries(queries, fts5.search)
    fts5.close()
    return latencies, fts5.vocabulary_seconds


# --- one size ---------------------------------------------------------------------------------


@dataclass
class SizeFigures:
    size: int
    megabytes: float
    builds: dict[str, Build] = field(default_factory=dict)
    kept: dict[str, str] = field(default_factory=dict)  # system -> when its kept build was made
    reopen: list[dict[str, float]] = field(default_factory=list)
    latencies: dict[str, Latencies] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


def _state(work: Path, size: int) -> dict[str, Path]:
    base = work / f"state-{size}"
    return {
        "base": base,
        "home": base / "reader-home",
        "whoosh": base / "whoosh",
        "fts5": base / "fts5.sqlite3",
        "builds": base / "builds.json",
    }


def _kept_builds(paths: dict[str, Path]) -> dict[str, Any]:
    if not paths["builds"].exists():
        return {}
    loaded: dict[str, Any] = json.loads(paths["builds"].read_text(encoding="utf-8"))
    return loaded


def _save_build(paths: dict[str, Path], system: str, build: Build) -> None:
    kept = _kept_builds(paths)
    kept[system] = {"when": time.strftime("%Y-%m-%d %H:%M"), "build": asdict(build)}
    paths["builds"].write_text(json.dumps(kept, indent=1), encoding="utf-8")


def build_all(root: Path, figures: SizeFigures, paths: dict[str, Path], systems: list[str], keep: bool) -> None:
    kept = _kept_builds(paths)
    for system in systems:
        present = {"reader": paths["home"], "whoosh": paths["whoosh"], "fts5": paths["fts5"]}[system].exists()
        if keep and present and system in kept:
            figures.builds[system] = Build(**kept[system]["build"])
            figures.kept[system] = kept[system]["when"]
            continue
        print(f"  building: {system} ... (load {_load()})", flush=True)
        if system == "reader":
            shutil.rmtree(paths["home"], ignore_errors=True)
            paths["home"].mkdir(parents=True)
            counter = ListedCounter(root)
            try:
                build = run_build(_child("reader-build", str(root)), figures.size, counter)
            finally:
                counter.close()
        else:
            build = run_build(_child(f"{system}-build", str(root), str(paths[system])), figures.size)
        print(f"    {system} built in {build.seconds:.1f} s (load {_load()})", flush=True)
        figures.builds[system] = build
        _save_build(paths, system, build)


class ListedCounter:
    """How many articles the reader lists now, through the public API. The library is opened on
    the first call, once the build process has made its catalog."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.library: Any = None

    def __call__(self) -> int:
        if self.library is None:
            from reader.core.library import Library

            self.library = Library(self.root)
        listed: int = self.library.first_summaries("date", 1)[1]
        return listed

    def close(self) -> None:
        if self.library is not None:
            self.library.close()


def run_size(work: Path, size: int, options: argparse.Namespace) -> SizeFigures:
    root = corpus_folder(work, size)
    paths = _state(work, size)
    paths["base"].mkdir(parents=True, exist_ok=True)
    os.environ["READER_HOME"] = str(paths["home"])  # inherited by the children
    figures = SizeFigures(size, folder_bytes(root) / 1e6)
    figures.notes.append(f"load {_load()} (1/5/15 min) when this size started")
    print(f"\n== {size:,} articles ({figures.megabytes:.0f} MB) in {root}", flush=True)
    systems = [s for s in options.systems.split(",") if s != "whoosh" or size <= options.whoosh_max]
    build_all(root, figures, paths, systems, options.keep_indexes)
    if "reader" in systems:
        for _ in range(REOPEN_RUNS):
            started = time.perf_counter()
            completed = subprocess.run(_child("reader-reopen", str(root)), capture_output=True, text=True, check=True)
            reopened = json.loads(completed.stdout.splitlines()[-1])
            reopened["process_seconds"] = time.perf_counter() - started
            figures.reopen.append(reopened)
    queries = Corpus().queries(options.queries)
    print(f"  queries: {sum(map(len, queries.values()))} on {', '.join(systems)} ...", flush=True)
    if "reader" in systems:
        figures.latencies["reader"] = reader_queries(root, queries)
    if "whoosh" in systems:
        figures.latencies["whoosh"] = whoosh_queries(paths["whoosh"], queries)
    if "fts5" in systems:
        figures.latencies["fts5"], vocabulary = fts5_queries(paths["fts5"], queries)
        figures.notes.append(f"FTS5 vocabulary for typos loaded in {vocabulary:.2f} s (once, not in the latencies)")
    figures.notes.append(f"load {_load()} (1/5/15 min) when this size ended")
    return figures


# --- printing ---------------------------------------------------------------------------------


def _cell(value: float | None, digits: int = 2) -> str:
    if value is None or math.isnan(value):
        return "-"
    return f"{value:,.{digits}f}"


def _ratio(first: float | None, second: float | None) -> str:
    if not first or not second or math.isnan(first) or math.isnan(second):
        return "-"
    return f"{first / second:.2f}x"


class Table:
    """Rows of figures, one column per system, then reader's ratio to each baseline."""

    def __init__(self, systems: list[str]) -> None:
        self.systems = systems
        header = f"{'':<46}" + "".join(f"{s:>12}" for s in systems) + f"{'reader/whoosh':>15}{'reader/fts5':>13}"
        print(header)
        print("-" * len(header))

    def row(self, label: str, values: dict[str, float | None], digits: int = 2) -> None:
        line = f"{label:<46}" + "".join(f"{_cell(values.get(s), digits):>12}" for s in self.systems)
        line += f"{_ratio(values.get('reader'), values.get('whoosh')):>15}"
        line += f"{_ratio(values.get('reader'), values.get('fts5')):>13}"
        print(line)


def print_table(figures: SizeFigures) -> None:
    systems = [s for s in ("reader", "whoosh", "fts5") if s in figures.builds or s in figures.latencies]
    table = Table(systems)
    _build_rows(table, figures)
    latencies = figures.latencies
    count = len(next(iter(latencies.values())).every()) if latencies else 0
    table.row(f"query p95, {count} mixed, top {TOP} + snippets (ms)", {s: v.p95() for s, v in latencies.items()}, 1)
    table.row("query p50 (ms)", {s: v.p50() for s, v in latencies.items()}, 1)
    for kind in KINDS:
        table.row(f"  {kind} p95 (ms)", {s: v.p95(kind) for s, v in latencies.items()}, 1)
    table.row("query p95, cpu time of the process (ms)", {s: v.p95(cpu=True) for s, v in latencies.items()}, 1)
    table.row("query p50, cpu (ms)", {s: v.p50(cpu=True) for s, v in latencies.items()}, 1)
    for kind in KINDS:
        table.row(f"  {kind} p95, cpu (ms)", {s: v.p95(kind, cpu=True) for s, v in latencies.items()}, 1)
    for system, when in figures.kept.items():
        print(f"  (kept) {system}'s build figures are from the run of {when}")
    if "reader" in latencies and latencies["reader"].about:
        print(f"  reader: {latencies['reader'].about} of {count} totals were estimates ('about N')")
    for note in figures.notes:
        print(f"  {note}")


def _build_rows(table: Table, figures: SizeFigures) -> None:
    builds = figures.builds
    reader = builds.get("reader")
    if reader is not None:
        table.row("first open: first rows listed (s)", {"reader": reader.first_rows})
        table.row("first open: all listed (s)", {"reader": reader.all_listed})
    table.row("full build (s)", {s: b.seconds for s, b in builds.items()})
    table.row("  whole process (s)", {s: b.process_seconds for s, b in builds.items()})
    table.row("  cpu, process + workers (s)", {s: b.cpu_seconds for s, b in builds.items()}, 1)
    table.row("  peak RSS, main (MB)", {s: b.peak_main_mb for s, b in builds.items()}, 0)
    table.row("  peak RSS, main + workers (MB)", {s: b.peak_tree_mb for s, b in builds.items()}, 0)
    if figures.reopen:
        reopen = figures.reopen
        table.row("re-open unchanged: sync (s)", {"reader": statistics.median(r["seconds"] for r in reopen)}, 3)
        table.row("  whole process (s)", {"reader": statistics.median(r["process_seconds"] for r in reopen)}, 3)


def check_targets(figures: SizeFigures) -> None:
    targets = TARGETS.get(figures.size)
    reader, latencies = figures.builds.get("reader"), figures.latencies
    if targets is None or reader is None or "reader" not in latencies:
        return
    p95, cpu = latencies["reader"].p95(), latencies["reader"].p95(cpu=True)
    checks: list[tuple[str, bool, str]] = [
        (f"first rows <= {targets['first_rows']:.0f} s", (reader.first_rows or 0) <= targets["first_rows"],
         f"{reader.first_rows:.1f} s"),
        (f"all listed <= {targets['all_listed']:.0f} s", (reader.all_listed or 0) <= targets["all_listed"],
         f"{reader.all_listed:.1f} s"),
        (f"query p95 <= {targets['p95_ms']:.0f} ms", p95 <= targets["p95_ms"], f"{p95:.1f} ms (cpu {cpu:.1f} ms)"),
    ]
    if "fts5" in latencies:
        ratio, cpu_ratio = p95 / latencies["fts5"].p95(), cpu / latencies["fts5"].p95(cpu=True)
        checks.append((f"query p95 <= {targets['p95_vs_fts5']:.0f}x FTS5", ratio <= targets["p95_vs_fts5"],
                       f"{ratio:.2f}x (cpu {cpu_ratio:.2f}x)"))
    if "whoosh" in figures.builds and "speedup" in targets:
        speedup = figures.builds["whoosh"].seconds / reader.seconds
        checks.append((f"build >= {targets['speedup']:.0f}x plain Whoosh", speedup >= targets["speedup"],
                       f"{speedup:.2f}x"))
    if "build" in targets:
        checks.append((f"build <= {targets['build']:.0f} s", reader.seconds <= targets["build"],
                       f"{reader.seconds:.0f} s"))
        checks.append((f"peak RSS <= {targets['rss_mb']:.0f} MB (main + workers)",
                       reader.peak_tree_mb <= targets["rss_mb"], f"{reader.peak_tree_mb:.0f} MB"))
    if figures.reopen and "reopen" in targets:
        reopen = statistics.median(r["process_seconds"] for r in figures.reopen)
        checks.append((f"re-open unchanged <= {targets['reopen']:.0f} s", reopen <= targets["reopen"],
                       f"{reopen:.2f} s"))
    for label, passed, value in checks:
        print(f"{figures.size:>8,}  {'PASS' if passed else 'MISS'}  {label:<38} {value}")


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="10000,100000", help="comma-separated corpus sizes (default 10000,100000)")
    parser.add_argument("--work", type=Path, default=Path(__file__).resolve().parent / "out" / "scale",
                        help="folder keeping corpora and indexes between runs (default benchmarks/out/scale)")
    parser.add_argument("--queries", type=int, default=40, help="queries of each of the 5 kinds (default 40)")
    parser.add_argument("--whoosh-max", type=int, default=10_000, help="largest size to build plain Whoosh at")
    parser.add_argument("--systems", default="reader,whoosh,fts5", help="which of reader,whoosh,fts5 to run")
    parser.add_argument("--keep-indexes", action="store_true",
                        help="reuse the indexes of an earlier run (its build figures are shown, marked kept)")
    parser.add_argument("--child", nargs="+", help=argparse.SUPPRESS)
    options = parser.parse_args()
    if options.child:
        mode, *arguments = options.child
        print(json.dumps(CHILDREN[mode](*map(Path, arguments))), flush=True)
        return 0
    work = options.work.resolve()
    work.mkdir(parents=True, exist_ok=True)
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, load {_load()} (1/5/15 min) at the start,"
          f" work folder {work}", flush=True)
    print(byte_compile_reader(), flush=True)
    every = [run_size(work, int(size), options) for size in options.sizes.split(",") if size.strip()]
    print(f"\nload {_load()} (1/5/15 min) at the end")
    for figures in every:
        print(f"\n== {figures.size:,} articles ({figures.megabytes:.0f} MB)")
        print_table(figures)
    print("\n== targets (issue 13)")
    for figures in every:
        check_targets(figures)
    return 0


if __name__ == "__main__":
    sys.exit(main())
