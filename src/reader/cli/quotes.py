"""``reader quotes [QUERY]``: a quote sheet (speaker, quote, outlet, date, file, cluster) in CSV, JSON or MD.

Also home of what the three cross-article commands share: opening the corpus analysis through
the library, and narrowing it to the articles a query matches.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from reader.cli.common import EXIT_OK, EXIT_SKIPPED, UsageError, add_path_option, corpus_path, warn
from reader.cli.progress import corpus_progress
from reader.core.across import CorpusAnalysis, QuoteOccurrence
from reader.core.csv_safety import write_csv
from reader.core.library import Library, QueryError
from reader.core.text import visible, visible_name

FIELDS = (
    "speaker", "quote", "outlet", "date", "file", "title", "cluster", "cluster_articles", "start", "end"
)


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


def configure(parser: argparse.ArgumentParser) -> None:
    add_query_argument(parser, "quotes")
    add_path_option(parser)
    parser.add_argument(
        "--format", choices=("csv", "json", "md"), default="csv", help="output format (default: csv)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


def run(options: argparse.Namespace) -> int:
    library, analysis, status = open_analysis(options, quiet=False)  # the bar goes to stderr
    quotes = analysis.quotes(matching_ids(library, options.query))
    sheet = {"csv": as_csv, "json": as_json, "md": as_markdown}[options.format](quotes)
    if options.output is None:
        sys.stdout.write(sheet)
    else:
        with open(options.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(sheet)
        print(f"{len(quotes)} quotes written to {visible_name(options.output)}", file=sys.stderr)
    return status


def _row(quote: QuoteOccurrence) -> dict[str, str | int | None]:
    return {
        "speaker": quote.speaker,
        "quote": quote.text,
        "outlet": quote.outlet,
        "date": quote.date.isoformat() if quote.date is not None else None,
        "file": quote.article_id,
        "title": quote.title,
        "cluster": quote.cluster_id,
        "cluster_articles": quote.cluster_articles,
        "start": quote.start,
        "end": quote.end,
    }


def as_csv(quotes: list[QuoteOccurrence]) -> str:
    """RFC 4180 CSV with a header row; empty cells for missing values, no cell a live formula."""
    return write_csv(FIELDS, (list(_row(quote).values()) for quote in quotes))


def as_json(quotes: list[QuoteOccurrence]) -> str:
    """One JSON array of objects, one per quote."""
    return json.dumps([_row(quote) for quote in quotes], ensure_ascii=False, indent=1) + "\n"


def _cell(value: object) -> str:
    if value is None:
        return ""
    return visible(value, limit=None).replace("\\", "\\\\").replace("|", "\\|")


def as_markdown(quotes: list[QuoteOccurrence]) -> str:
    """A Markdown table: one line per quote, pipes escaped, line breaks flattened."""
    lines = ["| " + " | ".join(FIELDS) + " |", "|" + "---|" * len(FIELDS)]
    lines.extend("| " + " | ".join(_cell(value) for value in _row(quote).values()) + " |" for quote in quotes)
    return "\n".join(lines) + "\n"
