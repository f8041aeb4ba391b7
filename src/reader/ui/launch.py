"""Open the app: the one function the command line calls (``reader [PATH]``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from reader.core.paths import bundled_seeds

FIRST_PAINT_ENV = "READER_FIRST_PAINT_FILE"
"""Benchmarks set this to a file path: the app writes the time of its first painted list there and exits."""


def run_app(options: argparse.Namespace) -> int:
    from reader.ui.app import ReaderApp

    root: Path = options.path or bundled_seeds()
    first_paint = os.environ.get(FIRST_PAINT_ENV)
    app = ReaderApp(root, first_paint_file=Path(first_paint) if first_paint else None)
    app.run()
    return app.return_code or 0
