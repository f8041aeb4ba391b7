"""Dump what extraction and the cross-article record make of every article, to prove a change
leaves them identical.

    PYTHONPATH=/tmp/base/src .venv/bin/python benchmarks/dump_extract.py --out /tmp/before.jsonl
    .venv/bin/python benchmarks/dump_extract.py --out /tmp/after.jsonl
    .venv/bin/python benchmarks/dump_extract.py --compare /tmp/before.jsonl /tmp/after.jsonl

Without folders it reads the seeds and every ``benchmarks/extraction_gold*`` folder; pass the
10k corpus (or any folder) to add it. One JSON line per article: its path, the extraction
(quotes, people) and the record ``analysis_record`` makes of it, with sets sorted and bytes in
hex, so two runs compare line by line. ``--compare`` prints the differing paths and their count.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import time
from pathlib import Path
from typing import Any

from reader.core.cross_article import analysis_record
from reader.core.extraction import extract_article
from reader.core.loader import load_article
from reader.core.models import Article

HERE = Path(__file__).resolve().parent


def _plain(value: Any) -> Any:
    """``value`` as JSON-ready data whose text does not depend on set iteration order."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {field.name: _plain(getattr(value, field.name)) for field in dataclasses.fields(value)}
    if isinstance(value, (frozenset, set)):
        return sorted(_plain(item) for item in value)
    if isinstance(value, (tuple, list)):
        return [_plain(item) for item in value]
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    return str(value)


def _articles(folder: Path) -> list[Path]:
    return sorted(path for path in folder.rglob("*") if path.suffix in (".txt", ".md") and path.is_file())


def dump(folders: list[Path], out: Path) -> None:
    """Write one line per loadable article of ``folders`` to ``out``; print count and cpu."""
    count = 0
    cpu = 0.0
    with out.open("w", encoding="utf-8") as sink:
        for folder in folders:
            for path in _articles(folder):
                article = load_article(path, folder)
                if not isinstance(article, Article):
                    continue
                start = time.process_time()
                extraction = extract_article(article)
                record = analysis_record(article, extraction)
                cpu += time.process_time() - start
                line = {"path": str(path), "extraction": _plain(extraction), "record": _plain(record)}
                sink.write(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n")
                count += 1
    per_article = 1000 * cpu / max(count, 1)
    print(f"{count} articles dumped to {out}; extraction + record {cpu:.1f} s cpu ({per_article:.2f} ms/article)")


def compare(first: Path, second: Path) -> int:
    """Print the paths whose lines differ (or are missing on one side); return their count."""
    left = _by_path(first)
    right = _by_path(second)
    differing = sorted(path for path in left.keys() | right.keys() if left.get(path) != right.get(path))
    for path in differing[:20]:
        print(f"differs: {path}")
    print(f"{len(left)} vs {len(right)} articles; {len(differing)} differences")
    return len(differing)


def _by_path(dump_file: Path) -> dict[str, str]:
    with dump_file.open(encoding="utf-8") as source:
        return {json.loads(line)["path"]: line for line in source}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("folders", nargs="*", type=Path, help="more folders (the seeds and gold sets are always read)")
    parser.add_argument("--out", type=Path, help="the dump file to write")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    options = parser.parse_args()
    if options.compare:
        sys.exit(1 if compare(*options.compare) else 0)
    if options.out is None:
        parser.error("--out or --compare is needed")
    folders = [HERE.parent / "seeds", *sorted(HERE.glob("extraction_gold*")), *options.folders]
    dump(folders, options.out)


if __name__ == "__main__":
    main()
