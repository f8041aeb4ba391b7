"""What the index holds of an article, given to it ready-made: the index knows no extraction,
no tags and no files, only the words of each field (``IndexDocument``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from reader.core.index.schema import Preanalyzed
from reader.core.index.terms import name_positions, tag_positions, text_positions


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """One article as the search index sees it; every field is searchable (see the README)."""

    id: str
    title: str
    body: str
    quotes: tuple[str, ...] = ()  # the words of each direct quote
    # Names are indexed as often as they occur, so a search for a person ranks the articles that
    # name them often (or quote them often) above a passing mention.
    people: tuple[str, ...] = ()  # each person's name once per mention, then their other forms
    quoted: tuple[str, ...] = ()  # who is quoted: the speaker of each quote, and people marked as quoted
    outlet: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()  # the user's tags
    highlights: tuple[str, ...] = ()  # the passages the user highlighted
    notes: tuple[str, ...] = ()  # the user's notes on the article and its highlights
    date: dt.date | dt.datetime | None = None


def document_fields(document: IndexDocument) -> dict[str, Any]:
    """The Whoosh document: every text field as ready-made terms."""
    values: dict[str, dict[str, list[int]]] = {
        "title": text_positions(document.title),
        "body": text_positions(document.body),
        "quotes": text_positions("\n\n".join(document.quotes)),
        "highlights": text_positions("\n\n".join(document.highlights)),
        "notes": text_positions("\n\n".join(document.notes)),
        "people": name_positions(document.people),
        "quoted": name_positions(document.quoted),
        "outlet": name_positions(_present(document.outlet)),
        "author": name_positions(_present(document.author)),
        "tags": tag_positions(document.tags),
        "has": tag_positions(_kept(document)),
    }
    fields: dict[str, Any] = {"id": document.id}
    fields.update({name: Preanalyzed(terms) for name, terms in values.items() if terms})
    indexed_date = index_date(document.date)
    if indexed_date is not None:
        fields["date"] = indexed_date
    return fields


def _kept(document: IndexDocument) -> list[str]:
    """What the user keeps on the article, for ``has:tag``, ``has:highlight``, ``has:note``."""
    kinds = (("tag", document.tags), ("highlight", document.highlights), ("note", document.notes))
    return [name for name, values in kinds if values]


def _present(value: str | None) -> Iterable[str]:
    return [value] if value else []


def index_date(value: dt.date | dt.datetime | None) -> dt.datetime | None:
    """Dates as naive UTC datetimes, the form Whoosh's DATETIME field sorts and ranges on."""
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(dt.UTC).replace(tzinfo=None)
        return value
    return dt.datetime(value.year, value.month, value.day)
