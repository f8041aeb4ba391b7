"""What keeping extractions by text costs on a first build and saves on a rebuild.

    .venv/bin/python benchmarks/bench_extraction_cache.py /work/bench-data/corpus-10000 --files 2000

The articles are loaded once; then, in one process and one sitting, CPU milliseconds per article
for: extraction alone (the baseline), what a first build adds to it (each text's key, its entry
encoded and written in batches; an empty cache is never searched), and a rebuild through the
filled cache (every extraction read back), with the cache's size on disk per article and the
load average before and after.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from reader.core.extraction import extract_article
from reader.core.extraction.cache import ExtractionCache
from reader.core.loader import load_article
from reader.core.models import Article


def _articles(folder: Path, limit: int) -> list[Article]:
    paths = sorted(path for path in folder.rglob("*") if path.suffix in (".txt", ".md"))[:limit]
    loaded = (load_article(path, folder) for path in paths)
    return [article for article in loaded if isinstance(article, Article)]


def _per_article(articles: list[Article], work: Callable[[Article], object]) -> float:
    start = time.process_time()
    for article in articles:
        work(article)
    return 1000 * (time.process_time() - start) / len(articles)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folder", type=Path)
    parser.add_argument("--files", type=int, default=2000)
    options = parser.parse_args()
    articles = _articles(options.folder, options.files)
    load_before = os.getloadavg()[0]
    _per_article(articles[:50], extract_article)  # warm the lexicons
    plain = _per_article(articles, extract_article)
    found = {article.id: extract_article(article) for article in articles}
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "extractions.sqlite3"
        first = ExtractionCache(path)
        writing = _per_article(articles, lambda a: first.put(a.text, a.fingerprint, found[a.id]))
        writing += _flush_time(first, len(articles))
        second = ExtractionCache(path)
        reading = _per_article(articles, second.extract)
        second.close()
        size = sum(p.stat().st_size for p in Path(folder).iterdir()) / len(articles)
    print(f"{len(articles):,} articles of {options.folder}; load {load_before:.1f} -> {os.getloadavg()[0]:.1f}")
    print(f"  extraction alone (the baseline)               {plain:7.3f} ms cpu/article")
    print(f"  first build: what the cache adds (key, write) {writing:7.3f} ms cpu/article ({writing / plain:.1%})")
    print(f"  rebuild: extraction read back from the cache  {reading:7.3f} ms cpu/article ({reading / plain:.3f}x)")
    print(f"  cache on disk                                 {size / 1024:7.2f} KB/article")


def _flush_time(cache: ExtractionCache, count: int) -> float:
    start = time.process_time()
    cache.close()
    return 1000 * (time.process_time() - start) / count


if __name__ == "__main__":
    main()
