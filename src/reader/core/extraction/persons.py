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

from reader.core.extraction.candidates import Candidate, is_non_person_word, runs
from reader.core.extraction.counting import Directory, MentionCounter
from reader.core.extraction.document import Document, is_common
from reader.core.extraction.lexicons import (
    DEMONYMS,
    GIVEN_NAMES,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    ROLE_NOUNS,
    ROYAL_TITLES,
    TITLES,
)
from reader.core.extraction.name_clusters import HONORIFIC_GENDERS, Cluster, Key, Mention, PeopleIndex
from reader.core.extraction.quote_marks import QuoteSpan
from reader.core.extraction.trimming import find_candidates

_STRONG = frozenset({"title", "royal", "role", "age", "who", "speech", "family", "credit"})
_STANDALONE = frozenset({"title", "royal", "role", "age", "who", "family"})
_NOT_A_PERSON = frozenset({"modifier", "determiner"})  # "Oscar nominee Alan Alda", "his second Oscar"
_JOINS = frozenset({"and", "&", ",", ", and", ", &"})
# "Darren Kettering, also known as 'Dazza'", "known to fans as Big Marc".
_KNOWN_AS = re.compile(
    r"\A,?\s+(?:(?:who\s+is\s+)?(?:also\s+|better\s+|widely\s+)?known(?:\s+to\s+\w+)?\s+as|aka|a\.k\.a\.)\s+"
    r"[\"'“‘]?(?P<alias>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,2})[\"'”’]?"
)


def _without_suffixes(form: Key) -> Key:
    return tuple(t for t in form if t not in NAME_SUFFIXES)


def _same_person(a: Key, b: Key) -> bool:
    """Whether two full forms name one person ("Kim Kardashian", "Kim Kardashian West")."""
    if _different_generations(a, b):
        return False  # "Raymond DeLuca Jr." and his son "Raymond DeLuca III"
    a = _without_suffixes(a)
    b = _without_suffixes(b)
    if a[0] == b[0] and (a[-1] == b[-1] or a[-1] == b[-1] + "s" or b[-1] == a[-1] + "s"):
        return True  # "Kanye Wests" is "Kanye West" with a lost apostrophe
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    return _initial_of(short, long_) or _inside(short, long_)


def _different_generations(a: Key, b: Key) -> bool:
    suffixes = ({t for t in a if t in NAME_SUFFIXES}, {t for t in b if t in NAME_SUFFIXES})
    return all(suffixes) and suffixes[0] != suffixes[1]


def _initial_of(short: Key, long_: Key) -> bool:
    """"A de Villiers" is "Anne-Marie de Villiers"."""
    return len(short) == 2 and len(short[0]) == 1 and short[0] == long_[0][:1] and short[-1] == long_[-1]


def _inside(short: Key, long_: Key) -> bool:
    return len(short) >= 2 and any(long_[i : i + len(short)] == short for i in range(len(long_) - len(short) + 1))


def _written(document: Document, candidate: Candidate) -> str:
    if candidate.camel:
        return " ".join(candidate.tokens)
    words = document.words
    if candidate.nickname or candidate.tokens[0] != words[candidate.first].stem:
        written = " ".join(candidate.tokens)  # a nickname left out, or a byline in capitals
        stop = words[candidate.last].end
        suffixed = candidate.tokens[-1] in NAME_SUFFIXES and document.text[stop : stop + 1] == "."
        return written + "." if suffixed else written
    last = words[candidate.last]
    end = last.end - (len(last.text) - len(last.stem))
    if last.stem in NAME_SUFFIXES and document.text[end : end + 1] == ".":
        end += 1  # "Raymond DeLuca Jr."
    return document.text[words[candidate.first].start : end]


def _is_full_name(candidate: Candidate, lone_words: set[str]) -> bool:
    tokens = candidate.tokens
    if candidate.camel:
        return True
    if len(tokens) < 2 or candidate.nonperson or candidate.company or any(_is_company_word(t) for t in tokens):
        return False  # "Existing PickPilot": a capital inside a word names a firm or a product
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


