"""People: deciding which candidates are persons, merging their names, counting mentions.

A full name ("Kim Kardashian") is a person when its first word is a given name or its context
says so (a title, a role, an age, "who", a speech verb); two capitalised unknown words count too
when the second one later stands alone, as surnames do in news prose. Each person gets one
canonical name, the most used full form, and every other form found maps to it: longer and
shorter full forms, the first name, the surname, first name plus initial ("Kim K"), possessives
with or without the apostrophe ("Kanye’s", "Kanyes"). A single name with family evidence and no
full form ("their daughter, North") takes the surname of the latest man named before it.
"""

from __future__ import annotations

from bisect import bisect_left
import re
from dataclasses import dataclass, field

from reader.core.extraction.document import Document, Word, is_common
from reader.core.extraction.lexicons import (
    GIVEN_NAMES,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    ROLE_NOUNS,
    ROYAL_TITLES,
    SPEECH_VERBS,
    TITLES,
)
from reader.core.extraction.names import (
    PLACE_WORDS,
    Candidate,
    find_candidates,
    is_non_person_word,
    phrase_at,
    runs,
)
from reader.core.extraction.quotes import QuoteSpan

Key = tuple[str, ...]
_STRONG = frozenset({"title", "royal", "role", "age", "who", "speech", "family", "credit"})
_STANDALONE = frozenset({"title", "royal", "role", "age", "who", "family"})
_LOCATIVE = frozenset(
    "in at from to into near across around outside inside of via visit visited visiting toward towards".split()
)
_DETERMINERS = frozenset("the The a an".split())
_JOINS = frozenset({"and", "&", ",", ", and", ", &"})
_FIRM_JOIN_AFTER = re.compile(r"(?:['’]s)?\s*&\s*[A-Z]")
_FIRM_JOIN_BEFORE = re.compile(r"&\s*$")
_NEXT_WORD = re.compile(r"\s+(\w+)")
_PERSON_AFTER = re.compile(
    r",?\s+(?:who|he|she|(?:" + "|".join(sorted(v for v in SPEECH_VERBS if not v.endswith("ing"))) + r"))\b"
)


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

    @property
    def canonical(self) -> Key:
        if self.standalone is not None:
            return self.standalone
        # the most used full form; on a tie, plain "First Last" before longer or shorter forms
        return max(self.forms, key=lambda form: (self.forms[form], len(form) == 2, len(form)))


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
    starts_by_cluster: dict[int, list[int]] | None = None

    def resolve(self, tokens: Key, before: int | None = None) -> Cluster | None:
        """The person a written name refers to ("Senate Minority Leader George Pruitt" -> Pruitt).

        Leading words that are not part of any known name (titles, offices) are dropped; a name
        several people share goes to the one named most before ``before``.
        """
        for start in range(len(tokens)):
            key = tokens[start:]
            ids = self.aliases.get(key)
            if not ids and key[-1].endswith("s"):
                ids = self.aliases.get(key[:-1] + (key[-1][:-1],))
            if ids:
                break
        else:
            return None
        if len(ids) > 1 and before is not None:
            starts = self._mention_starts()
            counts = {i: bisect_left(starts.get(i, ()), before) for i in ids}
            return self.clusters[max(ids, key=lambda i: (counts[i], -i))]
        return self.clusters[max(ids, key=lambda i: len(self.clusters[i].spans))]

    def _mention_starts(self) -> dict[int, list[int]]:
        """Each person's mention offsets in order, made once: counting the mentions before a
        quote is then a bisection, not a pass over every mention for every quote."""
        if self.starts_by_cluster is None:
            self.starts_by_cluster = {}
            for mention in self.mentions:
                self.starts_by_cluster.setdefault(mention.cluster, []).append(mention.start)
            for starts in self.starts_by_cluster.values():
                starts.sort()
        return self.starts_by_cluster


def _without_suffixes(form: Key) -> Key:
    return tuple(t for t in form if t not in NAME_SUFFIXES)


