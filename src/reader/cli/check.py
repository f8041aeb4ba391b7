"""``reader check [PATH]``: load a folder and report each file and every problem met."""

from __future__ import annotations

import argparse

from reader.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    add_corpus_argument,
    add_json_flag,
    corpus_path,
    print_json,
)
from reader.cli.progress import corpus_progress
from reader.core.loader import load_corpus
from reader.core.text import visible


def configure(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    add_json_flag(parser)


def run(options: argparse.Namespace) -> int:
    root = corpus_path(options)
    with corpus_progress("Loading", enabled=not options.json) as on_progress:
        corpus = load_corpus(root, on_progress=on_progress)
    warnings_by_path: dict[str, list[str]] = {}
    for issue in corpus.issues:
        warnings_by_path.setdefault(str(issue.path), []).append(issue.reason)
    if options.json:
        for article in corpus.articles:
            print_json(
                {
                    "id": article.id,
                    "path": str(article.path),
                    "status": "loaded",
                    "title": article.title,
                    "title_derived": article.title_derived,
                    "date": article.date.isoformat() if article.date else article.date_text,
                    "outlet": article.outlet,
                    "author": article.author,
                    "url": article.url,
                    "tags": list(article.tags),
                    "truncated": article.truncated,
                    "warnings": list(article.warnings),
                }
            )
        for issue in corpus.skipped:
            print_json({"path": str(issue.path), "status": "skipped", "reason": issue.reason})
    else:
        for article in corpus.articles:
            derived = " (derived)" if article.title_derived else ""
            print(visible(f"{article.id}", limit=200))
            print(f"  title:  {visible(article.title)}{derived}")
            print(f"  date:   {visible(article.date_label) or '-'}")
            print(f"  outlet: {visible(article.outlet or '-')}")
            if article.author:
                print(f"  author: {visible(article.author)}")
            for warning in article.warnings:
                print(f"  warning: {visible(warning)}")
        for issue in corpus.skipped:
            print(visible(str(issue.path), limit=300))
            print(f"  skipped: {visible(issue.reason)}")
        print(
            f"{len(corpus.articles)} loaded, {len(corpus.skipped)} skipped, "
            f"{sum(len(a.warnings) for a in corpus.articles)} warnings"
        )
    return EXIT_SKIPPED if corpus.skipped else EXIT_OK
