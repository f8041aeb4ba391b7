"""The app's entry points for the command line: the only part of ``reader.ui`` the CLI imports.

``reader [PATH]`` opens the app, ``reader screenshots`` writes its screenshots. Textual is
imported only when one of them runs.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from reader.core.paths import bundled_seeds


def run_app(options: argparse.Namespace) -> int:
    from reader.ui.app import ReaderApp

    root: Path = options.path or bundled_seeds()
    app = ReaderApp(root)
    app.run()
    return app.return_code or 0


def write_screenshots(output: Path) -> list[Path]:
    """The SVG screenshots of the app's main states, written to ``output``."""
    from reader.ui.screenshot_scenes import write_screenshots as write

    return write(output)
