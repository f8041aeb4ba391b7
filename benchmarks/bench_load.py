"""How fast ``load_corpus`` reads a folder: makes a synthetic corpus and prints files/s.

    .venv/bin/python benchmarks/bench_load.py            # 10,000 articles
    .venv/bin/python benchmarks/bench_load.py -n 2000 --profile

The corpus is varied the way real scrapes are: about a third of the files carry YAML front
matter, a tenth have CRLF line ends, a twentieth are cp1252 (with a pound sign), and bodies
range from a few to a few dozen paragraphs.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import tempfile
import time
from pathlib import Path

from reader.core.loader import load_corpus

WORDS = (
    "the minister said on Tuesday that talks with unions would resume next week after a "
    "breakdown over pay and pensions while critics warned that the plan could cost more than "
    "expected and that voters in the north would see little benefit from it"
).split()


def _sentence(rng: random.Random) -> str:
    words = rng.choices(WORDS, k=rng.randint(8, 28))
    return words[0].capitalize() + " " + " ".join(words[1:]) + "."


def _paragraph(rng: random.Random) -> str:
    text = " ".join(_sentence(rng) for _ in range(rng.randint(1, 6)))
    if rng.random() < 0.3:
        text += " “" + _sentence(rng) + "” said the source."
    return text


def make_article(number: int, rng: random.Random) -> bytes:
    """One synthetic article file, as bytes on disk."""
    headline = " ".join(rng.choices(WORDS, k=rng.randint(5, 12))).title()
    paragraphs = [_paragraph(rng) for _ in range(rng.randint(3, 40))]
    body = "\n\n".join(paragraphs) + "\n\nLeave a Reply\n"
    if number % 3 == 0:
        text = (
            f"---\ntitle: {headline}\ndate: 2020-09-{number % 28 + 1:02d}\n"
            f"author: Writer {number % 97}\ncategories: [news, politics]\n---\n{body}"
        )
    else:
        text = f"{headline}\n\n{body}"
    if number % 10 == 1:
        text = text.replace("\n", "\r\n")
    if number % 20 == 2:
        return (text + "\nIt cost £40.\n").encode("cp1252")
    return text.encode("utf-8")


def make_corpus(folder: Path, count: int, seed: int = 7) -> int:
    """Write ``count`` articles into ``folder`` (100 per subfolder); return the bytes written."""
    rng = random.Random(seed)
    total = 0
    for number in range(count):
        sub = folder / f"part{number // 100:04d}"
        sub.mkdir(exist_ok=True)
        data = make_article(number, rng)
        (sub / f"article{number:06d}.txt").write_bytes(data)
        total += len(data)
    return total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=10_000, help="articles to make")
    parser.add_argument("--profile", action="store_true", help="print the top 25 functions")
    options = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="reader-bench-") as temp:
        folder = Path(temp)
        size = make_corpus(folder, options.count)
        print(f"corpus: {options.count:,} files, {size / 1_048_576:.1f} MB")
        profiler = cProfile.Profile() if options.profile else None
        started = time.perf_counter()
        cpu_started = time.process_time()
        if profiler:
            profiler.enable()
        corpus = load_corpus(folder)
        if profiler:
            profiler.disable()
        elapsed = time.perf_counter() - started
        cpu = time.process_time() - cpu_started  # what the figure would be on an idle machine
        print(
            f"load_corpus: {len(corpus.articles):,} articles, {len(corpus.skipped)} skipped "
            f"in {elapsed:.2f} s = {len(corpus.articles) / elapsed:,.0f} files/s "
            f"(CPU {cpu:.2f} s = {len(corpus.articles) / cpu:,.0f} files/s)"
        )
        if profiler:
            pstats.Stats(profiler).sort_stats("cumulative").print_stats(25)


if __name__ == "__main__":
    main()
