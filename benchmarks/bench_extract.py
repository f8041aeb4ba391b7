"""Extraction speed against a baseline revision, measured in one sitting.

    .venv/bin/python benchmarks/bench_extract.py --baseline c901cc7
    .venv/bin/python benchmarks/bench_extract.py --baseline main --rounds 9 FOLDER...

The articles (by default the news tuning batch) are loaded once the way the app loads them. Each
tree (the baseline revision, unpacked from git into a temporary folder, and the working tree) is
timed in a fresh process of its own, the two taking turns round after round so that both see the
same load on a shared machine. An article's figure is its best CPU time over all rounds; the
report gives the mean over articles for each tree, their ratio, and the load average before and
after, because on a busy machine the ratio is the figure to quote, not the milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

from reader.core.loader import load_article
from reader.core.models import Article

HERE = Path(__file__).resolve().parent
REPOSITORY = HERE.parent
DEFAULT_FOLDER = HERE / "extraction_gold_news"

# Run inside each tree's own interpreter path: times every article ``repeats`` times, prints the
# best CPU milliseconds of each as a JSON list.
_CHILD = """
import json, sys, time
from reader.core.extraction import extract
texts = json.load(open(sys.argv[1], encoding="utf-8"))
repeats = int(sys.argv[2])
for text in texts[:3]:
    extract(text)  # warm caches and lazy lexicons before timing
best = []
for text in texts:
    times = []
    for _ in range(repeats):
        start = time.process_time()
        extract(text)
        times.append(time.process_time() - start)
    best.append(min(times) * 1000)
print(json.dumps(best))
"""


def _texts(folders: list[Path]) -> list[str]:
    texts = []
    for folder in folders:
        for path in sorted(p for p in folder.rglob("*") if p.suffix in (".txt", ".md") and p.is_file()):
            if path.name.startswith("README"):
                continue
            article = load_article(path, folder)
            if isinstance(article, Article):
                texts.append(article.text)
    return texts


def _unpack(revision: str, into: Path) -> Path:
    """The ``src`` folder of ``revision``, unpacked under ``into``."""
    archive = subprocess.run(
        ["git", "-C", str(REPOSITORY), "archive", "--format=tar", revision, "src"],
        check=True,
        capture_output=True,
    ).stdout
    with tarfile.open(fileobj=BytesIO(archive)) as tar:
        tar.extractall(into, filter="data")
    return into / "src"


def _time(source: Path, texts_file: Path, repeats: int) -> list[float]:
    environment = dict(os.environ, PYTHONPATH=str(source))
    result = subprocess.run(
        [sys.executable, "-c", _CHILD, str(texts_file), str(repeats)],
        check=True,
        capture_output=True,
        text=True,
        env=environment,
        cwd=source,
    )
    times: list[float] = json.loads(result.stdout)
    return times


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    parser.add_argument("folders", type=Path, nargs="*", metavar="FOLDER", help="article folders (default: news batch)")
    parser.add_argument("--baseline", default="c901cc7", help="git revision to compare with (default c901cc7)")
    parser.add_argument("--rounds", type=int, default=5, help="turns each tree takes (default 5)")
    parser.add_argument("--repeats", type=int, default=3, help="timings of each article per turn (default 3)")
    options = parser.parse_args(argv)
    texts = _texts(options.folders or [DEFAULT_FOLDER])
    if not texts:
        print("bench_extract: no articles found", file=sys.stderr)
        return 2
    load_before = os.getloadavg()
    with tempfile.TemporaryDirectory(prefix="bench-extract-") as scratch:
        texts_file = Path(scratch) / "texts.json"
        texts_file.write_text(json.dumps(texts), encoding="utf-8")
        baseline = _unpack(options.baseline, Path(scratch) / "baseline")
        trees = {options.baseline: baseline, "working tree": REPOSITORY / "src"}
        best: dict[str, list[float]] = {}
        for _ in range(options.rounds):
            for name, source in trees.items():
                times = _time(source, texts_file, options.repeats)
                previous = best.get(name, times)
                best[name] = [min(a, b) for a, b in zip(previous, times, strict=True)]
    load_after = os.getloadavg()
    means = {name: sum(times) / len(times) for name, times in best.items()}
    print(f"articles: {len(texts)}; rounds: {options.rounds} x {options.repeats} timings each, best kept")
    print(f"load average before / after: {load_before[0]:.1f} / {load_after[0]:.1f}")
    for name, mean in means.items():
        print(f"{name:>14}: {mean:.2f} ms CPU per article (slowest {max(best[name]):.2f})")
    baseline, working = means[options.baseline], means["working tree"]
    print(f"ratio working tree / {options.baseline}: {working / baseline:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
