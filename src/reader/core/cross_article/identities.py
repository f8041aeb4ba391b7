"""Who is who across articles: the spellings of one person, and bare surnames linked to them.

Each article names its people under the fullest name it gives (extraction). Across a corpus the
same person is written "George W. Bush", "George W Bush" and "George Bush", and an article that
never gives the full name says only "Mr Bush" or "Bush said". Here:

- full names with the same given name and surname (and generation: "Jr", "III") are one person,
  whatever the middle names, initials and dots; an initial for the given name ("M Blair") joins
  the one person of that surname whose given name starts with it, if there is only one;
- a bare surname ("Mr Okafor") is linked to the one person of the corpus with that surname, when
  there is exactly one (a gendered title rules out the other gender: "Mrs Okafor" is not Chidi
  if only a man and a woman share it and Chidi is the man). Two or more left, it stays unlinked
  and says who shares it; none, it stays a person of its own;
- one word that is also a given name ("Wilkinson kicked…") is read as a surname only when the
  corpus never writes it as anyone's given name (no "Wilkinson Smith"): "David" stays "David".

Everything here is a pure function of the names: the store reads the rows, this decides.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

from reader.core.cross_article.normalise import name_key

FULL, SURNAME, GIVEN, SINGLE = "full", "surname", "given", "single"
_SUFFIXES = frozenset({"jr", "sr", "ii", "iii", "iv"})


def name_parts(name: str) -> tuple[str, ...]:
    """A name's words folded for comparison: "George W. Bush" -> ("george", "w", "bush")."""
    return tuple(part for part in name_key(name).replace(".", " ").split() if part)


def surname_of(name: str) -> str:
    """The folded surname of a name (its last word, generation suffixes left out), or ""."""
    parts = [part for part in name_parts(name) if part not in _SUFFIXES]
    return parts[-1] if parts else ""


def _generation(parts: tuple[str, ...]) -> str:
    return next((part for part in reversed(parts) if part in _SUFFIXES), "")


@dataclass(frozen=True, slots=True)
class NameRow:
    """One name as the store holds it: its key, how it is written, and what kind of name it is."""

    key: str  # the people.key it is stored under (``name_key`` of the name)
    name: str
    kind: str  # FULL, SURNAME or SINGLE (``reader.core.extraction.Person.name_kind``)
    gender: str  # "m", "f" or "u"
    weight: int = 1  # how many articles write it so: the most used spelling names the person
    first: str = ""  # where it first appears (a file order key): a tie goes to the first file


@dataclass(slots=True, eq=False)
class Identity:
    """One person of the corpus named in full, with every spelling that was merged into it."""

    name: str  # the spelling most articles use
    keys: set[str]  # the people.key of every spelling
    spellings: tuple[str, ...]  # every spelling, the most used first
    surname: str
    gender: str


@dataclass(slots=True)
class Directory:
    """The people of a corpus named in full, found by spelling and by surname."""

    by_key: dict[str, Identity] = field(default_factory=dict)
    by_surname: dict[str, list[Identity]] = field(default_factory=dict)
    by_parts: dict[tuple[str, str, str], Identity] = field(default_factory=dict)
    given_names: set[str] = field(default_factory=set)  # words the corpus uses as given names

    def as_surname(self, row: NameRow) -> bool:
        """Whether a one-word name can be a surname: a SURNAME, or a GIVEN name the corpus
        never writes as anyone's given name."""
        return row.kind == SURNAME or (row.kind == GIVEN and surname_of(row.name) not in self.given_names)

    def identity(self, key: str) -> Identity | None:
        return self.by_key.get(key)

    def find(self, name: str) -> Identity | None:
        """The person a full name is, however it is spelt ("George Bush" for "George W. Bush")."""
        found = self.by_key.get(name_key(name))
        if found is None and (parts := _group_of(name_parts(name))) is not None:
            found = self.by_parts.get(parts)
        return found

    def candidates(self, surname: str, gender: str = "u") -> list[Identity]:
        """The people a bare surname can be: those with that surname and no other gender."""
        found = self.by_surname.get(surname, [])
        if gender == "u":
            return list(found)
        return [identity for identity in found if identity.gender in ("u", gender)]

    def link(self, surname: str, gender: str = "u") -> Identity | None:
        """The one person a bare surname can be, or None (nobody, or several)."""
        found = self.candidates(surname, gender)
        return found[0] if len(found) == 1 else None


def build_directory(rows: Iterable[NameRow]) -> Directory:
    """Merge the full names among ``rows`` into identities (see the module's rules)."""
    groups: dict[tuple[str, str, str], list[NameRow]] = {}
    initials: list[tuple[tuple[str, str, str], NameRow]] = []
    for row in rows:
        if row.kind != FULL:
            continue
        group = _group_of(name_parts(row.name))
        if group is None:
            continue
        if len(group[0]) == 1:
            initials.append((group, row))
        else:
            groups.setdefault(group, []).append(row)
    for (initial, surname, generation), row in initials:
        matching = [g for g in groups if g[1] == surname and g[2] == generation and g[0].startswith(initial)]
        target = matching[0] if len(matching) == 1 else (initial, surname, generation)
        groups.setdefault(target, []).append(row)
    directory = Directory()
    for group, members in groups.items():
        if len(group[0]) > 1:
            directory.given_names.add(group[0])
        identity = _identity(group[1], members)
        for member in members:
            directory.by_key[member.key] = identity
        directory.by_surname.setdefault(group[1], []).append(identity)
        directory.by_parts[group] = identity
    return directory


