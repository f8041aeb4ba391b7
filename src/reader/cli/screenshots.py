"""``reader screenshots [--output DIR]``: regenerate the SVG screenshots of the app's main states."""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.cli.common import EXIT_OK


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--output",
        type=Path,
        default=Path("screenshots"),
        metavar="DIR",
        help="folder for the SVG files (default: ./screenshots)",
    )


def run(options: argparse.Namespace) -> int:
    from reader.ui.launch import write_screenshots  # the app is imported only for this command

    for path in write_screenshots(options.output):
        print(path)
    return EXIT_OK
