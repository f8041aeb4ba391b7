"""``reader show PATH [--format text|md|json]``: one article as the reading pane presents it.

``text`` is what the pane shows (wrapped to the terminal, page furniture folded to one line);
``md`` is the article for someone's notes: a front-matter block (title, date, outlet, url,
tags), the body, then the quotes with their speakers; ``json`` is everything, for scripts.
"""

from __future__ import annotations

import argparse
import os
import shutil
import sys
from pathlib import Path

from reader.cli.common import EXIT_OK, EXIT_SKIPPED, UsageError, print_json, warn
from reader.core.loader import load_article
from reader.core.models import Article, LoadIssue
from reader.core.presentation import MAX_TEXT_WIDTH, as_json, as_markdown, as_text

FORMATS = ("text", "md", "json")

EXAMPLES = """examples:
  reader show article.txt                  read it in the terminal
  reader show article.txt --format md > note.md
  reader show article.txt --format json | jq .quotes"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    parser.add_argument("file", metavar="PATH", help="an article file")
    parser.add_argument("--format", choices=FORMATS, default="text", help="default: text")
    parser.add_argument(
        "--width",
        type=int,
        default=None,
        metavar="N",
        help=f"wrap text at N columns (default: the terminal's, at most {MAX_TEXT_WIDTH}; 0 or piped: no wrapping)",
    )


def _article(name: str) -> Article | LoadIssue:
    path = Path(name).expanduser()
    if not path.exists():
        raise UsageError(f"no such file: {name}")
    if path.is_dir():
        raise UsageError(f"{name} is a folder; give one article file")
    path = path.resolve()
    return load_article(path, path.parent)


def _user_tags(article: Article) -> tuple[str, ...]:
    """The user's tags of the article; none (with a warning) when the tag store cannot be read."""
    from reader.core.tags import TagStore, TagStoreError

    try:
        with TagStore() as store:
            return tuple(store.tags_for(article))
    except TagStoreError as error:
        warn(f"your tags are not shown: {error}")
        return ()


def _width(requested: int | None) -> int:
    if requested is not None:
        if requested < 0:
            raise UsageError("--width must be 0 or more")
        return requested
    if not sys.stdout.isatty():
        return 0
    return min(shutil.get_terminal_size().columns, MAX_TEXT_WIDTH)


def run(options: argparse.Namespace) -> int:
    width = _width(options.width)
    article = _article(options.file)
    if isinstance(article, LoadIssue):
        warn(f"error: {article}")
        return EXIT_SKIPPED
    tags = _user_tags(article)
    if options.format == "text":
        styled = sys.stdout.isatty() and not os.environ.get("NO_COLOR")
        sys.stdout.write(as_text(article, user_tags=tags, width=width, styled=styled))
        return EXIT_OK
    from reader.core.extraction import extract_article

    extraction = extract_article(article)
    if options.format == "md":
        sys.stdout.write(as_markdown(article, extraction, user_tags=tags))
    else:
        print_json(as_json(article, extraction, user_tags=tags))
    return EXIT_OK
