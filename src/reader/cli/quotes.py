"""``reader quotes [QUERY]``: a quote sheet (speaker, quote, outlet, date, file, cluster, wording) as CSV, JSON, MD."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.common import add_path_option
from reader.cli.selection import add_query_argument, matching_ids, open_analysis
from reader.core.cross_article.quote_sheet import SHEET_FORMATS
from reader.core.text import visible_name


def configure(parser: argparse.ArgumentParser) -> None:
    add_query_argument(parser, "quotes")
    add_path_option(parser)
    parser.add_argument(
        "--format", choices=tuple(SHEET_FORMATS), default="csv", help="output format (default: csv)"
    )
    parser.add_argument(
        "-o", "--output", type=Path, metavar="FILE", help="write to FILE instead of standard output"
    )


def run(options: argparse.Namespace) -> int:
    library, analysis, status = open_analysis(options, quiet=False)  # the bar goes to stderr
    quotes = analysis.quotes(matching_ids(library, options.query))
    sheet = SHEET_FORMATS[options.format](quotes)
    if options.output is None:
        sys.stdout.write(sheet)
    else:
        with open(options.output, "w", encoding="utf-8", newline="") as handle:
            handle.write(sheet)
        print(f"{len(quotes)} quotes written to {visible_name(options.output)}", file=sys.stderr)
    return status
