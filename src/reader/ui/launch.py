"""Open the app: the one function the command line calls (``reader [PATH]``)."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from reader.core.paths import bundled_seeds

BENCH_EXIT_ENV = "READER_BENCH_EXIT"
"""For benchmarks: "paint" exits once the list is first on screen, "sync" once the first sync
is done, "search" once the queries in ``READER_BENCH_QUERIES`` (one a line) have been searched
one after another from the search bar; the wall-clock time of that moment is written to the
file in ``READER_BENCH_FILE``."""
BENCH_FILE_ENV = "READER_BENCH_FILE"
BENCH_QUERIES_ENV = "READER_BENCH_QUERIES"


def run_app(options: argparse.Namespace) -> int:
    from reader.ui.app import ReaderApp

    root: Path = options.path or bundled_seeds()
    bench_exit = os.environ.get(BENCH_EXIT_ENV) if os.environ.get(BENCH_FILE_ENV) else None
    bench_file = Path(os.environ[BENCH_FILE_ENV]) if bench_exit else None
    queries = os.environ.get(BENCH_QUERIES_ENV, "").splitlines() if bench_exit == "search" else []
    app = ReaderApp(root, bench_exit=bench_exit, bench_file=bench_file, bench_queries=queries)
    app.run()
    return app.return_code or 0
