"""A small multi-line editor for a note on a highlight or on a whole article."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Label, TextArea

from reader.core.text import visible

SUBJECT_CHARS = 240


class NoteEditor(ModalScreen[str | None]):
    """Type the note; Esc (or ctrl+s) saves it and closes. An emptied note is taken off.

    Dismissed with the note as typed, or None when it did not change.
    """

    BINDINGS = [
        Binding("escape,ctrl+s", "save", "Save note", id="note.save"),
    ]

    def __init__(self, title: str, subject: str, note: str) -> None:
        super().__init__()
        self.title_text = title
        self.subject = subject
        self.initial = note

    def compose(self) -> ComposeResult:
        with Vertical(id="note-dialog") as dialog:
            dialog.border_title = self.title_text
            dialog.border_subtitle = "esc or ctrl+s save · ctrl+z undo · an empty note is removed"
            yield Label(Content(visible(self.subject, SUBJECT_CHARS)), id="note-subject")
            yield TextArea(self.initial, id="note-text", soft_wrap=True, show_line_numbers=False, tab_behavior="focus")

    def on_mount(self) -> None:
        area = self.query_one("#note-text", TextArea)
        area.cursor_blink = getattr(self.app, "cursor_blink", True)
        area.move_cursor(area.document.end)
        area.focus()

    @property
    def text(self) -> str:
        return self.query_one("#note-text", TextArea).text

    def action_save(self) -> None:
        note = self.text
        self.dismiss(None if note.strip() == self.initial.strip() else note)