def _same_person(a: Key, b: Key) -> bool:
    a = _without_suffixes(a)
    b = _without_suffixes(b)
    if a[0] == b[0] and (a[-1] == b[-1] or a[-1] == b[-1] + "s" or b[-1] == a[-1] + "s"):
        return True  # "Kanye Wests" is "Kanye West" with a lost apostrophe
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return len(short) >= 2 and any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _written(document: Document, candidate: Candidate) -> str:
    if candidate.camel:
        return " ".join(candidate.tokens)
    words = document.words
    last = words[candidate.last]
    end = last.end - (len(last.text) - len(last.stem))
    return document.text[words[candidate.first].start : end]


def _is_full_name(candidate: Candidate, lone_words: set[str]) -> bool:
    tokens = candidate.tokens
    if candidate.camel:
        return True
    if len(tokens) < 2 or candidate.nonperson or candidate.titlecase or candidate.company:
        return False
    head = tokens[0]
    if candidate.evidence & _STRONG:
        return True
    if "place" in candidate.evidence:
        return False  # "in Ann Arbor": a given name that starts a place name
    if head in GIVEN_NAMES or (len(head) == 1 and head.isupper()):
        return True
    plain = not any(is_common(t) or is_non_person_word(t) or t.isupper() for t in tokens)
    return plain and not candidate.loose and tokens[-1] in lone_words


def _is_single_person(candidate: Candidate) -> bool:
    if len(candidate.tokens) != 1 or candidate.nonperson or candidate.titlecase or candidate.camel:
        return False
    evidence = candidate.evidence
    if candidate.company or "group" in evidence:
        return False
    if candidate.place:
        return bool(evidence & {"family", "age", "royal"})
    token = candidate.tokens[0]
    if len(token) < 2 or token.isupper():
        return False
    return bool(evidence & _STANDALONE) or ("speech" in evidence and token in GIVEN_NAMES)


