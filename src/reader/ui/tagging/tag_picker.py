"""Pick one of the known tags (with counts) to filter the list by it."""

from __future__ import annotations

from collections.abc import Sequence

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from reader.core.tags import tag_key
from reader.core.text import visible


class TagPicker(ModalScreen[str | None]):
    """Type to narrow the tags, ↓/Enter to choose one; Esc closes without filtering."""

    BINDINGS = [
        Binding("escape", "cancel", "Cancel", id="picker.cancel"),
        Binding("down", "to_list", "To list", show=False, id="picker.to_list"),
    ]

    def __init__(self, known: Sequence[tuple[str, int]]) -> None:
        super().__init__()
        self.known = list(known)

    def compose(self) -> ComposeResult:
        with Vertical(id="picker-dialog") as dialog:
            dialog.border_title = "Filter by tag"
            dialog.border_subtitle = "type to narrow · enter choose · esc cancel"
            yield Input(placeholder="Tag…", id="picker-input")
            yield OptionList(id="picker-tags")

    def on_mount(self) -> None:
        self._show("")
        field = self.query_one("#picker-input", Input)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        field.focus()

    def _show(self, typed: str) -> None:
        wanted = tag_key(typed.strip()) if typed.strip() else ""
        options = self.query_one("#picker-tags", OptionList)
        options.clear_options()
        matches = [(name, count) for name, count in self.known if wanted in tag_key(name)]
        if not matches:
            message = "No tags yet: press t on an article to add one" if not self.known else "No such tag"
            options.add_option(Option(Content(message), disabled=True))
            return
        options.add_options(
            Option(Content.assemble(f"#{visible(name, 80)}", (f"  {count}", "$reader-muted")), id=name)
            for name, count in matches
        )
        options.highlighted = 0

    @on(Input.Changed, "#picker-input")
    def _typed(self, event: Input.Changed) -> None:
        self._show(event.value)

    @on(Input.Submitted, "#picker-input")
    def _submitted(self) -> None:
        options = self.query_one("#picker-tags", OptionList)
        if options.highlighted is not None:
            self._choose(options.get_option_at_index(options.highlighted))

    @on(OptionList.OptionSelected, "#picker-tags")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        self._choose(event.option)

    def _choose(self, option: Option) -> None:
        if option.id is not None and not option.disabled:
            self.dismiss(option.id)

    def action_to_list(self) -> None:
        self.query_one("#picker-tags", OptionList).focus()

    def action_cancel(self) -> None:
        self.dismiss(None)
