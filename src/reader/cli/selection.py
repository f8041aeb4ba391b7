"""What the cross-article commands (``quotes``, ``people``, ``clusters``) share: the synced
library of ``--path``, its analysis, and the articles a query narrows them to."""

from __future__ import annotations

import argparse

from reader.cli.common import EXIT_OK, EXIT_SKIPPED, UsageError, corpus_path, warn
from reader.cli.progress import corpus_progress
from reader.core.cross_article import CorpusAnalysis
from reader.core.library import Library, QueryError


def add_query_argument(parser: argparse.ArgumentParser, what: str) -> None:
    parser.add_argument(
        "query",
        nargs="?",
        metavar="QUERY",
        help=f"search query choosing the articles whose {what} to list (reader search syntax); default: all",
    )


def open_analysis(options: argparse.Namespace, quiet: bool) -> tuple[Library, CorpusAnalysis, int]:
    """Sync the library of ``--path`` and return it, its analysis, and the exit status so far."""
    library = Library(corpus_path(options))
    with corpus_progress("Indexing", enabled=not quiet) as on_progress:
        report = library.sync(on_progress=on_progress)
    for message in report.messages:
        warn(message)
    skipped = [issue for issue in report.issues if issue.skipped]
    if skipped:
        warn(f"{len(skipped)} file(s) skipped; 'reader check' says why")
    return library, library.analysis, EXIT_SKIPPED if skipped else EXIT_OK


def matching_ids(library: Library, query: str | None) -> list[str] | None:
    """The ids of the articles a query matches, or None (every article) without a query."""
    if query is None:
        return None
    try:
        result = library.search(query, limit=None)
    except QueryError as error:
        raise UsageError(str(error)) from None
    return [hit.id for hit in result.hits]
