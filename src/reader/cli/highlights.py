"""``reader highlights export|import``: every highlight and note as Markdown or JSON, and back."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from reader.cli.common import EXIT_OK, EXIT_SKIPPED, UsageError, add_json_flag, print_json, warn
from reader.cli.progress import corpus_progress
from reader.core.files import write_atomically
from reader.core.loader import load_corpus
from reader.core.tags import AnnotatedArticle, ExchangeError, TagStore, TagStoreError
from reader.core.tags.annotation_exchange import EXPORT_FORMATS, dump, import_text
from reader.core.text import visible_name

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # far above any real export; stops a wrong file early

EXAMPLES = """examples:
  reader highlights export > notes.md                 Markdown, grouped by article
  reader highlights export --path ~/news -o notes.md   only the articles of that folder
  reader highlights export -o highlights.json          a backup (JSON because of the name)
  reader highlights import highlights.json             merge it back, here or elsewhere

The Markdown export gives each article's title, file, date and outlet, its note,
then each highlight as a block quote followed by its note. The JSON export keeps
everything (ids, dates, the W3C text-quote and position selectors) and is what
'reader highlights import' reads."""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write every highlight and note as Markdown or JSON",
        description="Write the highlights and notes of every article (or of the articles of one "
        "folder) as Markdown to read or paste, or as JSON to import again.",
    )
    export.add_argument(
        "--path", metavar="PATH", default=None, help="only the articles of this folder (default: every article)"
    )
    export.add_argument(
        "--format", choices=EXPORT_FORMATS, default=None, help="default: json when FILE ends in .json, else md"
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    importing = actions.add_parser(
        "import",
        help="merge highlights and notes from a JSON export",
        description="Merge a JSON export into your highlights and notes. Entries that cannot be "
        "used are listed with the reason, and the exit status is then 1.",
    )
    importing.add_argument("file", metavar="FILE", help="a JSON export, or - for stdin")
    add_json_flag(importing)


def run(options: argparse.Namespace) -> int:
    try:
        if options.action == "export":
            return _export(options)
        return _import(options)
    except (TagStoreError, ExchangeError) as error:
        warn(f"error: {error}")
        return EXIT_SKIPPED


def _export(options: argparse.Namespace) -> int:
    export_format = options.format or (
        "json" if options.output and options.output.lower().endswith(".json") else "md"
    )
    with TagStore() as store:
        if options.path is not None:
            folder = _folder(options.path)
            with corpus_progress("Loading") as on_progress:
                corpus = load_corpus(folder, on_progress=on_progress)
            store.annotations.annotations_for_many(corpus.articles)  # records where renamed files are now
            articles = [item for item in store.annotations.export_articles() if _inside(item, folder)]
        else:
            articles = store.annotations.export_articles()
    text = dump(articles, export_format)
    if options.output is None:
        sys.stdout.write(text)
    else:
        write_atomically(Path(options.output).expanduser(), text)
        count = sum(len(item.highlights) for item in articles)
        warn(f"exported {count} highlights of {len(articles)} articles to {options.output}")
    return EXIT_OK


def _folder(text: str) -> Path:
    path = Path(text).expanduser()
    if not path.is_dir():
        raise UsageError(f"no such folder: {text}")
    return path.resolve()


def _inside(item: AnnotatedArticle, folder: Path) -> bool:
    return bool(item.path) and Path(item.path).is_relative_to(folder)


def _read_import(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    else:
        with open(Path(name).expanduser(), "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ExchangeError(f"{name} is over {MAX_IMPORT_BYTES // 1_048_576} MB; not a highlights export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(f"{name} is not UTF-8 text (byte {error.start})") from error


def _import(options: argparse.Namespace) -> int:
    text = _read_import(options.file)
    with TagStore() as store:
        report = import_text(store.annotations, text)
    if options.json:
        print_json(
            {
                "added": report.added,
                "unchanged": report.unchanged,
                "skipped": [{"where": row.where, "reason": row.reason} for row in report.skipped],
            }
        )
    else:
        print(
            f"imported {visible_name(options.file)}: {report.added} highlights and notes added, "
            f"{report.unchanged} already there, {len(report.skipped)} entries skipped"
        )
    for row in report.skipped:
        warn(f"skipped {row}")
    return EXIT_SKIPPED if report.skipped else EXIT_OK
