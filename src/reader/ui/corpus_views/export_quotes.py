"""Ask where to write the quote sheet; its format follows the file's ending (.csv, .json, .md)."""

from __future__ import annotations

from pathlib import Path

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from reader.core.cross_article.quote_sheet import format_for


class ExportQuotes(ModalScreen[Path | None]):
    """Enter writes to the path typed (``~`` allowed); Esc cancels."""

    BINDINGS = [Binding("escape", "dismiss(None)", "Cancel", id="export.cancel")]

    def __init__(self, subject: str, default_path: Path) -> None:
        super().__init__()
        self.subject = subject
        self.default_path = default_path

    def compose(self) -> ComposeResult:
        with Vertical(id="export-dialog", classes="corpus-view-dialog") as dialog:
            dialog.border_title = "Export quotes"
            dialog.border_subtitle = "enter write · esc cancel"
            yield Static(Content(self.subject), id="export-subject")
            yield Input(str(self.default_path), id="export-path")
            yield Static(Content("Format from the ending: .csv, .json or .md"), id="export-error")

    def on_mount(self) -> None:
        field = self.query_one("#export-path", Input)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        field.focus()

    @on(Input.Submitted, "#export-path")
    def _submitted(self, event: Input.Submitted) -> None:
        path = Path(event.value.strip()).expanduser()
        if format_for(path) is None:
            self.query_one("#export-error", Static).update(
                Content.styled("The file must end in .csv, .json or .md", "$reader-error")
            )
            return
        self.dismiss(path)
