"""The app as ``bench_app.py`` runs it: the real ``ReaderApp``, watched through its messages.

    python benchmarks/bench_app_harness.py MOMENT REPORT_FILE CORPUS [QUERY ...]

The main screen's messages bubble up to the app once the screen has handled them; this harness
is the app with a few more handlers, so the program itself carries no benchmark hooks. At
MOMENT it writes the wall-clock time to REPORT_FILE and exits:
- ``paint``: the list's first rows are on screen;
- ``sync``: the start-up sync is done;
- ``search``: after the sync, each QUERY has been searched from the search bar in turn and its
  hits are in the list.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import reader.ui.app
from reader.ui.app import ReaderApp
from reader.ui.main_screen import MainScreen
from reader.ui.messages import FirstScreenLoaded, SearchFinished, SummariesLoaded, SyncFinished

MOMENTS = ("paint", "sync", "search")


class WatchedApp(ReaderApp):
    CSS_PATH = str(Path(reader.ui.app.__file__).with_name("app.tcss"))  # a relative path would be read here

    def __init__(self, root: Path, moment: str, report: Path, queries: list[str]) -> None:
        super().__init__(root)
        self.moment = moment
        self.report = report
        self.queries = list(queries)

    @property
    def main_screen(self) -> MainScreen:
        screen = self.screen_stack[0]
        assert isinstance(screen, MainScreen)
        return screen

    def on_first_screen_loaded(self, message: FirstScreenLoaded) -> None:
        if self.moment == "paint" and message.rows:
            self._report_after_refresh()

    def on_summaries_loaded(self, message: SummariesLoaded) -> None:
        if self.moment == "paint" and message.summaries:  # no first screen: the whole list paints first
            self._report_after_refresh()

    def on_sync_finished(self, _: SyncFinished) -> None:
        if self.moment == "sync":
            self._report_after_refresh()
        elif self.moment == "search":
            self._search_next()

    def on_search_finished(self, message: SearchFinished) -> None:
        screen = self.main_screen
        shown = screen.result is message.result  # not a stale search the screen passed over
        if self.moment == "search" and shown:
            self._search_next()

    def _search_next(self) -> None:
        if self.queries:
            self.main_screen.filter_by(self.queries.pop(0))
        else:
            self._report_after_refresh()

    def _report_after_refresh(self) -> None:
        self.moment = ""  # once
        self.call_after_refresh(self._report)

    def _report(self) -> None:
        self.report.write_text(f"{time.time():.6f}\n", encoding="utf-8")
        self.exit()


def main() -> int:
    moment, report, root, *queries = sys.argv[1:]
    if moment not in MOMENTS:
        raise SystemExit(f"MOMENT must be one of {', '.join(MOMENTS)}")
    app = WatchedApp(Path(root), moment, Path(report), queries)
    app.run()
    return app.return_code or 0


if __name__ == "__main__":
    sys.exit(main())
