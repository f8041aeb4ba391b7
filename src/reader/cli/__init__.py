"""The ``reader`` command line: ``reader [PATH]`` opens the app, ``reader COMMAND ...`` runs one job.

Each command lives in its own module and is imported only when it runs, so opening the app does
not pay for Whoosh, and ``reader search`` does not pay for Textual.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from reader import __version__
from reader.cli.common import EXIT_USAGE, ReaderArgumentParser, add_corpus_argument, run_guarded

# name -> (module, one-line help). Order is the order of ``reader --help``.
COMMANDS: dict[str, tuple[str, str]] = {
    "index": ("reader.cli.index", "build or update the search index of a folder"),
    "check": ("reader.cli.check", "load a folder and report every file's title, date and problems"),
    "search": ("reader.cli.search", "search the articles (see the README for the query language)"),
    "extract": ("reader.cli.extract", "show the quotes and people found in article files"),
    "show": ("reader.cli.show", "print one article as text, Markdown (for notes) or JSON"),
    "tag": ("reader.cli.tag", "add, remove or list the tags of articles"),
    "tags": ("reader.cli.tags", "export or import all tags"),
    "highlight": ("reader.cli.annotate", "add, list or remove highlights and notes of articles"),
    "highlights": ("reader.cli.highlights", "export (Markdown or JSON) or import all highlights and notes"),
    "searches": ("reader.cli.searches", "list, add, remove or rename saved searches"),
    "quotes": ("reader.cli.quotes", "export every quote of the matching articles"),
    "people": ("reader.cli.people", "list the people across the articles"),
    "clusters": ("reader.cli.clusters", "list quotes found in several articles, and which copies changed the words"),
    "screenshots": ("reader.cli.screenshots", "regenerate the SVG screenshots of the app"),
}


def _app_parser() -> argparse.ArgumentParser:
    commands = "\n".join(f"  {name:<12} {text}" for name, (_, text) in COMMANDS.items())
    parser = ReaderArgumentParser(
        prog="reader",
        description="Read, search and tag a folder of news articles in the terminal.",
        epilog=f"commands (reader COMMAND --help for each):\n{commands}",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    add_corpus_argument(parser)
    parser.add_argument("--version", action="version", version=f"reader {__version__}")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status (0 ok, 1 some input skipped, 2 usage)."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args and args[0] in COMMANDS:
        module = importlib.import_module(COMMANDS[args[0]][0])
        parser = ReaderArgumentParser(prog=f"reader {args[0]}", description=COMMANDS[args[0]][1])
        module.configure(parser)
        options = parser.parse_args(args[1:])
        return run_guarded(module.run, options)
    options = _app_parser().parse_args(args)
    if not sys.stdout.isatty() and not os.environ.get("READER_FORCE_APP"):
        print("reader: the app needs a terminal; try 'reader --help' for commands", file=sys.stderr)
        return EXIT_USAGE
    from reader.ui.launch import run_app  # Textual is imported only to open the app

    return run_guarded(run_app, options)
