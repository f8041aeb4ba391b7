"""What the index holds of an article, given to it ready-made: the index knows no extraction,
no tags and no files, only the words of each field (``IndexDocument``)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.index.terms import name_positions, tag_positions, text_positions


@dataclass(frozen=True, slots=True)
class IndexDocument:
    """One article as the search index sees it; every field is searchable (see the README)."""

    id: str
    title: str
    body: str
    quotes: tuple[str, ...] = ()  # the words of each direct quote
    people: tuple[str, ...] = ()  # every name and alias of the people it names
    quoted: tuple[str, ...] = ()  # who is quoted: speakers, and people marked as quoted
    outlet: str | None = None
    author: str | None = None
    tags: tuple[str, ...] = ()  # the user's tags
    date: dt.date | dt.datetime | None = None


def analysed_fields(document: IndexDocument) -> dict[str, dict[str, list[int]]]:
    """Every text field's terms, each with the word positions where it occurs."""
    return {
        "title": text_positions(document.title),
        "body": text_positions(document.body),
        "quotes": text_positions("\n\n".join(document.quotes)),
        "people": name_positions(dict.fromkeys(document.people)),
        "quoted": name_positions(dict.fromkeys(document.quoted)),
        "outlet": name_positions(_present(document.outlet)),
        "author": name_positions(_present(document.author)),
        "tags": tag_positions(document.tags),
    }


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
