"""``reader extract FILE... [--json]``: the quotes and people found in article files.

A folder among the arguments stands for every article file in it. With ``--json`` each article
is one JSON line: path, title, people (name, aliases, mentions, quoted) and quotes (text,
speaker, start, end; the offsets point into the article's text as the app shows it).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from reader.cli.common import EXIT_OK, EXIT_SKIPPED, add_json_flag, print_json, warn
from reader.core.extraction import Extraction, extract_article
from reader.core.loader import iter_article_files, load_article
from reader.core.models import Article, LoadIssue
from reader.core.text import visible, visible_name

QUOTE_PREVIEW_CHARS = 160


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("files", nargs="+", type=Path, metavar="FILE", help="article files or folders")
    add_json_flag(parser)


def _articles(paths: list[Path]) -> Iterator[Article | LoadIssue]:
    for path in paths:
        path = path.expanduser()
        if not path.exists():
            yield LoadIssue(path, "no such file or folder", True)
            continue
        root = path.resolve()
        for found in iter_article_files(root):
            yield found if isinstance(found, LoadIssue) else load_article(found, root)


def as_json(article: Article, found: Extraction) -> dict[str, Any]:
    """One article's extraction in the shape ``--json`` prints (and other tools may reuse)."""
    return {
        "path": str(article.path),
        "title": article.title,
        "people": [
            {"name": p.name, "aliases": list(p.aliases), "mentions": p.mentions, "quoted": p.quoted}
            for p in found.people
        ],
        "quotes": [
            {"text": q.text, "speaker": q.speaker, "start": q.start, "end": q.end} for q in found.quotes
        ],
    }


def _print_text(article: Article, found: Extraction) -> None:
    print(visible_name(article.path, limit=300))
    print(f"  {visible(article.title, limit=200)}")
    print(f"  people ({len(found.people)}):")
    for person in found.people:
        quoted = ", quoted" if person.quoted else ""
        others = [alias for alias in person.aliases if alias != person.name]
        also = f"  (also {visible(', '.join(others), limit=200)})" if others else ""
        mentions = f"{person.mentions} mention{'s' if person.mentions != 1 else ''}"
        print(f"    {visible(person.name, limit=80)}: {mentions}{quoted}{also}")
    print(f"  quotes ({len(found.quotes)}):")
    for quote in found.quotes:
        speaker = visible(quote.speaker, limit=80) if quote.speaker else "no speaker given"
        print(f"    “{visible(quote.text, limit=QUOTE_PREVIEW_CHARS)}” — {speaker}")


def run(options: argparse.Namespace) -> int:
    skipped = 0
    for item in _articles(options.files):
        if isinstance(item, LoadIssue):
            warn(str(item))
            skipped += 1
            continue
        found = extract_article(item)
        if options.json:
            print_json(as_json(item, found))
        else:
            _print_text(item, found)
    return EXIT_SKIPPED if skipped else EXIT_OK
