"""The main process's cross-article commits during a first build: CPU per chunk as the store grows.

Records are read back from a built analysis file (a copy: pass ``--source``), in file order, a
chunk at a time (the peak RSS is the store's and one chunk's), and fed to a fresh store
``--slice`` at a time, as the sync commits them; each ``--chunk`` records print their CPU
seconds and the main process's peak RSS, beside the load. A commit cost that grows from chunk to
chunk is work proportional to what is already stored.

    .venv/bin/python benchmarks/bench_commit_cost.py --source /tmp/across100k.sqlite3 --articles 60000
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import os
import sqlite3
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

from reader.core.cross_article import ArticleAnalysis, CorpusAnalysis
from reader.core.cross_article.normalise import key_grams
from reader.core.cross_article.records import PersonKey, QuoteKey


def stored_records(source: Path, limit: int) -> Iterator[ArticleAnalysis]:
    """The records a build fed to ``source``, rebuilt from its rows (statement links give
    ``continues``), in file order."""
    db = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    ids = [row[0] for row in db.execute("SELECT id FROM articles ORDER BY order_key LIMIT ?", (limit,))]
    for article_id in ids:
        yield _record(db, article_id)


def _record(db: sqlite3.Connection, article_id: str) -> ArticleAnalysis:
    title, outlet, date, fingerprint, signature = db.execute(
        "SELECT title, outlet, date, fingerprint, signature FROM articles WHERE id = ?", (article_id,)
    ).fetchone()
    links = set(db.execute("SELECT low, high FROM statement_links WHERE article_id = ?", (article_id,)))
    quotes: list[QuoteKey] = []
    previous: int | None = None
    for start, end, text, speaker, variant, key in db.execute(
        "SELECT q.quote_start, q.quote_end, q.text, q.speaker, q.variant, v.key FROM quotes q "
        "LEFT JOIN variants v ON v.id = q.variant WHERE q.article_id = ? ORDER BY q.quote_start, q.quote_end",
        (article_id,),
    ):
        pair = (min(previous, variant), max(previous, variant)) if previous and variant else None
        quotes.append(QuoteKey(text, start, end, speaker, key or "", key_grams(key or ""), pair in links))
        previous = variant
    people = tuple(
        PersonKey(name, key, mentions, bool(quoted), kind, gender)
        for key, name, mentions, quoted, kind, gender in db.execute(
            "SELECT key, name, mentions, quoted, kind, gender FROM people WHERE article_id = ?", (article_id,)
        )
    )
    day = dt.date.fromisoformat(date[:10]) if date else None
    return ArticleAnalysis(article_id, title, outlet, day, fingerprint, tuple(quotes), people, signature)


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True)
    parser.add_argument("--articles", type=int, default=60_000)
    parser.add_argument("--chunk", type=int, default=10_000)
    parser.add_argument("--slice", type=int, default=2_000)
    args = parser.parse_args()
    records = stored_records(args.source, args.articles)
    with tempfile.TemporaryDirectory(prefix="commit-cost-") as scratch:
        analysis = CorpusAnalysis(Path(scratch) / "across.sqlite3")
        total = 0.0
        for number in itertools.count(1):
            chunk = list(itertools.islice(records, args.chunk))
            if not chunk:
                break
            cpu = time.process_time()
            wall = time.perf_counter()
            for at in range(0, len(chunk), args.slice):
                analysis.update(chunk[at : at + args.slice])
            del chunk  # the next chunk is read without this one beside it
            spent = time.process_time() - cpu
            total += spent
            print(
                f"chunk {number}: {spent:5.2f} s cpu {time.perf_counter() - wall:5.2f} s wall, "
                f"peak RSS {_peak_rss_mb():.0f} MB, load {os.getloadavg()[0]:.2f}",
                flush=True,
            )
        print(f"total {total:.1f} s cpu", flush=True)
        analysis.close()


if __name__ == "__main__":
    main()
