"""People across the corpus as the store reads them: one entry per person, bare surnames linked.

The rows of the ``people`` table are one per person per article, under the name that article
gives. Here they are gathered into the corpus's people (``identities`` decides who is who): the
spellings of one person become one entry, an article that gives only a surname the corpus can
tie to one person counts for that person (an inferred link, listed apart), and a surname that
several people share stays an entry of its own that names them. Every function runs under the
caller's lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterable
from dataclasses import dataclass, field

from reader.core.cross_article.identities import (
    FULL,
    GIVEN,
    SURNAME,
    Directory,
    Identity,
    NameRow,
    SurnameLink,
    build_directory,
    surname_link,
    surname_of,
)
from reader.core.cross_article.normalise import name_key
from reader.core.cross_article.results import PersonAcross
from reader.core.sqlite_access import for_keys


@dataclass(frozen=True, slots=True)
class PersonRow:
    """One row of the people table: a person as one article names them."""

    key: str
    name: str
    article_id: str
    mentions: int
    quoted: bool
    kind: str
    gender: str
    surname: str


PERSON_COLUMNS = "p.key, p.name, p.article_id, p.mentions, p.quoted, p.kind, p.gender, p.surname"
"""The columns a ``PersonRow`` is made of, read from ``people p``."""


@dataclass(frozen=True, slots=True)
class PersonMatch:
    """A person named in full, as a search for them should find them."""

    name: str  # the spelling most articles use
    spellings: tuple[str, ...]  # every full spelling of them in the corpus
    linked: dict[str, tuple[str, ...]]  # a bare surname as written -> the articles linked by it


def directory_for(
    db: sqlite3.Connection, surnames: Collection[str] | None = None, given_words: Collection[str] = ()
) -> Directory:
    """The corpus's people named in full: all of them, or those with one of ``surnames`` (then
    ``given_words`` are the one-word names whose use as given names must be known too)."""
    statement = (
        "SELECT p.key, p.name, p.gender, COUNT(*), MIN(a.order_key) FROM people p "
        "JOIN articles a ON a.id = p.article_id WHERE p.kind = 'full'"
    )
    grouping = " GROUP BY p.key, p.name, p.gender"
    if surnames is None:
        rows: Iterable[tuple[str, str, str, int, str]] = db.execute(statement + grouping)
    else:
        rows = for_keys(db, statement + " AND p.surname IN (?keys)" + grouping, surnames)
    directory = build_directory(
        NameRow(key, name, FULL, gender, count, first)
        for key, name, gender, count, first in rows
    )
    if surnames is not None:
        directory.given_names.update(_used_as_given_names(db, given_words))
    return directory


def _used_as_given_names(db: sqlite3.Connection, words: Collection[str]) -> set[str]:
    """Those of ``words`` that some full name of the corpus starts with ("wilkinson" in
    "Wilkinson Smith"): a range over the indexed keys for each."""
    found = set()
    for word in words:
        probe = "SELECT 1 FROM people WHERE key >= ? AND key < ? AND kind = 'full' LIMIT 1"
        if db.execute(probe, (word + " ", word + "!")).fetchone() is not None:
            found.add(word)
    return found


@dataclass(slots=True)
class _Entry:
    """One person of the list while the rows are gathered."""

    name: str
    articles: dict[str, None] = field(default_factory=dict)  # in file order
    mentions: int = 0
    quotes: int = 0
    quoted: bool = False
    spellings: dict[str, int] = field(default_factory=dict)  # how its rows write the name
    linked: dict[str, None] = field(default_factory=dict)
    shared_by: dict[str, None] = field(default_factory=dict)


def gather_people(
    rows: Iterable[PersonRow], said: dict[tuple[str, str], int], directory: Directory
) -> list[PersonAcross]:
    """The people of ``rows`` (in file order), with ``said[(article_id, speaker_key)]`` quotes."""
    entries: dict[tuple[str, str], _Entry] = {}
    for row in rows:
        place, identity, shared_by = _place(row, directory)
        entry = entries.get(place)
        if entry is None:
            entry = entries[place] = _Entry(identity.name if identity is not None else row.name)
        entry.articles[row.article_id] = None
        entry.mentions += row.mentions
        entry.quotes += said.get((row.article_id, row.key), 0)
        entry.quoted = entry.quoted or bool(row.quoted)
        entry.shared_by.update(dict.fromkeys(shared_by))
        if identity is not None and row.kind in (SURNAME, GIVEN):
            entry.linked[row.article_id] = None
        else:  # a linked surname is no spelling of the full name
            entry.spellings[row.name] = entry.spellings.get(row.name, 0) + 1
    people = [_person(place, entry) for place, entry in entries.items()]
    return sorted(people, key=lambda p: (-p.article_count, -p.mention_count, p.name.casefold()))


def _place(row: PersonRow, directory: Directory) -> tuple[tuple[str, str], Identity | None, tuple[str, ...]]:
    """Whose entry a row counts for: (entry key, the identity it joins, who shares its surname)."""
    if row.kind == FULL:
        identity = directory.identity(row.key)
        if identity is not None:
            return ("person", identity.name), identity, ()
    elif directory.as_surname(_name_row(row)):
        found = directory.candidates(row.surname, row.gender)
        if len(found) == 1:
            return ("person", found[0].name), found[0], ()
        return ("name", row.key), None, tuple(sorted(identity.name for identity in found))
    return ("name", row.key), None, ()


def _name_row(row: PersonRow) -> NameRow:
    return NameRow(row.key, row.name, row.kind, row.gender)


def _person(place: tuple[str, str], entry: _Entry) -> PersonAcross:
    spellings = entry.spellings
    if place[0] == "name" and spellings:  # no identity: the spelling most articles use, a tie to the first file
        entry.name = max(spellings, key=spellings.__getitem__)
    return PersonAcross(
        name=entry.name,
        article_count=len(entry.articles),
        mention_count=entry.mentions,
        quote_count=entry.quotes,
        quoted=entry.quotes > 0 or entry.quoted,
        article_ids=tuple(entry.articles),
        spellings=tuple(s for s in sorted(spellings, key=lambda s: -spellings[s]) if s != entry.name),
        linked_ids=tuple(entry.linked),
        shared_by=tuple(sorted(entry.shared_by)),
    )


def read_people(db: sqlite3.Connection, people_from: str, quotes_from: str, *, whole: bool) -> list[PersonAcross]:
    """Everyone named in the articles that ``people_from`` (``people p``) and ``quotes_from``
    (``quotes q``) cover (``whole``: every article), linked against the whole corpus."""
    rows = [
        PersonRow(*row)
        for row in db.execute(
            f"SELECT {PERSON_COLUMNS} FROM {people_from} JOIN articles a ON a.id = p.article_id ORDER BY a.order_key"
        )
    ]
    said = {
        (article_id, speaker): count
        for article_id, speaker, count in db.execute(
            f"SELECT q.article_id, q.speaker_key, COUNT(*) FROM {quotes_from} "
            "WHERE q.speaker_key IS NOT NULL GROUP BY q.article_id, q.speaker_key"
        )
    }
    if whole:
        directory = directory_for(db)
    else:
        surnames = {row.surname for row in rows if row.kind in (FULL, SURNAME, GIVEN)}
        directory = directory_for(db, surnames, {row.surname for row in rows if row.kind == GIVEN})
    return gather_people(rows, said, directory)


def match_person(db: sqlite3.Connection, name: str) -> PersonMatch | None:
    """The person a full name stands for, with their other spellings and the articles that name
    them by surname only; None when the corpus names nobody so in full."""
    surname = surname_of(name)
    if not surname or len(name.split()) < 2:
        return None
    directory = directory_for(db, [surname], [surname])
    identity = directory.find(name)
    if identity is None:
        return None
    linked: dict[str, dict[str, None]] = {}
    for key, article_id, written, kind, gender in db.execute(
        "SELECT key, article_id, name, kind, gender FROM people "
        "WHERE surname = ? AND kind IN ('surname', 'given') ORDER BY article_id",
        (surname,),
    ):
        row = NameRow(key, written, kind, gender)
        if directory.as_surname(row) and directory.link(surname, gender) is identity:
            linked.setdefault(written, {})[article_id] = None
    return PersonMatch(identity.name, identity.spellings, {written: tuple(ids) for written, ids in linked.items()})


def article_links(db: sqlite3.Connection, article_id: str) -> dict[str, SurnameLink]:
    """The bare surnames of one article (as it writes them), each with what it is linked to."""
    rows = [
        NameRow(key, name, kind, gender)
        for key, name, kind, gender in db.execute(
            "SELECT key, name, kind, gender FROM people WHERE article_id = ? AND kind IN ('surname', 'given')",
            (article_id,),
        )
    ]
    if not rows:
        return {}
    words = {surname_of(row.name) for row in rows}
    directory = directory_for(db, words, {surname_of(row.name) for row in rows if row.kind == GIVEN})
    links = {row.name: surname_link(directory, row) for row in rows}
    return {name: link for name, link in links.items() if link.linked or link.shared_by}


def speaker_keys(match: PersonMatch | None, name: str) -> tuple[set[str], dict[str, set[str]]]:
    """The speaker keys a person's quotes are stored under: their spellings everywhere, and
    (speaker key -> articles) the surnames linked to them in the articles that give no more."""
    if match is None:
        return {name_key(name)}, {}
    linked = {name_key(written): set(ids) for written, ids in match.linked.items()}
    return {name_key(spelling) for spelling in match.spellings}, linked
