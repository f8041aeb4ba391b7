"""The Textual app: owns the library and the settings, and shows the main screen."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING

from textual import work
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from reader.core.library import Library
from reader.core.text import visible
from reader.ui.commands import ReaderCommands
from reader.ui.screens.main import MainScreen
from reader.ui.settings import Settings, load_read_marks
from reader.ui.widgets.article_list import ArticleList
from reader.ui.widgets.people_panel import PeoplePanel
from reader.ui.widgets.quotes_panel import QuotesPanel
from reader.ui.widgets.reading_pane import ReadingPane
from reader.ui.widgets.search_bar import SearchBar

if TYPE_CHECKING:
    from reader.ui.screens.help import HelpSection


class ReaderApp(App[None]):
    """Read, search and tag the articles of one folder."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Keys", id="help"),
    ]

    def __init__(
        self,
        root: Path,
        *,
        steady: bool = False,
        bench_exit: str | None = None,
        bench_file: Path | None = None,
        bench_queries: list[str] | None = None,
    ) -> None:
        super().__init__()
        self.cursor_blink = not steady
        """False for screenshots and tests: a blinking cursor would make every capture differ."""
        if steady:
            self.animation_level = "none"
        self.library = Library(root)
        self.settings = Settings.load()
        self.read_ids = load_read_marks(self.library.root)
        self.sub_title = visible(self.library.root.name or str(self.library.root), 80)
        self._bench_exit = bench_exit
        self._bench_file = bench_file
        self._bench_queries = list(bench_queries or [])

    def get_default_screen(self) -> Screen:
        return MainScreen()

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

    # -- settings -------------------------------------------------------------------------------

    @property
    def last_article_id(self) -> str | None:
        return self.settings.last_article_in(self.library.root)

    def remember_article(self, article_id: str | None) -> None:
        self.settings.remember_article(self.library.root, article_id)
        self.save_settings()

    def set_sort(self, sort: str, *, searching: bool) -> None:
        if searching:
            self.settings.search_sort = sort
        else:
            self.settings.sort = sort
        self.save_settings()

    def _theme_changed(self, theme: Theme) -> None:
        self.settings.theme = theme.name
        self.save_settings()

    @work(thread=True, exclusive=True, group="settings")
    def save_settings(self) -> None:
        self.settings.save()

    # -- help -----------------------------------------------------------------------------------

    def help_sections(self) -> list[HelpSection]:
        # The views only some users open are imported here, not at start-up.
        from reader.ui.screens.people_view import PeopleView
        from reader.ui.screens.timeline_view import TimelineView

        palette = [Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette (every action)")]
        return [
            ("Anywhere", [*self.BINDINGS, *palette, *MainScreen.BINDINGS]),
            ("Article list", ArticleList.BINDINGS),
            ("Reading pane", ReadingPane.BINDINGS),
            ("Search bar", SearchBar.BINDINGS),
            ("Quotes", QuotesPanel.BINDINGS),
            ("People", PeoplePanel.BINDINGS),
            ("People across articles", PeopleView.BINDINGS),
            ("Timeline", TimelineView.BINDINGS),
        ]

    def action_help(self) -> None:
        from reader.ui.screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self.settings.keymap))

    # -- start-up timing (benchmarks) -------------------------------------------------------------

    def list_painted(self) -> None:
        """The list has its first rows; once they are on screen a benchmark may want to know."""
        if self._bench_exit == "paint":
            self._bench_exit = None  # once: the whole list follows the first screen
            self.call_after_refresh(self._report_to_benchmark)

    def sync_done(self) -> None:
        if self._bench_exit == "sync":
            self.call_after_refresh(self._report_to_benchmark)
        elif self._bench_exit == "search":
            self._search_next_for_benchmark()

    def hits_shown(self) -> None:
        if self._bench_exit == "search":
            self._search_next_for_benchmark()

    def _search_next_for_benchmark(self) -> None:
        """Type the benchmark's queries one after another into the search bar, then report."""
        if self._bench_queries:
            screen = self.screen_stack[0]
            assert isinstance(screen, MainScreen)
            screen.filter_by(self._bench_queries.pop(0))
        else:
            self.call_after_refresh(self._report_to_benchmark)

    def _report_to_benchmark(self) -> None:
        assert self._bench_file is not None
        self._bench_file.write_text(f"{time.time():.6f}\n", encoding="utf-8")
        self.exit()
