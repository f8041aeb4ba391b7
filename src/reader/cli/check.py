"""``reader check [PATH]``: load a folder and report each file and every problem met."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    add_corpus_argument,
    add_json_flag,
    corpus_path,
    print_json,
)
from reader.cli.progress import corpus_progress
from reader.core.dates import date_source_label
from reader.core.loader import load_corpus
from reader.core.models import Corpus
from reader.core.text import visible, visible_name

HIDDEN_NAMED = 20  # hidden entries named in the text report; --json lists them all


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
                    "date_source": article.date_source,
                    "outlet": article.outlet,
                    "author": article.author,
                    "url": article.url,
                    "tags": list(article.tags),
                    "truncated": article.truncated,
                    "encoding": article.encoding,
                    "warnings": list(article.warnings),
                }
            )
        for issue in corpus.skipped:
            print_json({"path": str(issue.path), "status": "skipped", "reason": issue.reason})
        for path in corpus.hidden:
            print_json({"path": str(path), "status": "hidden", "reason": "hidden; not read"})
    else:
        for article in corpus.articles:
            derived = " (derived)" if article.title_derived else ""
            print(visible_name(article.id, limit=200))
            print(f"  title:  {visible(article.title)}{derived}")
            source = date_source_label(article.date_source)
            print(f"  date:   {visible(article.date_label) or '-'}{f' ({source})' if source else ''}")
            print(f"  outlet: {visible(article.outlet or '-')}")
            if article.author:
                print(f"  author: {visible(article.author)}")
            if article.encoding != "utf-8":
                print(f"  encoding: {article.encoding}")
            for warning in article.warnings:
                print(f"  warning: {visible(warning)}")
        for issue in corpus.skipped:
            print(visible_name(issue.path, limit=300))
            print(f"  skipped: {visible(issue.reason)}")
        if corpus.hidden:
            print(_hidden_line(corpus))
        print(
            f"{len(corpus.articles)} loaded, {len(corpus.skipped)} skipped, "
            f"{sum(len(a.warnings) for a in corpus.articles)} warnings"
        )
    return EXIT_SKIPPED if corpus.skipped else EXIT_OK


def _hidden_line(corpus: Corpus) -> str:
    """``3 hidden files and folders not read: .git/, .notes.md, …``, relative to the folder."""
    folders = sum(path.is_dir() for path in corpus.hidden)
    files = len(corpus.hidden) - folders
    plural = "s" if len(corpus.hidden) > 1 else ""
    kinds = "files and folders" if files and folders else f"file{plural}" if files else f"folder{plural}"
    names = [_relative(path, corpus.root) + ("/" if path.is_dir() else "") for path in corpus.hidden[:HIDDEN_NAMED]]
    left = len(corpus.hidden) - HIDDEN_NAMED
    more = f", and {left} more (--json lists all)" if left > 0 else ""
    return f"{len(corpus.hidden)} hidden {kinds} not read: {', '.join(names)}{more}"


def _relative(path: Path, root: Path) -> str:
    try:
        return visible_name(path.relative_to(root).as_posix(), limit=200)
    except ValueError:
        return visible_name(path, limit=200)
