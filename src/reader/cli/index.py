"""``reader index [PATH] [--rebuild]``: build or update the search index of a folder."""

from __future__ import annotations

import argparse

from reader.cli.common import (
    EXIT_OK,
    EXIT_SKIPPED,
    add_corpus_argument,
    add_json_flag,
    corpus_path,
    print_json,
    warn,
)
from reader.cli.progress import corpus_progress
from reader.core.library import Library
from reader.core.text import visible_name


def configure(parser: argparse.ArgumentParser) -> None:
    add_corpus_argument(parser)
    parser.add_argument(
        "--rebuild", action="store_true", help="throw the index away and build it again from the files"
    )
    add_json_flag(parser)


def run(options: argparse.Namespace) -> int:
    root = corpus_path(options)
    with Library(root) as library, corpus_progress("Indexing", enabled=not options.json) as on_progress:
        report = library.sync(on_progress, rebuild=options.rebuild, on_wait=None if options.json else warn)
    skipped = [issue for issue in report.issues if issue.skipped]
    warnings = [issue for issue in report.issues if not issue.skipped]
    if options.json:
        print_json(
            {
                "path": str(root),
                "articles": report.articles,
                "added": report.added,
                "updated": report.updated,
                "removed": report.removed,
                "renamed": report.renamed,
                "unchanged": report.unchanged,
                "retagged": report.retagged,
                "skipped": [{"path": str(issue.path), "reason": issue.reason} for issue in skipped],
                "warnings": len(warnings),
                "messages": list(report.messages),
                "seconds": round(report.seconds, 3),
            }
        )
    else:
        for message in report.messages:
            warn(message)
        for issue in skipped:
            warn(f"skipped {visible_name(issue.path, 300)}: {issue.reason}")
        changes = ", ".join(
            f"{count:,} {label}"
            for count, label in (
                (report.added, "added"),
                (report.updated, "updated"),
                (report.renamed, "renamed"),
                (report.removed, "removed"),
                (report.retagged, "re-tagged"),
            )
            if count
        )
        print(
            f"{report.articles:,} articles indexed in {report.seconds:.1f} s"
            f" ({changes or 'no changes'}; {report.unchanged:,} unchanged)"
            f"{f', {len(skipped):,} skipped' if skipped else ''}"
        )
    return EXIT_SKIPPED if skipped else EXIT_OK