class _Builder:
    def __init__(self, document: Document, spans: list[QuoteSpan]) -> None:
        self.document = document
        self.words = document.words
        self.labels = [(s.start, s.end) for s in spans if s.excluded == "label"]
        self.clusters: list[Cluster] = []
        self.aliases: dict[Key, list[int]] = {}
        self.mentions: list[Mention] = []
        self.runs = runs(document)
        self.organisation_heads: set[str] = set()  # "Halvorsen" of "Halvorsen Group"
        self.company_words: set[int] = set()  # words of "shares of Charles Schwab": no mention
        self._ending_in: dict[str, set[int]] = {}  # last word of a form -> clusters
        self._holding_word: dict[str, set[int]] = {}  # any word of a form -> clusters

    def _cluster_for(self, form: Key) -> Cluster:
        """The first person (in order of appearance) one of whose forms ``form`` may be; a new
        one if none. Only people sharing a word with ``form`` can be, so only they are tried:
        a page of a thousand different names is not a million comparisons."""
        for cluster_id in sorted(self._sharing_a_word(form)):
            cluster = self.clusters[cluster_id]
            if cluster.standalone is None and any(_same_person(form, known) for known in cluster.forms):
                return cluster
        cluster = Cluster(len(self.clusters))
        self.clusters.append(cluster)
        return cluster

    def _sharing_a_word(self, form: Key) -> set[int]:
        """Clusters that ``_same_person`` could join to ``form``: those with a form ending in
        a word of ``form`` (or in its last word give or take an "s"), or holding its last word."""
        words = _without_suffixes(form) or form
        last = words[-1]
        ids = set(self._holding_word.get(last, ()))
        for word in (*words, last + "s", last[:-1] if last.endswith("s") else last):
            ids.update(self._ending_in.get(word, ()))
        return ids

    def _add_form(self, cluster: Cluster, form: Key) -> None:
        cluster.forms[form] = cluster.forms.get(form, 0) + 1
        words = _without_suffixes(form) or form
        self._ending_in.setdefault(words[-1], set()).add(cluster.id)
        for word in words:
            self._holding_word.setdefault(word, set()).add(cluster.id)

    def collect(self) -> None:
        candidates = find_candidates(self.document, self.runs)
        lone_words = {
            self.words[first].stem
            for first, end in self.runs
            if end - first == 1 and not self.words[first].loose
        }
        singles: list[Candidate] = []
        accepted: set[int] = set()  # indices into ``candidates`` of the people found
        for index, candidate in enumerate(candidates):
            if self._in_label(self.words[candidate.first].start):
                continue  # a nickname, counted later for the person it mocks
            if candidate.company:
                self.company_words.update(range(candidate.first, candidate.last + 1))
            if _is_full_name(candidate, lone_words) or _is_single_person(candidate):
                accepted.add(index)
            if _is_full_name(candidate, lone_words):
                known = self._surname_with_particle(candidate.tokens)
                if known is not None:
                    self._alias(candidate.tokens, known)  # "Van Persie" opening a sentence: a mention
                    continue
                cluster = self._cluster_for(candidate.tokens)
                self._add_form(cluster, candidate.tokens)
                cluster.written.setdefault(candidate.tokens, _written(self.document, candidate))
                if candidate.camel:
                    self._alias((self.words[candidate.first].stem,), cluster)
            elif _is_single_person(candidate):
                singles.append(candidate)
            elif candidate.nonperson and len(candidate.tokens) > 1 and candidate.tokens[-1] in ORG_SUFFIXES:
                self.organisation_heads.add(candidate.tokens[0])
        singles += self._coordinated_given_names(candidates, accepted)
        for cluster in self.clusters:
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
        for candidate in singles:
            token = candidate.tokens[0]
            if (token,) in self.aliases:
                continue
            cluster = Cluster(len(self.clusters))
            royal = candidate.title if candidate.title in ROYAL_TITLES else None
            cluster.standalone = (royal, token) if royal else (token,)
            cluster.name = f"{royal} {token}" if royal else token
            cluster.gender = GIVEN_NAMES.get(token, "u")
            cluster.needs_surname = "family" in candidate.evidence and not royal
            self.clusters.append(cluster)
            self._alias((token,), cluster)
            if royal:
                self._alias((royal, token), cluster)

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

    def _lookup(self, stems: list[str], words: list[Word]) -> tuple[int, list[int]] | None:
        """Longest alias at the start of ``stems``: (words used, candidate clusters)."""
        for length in range(min(5, len(stems)), 0, -1):
            key = tuple(stems[:length])
            if key in self.aliases:
                return length, self.aliases[key]
            last = words[length - 1]
            stem = key[-1]
            if not last.possessive and len(stem) > 3 and stem.endswith("s") and not is_non_person_word(stem):
                shorter = key[:-1] + (stem[:-1],)
                if shorter in self.aliases:
                    return length, self.aliases[shorter]  # "Kanyes", "Kanye Wests": a lost apostrophe
        return None

    def _in_label(self, offset: int) -> bool:
        return any(start <= offset < end for start, end in self.labels)

    def _excluded(self, first: int, end: int, at: int, length: int) -> bool:
        """Whether the alias at words ``[at, at+length)`` of run ``[first, end)`` is no mention."""
        words = self.words
        text = self.document.text
        head = words[at]
        tail = words[at + length - 1]
        titlecase = head.titlecase
        if at > first:
            previous = words[at - 1]
            if not (
                titlecase
                or previous.loose
                or previous.stem in TITLES
                or previous.stem.rstrip(".") in TITLES
                or previous.stem in ROYAL_TITLES
                or previous.stem.lower() in ROLE_NOUNS
                or len(previous.stem) == 1
            ):
                return True  # part of another name: "Sky Cinema", "Goldman Sachs"
        if at + length < end:
            following = words[at + length]
            stems = tuple(w.stem for w in words[first:end])
            if following.stem in ORG_SUFFIXES or phrase_at(stems, at - first) > length:
                return True  # "Trump Administration", "North Carolina"
            if not titlecase and following.stem not in NAME_SUFFIXES:
                return True  # "Trump Tower", "Kardashian Beauty"
        if text[head.start - 1 : head.start] == "@":
            return True
        if _FIRM_JOIN_AFTER.match(text, tail.end) or _FIRM_JOIN_BEFORE.search(text, max(0, head.start - 3), head.start):
            return True  # "Ben & Jerry's", "Johnson & Johnson": a firm named after its founders
        if tail.possessive and not titlecase:
            after = text[tail.end : tail.end + 40].split(maxsplit=1)
            if after and after[0][:1].isupper() and is_common(after[0].strip(".,;:!?")):
                return True  # "Cannon’s Class": a title made from a name
        before = text[max(0, head.start - 12) : head.start].split()
        if at + length == end and before and before[-1] in _DETERMINERS:
            rest = text[tail.end : tail.end + 30].split(maxsplit=1)
            if rest and rest[0][:1].islower() and rest[0].strip(".,;:!?") not in SPEECH_VERBS:
                return True  # "the West family", "the Trump administration"
        if length == 1 and head.stem in self.organisation_heads and not _PERSON_AFTER.match(text, tail.end):
            return True  # "Halvorsen, which employs…": the firm named after its founder
        if length == 1 and (head.stem in PLACE_WORDS or is_common(head.stem)):
            if before and before[-1].lower() in _LOCATIVE:
                return True  # "in Chicago"
            if before and before[-1].endswith(",") and before[-1][:-1] in PLACE_WORDS:
                return True  # "Atlanta, Georgia": a city, then its state
        return False

    def count(self) -> None:
        words = self.words
        last_seen: dict[int, int] = {}
        mentioned: dict[int, int] = {}
        for first, end in self.runs:
            stems = [w.stem for w in words[first:end]]
            at = first
            while at < end:
                if at in self.company_words:
                    at += 1
                    continue
                # A name is at most five words: looking further would make a long run of
                # capitalised words (a headline in capitals, a list of names) quadratic.
                found = self._lookup(stems[at - first : at - first + 5], words[at : min(end, at + 5)])
                if found is None:
                    at += 1
                    continue
                length, ids = found
                if at == first and end - first > length and self._in_label(words[at].start):
                    length = end - first  # a mocking nickname made on a first name: "Kris Jong-Un"
                elif self._excluded(first, end, at, length) or self._skip_loose_word(at, length, ids):
                    at += length
                    continue
                cluster = self._choose(ids, mentioned)
                if cluster.needs_surname:
                    self._give_surname(cluster, last_seen)
                head, tail = words[at], words[at + length - 1]
                stop = tail.end - (len(tail.text) - len(tail.stem))
                self.mentions.append(Mention(head.start, stop, cluster.id))
                cluster.spans.append((head.start, stop))
                surface = self.document.text[head.start : stop]
                cluster.surfaces[surface] = cluster.surfaces.get(surface, 0) + 1
                last_seen[cluster.id] = head.start
                mentioned[cluster.id] = mentioned.get(cluster.id, 0) + 1
                at += length

    def _skip_loose_word(self, at: int, length: int, ids: list[int]) -> bool:
        """A first name that is also an everyday word, opening a sentence: "Will he run?"."""
        word = self.words[at]
        if length != 1 or not word.loose or not is_common(word.stem):
            return False
        if any(self.clusters[i].canonical[-1] == word.stem for i in ids):
            return False  # a surname opening a sentence ("West announced") is the person
        following = _NEXT_WORD.match(self.document.text, word.end)
        return following is not None and following.group(1)[:1].islower() and following.group(1) not in SPEECH_VERBS

    def _choose(self, ids: list[int], mentioned: dict[int, int]) -> Cluster:
        """Among people sharing a name, the one the article has named most so far.

        Writers keep the bare surname for the story's main subject and use first names for
        relatives ("Eleanor Vance … her son, Peter Vance … Vance published"), so prominence
        beats recency.
        """
        if len(ids) == 1:
            return self.clusters[ids[0]]
        return self.clusters[max(ids, key=lambda i: (mentioned.get(i, 0), sum(self.clusters[i].forms.values()), -i))]

    def _give_surname(self, cluster: Cluster, last_seen: dict[int, int]) -> None:
        """A child named by first name alone takes the surname of the latest man named before."""
        cluster.needs_surname = False
        parents = [
            other
            for other in self.clusters
            if other.id in last_seen and other.standalone is None and len(other.canonical) >= 2
        ]
        for gender in ("m", "u", "f"):
            matching = [p for p in parents if p.gender == gender]
            if matching:
                parent = max(matching, key=lambda p: last_seen[p.id])
                surname = [t for t in parent.canonical if t not in NAME_SUFFIXES][-1]
                cluster.name = f"{cluster.name} {surname}"
                return


def find_people(document: Document, spans: list[QuoteSpan]) -> PeopleIndex:
    """Every person named in the document, with each counted mention."""
    builder = _Builder(document, spans)
    builder.collect()
    builder.count()
    return PeopleIndex(builder.clusters, builder.mentions, builder.aliases)