def _is_single_person(candidate: Candidate, text: str) -> bool:
    if len(candidate.tokens) != 1 or candidate.nonperson or candidate.titlecase or candidate.camel:
        return False
    evidence = candidate.evidence
    if candidate.company or "group" in evidence or "modifier" in evidence:
        return False
    if "determiner" in evidence and candidate.tokens[0] not in TITLES:
        return False  # "the Aviator", "The Streets": a work, a band, a place
    if "place" in evidence and not evidence & {"title", "royal", "age", "family"}:
        return False  # "at Twickenham": where, not who
    if candidate.place:
        return bool(evidence & {"family", "age", "royal"})
    token = candidate.tokens[0]
    if len(token) < 2 or token.isupper() or _is_plural_noun(candidate, text) or _is_company_word(token):
        return False
    return bool(evidence & _STANDALONE) or ("speech" in evidence and token in GIVEN_NAMES)


def _is_plural_noun(candidate: Candidate, text: str) -> bool:
    """"Patients who received…", "Workers walked out", "MPs who voted", "Arabs", "stormy Lords
    exchanges": a plural, not a name. So is a word the article also writes in lower case
    ("Licensees or employers …" where "licensees" recurs)."""
    token = candidate.tokens[0]
    if not token.endswith("s") or token in GIVEN_NAMES:
        return False
    singular = token[:-1]
    if singular in TITLES or singular in ROYAL_TITLES or singular in DEMONYMS:
        return True  # "Lords", "Generals", "Arabs"
    if candidate.title is not None:
        return False  # "Lord Dubs", "Mr Jones"
    if candidate.loose or singular.isupper() or singular.lower() in ROLE_NOUNS or is_common(singular):
        return True
    lower = token.lower()
    return lower in text and re.search(rf"(?<![\w’'-]){lower}(?![\w’'-])", text) is not None


_CAPITAL_INSIDE_NAMES = frozenset({"Mc", "Mac", "O'", "O’", "De", "Di", "Da", "La", "Le"})  # "McAdam", "DeVito"


def _is_company_word(token: str) -> bool:
    """"DaimlerChrysler", "PayPal": a capital inside one word names a firm or a brand, unless a
    name's prefix comes just before it ("McAdam", "DeVito", "O'Brien"; not "DaimlerChrysler")."""
    if token.isupper():
        return False  # an acronym or "III", not a brand's inner capital
    inner = [index for index, char in enumerate(token) if index and char.isupper() and token[index - 1] not in "-'’."]
    return bool(inner) and not (len(inner) == 1 and token[: inner[0]] in _CAPITAL_INSIDE_NAMES)


