"""Counting mentions: each run of capitals read for the longest name the article knows.

A name found there counts unless its use is something else (see ``mentions``); people sharing
a name are told apart by a gendered title, then by prominence. A child named alone in a
sentence about the couple takes the father's surname when first counted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.extraction.candidates import Run, is_non_person_word
from reader.core.extraction.document import Document, Word, is_common
from reader.core.extraction.lexicons import NAME_SUFFIXES, SPEECH_VERBS
from reader.core.extraction.mentions import Use, is_other_use
from reader.core.extraction.name_clusters import HONORIFIC_GENDERS, Cluster, Key, Mention

_NEXT_WORD = re.compile(r"\s+(\w+)")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+|\n+")
_COUPLE = re.compile(r"\b(?:[Tt]heir|[Tt]hey|[Tt]he\s+couple|share[sd]?|and|brought|birth|welcomed)\b")


@dataclass(slots=True)
class Directory:
    """What collecting the names left for counting them."""

    clusters: list[Cluster]
    aliases: dict[Key, list[int]]
    company_words: set[int] = field(default_factory=set)  # words of "shares of Charles Schwab"
    organisation_heads: set[str] = field(default_factory=set)  # "Halvorsen" of "Halvorsen Group"
    labels: list[tuple[int, int]] = field(default_factory=list)  # quoted labels: no mentions there
    mentions: list[Mention] = field(default_factory=list)

    def in_label(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.labels)


def _normal_stems(stems: list[str]) -> list[str]:
    """"By KAREN LINDQVIST": a byline in capitals, looked up in normal case."""
    if sum(1 for s in stems if s.isupper() and len(s) > 1) >= 2:
        return [s.title() if s.isupper() and len(s) > 1 else s for s in stems]
    return stems


class MentionCounter:
    """Walks every run of capitals, finding the longest known name at each word."""

    def __init__(self, document: Document, directory: Directory) -> None:
        self.directory = directory
        self.document = document
        self.words = document.words
        self.last_seen: dict[int, int] = {}
        self.mentioned: dict[int, int] = {}

    def count_run(self, run: Run) -> None:
        indices = run.indices
        if self._names_nobody(indices):
            return  # one capitalised word that names nobody known: the common case
        stems = _normal_stems([self.words[i].stem for i in indices])
        at = 0
        while at < len(indices):
            at += self._count_at(indices, stems, at)

    def _names_nobody(self, indices: list[int]) -> bool:
        if len(indices) != 1 or indices[0] in self.directory.company_words:
            return False
        word = self.words[indices[0]]
        return (word.stem,) not in self.directory.aliases and not self._lost_apostrophe(word)

    def _count_at(self, indices: list[int], stems: list[str], at: int) -> int:
        """Count the name found at word ``at`` of a run, if it is a mention; the words used."""
        if indices[at] in self.directory.company_words:
            return 1
        # A name is at most five words: looking further would make a long run of capitalised
        # words (a headline in capitals, a list of names) quadratic.
        found = self._lookup(stems[at : at + 5], [self.words[i] for i in indices[at : at + 5]])
        if found is None:
            return 1
        length, ids = found
        if at == 0 and len(indices) > length and self.directory.in_label(self.words[indices[0]].start):
            length = len(indices)  # a mocking nickname made on a first name: "Kris Jong-Un"
        elif is_other_use(
            self.document, Use(indices, at, length), self.directory.organisation_heads
        ) or self._skip_loose_word(indices[at], length, ids):
            return length
        title = self.words[indices[at - 1]].stem.rstrip(".") if at else ""
        self._count(self._choose(ids, HONORIFIC_GENDERS.get(title)), indices[at], indices[at + length - 1])
        return length

    def _count(self, cluster: Cluster, first: int, last: int) -> None:
        if cluster.needs_surname:
            self._give_surname(cluster, self.words[first].start)
        head, tail = self.words[first], self.words[last]
        stop = tail.end - (len(tail.text) - len(tail.stem))
        self.directory.mentions.append(Mention(head.start, stop, cluster.id))
        cluster.spans.append((head.start, stop))
        surface = self.document.text[head.start : stop]
        cluster.surfaces[surface] = cluster.surfaces.get(surface, 0) + 1
        self.last_seen[cluster.id] = head.start
        self.mentioned[cluster.id] = self.mentioned.get(cluster.id, 0) + 1

    def _lost_apostrophe(self, word: Word) -> bool:
        stem = word.stem
        return len(stem) > 3 and stem.endswith("s") and (stem[:-1],) in self.directory.aliases

    def _lookup(self, stems: list[str], words: list[Word]) -> tuple[int, list[int]] | None:
        """Longest alias at the start of ``stems``: (words used, candidate clusters)."""
        aliases = self.directory.aliases
        for length in range(min(5, len(stems)), 0, -1):
            key = tuple(stems[:length])
            if key in aliases:
                return length, aliases[key]
            last = words[length - 1]
            stem = key[-1]
            if not last.possessive and len(stem) > 3 and stem.endswith("s") and not is_non_person_word(stem):
                shorter = key[:-1] + (stem[:-1],)
                if shorter in aliases:
                    return length, aliases[shorter]  # "Kanyes", "Kanye Wests": a lost apostrophe
        return None

    def _skip_loose_word(self, at: int, length: int, ids: list[int]) -> bool:
        """A first name that is also an everyday word, opening a sentence: "Will he run?"."""
        word = self.words[at]
        if length != 1 or not word.loose or not is_common(word.stem):
            return False
        if any(self.directory.clusters[i].canonical[-1] == word.stem for i in ids):
            return False  # a surname opening a sentence ("West announced") is the person
        following = _NEXT_WORD.match(self.document.text, word.end)
        return following is not None and following.group(1)[:1].islower() and following.group(1) not in SPEECH_VERBS

    def _choose(self, ids: list[int], gender: str | None = None) -> Cluster:
        """Among people sharing a name, the one the article has named most so far.

        Writers keep the bare surname for the story's main subject and use first names for
        relatives ("Eleanor Vance … her son, Peter Vance … Vance published"), so prominence
        beats recency; a title with a gender ("Mr Dobbs", "Mrs Dobbs") settles it first.
        """
        clusters = self.directory.clusters
        if gender and len(ids) > 1:
            ids = [i for i in ids if clusters[i].gender in (gender, "u")] or ids
        if len(ids) == 1:
            return clusters[ids[0]]
        return clusters[max(ids, key=lambda i: (self.mentioned.get(i, 0), sum(clusters[i].forms.values()), -i))]

    def _give_surname(self, cluster: Cluster, position: int) -> None:
        """A child named by first name alone in a sentence about the couple ("He and Kim share
        four children: North, …", "their daughter, North") takes the surname of the father named
        in that sentence or the one before; a child of one named parent keeps the first name."""
        cluster.needs_surname = False
        text = self.document.text
        breaks = [m.end() for m in _SENTENCE_BREAK.finditer(text, max(0, position - 600), position)]
        if not _COUPLE.search(text, breaks[-1] if breaks else max(0, position - 600), position):
            return
        since = breaks[-2] if len(breaks) > 1 else max(0, position - 600)
        parents = [
            other
            for other in self.directory.clusters
            if self.last_seen.get(other.id, -1) >= since and other.standalone is None and len(other.canonical) >= 2
        ]
        for gender in ("m", "u"):
            matching = [p for p in parents if p.gender == gender]
            if matching:
                parent = max(matching, key=lambda p: self.last_seen[p.id])
                surname = [t for t in parent.canonical if t not in NAME_SUFFIXES][-1]
                cluster.name = f"{cluster.name} {surname}"
                return
