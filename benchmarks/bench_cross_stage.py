"""The cross-article stages of a build, old code against new on the same articles (issue 13).

    .venv/bin/python benchmarks/bench_cross_stage.py prepare CORPUS OUT   # records of a corpus, once
    .venv/bin/python benchmarks/bench_cross_stage.py prepare 10000 OUT    # or of bench_across's corpus
    .venv/bin/python benchmarks/bench_cross_stage.py signature OUT --baseline OLD/src/.../cross_article/neardup.py
    .venv/bin/python benchmarks/bench_cross_stage.py store OUT --baseline OLD/src [--rounds 3]

``prepare`` loads and extracts every article of a corpus (as the build does) and pickles the
text each MinHash signature is made of and the ``ArticleAnalysis`` records into OUT. ``signature``
times ``neardup.signature`` over those texts, the baseline module against this one, interleaved,
and checks that every signature is the same. ``store`` feeds the records to a fresh
``CorpusAnalysis`` in slices of 2,000 as the build does, once with the baseline source tree
(``PYTHONPATH``, in a child process) and once with this one, in turns; each run prints its cpu and
dumps what the cross-article questions answer, and the dumps must be equal. Figures are cpu
seconds of the timed step, the best of the rounds, with the load average beside them.
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import os
import pickle
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

SLICE = 2_000  # records per update, as the build's commit loop feeds them


def prepare(corpus: Path, out: Path) -> None:
    from reader.core.cross_article import analysis_record

    out.mkdir(parents=True, exist_ok=True)
    proses, records = [], []
    for article, extraction in _articles(corpus):
        body = article.body_paragraphs
        proses.append("\n\n".join(article.paragraph_text(p) for p in body) if body else article.text)
        records.append(analysis_record(article, extraction))
    (out / "proses.pickle").write_bytes(pickle.dumps(proses))
    (out / "records.pickle").write_bytes(pickle.dumps(records))
    print(f"{len(records):,} records written to {out}")


def _articles(corpus: Path) -> Iterator[tuple[Any, Any]]:
    """A folder's articles with their extraction, or (a number) bench_across's generated corpus,
    which has copies and shared quotes."""
    if corpus.name.isdigit() and not corpus.exists():
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        from bench_across import make_corpus

        yield from make_corpus(int(corpus.name))
        return
    from reader.core.extraction import extract_article
    from reader.core.loader import load_article
    from reader.core.models import Article

    for path in sorted(p for p in corpus.rglob("*") if p.is_file()):
        article = load_article(path, corpus)
        if isinstance(article, Article):
            yield article, extract_article(article)


def _module(path: Path, name: str) -> Any:
    spec = importlib.util.spec_from_file_location(name, path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def signature(out: Path, baseline: Path, rounds: int) -> None:
    from reader.core.cross_article import neardup

    proses = pickle.loads((out / "proses.pickle").read_bytes())  # noqa: S301 - our own file
    old = _module(baseline, "baseline_neardup")
    best = {"old": float("inf"), "new": float("inf")}
    results = {}
    for _ in range(rounds):
        for label, module in (("old", old), ("new", neardup)):
            started = time.process_time()
            results[label] = [module.signature(text) for text in proses]
            best[label] = min(best[label], time.process_time() - started)
    same = sum(a == b for a, b in zip(results["old"], results["new"], strict=True))
    print(f"signature of {len(proses):,} texts, best of {rounds} cpu: old {best['old']:.2f} s, "
          f"new {best['new']:.2f} s; {same:,} of {len(proses):,} identical; load {_load()}")


def store(out: Path, baseline: Path, rounds: int) -> None:
    best: dict[str, float] = {"old": float("inf"), "new": float("inf")}
    dumps = {}
    here = Path(__file__).resolve().parents[1] / "src"
    for _ in range(rounds):
        for label, source in (("old", baseline), ("new", here)):
            environment = {**os.environ, "PYTHONPATH": str(source)}
            done = subprocess.run(  # noqa: S603 - our own interpreter and script
                [sys.executable, __file__, "store-once", str(out)],
                env=environment, check=True, capture_output=True, text=True,
            )
            figures = json.loads(done.stdout)
            best[label] = min(best[label], figures["cpu"])
            dumps[label] = figures["answers"]
    same = dumps["old"] == dumps["new"]
    print(f"store update of the records, best of {rounds} cpu: old {best['old']:.2f} s, new {best['new']:.2f} s; "
          f"answers identical: {same}; load {_load()}")
    if not same:
        for label, answers in dumps.items():
            (out / f"answers-{label}.json").write_text(json.dumps(answers, indent=1), encoding="utf-8")
        print(f"differences: diff {out}/answers-old.json {out}/answers-new.json")


def store_once(out: Path) -> None:
    """In a child process: one timed update of a fresh store, then its answers (stdout, JSON)."""
    from reader.core.cross_article import CorpusAnalysis

    records = pickle.loads((out / "records.pickle").read_bytes())  # noqa: S301 - our own file
    with tempfile.TemporaryDirectory() as folder:
        analysis = CorpusAnalysis(Path(folder) / "analysis.sqlite")
        started = time.process_time()
        for start in range(0, len(records), SLICE):
            analysis.update(records[start : start + SLICE])
        cpu = time.process_time() - started
        analysis.refresh_wording()
        answers = {
            "clusters": sorted(repr(cluster) for cluster in analysis.clusters(min_articles=2)),
            "duplicates": sorted(repr(group) for group in analysis.duplicates()),
            "representatives": sorted(analysis.duplicate_representatives().items()),
            "people": sorted(repr(person) for person in analysis.people()),
            "timeline": repr(analysis.timeline()),
            "quotes": sorted(repr(quote) for quote in analysis.quotes()),
        }
        analysis.close()
    print(json.dumps({"cpu": cpu, "answers": answers}))


def _load() -> str:
    return "/".join(f"{value:.2f}" for value in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("command", choices=("prepare", "signature", "store", "store-once"))
    parser.add_argument("paths", type=Path, nargs="+", help="CORPUS OUT for prepare, else OUT")
    parser.add_argument("--baseline", type=Path, help="the old neardup.py (signature) or old src folder (store)")
    parser.add_argument("--rounds", type=int, default=3)
    options = parser.parse_args()
    if options.command == "prepare":
        prepare(*options.paths)
    elif options.command == "store-once":
        store_once(options.paths[0])
    elif options.command == "signature":
        signature(options.paths[0], options.baseline, options.rounds)
    else:
        store(options.paths[0], options.baseline, options.rounds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
