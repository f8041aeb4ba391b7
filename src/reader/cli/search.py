"""``reader search QUERY [--path PATH] [--limit N] [--json]``: search the articles of a folder.

The index is brought up to date first (only changed files are read). A query the parser cannot
take prints its one-line reason and exits 0: a search with no answer is not a failure.
"""

from __future__ import annotations

import argparse

from reader.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    UsageError,
    add_json_flag,
    add_path_option,
    corpus_path,
    print_json,
    warn,
)
from reader.cli.progress import corpus_progress
from reader.core.library import IndexReadError, Library, QueryError, SearchResult
from reader.core.ordering import SEARCH_SORTS
from reader.core.text import visible, visible_name


def _positive(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value}") from None
    if number < 1:
        raise argparse.ArgumentTypeError("must be at least 1")
    return number


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "query",
        metavar="QUERY",
        help='words (all must match), "a phrase", OR, NOT, (groups), pref*, fuzzy~, '
        "title:, person:, quoted:, quote:, outlet:, author:, tag:, date:2020-09",
    )
    add_path_option(parser)
    parser.add_argument("--limit", type=_positive, default=20, metavar="N", help="show at most N hits (default 20)")
    parser.add_argument(
        "--sort", choices=SEARCH_SORTS, default="relevance", help="order of the hits (default relevance)"
    )
    add_json_flag(parser)


def run(options: argparse.Namespace) -> int:
    root = corpus_path(options)
    with Library(root) as library:
        with corpus_progress("Indexing", enabled=not options.json) as on_progress:
            report = library.sync(on_progress, on_wait=None if options.json else warn)
        for message in report.messages:
            warn(message)
        try:
            result = _search(library, options)
        except IndexReadError as error:  # checked and noted: the sync that follows repairs it
            warn(str(error))
            for message in library.sync(on_wait=None if options.json else warn).messages:
                warn(message)
            try:
                result = _search(library, options)
            except IndexReadError as again:
                warn(f"error: {again}")
                return EXIT_SKIPPED
        if options.json:
            for hit in result.hits:
                print_json(
                    {
                        "id": hit.id,
                        "path": str(hit.path),
                        "title": hit.title,
                        "date": hit.date.isoformat() if hit.date is not None else None,
                        "score": round(hit.score, 4),
                        "snippet": hit.snippet,
                        "highlights": [list(span) for span in hit.highlights],
                        "tags": list(hit.tags),
                    }
                )
        else:
            _print_hits(result)
    return EXIT_SKIPPED if any(issue.skipped for issue in report.issues) and not result.hits else EXIT_OK


def _search(library: Library, options: argparse.Namespace) -> SearchResult:
    """The search; a query it cannot take is a usage error, like elsewhere (not an index that
    cannot be read: that is the caller's to repair)."""
    try:
        return library.search(options.query, limit=options.limit, sort=options.sort)
    except IndexReadError:
        raise
    except (QueryError, ValueError) as error:
        raise UsageError(str(error)) from error


def _print_hits(result: SearchResult) -> None:
    for number, hit in enumerate(result.hits, start=1):
        meta = " · ".join(part for part in (hit.date_label, " ".join(f"#{t}" for t in hit.tags)) if part)
        print(f"{number:>3}. {visible(hit.title, 200)}" + (f"  ({visible(meta, 120)})" if meta else ""))
        print(f"     {visible_name(hit.id, 300)}")
        if hit.snippet:
            print(f"     {visible(_bracketed(hit.snippet, hit.highlights), 400)}")
    shown = len(result.hits)
    more = f" (showing {shown:,})" if result.total > shown else ""
    cut = "; stopped at the time limit, results may be incomplete" if result.partial else ""
    about = "about " if result.estimated else ""
    print(f"{about}{result.total:,} matching article{'s' if result.total != 1 else ''}{more}{cut}")


def _bracketed(snippet: str, spans: tuple[tuple[int, int], ...]) -> str:
    """Matches shown as [word] in plain output: no colour codes, readable when piped."""
    pieces: list[str] = []
    last = 0
    for start, end in spans:
        pieces.extend((snippet[last:start], "[", snippet[start:end], "]"))
        last = end
    pieces.append(snippet[last:])
    return "".join(pieces)
