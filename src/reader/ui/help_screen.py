"""The help screen: every key, generated from the bindings (so remapped keys show as remapped)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

HelpSection = tuple[str, Sequence[BindingType]]


class HelpScreen(ModalScreen[None]):
    """A scrollable table of keys by pane; Esc, q or ? closes it."""

    BINDINGS = [
        Binding("escape,q,question_mark", "dismiss", "Close", id="help.close"),
        Binding("down,j", "scroll('down')", "Scroll down", show=False, id="help.down"),
        Binding("up,k", "scroll('up')", "Scroll up", show=False, id="help.up"),
    ]

    def __init__(self, sections: Sequence[HelpSection], keymap: Mapping[str, str]) -> None:
        super().__init__()
        self.sections = sections
        self.keymap = keymap

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="help-dialog") as dialog:
            dialog.border_title = "Keys"
            dialog.border_subtitle = "esc close · remap keys by id in settings.json \"keymap\""
            yield Static(self.render_table(), id="help-table")

    def key_rows(self, bindings: Sequence[BindingType]) -> list[tuple[str, str, str]]:
        """(keys, what it does, binding id) for each action, keys joined, remaps applied."""
        rows: dict[tuple[str, str], tuple[list[str], str]] = {}
        for binding in Binding.make_bindings(bindings):
            keys = self.keymap.get(binding.id, binding.key) if binding.id else binding.key
            displays = [self.app.get_key_display(binding.with_key(key.strip())) for key in keys.split(",")]
            entry = rows.setdefault((binding.action, binding.description), ([], binding.id or ""))
            entry[0].extend(display for display in displays if display not in entry[0])
        return [
            (" ".join(keys), description or action, binding_id)
            for (action, description), (keys, binding_id) in rows.items()
        ]

    def render_table(self) -> Content:
        lines: list[Content] = []
        for title, bindings in self.sections:
            lines.append(Content.styled(title, "bold $reader-accent"))
            for keys, description, binding_id in self.key_rows(bindings):
                lines.append(
                    Content.assemble(
                        (f"  {keys:<18}", "bold"), f"{description:<34}", (binding_id, "$reader-muted")
                    )
                )
            lines.append(Content(""))
        return Content("\n").join(lines)

    def action_scroll(self, direction: str) -> None:
        dialog = self.query_one("#help-dialog", VerticalScroll)
        dialog.scroll_relative(y=1 if direction == "down" else -1, animate=False)
