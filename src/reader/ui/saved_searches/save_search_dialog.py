"""Name the search in the bar to save it; a name already in use is replaced, and says so first."""

from __future__ import annotations

from collections.abc import Mapping

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from reader.core.tags.saved_searches import MAX_NAME_LENGTH, SavedSearchError, normalise_name
from reader.core.text import visible


class SaveSearchDialog(ModalScreen[str | None]):
    """An input for the name (the query to start with); Enter saves, Esc cancels."""

    BINDINGS = [Binding("escape", "cancel", "Cancel", id="save_search.cancel")]

    def __init__(self, query: str, existing: Mapping[str, str], *, renaming: str | None = None) -> None:
        """``existing``: the saved searches by name, with their queries; ``renaming``: the name
        of the saved search being renamed (another name in use is then refused)."""
        super().__init__()
        self.query_text = query
        self.renaming = renaming
        self.existing = {name.casefold(): (name, saved) for name, saved in existing.items()}

    def compose(self) -> ComposeResult:
        with Vertical(id="save-search-dialog") as dialog:
            dialog.border_title = "Rename saved search" if self.renaming is not None else "Save search"
            dialog.border_subtitle = "enter save · esc cancel"
            yield Label(Content.assemble(("query  ", "bold"), visible(self.query_text, 300)), id="save-search-query")
            first = " ".join(self.query_text.split())[:MAX_NAME_LENGTH]
            yield Input(
                value=self.renaming if self.renaming is not None else first,
                placeholder="Name…",
                max_length=MAX_NAME_LENGTH,
                id="save-search-name",
            )
            yield Label("", id="save-search-note")

    def on_mount(self) -> None:
        field = self.query_one("#save-search-name", Input)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        field.focus()
        self._check(field.value)

    @on(Input.Changed, "#save-search-name")
    def _typed(self, event: Input.Changed) -> None:
        self._check(event.value)

    def _check(self, typed: str) -> str | None:
        """Say what Enter would do with ``typed``; the name to save, or None if it cannot be."""
        note = self.query_one("#save-search-note", Label)
        try:
            name = normalise_name(typed)
        except SavedSearchError as error:
            note.update(Content.styled(str(error), "$reader-error"))
            return None
        taken = self.existing.get(name.casefold())
        if self.renaming is not None:
            if taken is not None and name.casefold() != self.renaming.casefold():
                taken_by = f"{visible(taken[0], 80)} is the name of another saved search"
                note.update(Content.styled(taken_by, "$reader-error"))
                return None
            note.update(Content.styled(f"now {visible(self.renaming, 80)}", "$reader-muted"))
            return name
        if taken is None:
            note.update(Content.styled("a new saved search", "$reader-muted"))
        elif taken[1] == self.query_text:
            note.update(Content.styled(f"already saved as {visible(taken[0], 80)}", "$reader-muted"))
        else:
            note.update(
                Content.styled(f"replaces {visible(taken[0], 80)}: {visible(taken[1], 120)}", "$reader-warning")
            )
        return name

    @on(Input.Submitted, "#save-search-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = self._check(event.value)
        if name is not None:
            self.dismiss(name)

    def action_cancel(self) -> None:
        self.dismiss(None)
