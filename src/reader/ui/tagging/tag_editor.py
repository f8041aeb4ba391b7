"""A small modal to add and remove the tags of one article, or of every article of a search."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from textual import events, on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label, OptionList
from textual.widgets.option_list import Option

from reader.core.tags import TagError, normalise_tag, tag_key
from reader.core.text import visible

MAX_SUGGESTIONS = 50


@dataclass(frozen=True, slots=True)
class TagEdit:
    """What the user changed: tags to add and tags to remove (normalised)."""

    added: tuple[str, ...]
    removed: tuple[str, ...]

    def __bool__(self) -> bool:
        return bool(self.added or self.removed)


class TagEditor(ModalScreen[TagEdit]):
    """Type a tag and press Enter to add it; choose a current tag and press Delete to remove it.

    Known tags (with how many articles carry them) are suggested as you type. Esc closes the
    editor and keeps the changes: they are saved by the caller.
    """

    BINDINGS = [
        Binding("escape", "done", "Done", id="tags.done"),
        Binding("delete,backspace,x", "remove_selected", "Remove tag", show=False, id="tags.remove"),
        Binding("down", "to_suggestions", "Suggestions", show=False, id="tags.suggestions"),
    ]

    def __init__(self, subject: str, current: Sequence[str], known: Sequence[tuple[str, int]]) -> None:
        super().__init__()
        self.subject = subject
        self.initial = tuple(current)
        self.current: list[str] = list(current)
        self.known = list(known)

    def compose(self) -> ComposeResult:
        with Vertical(id="tag-dialog") as dialog:
            dialog.border_title = "Tags"
            dialog.border_subtitle = "enter add · ↓ pick · tab current · del remove · esc done"
            yield Label(Content(visible(self.subject, 200)), id="tag-subject")
            yield Input(
                placeholder="Add a tag…",
                id="tag-input",
                suggester=SuggestFromList([name for name, _ in self.known], case_sensitive=False),
            )
            yield Label("", id="tag-error")
            yield OptionList(id="tag-suggestions")
            yield Label("Current tags", classes="tag-heading")
            yield OptionList(id="tag-current")

    def on_mount(self) -> None:
        self._show_current()
        self._show_suggestions("")
        field = self.query_one("#tag-input", Input)
        field.cursor_blink = getattr(self.app, "cursor_blink", True)
        field.focus()

    # -- lists ----------------------------------------------------------------------------------

    def _show_current(self) -> None:
        current = self.query_one("#tag-current", OptionList)
        current.clear_options()
        if not self.current:
            current.add_option(Option(Content("none yet"), disabled=True))
            return
        current.add_options(Option(Content(f"#{visible(tag, 80)}"), id=tag) for tag in self.current)

    def _show_suggestions(self, typed: str) -> None:
        have = {tag_key(tag) for tag in self.current}
        wanted = tag_key(typed.strip()) if typed.strip() else ""
        matches = [
            (name, count)
            for name, count in self.known
            if tag_key(name) not in have and wanted in tag_key(name)
        ][:MAX_SUGGESTIONS]
        suggestions = self.query_one("#tag-suggestions", OptionList)
        suggestions.clear_options()
        suggestions.add_options(
            Option(Content.assemble(visible(name, 80), (f"  {count}", "$reader-muted")), id=name)
            for name, count in matches
        )
        suggestions.display = bool(matches)

    # -- adding and removing --------------------------------------------------------------------

    def add_tag(self, text: str) -> bool:
        """Add a tag typed or chosen by the user; show why when it is not a valid tag."""
        error = self.query_one("#tag-error", Label)
        try:
            tag = normalise_tag(text)
        except TagError as problem:
            error.update(Content(visible(str(problem), 200)))
            error.display = True
            return False
        error.display = False
        if tag_key(tag) not in {tag_key(existing) for existing in self.current}:
            self.current.append(tag)
            self._show_current()
        return True

    def remove_tag(self, tag: str) -> None:
        self.current = [existing for existing in self.current if tag_key(existing) != tag_key(tag)]
        self._show_current()

    @on(Input.Changed, "#tag-input")
    def _typed(self, event: Input.Changed) -> None:
        self._show_suggestions(event.value)

    @on(Input.Submitted, "#tag-input")
    def _submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.action_done()
        elif self.add_tag(event.value):
            event.input.clear()

    @on(OptionList.OptionSelected, "#tag-suggestions")
    def _suggestion_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None and self.add_tag(event.option.id):
            tag_input = self.query_one("#tag-input", Input)
            tag_input.clear()
            tag_input.focus()

    @on(OptionList.OptionSelected, "#tag-current")
    def _current_chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id is not None:
            self.remove_tag(event.option.id)

    def on_descendant_focus(self, event: events.DescendantFocus) -> None:
        """A list reached by Tab starts on its first entry, so Enter or Delete act at once."""
        if isinstance(event.widget, OptionList) and event.widget.highlighted is None:
            event.widget.highlighted = 0

    def action_to_suggestions(self) -> None:
        suggestions = self.query_one("#tag-suggestions", OptionList)
        suggestions.focus()
        suggestions.highlighted = 0

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        focused_id = self.focused.id if self.focused is not None else None
        if action == "remove_selected":
            return focused_id == "tag-current"
        if action == "to_suggestions":
            return focused_id == "tag-input" and self.query_one("#tag-suggestions", OptionList).display
        return True

    def action_remove_selected(self) -> None:
        current = self.query_one("#tag-current", OptionList)
        if current.highlighted is not None:
            option = current.get_option_at_index(current.highlighted)
            if option.id is not None:
                self.remove_tag(option.id)

    def action_done(self) -> None:
        before = {tag_key(tag): tag for tag in self.initial}
        after = {tag_key(tag): tag for tag in self.current}
        added = tuple(tag for key, tag in after.items() if key not in before)
        removed = tuple(tag for key, tag in before.items() if key not in after)
        self.dismiss(TagEdit(added, removed))
