"""Search results before and after a change to the search code: the same, to the last bit?

    .venv/bin/python benchmarks/check_search_results.py --work W --size 10000 --save before.json
    .venv/bin/python benchmarks/check_search_results.py --work W --size 10000 --compare before.json

Runs the queries of ``bench_scale.py`` (``--queries`` of each kind, the same seed) on a kept
index of its work folder (``W/corpus-N``, ``W/state-N/reader-home``: use a copy, the library
opened there may write to its state) and records, per query, the top 20 ids in order with
their scores, the total and whether it is an estimate, and every snippet with its marks.
``--compare`` prints each query whose record differs and exits 1 if any does.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from synthetic import Corpus  # noqa: E402 - the generator bench_scale uses

TOP = 20
KINDS = ("term", "and", "phrase", "prefix", "fuzzy")


def records(root: Path, per_kind: int) -> dict[str, Any]:
    """Each query's results, as comparable JSON."""
    from reader.core.library import Library

    queries = Corpus().queries(per_kind)
    found: dict[str, Any] = {}
    with Library(root) as library:
        for kind in KINDS:
            for text in queries[kind]:
                result = library.search(text, limit=TOP)
                found[f"{kind}: {text}"] = {
                    "ids": [hit.id for hit in result.hits],
                    "scores": [repr(hit.score) for hit in result.hits],
                    "total": result.total,
                    "estimated": result.estimated,
                    "snippets": [[hit.snippet, [list(span) for span in hit.highlights]] for hit in result.hits],
                }
    return found


def differences(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    lines = []
    for query in sorted(before.keys() | after.keys()):
        old, new = before.get(query), after.get(query)
        if old == new:
            continue
        if old is None or new is None:
            lines.append(f"{query}: only {'after' if old is None else 'before'}")
            continue
        changed = [key for key in old if old[key] != new.get(key)]
        lines.append(f"{query}: {', '.join(changed)} differ")
        for key in changed:
            if key != "snippets":
                lines.append(f"    before {old[key]}\n    after  {new[key]}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--work", type=Path, required=True, help="bench_scale's work folder (a copy)")
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--queries", type=int, default=40, help="queries of each kind (bench_scale's default)")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--save", type=Path, help="write the records here")
    group.add_argument("--compare", type=Path, help="compare with records written before")
    options = parser.parse_args()
    os.environ["READER_HOME"] = str(options.work / f"state-{options.size}" / "reader-home")
    found = records(options.work / f"corpus-{options.size}", options.queries)
    if options.save:
        options.save.write_text(json.dumps(found, indent=1, ensure_ascii=False), encoding="utf-8")
        print(f"{len(found)} queries' results written to {options.save}")
        return 0
    lines = differences(json.loads(options.compare.read_text(encoding="utf-8")), found)
    print("\n".join(lines) if lines else f"all {len(found)} queries: the same ids, order, scores, totals and snippets")
    return 1 if lines else 0


if __name__ == "__main__":
    sys.exit(main())
