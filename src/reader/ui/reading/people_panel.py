"""The People section of the side panel: who the open article mentions, and who it quotes."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol

from textual.binding import Binding
from textual.content import Content
from textual.message import Message
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from reader.core.text import visible
from reader.ui.layout_text import ReadableOptionList


class PersonLike(Protocol):
    """What the panel reads of ``reader.core.extraction.Person``."""

    @property
    def name(self) -> str: ...

    @property
    def mentions(self) -> int: ...

    @property
    def quoted(self) -> bool: ...


class PeoplePanel(ReadableOptionList):
    """Choosing a person (Enter or click) asks the screen to filter the list by that person."""

    class PersonChosen(Message):
        def __init__(self, name: str) -> None:
            self.name = name
            super().__init__()

    BINDINGS = [
        Binding("j", "cursor_down", "Down", show=False, id="people.down"),
        Binding("k", "cursor_up", "Up", show=False, id="people.up"),
        Binding("g", "first", "First", show=False, id="people.first"),
        Binding("G", "last", "Last", show=False, id="people.last"),
    ]

    COMPONENT_CLASSES = {"people-panel--detail", "people-panel--quoted"}

    people: tuple[PersonLike, ...] = ()

    def show_people(self, people: Sequence[PersonLike]) -> None:
        self.people = tuple(people)
        self.clear_options()
        if not people:
            self.add_option(Option(Content("No people found"), disabled=True))
            return
        self.add_options(Option(self._prompt(person)) for person in people)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.people):
            self.post_message(self.PersonChosen(self.people[event.option_index].name))

    def show_message(self, message: str) -> None:
        self.people = ()
        self.clear_options()
        self.add_option(Option(Content(message), disabled=True))

    def on_focus(self) -> None:
        """Arriving by keyboard, Enter should act on the first entry straight away."""
        if self.highlighted is None and len(self.people):
            self.highlighted = 0

    @staticmethod
    def _prompt(person: PersonLike) -> Content:
        role = ("quoted", ".people-panel--quoted") if person.quoted else ("mentioned", ".people-panel--detail")
        return Content.assemble(visible(person.name, 80), "  ", (f"{person.mentions}× ", ".people-panel--detail"), role)
