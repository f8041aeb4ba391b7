"""The people of one article as extraction builds them: clusters of name forms, mentions, and
the index that looks a written name up among them."""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.extraction.lexicons import POST_NOMINALS

Key = tuple[str, ...]
HONORIFIC_GENDERS = {"Mr": "m", "Sir": "m", "Lord": "m", "Mrs": "f", "Ms": "f", "Miss": "f", "Dame": "f", "Lady": "f"}


@dataclass(slots=True)
class Cluster:
    """One person while extraction runs: their name forms, aliases and mentions."""

    id: int
    forms: dict[Key, int] = field(default_factory=dict)  # full forms -> times seen as candidates
    written: dict[Key, str] = field(default_factory=dict)  # full form -> as written
    name: str = ""
    gender: str = "u"
    standalone: Key | None = None  # a person known by one word only (or a royal title + word)
    needs_surname: bool = False
    surfaces: dict[str, int] = field(default_factory=dict)
    spans: list[tuple[int, int]] = field(default_factory=list)
    titles: dict[str, int] = field(default_factory=dict)  # "Mr", "Dr": the titles written before them

    @property
    def canonical(self) -> Key:
        if self.standalone is not None:
            return self.standalone
        # the most used full form; on a tie, one with a first name (no initials, not "de Villiers"),
        # then plain "First Last"
        return max(
            self.forms,
            key=lambda form: (
                self.forms[form],
                not any(len(t) == 1 for t in form) and not form[0].islower(),
                len(form) == 2,
                len(form),
            ),
        )


@dataclass(slots=True)
class Mention:
    start: int
    end: int
    cluster: int


@dataclass(slots=True)
class PeopleIndex:
    """The people of one article, and how to look a written name up among them."""

    clusters: list[Cluster]
    mentions: list[Mention]
    aliases: dict[Key, list[int]]

    def resolve(self, tokens: Key, before: int | None = None) -> Cluster | None:
        """The person a written name refers to ("Senate Minority Leader George Pruitt" -> Pruitt).

        Leading words that are not part of any known name (titles, offices) are dropped; a title
        with a gender picks between namesakes ("Mr Dobbs", "Mrs Dobbs"); a name several people
        still share goes to the one named most before ``before``.
        """
        ids = self._ids(tokens)
        if not ids:
            return None
        gender = HONORIFIC_GENDERS.get(tokens[0].rstrip("."))
        if gender and len(ids) > 1:
            ids = [i for i in ids if self.clusters[i].gender in (gender, "u")] or ids
        if len(ids) > 1 and before is not None:
            counts = {i: sum(1 for m in self.mentions if m.cluster == i and m.start < before) for i in ids}
            return self.clusters[max(ids, key=lambda i: (counts[i], -i))]
        return self.clusters[max(ids, key=lambda i: len(self.clusters[i].spans))]

    def _ids(self, tokens: Key) -> list[int]:
        while len(tokens) > 1 and tokens[-1].rstrip(".") in POST_NOMINALS:
            tokens = tokens[:-1]  # "Brendan O'Hare KC"
        for start in range(len(tokens)):
            key = tokens[start:]
            ids = self.aliases.get(key)
            if not ids and key[-1].endswith("s"):
                ids = self.aliases.get(key[:-1] + (key[-1][:-1],))
            if ids:
                return ids
        return []
