"""The Textual app: owns the library and the settings, and shows the main screen."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from textual import events, on, work
from textual.app import App
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.theme import Theme

from reader.core.library import Library
from reader.core.paths import screenshot_dir
from reader.core.text import visible
from reader.ui.listing.article_list import ArticleList
from reader.ui.main_screen import MainScreen
from reader.ui.palette import ReaderCommands
from reader.ui.reading.highlights_panel import HighlightsPanel
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.reading.reading_pane import ReadingPane
from reader.ui.searching.search_bar import SearchBar
from reader.ui.settings import Settings, load_read_marks
from reader.ui.theme_colours import reader_variables

if TYPE_CHECKING:
    from reader.ui.help_screen import HelpSection


class ReaderApp(App[None]):
    """Read, search and tag the articles of one folder."""

    CSS_PATH = "app.tcss"
    TITLE = "reader"
    COMMANDS = App.COMMANDS | {ReaderCommands}
    BINDINGS = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding("question_mark", "help", "Keys", id="help"),
    ]

    def __init__(self, root: Path, *, steady: bool = False) -> None:
        super().__init__()
        self.cursor_blink = not steady
        """False for screenshots and tests: a blinking cursor would make every capture differ."""
        if steady:
            self.animation_level = "none"
        self.library = Library(root)
        self.settings = Settings.load()
        self.read_ids = load_read_marks(self.library.root)
        self.sub_title = visible(self.library.root.name or str(self.library.root), 80)

    def get_default_screen(self) -> Screen[None]:
        return MainScreen(self.library, self.settings, self.read_ids)

    def on_mount(self) -> None:
        if self.settings.theme in self.available_themes:
            self.theme = self.settings.theme
        self.theme_changed_signal.subscribe(self, self._theme_changed)
        if self.settings.keymap:
            self.set_keymap(self.settings.keymap)

    def get_css_variables(self) -> dict[str, str]:
        """The theme's variables plus the app's ``$reader-*`` colours, readable in every theme."""
        variables = super().get_css_variables()
        # Textual's ANSI themes name this one "surface-actrive"; the stylesheet needs it.
        variables.setdefault("surface-active", variables.get("surface-actrive", "transparent"))
        variables.update(reader_variables(variables))
        self.theme_variables = variables
        return variables

    def format_title(self, title: str, sub_title: str) -> Content:
        """``reader — folder``, the folder in a muted colour that still reads (not "dim")."""
        if not sub_title:
            return Content(title)
        return Content.assemble(title, (" — ", "$reader-muted"), (sub_title, "$reader-muted"))

    # -- screenshots ----------------------------------------------------------------------------

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        """The palette's "Screenshot", saved to a folder that exists (Textual's default,
        ``~/Downloads``, is missing on many machines); the notification names the file."""
        try:
            folder = Path(path) if path else screenshot_dir()
        except OSError as error:
            self.notify(visible(f"Screenshot not saved: {error}", 300), severity="error", markup=False)
            return None
        return super().deliver_screenshot(filename, str(folder), time_format)

    @on(events.DeliveryFailed)
    def _say_why_delivery_failed(self, event: events.DeliveryFailed) -> None:
        if event.name == "screenshot":
            self.notify(visible(f"Why: {event.exception}", 300), severity="error", markup=False)

    # -- settings -------------------------------------------------------------------------------

    def on_main_screen_settings_changed(self, _: MainScreen.SettingsChanged) -> None:
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
        from reader.ui.annotating.confirm_remove import ConfirmRemove
        from reader.ui.annotating.note_editor import NoteEditor
        from reader.ui.corpus_views.people_view import PeopleView
        from reader.ui.corpus_views.timeline_view import TimelineView
        from reader.ui.saved_searches.saved_search_view import SavedSearchView

        palette = [Binding(self.COMMAND_PALETTE_BINDING, "command_palette", "Command palette (every action)")]
        return [
            ("Anywhere", [*self.BINDINGS, *palette, *MainScreen.BINDINGS]),
            ("Article list", ArticleList.BINDINGS),
            ("Reading pane", ReadingPane.BINDINGS),
            ("Search bar", SearchBar.BINDINGS),
            ("Quotes", QuotesPanel.BINDINGS),
            ("Highlights", HighlightsPanel.BINDINGS),
            ("Note editor", NoteEditor.BINDINGS),
            ("Removing a highlight with a note", ConfirmRemove.BINDINGS),
            ("People", PeoplePanel.BINDINGS),
            ("People across articles", PeopleView.BINDINGS),
            ("Timeline", TimelineView.BINDINGS),
            ("Saved searches", SavedSearchView.BINDINGS),
        ]

    def action_help(self) -> None:
        from reader.ui.help_screen import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.help_sections(), self.settings.keymap))