def _group_of(parts: tuple[str, ...]) -> tuple[str, str, str] | None:
    """(given name, surname, generation): what makes full names one person; None for one word."""
    bare = [part for part in parts if part not in _SUFFIXES]
    if len(bare) < 2:
        return None
    return bare[0], bare[-1], _generation(parts)


def _identity(surname: str, members: list[NameRow]) -> Identity:
    spellings: Counter[str] = Counter()
    first: dict[str, str] = {}
    for member in members:
        spellings[member.name] += member.weight
        first[member.name] = min(first.get(member.name, member.first), member.first)
    # The most used spelling; on a tie one with a given name ("Mark Blair" over "M Blair"), the
    # fullest ("George W. Bush" over "George Bush"), then the first file's.
    ranked = sorted(
        spellings,
        key=lambda spelling: (
            -spellings[spelling],
            len(name_parts(spelling)[0]) == 1,
            -len(name_parts(spelling)),
            first[spelling],
            spelling,
        ),
    )
    genders = {member.gender for member in members} - {"u"}
    return Identity(
        name=ranked[0],
        keys={member.key for member in members},
        spellings=tuple(ranked),
        surname=surname,
        gender=genders.pop() if len(genders) == 1 else "u",
    )


@dataclass(frozen=True, slots=True)
class SurnameLink:
    """What a bare surname in one article stands for across the corpus."""

    surname: str  # as the article writes it ("Okafor")
    linked: str | None  # the full name it is linked to, when the corpus allows only one
    shared_by: tuple[str, ...] = ()  # when it is left unlinked: the people who share the surname

    @property
    def ambiguous(self) -> bool:
        return self.linked is None and len(self.shared_by) > 1


def surname_link(directory: Directory, row: NameRow) -> SurnameLink:
    """Link one article's bare surname (a SURNAME row, or a GIVEN row the corpus reads as a
    surname) to the corpus's people."""
    if not directory.as_surname(row):
        return SurnameLink(row.name, None)
    found = directory.candidates(surname_of(row.name), row.gender)
    if len(found) == 1:
        return SurnameLink(row.name, found[0].name)
    return SurnameLink(row.name, None, tuple(sorted(identity.name for identity in found)))


@dataclass(frozen=True, slots=True)
class SpeakerTally:
    """Who the copies of one quote credit it to: each speaker with the articles that say so."""

    speakers: tuple[tuple[str, int], ...]  # (speaker, articles), the best supported first
    unnamed: int  # articles that name no speaker for it

    @property
    def best(self) -> str | None:
        return self.speakers[0][0] if self.speakers else None

    @property
    def disagree(self) -> bool:
        return len(self.speakers) > 1


def tally_speakers(credited: Iterable[tuple[str, str | None]]) -> SpeakerTally:
    """Count ``(article_id, speaker)`` credits of one quote, one vote per article and speaker.

    Spellings of one person count together ("George W. Bush", "George Bush"), and so does a bare
    surname with the one full name of that surname among the credits ("Okafor" with "Chidi
    Okafor"): copies that say the same thing in fewer words agree. The best supported speaker
    wins; on a tie, a person over a source, then the fuller name, then the first credited.
    """
    order: dict[str, int] = {}  # speaker -> position of its first credit
    voters: dict[str, set[str]] = {}
    unnamed: set[str] = set()
    for article_id, speaker in credited:
        if not speaker:
            unnamed.add(article_id)
            continue
        order.setdefault(speaker, len(order))
        voters.setdefault(speaker, set()).add(article_id)
    same = _same_person(list(order))
    merged: dict[str, set[str]] = {}
    for speaker, articles in voters.items():
        merged.setdefault(same.get(speaker, speaker), set()).update(articles)
    named_articles = set().union(*merged.values()) if merged else set()
    ranked = sorted(
        merged,
        key=lambda s: (-len(merged[s]), s.startswith("source"), -len(name_parts(s)), order[s]),
    )
    return SpeakerTally(tuple((s, len(merged[s])) for s in ranked), len(unnamed - named_articles))


def _same_person(speakers: list[str]) -> dict[str, str]:
    """Speaker -> the spelling it counts under: full names by given name and surname (the first
    credited spelling stands for the rest), then bare surnames by the one full name they fit, and
    a plain "source" by the one source whose outlet or body a copy names."""
    rows = [NameRow(name_key(s), s, FULL if len(name_parts(s)) > 1 else SURNAME, "u") for s in speakers]
    directory = build_directory(row for row in rows if not row.name.startswith("source"))
    first_credited = {speaker: index for index, speaker in enumerate(speakers)}
    mapping: dict[str, str] = {}
    for row in rows:
        identity = directory.identity(row.key) if row.kind == FULL else directory.link(surname_of(row.name))
        if identity is not None and not row.name.startswith("source"):
            spellings = [s for s in speakers if name_key(s) in identity.keys]
            mapping[row.name] = min(spellings, key=first_credited.__getitem__)
    labelled = [s for s in speakers if s.startswith("source (")]
    if "source" in first_credited and len(labelled) == 1:
        mapping["source"] = labelled[0]  # "a source" and "a source told The Sun": one unnamed source
    return mapping