class _Builder:
    def __init__(self, document: Document, spans: list[QuoteSpan]) -> None:
        self.document = document
        self.words = document.words
        self.labels = [(s.start, s.end) for s in spans if s.excluded == "label"]
        self.clusters: list[Cluster] = []
        self.aliases: dict[Key, list[int]] = {}
        nicknames = [(s.opener, s.outer_end) for s in spans if s.excluded == "nickname"]
        self.runs = runs(document, nicknames)
        self.organisation_heads: set[str] = set()  # "Halvorsen" of "Halvorsen Group"
        self.company_words: set[int] = set()  # words of "shares of Charles Schwab": no mention
        self.ending_in: dict[str, set[int]] = {}  # last word of a full name -> its clusters
        self.holding: dict[str, set[int]] = {}  # any word of a full name -> its clusters

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
            elif _is_single_person(candidate, self.document.text):
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
        words = _without_suffixes(candidate.tokens) or candidate.tokens
        self.ending_in.setdefault(words[-1], set()).add(cluster.id)
        for token in words:
            self.holding.setdefault(token, set()).add(cluster.id)
        cluster.written.setdefault(candidate.tokens, _written(self.document, candidate))
        if candidate.title:
            cluster.titles[candidate.title] = cluster.titles.get(candidate.title, 0) + 1
        if candidate.camel:
            self._alias((self.words[candidate.first].stem,), cluster)

    def _cluster_for(self, form: Key) -> Cluster:
        """The person a full name belongs to, or a new one. Only people ``_same_person`` can
        join to it are tried: a page of a thousand names is not a million comparisons."""
        for cluster_id in sorted(self._could_be(form)):
            cluster = self.clusters[cluster_id]
            if any(_same_person(form, known) for known in cluster.forms):
                return cluster
        cluster = Cluster(len(self.clusters))
        self.clusters.append(cluster)
        return cluster

    def _could_be(self, form: Key) -> set[int]:
        """Clusters with a form ending in a word of ``form`` (its last word give or take an
        "s"), or holding its last word: every match ``_same_person`` makes is one of these
        (same first and last word, an initial and the same last word, or one name inside the
        other), and most clusters that merely share a first name are not."""
        words = _without_suffixes(form) or form
        last = words[-1]
        found = set(self.holding.get(last, ()))
        for word in (*words, last + "s", last[:-1] if last.endswith("s") else last):
            found.update(self.ending_in.get(word, ()))
        return found

    def _name_cluster(self, cluster: Cluster) -> None:
        """Canonical name, gender and the short forms that will find the person."""
        canonical = cluster.canonical
        cluster.name = cluster.written[canonical]
        cluster.gender = GIVEN_NAMES.get(canonical[0]) or "u"
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
            known = self._known((token,))
            if known is not None and known.standalone == (token,) and candidate.title:
                known.titles[candidate.title] = known.titles.get(candidate.title, 0) + 1  # "Mr Okafor" again
            return
        cluster = Cluster(len(self.clusters))
        royal = candidate.title if candidate.title in ROYAL_TITLES else None
        cluster.standalone = (royal, token) if royal else (token,)
        cluster.name = f"{royal} {token}" if royal else token
        cluster.gender = GIVEN_NAMES.get(token) or "u"
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
        waiting = [index for index, candidate in enumerate(candidates) if self._lone_given_name(candidate)]
        grew = True
        while grew:
            grew = False
            for index in waiting:
                candidate = candidates[index]
                if candidate.tokens in people:
                    continue
                neighbours = [n for n in (index - 1, index + 1) if 0 <= n < len(candidates)]
                if any(
                    candidates[n].tokens in people
                    and self._joined(candidates[min(index, n)], candidates[max(index, n)])
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
            and not candidate.evidence & _NOT_A_PERSON
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
    def count(self) -> list[Mention]:
        directory = Directory(
            self.clusters, self.aliases, self.company_words, self.organisation_heads, self.labels
        )
        counter = MentionCounter(self.document, directory)
        for run in self.runs:
            counter.count_run(run)
        return directory.mentions


# Titles that go with a given name rather than a surname ("Sir Alex", "Dame Judi").
_GIVEN_NAME_TITLES = frozenset({"Sir", "Dame"})


def name_kind(cluster: Cluster) -> str:
    """"full", "surname" or "single" (see ``Person.name_kind``)."""
    if cluster.standalone is None:
        return "full"
    if len(cluster.standalone) > 1 or " " in cluster.name:
        return "single"  # "Prince Harry"; a child given the father's surname ("North West")
    token = cluster.standalone[0]
    surname_titles = [title for title in cluster.titles if title.rstrip(".") not in _GIVEN_NAME_TITLES]
    if surname_titles or token not in GIVEN_NAMES:
        return "surname"  # "Mr Okafor", "Okafor said"
    if cluster.titles:
        return "single"  # "Sir Alex": a given name, by its title
    return "given"  # "Wilkinson kicked…", "Adaeze laughed": a given name, or a surname that is one too


def gender_of(cluster: Cluster) -> str:
    """The gender a title gives ("Mrs", "Sir"), else the given name's ("u" when unknown)."""
    titles = {title.rstrip(".") for title in cluster.titles}
    genders = {HONORIFIC_GENDERS[title] for title in titles if title in HONORIFIC_GENDERS}
    if len(genders) == 1:
        return genders.pop()
    return "u" if name_kind(cluster) in ("surname", "given") else cluster.gender


def find_people(document: Document, spans: list[QuoteSpan]) -> PeopleIndex:
    """Every person named in the document, with each counted mention."""
    builder = _Builder(document, spans)
    builder.collect()
    return PeopleIndex(builder.clusters, builder.count(), builder.aliases)

