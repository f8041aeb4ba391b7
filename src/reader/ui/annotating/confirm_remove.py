"""Asking before a highlight that carries a note is removed: the note would go with it."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label

from reader.core.text import visible


class ConfirmRemove(ModalScreen[bool]):
    """``y`` or Enter removes; ``n`` or Esc keeps."""

    BINDINGS = [
        Binding("y,enter", "answer(True)", "Remove", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "Keep", id="confirm.no"),
    ]

    def __init__(self, quote: str, note: str) -> None:
        super().__init__()
        self.quote = quote
        self.note = note

    def compose(self) -> ComposeResult:
        with Vertical(id="confirm-dialog") as dialog:
            dialog.border_title = "Remove this highlight and its note?"
            dialog.border_subtitle = "y remove · n keep"
            yield Label(Content(f"“{visible(self.quote, 200)}”"), id="confirm-quote")
            yield Label(Content(f"✎ {visible(self.note, 300)}"), id="confirm-note")

    def action_answer(self, remove: bool) -> None:
        self.dismiss(remove)
