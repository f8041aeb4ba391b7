"""``reader tags export|import``: every tag in one JSON or CSV file, and back, merging."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from reader.cli.common import EXIT_OK, EXIT_SKIPPED, add_json_flag, add_path_option, corpus_path, print_json, warn
from reader.core.files import write_atomically
from reader.core.loader import load_article
from reader.core.models import Article
from reader.core.tags import (
    EXPORT_FORMATS,
    ExchangeError,
    TagRef,
    TagStore,
    TagStoreError,
    dump_rows,
    import_text,
)
from reader.core.text import visible, visible_name

MAX_IMPORT_BYTES = 200 * 1024 * 1024  # far above any real export; stops a wrong file early


EXAMPLES = """examples:
  reader tags export -o tags.csv       a backup (CSV because of the name)
  reader tags import tags.csv          merge it back, here or on another machine
  reader tags import mine.csv --path ~/news
                                       a CSV written by hand: path,tag rows (or path,tags
                                       with tags separated by ;), paths under ~/news"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.epilog = EXAMPLES
    parser.formatter_class = argparse.RawDescriptionHelpFormatter
    actions = parser.add_subparsers(dest="action", metavar="ACTION", required=True)
    export = actions.add_parser(
        "export",
        help="write every tag to JSON or CSV",
        description="Write every tag of every article, with the fingerprint and last path that "
        "find the article again (also on another machine, or after the folder moved).",
    )
    export.add_argument(
        "--format",
        choices=EXPORT_FORMATS,
        default=None,
        help="default: csv when FILE ends in .csv, else json",
    )
    export.add_argument("-o", "--output", metavar="FILE", help="write to FILE instead of stdout")
    importing = actions.add_parser(
        "import",
        help="merge tags from an export (JSON or CSV)",
        description="Merge the tags of a JSON or CSV export into the store, or of a CSV written "
        "by hand: path,tag rows, or path,tags with tags separated by ';' (the header line is "
        "optional), their paths relative to --path. Rows that cannot be used are listed with "
        "the reason, and the exit status is then 1.",
    )
    importing.add_argument("file", metavar="FILE", help="an export or a path,tag CSV, or - for stdin")
    add_path_option(importing)
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
        "csv" if options.output and options.output.lower().endswith(".csv") else "json"
    )
    with TagStore() as store:
        rows = store.export_rows()
    text = dump_rows(rows, export_format)
    if options.output is None:
        sys.stdout.write(text)
    else:
        write_atomically(Path(options.output).expanduser(), text)
        warn(f"exported {len(rows)} tags to {options.output}")
    return EXIT_OK


def _read_import(name: str) -> str:
    if name == "-":
        data = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1)
    else:
        with open(Path(name).expanduser(), "rb") as handle:
            data = handle.read(MAX_IMPORT_BYTES + 1)
    if len(data) > MAX_IMPORT_BYTES:
        raise ExchangeError(f"{name} is over {MAX_IMPORT_BYTES // 1_048_576} MB; not a tag export")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ExchangeError(f"{name} is not UTF-8 text (byte {error.start})") from error


def _resolver(root: Path) -> Callable[[str], TagRef | str]:
    """Place a path of a hand-written CSV: relative to the folder (or as given, when absolute)."""
    folder = root if root.is_dir() else root.parent

    def resolve(written: str) -> TagRef | str:
        path = Path(written).expanduser()
        path = path if path.is_absolute() else folder / path
        shown = visible(written, 200)
        if not path.exists():
            return f"no file {shown!r} in {visible_name(folder, 200)}"
        if path.is_dir():
            return f"{shown} is a folder, not an article file"
        loaded = load_article(path.resolve(), folder)
        return loaded if isinstance(loaded, Article) else f"{shown}: {loaded.reason}"

    return resolve


def _import(options: argparse.Namespace) -> int:
    text = _read_import(options.file)
    with TagStore() as store:
        report = import_text(store, text, _resolver(corpus_path(options)))
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
            f"imported {visible_name(options.file)}: {report.added} tags added, "
            f"{report.unchanged} already there, {len(report.skipped)} rows skipped"
        )
    for row in report.skipped:
        warn(f"skipped {row}")
    return EXIT_SKIPPED if report.skipped else EXIT_OK
