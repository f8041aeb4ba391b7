"""What extraction produces: plain frozen values, cheap to pickle into an index and to share."""

from __future__ import annotations

from dataclasses import dataclass

SPEAKER_KINDS = ("person", "source", "organisation", "outlet", "none")


@dataclass(frozen=True, slots=True)
class Quote:
    """Words the article reproduces, as ``text[start:end]`` (the characters between the marks).

    ``speaker`` is a person's canonical name, ``"source"`` or ``"source (Outlet)"`` for unnamed
    sources (the outlet or organisation they spoke to or for), an organisation's fullest name
    when it speaks ("the federation said"), an outlet's name when the text quotes it, or None when
    the text does not say who spoke. ``speaker_kind`` is one of ``SPEAKER_KINDS``.
    """

    text: str
    start: int
    end: int
    speaker: str | None
    speaker_kind: str


@dataclass(frozen=True, slots=True)
class Person:
    """One real person named in the article, under the fullest name the article gives them.

    ``spans`` holds the offsets of every counted mention, so a view can highlight or jump to them;
    ``mentions == len(spans)``. ``quoted`` is True when at least one quote is attributed to them.

    ``name_kind`` says what the name is, for linking people across articles: ``"full"`` (a given
    name and a surname, "Chidi Okafor"), ``"surname"`` (the article never gives more than the
    surname: "Mr Okafor", "Okafor said"), ``"given"`` (one word that is a known given name, with
    no title to say which it is here: "Adaeze", or "Wilkinson kicked the goal"), or ``"single"``
    (a given name by its title, a royal, a child named after a parent: "Sir Alex", "Prince
    Harry"). ``gender`` is ``"m"``, ``"f"`` or ``"u"``: from a gendered title ("Mrs Okafor"), else
    the given name's (never guessed for a surname).
    """

    name: str
    aliases: tuple[str, ...]
    mentions: int
    quoted: bool
    spans: tuple[tuple[int, int], ...]
    name_kind: str = "full"
    gender: str = "u"


@dataclass(frozen=True, slots=True)
class Extraction:
    """Everything found in one article: quotes in text order, people by mentions (most first)."""

    quotes: tuple[Quote, ...]
    people: tuple[Person, ...]

    def person(self, name: str) -> Person | None:
        """The person with this canonical name or alias, if the article has one."""
        for person in self.people:
            if name == person.name or name in person.aliases:
                return person
        return None
