"""The People section of the side panel: who the open article mentions, and who it quotes.

A person the article names by surname only ("Mr Okafor") may be linked, across the corpus, to
the one person with that surname ("Chidi Okafor"): the panel says so, and that the link was
inferred, and choosing them filters by the full name. A surname several people of the corpus
share is left unlinked, and the panel names who shares it.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
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


class LinkLike(Protocol):
    """What the panel reads of ``reader.core.cross_article.SurnameLink``."""

    @property
    def linked(self) -> str | None: ...

    @property
    def shared_by(self) -> tuple[str, ...]: ...


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

    COMPONENT_CLASSES = {"people-panel--detail", "people-panel--quoted", "people-panel--linked"}

    people: tuple[PersonLike, ...] = ()
    links: Mapping[str, LinkLike] = {}
    """A bare surname of the article (as written) -> what the corpus links it to."""

    def show_people(self, people: Sequence[PersonLike]) -> None:
        self.people = tuple(people)
        self.links = {}
        self.clear_options()
        if not people:
            self.add_option(Option(Content("No people found"), disabled=True))
            return
        self.add_options(Option(self._prompt(person)) for person in people)

    def show_links(self, links: Mapping[str, LinkLike]) -> None:
        """Say which surnames the corpus links to a person (found after the people, in a worker)."""
        self.links = dict(links)
        for index, person in enumerate(self.people):
            if person.name in self.links:
                self.replace_option_prompt_at_index(index, self._prompt(person, self.links[person.name]))

    def chosen_name(self, index: int) -> str:
        """The name choosing a person filters by: the full name a surname is linked to, if any."""
        name = self.people[index].name
        link = self.links.get(name)
        return link.linked if link is not None and link.linked else name

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option_index < len(self.people):
            self.post_message(self.PersonChosen(self.chosen_name(event.option_index)))

    def show_message(self, message: str) -> None:
        self.people = ()
        self.links = {}
        self.clear_options()
        self.add_option(Option(Content(message), disabled=True))

    def on_focus(self) -> None:
        """Arriving by keyboard, Enter should act on the first entry straight away."""
        if self.highlighted is None and len(self.people):
            self.highlighted = 0

    @staticmethod
    def _prompt(person: PersonLike, link: LinkLike | None = None) -> Content:
        role = ("quoted", ".people-panel--quoted") if person.quoted else ("mentioned", ".people-panel--detail")
        prompt = Content.assemble(
            visible(person.name, 80), "  ", (f"{person.mentions}× ", ".people-panel--detail"), role
        )
        if link is not None and link.linked:
            prompt += Content.assemble(
                "\n",
                (f"= {visible(link.linked, 80)}", ".people-panel--linked"),
                " ",
                ("(inferred from the corpus)", ".people-panel--detail"),
            )
        elif link is not None and len(link.shared_by) > 1:
            shared = ", ".join(visible(name, 60) for name in link.shared_by)
            prompt += Content.styled(f"\nnot linked: {shared} share this surname", ".people-panel--detail")
        return prompt
