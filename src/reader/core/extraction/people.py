"""People: deciding which candidates are persons, merging their names, counting mentions.

A full name ("Kim Kardashian") is a person when its first word is a given name or its context
says so (a title, a role, an age, "who", a speech verb, a byline); two capitalised words count
too when the second one also stands alone, as surnames do in news prose, whatever the first
name's origin. Each person gets one canonical name, the most used full form without titles or
post-nominals, and every other form found maps to it: longer and shorter full forms, the first
name, the surname, first name plus initial ("Kim K"), a quoted nickname inside the name
(``Margaret "Maggie" Haldane``) or given with "also known as", possessives with or without the
apostrophe ("Kanye’s", "Kanyes"). A child named by first name alone in a sentence that names
the parent ("their daughter, North") takes the surname of the father named there.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.extraction.candidates import Candidate, Run, is_non_person_word, runs
from reader.core.extraction.document import Document, Word, is_common
from reader.core.extraction.lexicons import (
    GIVEN_NAMES,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    ROYAL_TITLES,
    SPEECH_VERBS,
)
from reader.core.extraction.mentions import Use, is_other_use
from reader.core.extraction.quotes import QuoteSpan
from reader.core.extraction.trimming import find_candidates

Key = tuple[str, ...]
HONORIFIC_GENDERS = {"Mr": "m", "Sir": "m", "Lord": "m", "Mrs": "f", "Ms": "f", "Miss": "f", "Dame": "f", "Lady": "f"}
_STRONG = frozenset({"title", "royal", "role", "age", "who", "speech", "family", "credit"})
_STANDALONE = frozenset({"title", "royal", "role", "age", "who", "family"})
_JOINS = frozenset({"and", "&", ",", ", and", ", &"})
_NEXT_WORD = re.compile(r"\s+(\w+)")
# "Darren Kettering, also known as 'Dazza'", "known to fans as Big Marc".
_KNOWN_AS = re.compile(
    r"\A,?\s+(?:(?:who\s+is\s+)?(?:also\s+|better\s+|widely\s+)?known(?:\s+to\s+\w+)?\s+as|aka|a\.k\.a\.)\s+"
    r"[\"'“‘]?(?P<alias>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})[\"'”’]?"
)
_SENTENCE_BREAK = re.compile(r"[.!?]\s+|\n+")
_COUPLE = re.compile(r"\b(?:[Tt]heir|[Tt]hey|[Tt]he\s+couple|share[sd]?|and|brought|birth|welcomed)\b")


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
        # the most used full form; on a tie, one without initials, then plain "First Last"
        return max(
            self.forms,
            key=lambda form: (self.forms[form], not any(len(t) == 1 for t in form), len(form) == 2, len(form)),
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
        for start in range(len(tokens)):
            key = tokens[start:]
            ids = self.aliases.get(key)
            if not ids and key[-1].endswith("s"):
                ids = self.aliases.get(key[:-1] + (key[-1][:-1],))
            if ids:
                return ids
        return []


def _same_person(a: Key, b: Key) -> bool:
    suffixes = ({t for t in a if t in NAME_SUFFIXES}, {t for t in b if t in NAME_SUFFIXES})
    if all(suffixes) and suffixes[0] != suffixes[1]:
        return False  # "Raymond DeLuca Jr." and his son "Raymond DeLuca III"
    a = tuple(t for t in a if t not in NAME_SUFFIXES)
    b = tuple(t for t in b if t not in NAME_SUFFIXES)
    if a[0] == b[0] and (a[-1] == b[-1] or a[-1] == b[-1] + "s" or b[-1] == a[-1] + "s"):
        return True  # "Kanye Wests" is "Kanye West" with a lost apostrophe
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) == 2 and len(short[0]) == 1 and short[0] == long_[0][:1] and short[-1] == long_[-1]:
        return True  # "A de Villiers" is "Anne-Marie de Villiers"
    return len(short) >= 2 and any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _written(document: Document, candidate: Candidate) -> str:
    if candidate.camel:
        return " ".join(candidate.tokens)
    words = document.words
    if candidate.nickname or candidate.tokens[0] != words[candidate.first].stem:
        written = " ".join(candidate.tokens)  # a nickname left out, or a byline in capitals
        stop = words[candidate.last].end
        return written + "." if candidate.tokens[-1] in NAME_SUFFIXES and document.text[stop : stop + 1] == "." else written
    last = words[candidate.last]
    end = last.end - (len(last.text) - len(last.stem))
    if last.stem in NAME_SUFFIXES and document.text[end : end + 1] == ".":
        end += 1  # "Raymond DeLuca Jr."
    return document.text[words[candidate.first].start : end]


def _is_full_name(candidate: Candidate, lone_words: set[str]) -> bool:
    tokens = candidate.tokens
    if candidate.camel:
        return True
    if len(tokens) < 2 or candidate.nonperson or candidate.company:
        return False
    if candidate.titlecase:
        return "credit" in candidate.evidence  # a byline under a headline
    head = tokens[0]
    if candidate.evidence & _STRONG:
        return True
    if "place" in candidate.evidence:
        return False  # "in Ann Arbor": a given name that starts a place name
    if head in GIVEN_NAMES or (len(head) == 1 and head.isupper()) or candidate.nickname:
        return True
    plain = not any(is_common(t) or is_non_person_word(t) or t.isupper() for t in tokens)
    return plain and tokens[-1] in lone_words  # "Zhiwei Tan … Tan said": a surname that recurs


def _is_single_person(candidate: Candidate) -> bool:
    if len(candidate.tokens) != 1 or candidate.nonperson or candidate.titlecase or candidate.camel:
        return False
    evidence = candidate.evidence
    if candidate.company or "group" in evidence:
        return False
    if candidate.place:
        return bool(evidence & {"family", "age", "royal"})
    token = candidate.tokens[0]
    if len(token) < 2 or token.isupper() or _is_plural_noun(candidate):
        return False
    return bool(evidence & _STANDALONE) or ("speech" in evidence and token in GIVEN_NAMES)


def _is_plural_noun(candidate: Candidate) -> bool:
    """"Patients who received…", "Workers walked out": a plural opening a sentence."""
    token = candidate.tokens[0]
    return candidate.loose and token.endswith("s") and token not in GIVEN_NAMES and candidate.title is None


class _Builder:
    def __init__(self, document: Document, spans: list[QuoteSpan]) -> None:
        self.document = document
        self.words = document.words
        self.labels = [(s.start, s.end) for s in spans if s.excluded == "label"]
        self.clusters: list[Cluster] = []
        self.aliases: dict[Key, list[int]] = {}
        self.mentions: list[Mention] = []
        nicknames = [(s.opener, s.outer_end) for s in spans if s.excluded == "nickname"]
        self.runs = runs(document, nicknames)
        self.organisation_heads: set[str] = set()  # "Halvorsen" of "Halvorsen Group"
        self.company_words: set[int] = set()  # words of "shares of Charles Schwab": no mention
        self.by_token: dict[str, set[int]] = {}  # word of a full name -> the clusters using it

    # --- collecting names ---------------------------------------------------------------------
    def collect(self) -> None:
        candidates = find_candidates(self.document, self.runs)
        lone_words = self._lone_words()
        singles: list[Candidate] = []
        accepted: set[int] = set()  # indices into ``candidates`` of the people found
        for index, candidate in enumerate(candidates):
            if self._in_label(self.words[candidate.first].start):
                continue  # a nickname, counted later for the person it mocks
            if candidate.company:
                self.company_words.update(range(candidate.first, candidate.last + 1))
            if _is_full_name(candidate, lone_words):
                accepted.add(index)
                self._add_full_name(candidate)
            elif _is_single_person(candidate):
                accepted.add(index)
                singles.append(candidate)
            elif candidate.nonperson and len(candidate.tokens) > 1 and candidate.tokens[-1] in ORG_SUFFIXES:
                self.organisation_heads.add(candidate.tokens[0])
        singles += self._coordinated_given_names(candidates, accepted)
        for cluster in self.clusters:
            self._name_cluster(cluster)
        for candidate in singles:
            self._add_single(candidate)
        self._add_nicknames(candidates)

    def _lone_words(self) -> set[str]:
        """Words that stand alone as a capitalised run: surnames, in news prose."""
        found = set()
        for run in self.runs:
            if len(run.indices) == 1:
                word = self.words[run.indices[0]]
                if not word.loose or not is_common(word.stem):
                    found.add(word.stem)
        return found

    def _add_full_name(self, candidate: Candidate) -> None:
        known = self._surname_with_particle(candidate.tokens)
        if known is not None:
            self._alias(candidate.tokens, known)  # "Van Persie" opening a sentence: a mention
            return
        cluster = self._cluster_for(candidate.tokens)
        cluster.forms[candidate.tokens] = cluster.forms.get(candidate.tokens, 0) + 1
        for token in candidate.tokens:
            self.by_token.setdefault(token, set()).add(cluster.id)
        cluster.written.setdefault(candidate.tokens, _written(self.document, candidate))
        if candidate.title:
            cluster.titles[candidate.title] = cluster.titles.get(candidate.title, 0) + 1
        if candidate.camel:
            self._alias((self.words[candidate.first].stem,), cluster)

    def _cluster_for(self, form: Key) -> Cluster:
        """The person a full name belongs to (only those sharing a word with it can be), or a new one."""
        for cluster_id in sorted({c for token in form for c in self.by_token.get(token, ())}):
            cluster = self.clusters[cluster_id]
            if any(_same_person(form, known) for known in cluster.forms):
                return cluster
        cluster = Cluster(len(self.clusters))
        self.clusters.append(cluster)
        return cluster

    def _name_cluster(self, cluster: Cluster) -> None:
        """Canonical name, gender and the short forms that will find the person."""
        canonical = cluster.canonical
        cluster.name = cluster.written[canonical]
        cluster.gender = GIVEN_NAMES.get(canonical[0], "u")
        for form in cluster.forms:
            self._alias(form, cluster)
        surname = [t for t in canonical if t not in NAME_SUFFIXES]
        self._alias((canonical[0],), cluster)
        self._alias((surname[-1],), cluster)
        particles = [index for index, token in enumerate(surname) if index and token in NAME_PARTICLES]
        if particles:
            self._alias(tuple(surname[particles[0] :]), cluster)  # "van der Merwe" on its own
        self._alias((canonical[0], surname[-1][0]), cluster)
        self._alias_short_forms(canonical, cluster)

    def _add_single(self, candidate: Candidate) -> None:
        token = candidate.tokens[0]
        if (token,) in self.aliases:
            return
        cluster = Cluster(len(self.clusters))
        royal = candidate.title if candidate.title in ROYAL_TITLES else None
        cluster.standalone = (royal, token) if royal else (token,)
        cluster.name = f"{royal} {token}" if royal else token
        cluster.gender = GIVEN_NAMES.get(token, "u")
        cluster.needs_surname = "family" in candidate.evidence and not royal
        if candidate.title:
            cluster.titles[candidate.title] = 1
        self.clusters.append(cluster)
        self._alias((token,), cluster)
        if royal:
            self._alias((royal, token), cluster)

    def _add_nicknames(self, candidates: list[Candidate]) -> None:
        """A quoted nickname inside a name, or one given "also known as", finds the person too."""
        text = self.document.text
        for candidate in candidates:
            cluster = self._known(candidate.tokens)
            if cluster is None:
                continue
            if candidate.nickname:
                self._alias(candidate.nickname, cluster)
            known_as = _KNOWN_AS.match(text[self.words[candidate.last].end : self.words[candidate.last].end + 80])
            if known_as:
                self._alias(tuple(known_as.group("alias").split()), cluster)

    def _known(self, tokens: Key) -> Cluster | None:
        ids = self.aliases.get(tokens)
        return self.clusters[ids[0]] if ids and len(ids) == 1 else None

    def _surname_with_particle(self, form: Key) -> Cluster | None:
        """The person whose name ends with ``form`` once its capitalised particle is lowered
        ("Van Persie" -> Robin van Persie), if one was met before."""
        if len(form) < 2 or form[0].lower() not in NAME_PARTICLES or form[0].islower():
            return None
        tail = (form[0].lower(), *form[1:])
        for cluster in self.clusters:
            if cluster.standalone is None and any(
                len(known) > len(tail) and known[-len(tail) :] == tail for known in cluster.forms
            ):
                return cluster
        return None

    def _coordinated_given_names(self, candidates: list[Candidate], accepted: set[int]) -> list[Candidate]:
        """Given names alone joined to a person by "and", "&" or a comma ("Sophie and Devon",
        "Kayla and Tre"): people too, though nothing else in the text says so."""
        found: list[Candidate] = []
        people = {candidates[index].tokens for index in accepted}  # a person anywhere is one here too
        grew = True
        while grew:
            grew = False
            for index, candidate in enumerate(candidates):
                if candidate.tokens in people or not self._lone_given_name(candidate):
                    continue
                neighbours = [n for n in (index - 1, index + 1) if 0 <= n < len(candidates)]
                if any(
                    candidates[n].tokens in people and self._joined(candidates[min(index, n)], candidates[max(index, n)])
                    for n in neighbours
                ):
                    people.add(candidate.tokens)
                    found.append(candidate)
                    grew = True
        return found

    def _lone_given_name(self, candidate: Candidate) -> bool:
        return (
            len(candidate.tokens) == 1
            and candidate.tokens[0] in GIVEN_NAMES
            and not (candidate.place or candidate.nonperson or candidate.company or candidate.titlecase)
            and not self._in_label(self.words[candidate.first].start)
        )

    def _joined(self, left: Candidate, right: Candidate) -> bool:
        between = self.document.text[self.words[left.last].end : self.words[right.first].start]
        return " ".join(between.split()) in _JOINS

    def _alias_short_forms(self, canonical: Key, cluster: Cluster) -> None:
        """Forms news uses for long names: a middle name alone ("Lula"), initials ("MBS", "AOC")."""
        for token in canonical[1:-1]:
            if token[:1].isupper() and len(token) > 2 and not token.endswith(".") and (token,) not in self.aliases:
                self._alias((token,), cluster)
        initials = [part[0] for token in canonical for part in token.split("-") if part]
        if len(initials) >= 3:
            self._alias(("".join(initials).upper(),), cluster)

    def _alias(self, key: Key, cluster: Cluster) -> None:
        ids = self.aliases.setdefault(key, [])
        if cluster.id not in ids:
            ids.append(cluster.id)

    def _in_label(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.labels)

    # --- counting mentions -------------------------------------------------------------------
    def count(self) -> None:
        counter = _Counter(self)
        for run in self.runs:
            counter.count_run(run)


class _Counter:
    """Walks every run of capitals, finding the longest known name at each word."""

    def __init__(self, builder: _Builder) -> None:
        self.builder = builder
        self.document = builder.document
        self.words = builder.words
        self.last_seen: dict[int, int] = {}
        self.mentioned: dict[int, int] = {}

    def count_run(self, run: Run) -> None:
        indices = run.indices
        stems = [self.words[i].stem for i in indices]
        if sum(1 for s in stems if s.isupper() and len(s) > 1) >= 2:
            stems = [s.title() if s.isupper() and len(s) > 1 else s for s in stems]  # "By KAREN LINDQVIST"
        at = 0
        while at < len(indices):
            if indices[at] in self.builder.company_words:
                at += 1
                continue
            found = self._lookup(stems[at:], [self.words[i] for i in indices[at:]])
            if found is None:
                at += 1
                continue
            length, ids = found
            if at == 0 and len(indices) > length and self.builder._in_label(self.words[indices[0]].start):
                length = len(indices)  # a mocking nickname made on a first name: "Kris Jong-Un"
            elif is_other_use(self.document, Use(indices, at, length), self.builder.organisation_heads) or self._skip_loose_word(indices[at], length, ids):
                at += length
                continue
            title = self.words[indices[at - 1]].stem.rstrip(".") if at else ""
            self._count(self._choose(ids, HONORIFIC_GENDERS.get(title)), indices[at], indices[at + length - 1])
            at += length

    def _count(self, cluster: Cluster, first: int, last: int) -> None:
        if cluster.needs_surname:
            self._give_surname(cluster, self.words[first].start)
        head, tail = self.words[first], self.words[last]
        stop = tail.end - (len(tail.text) - len(tail.stem))
        self.builder.mentions.append(Mention(head.start, stop, cluster.id))
        cluster.spans.append((head.start, stop))
        surface = self.document.text[head.start : stop]
        cluster.surfaces[surface] = cluster.surfaces.get(surface, 0) + 1
        self.last_seen[cluster.id] = head.start
        self.mentioned[cluster.id] = self.mentioned.get(cluster.id, 0) + 1

    def _lookup(self, stems: list[str], words: list[Word]) -> tuple[int, list[int]] | None:
        """Longest alias at the start of ``stems``: (words used, candidate clusters)."""
        aliases = self.builder.aliases
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
        if any(self.builder.clusters[i].canonical[-1] == word.stem for i in ids):
            return False  # a surname opening a sentence ("West announced") is the person
        following = _NEXT_WORD.match(self.document.text, word.end)
        return following is not None and following.group(1)[:1].islower() and following.group(1) not in SPEECH_VERBS

    def _choose(self, ids: list[int], gender: str | None = None) -> Cluster:
        """Among people sharing a name, the one the article has named most so far.

        Writers keep the bare surname for the story's main subject and use first names for
        relatives ("Eleanor Vance … her son, Peter Vance … Vance published"), so prominence
        beats recency; a title with a gender ("Mr Dobbs", "Mrs Dobbs") settles it first.
        """
        clusters = self.builder.clusters
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
            for other in self.builder.clusters
            if self.last_seen.get(other.id, -1) >= since and other.standalone is None and len(other.canonical) >= 2
        ]
        for gender in ("m", "u"):
            matching = [p for p in parents if p.gender == gender]
            if matching:
                parent = max(matching, key=lambda p: self.last_seen[p.id])
                surname = [t for t in parent.canonical if t not in NAME_SUFFIXES][-1]
                cluster.name = f"{cluster.name} {surname}"
                return


def find_people(document: Document, spans: list[QuoteSpan]) -> PeopleIndex:
    """Every person named in the document, with each counted mention."""
    builder = _Builder(document, spans)
    builder.collect()
    builder.count()
    return PeopleIndex(builder.clusters, builder.mentions, builder.aliases)

