"""Small builders of extraction results, for tests that feed the cross-article store by hand."""

from __future__ import annotations

from collections.abc import Iterable

from reader.core.extraction import Extraction, Person, Quote


def quote_at(text: str, start: int, end: int, speaker: str | None = None) -> Quote:
    return Quote(text, start, end, speaker, "person" if speaker else "none")


def person(name: str, mentions: int, quoted: bool) -> Person:
    return Person(name, (), mentions, quoted, ())


def extraction_of(quotes: Iterable[Quote] = (), people: Iterable[Person] = ()) -> Extraction:
    return Extraction(tuple(quotes), tuple(people))
