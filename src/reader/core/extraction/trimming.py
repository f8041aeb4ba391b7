"""Trimming a run of capitals down to the name in it, and saying what kind of name it is.

"U.S. District Judge Miriam Osei" is Miriam Osei with the title Judge; "The Halvorsen Group" an
organisation; "Brendan O'Hare KC" Brendan O'Hare; "Helena Brookfield Rural affairs
correspondent" Helena Brookfield. Each leading word is looked at in turn: a title or office, a
known place or organisation that prefixes the name, an interview marker ("Q."), an abbreviation
("U.S."), initials, a word that only opens the sentence, an acronym.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache

from reader.core.extraction.candidates import (
    OUTLET_WORDS,
    PLACE_WORDS,
    Candidate,
    Run,
    is_initial,
    is_non_person_word,
    is_title,
    opens_line,
    phrase_at,
)
from reader.core.extraction.document import Document, is_common
from reader.core.extraction.evidence import gather_evidence
from reader.core.extraction.lexicons import (
    DAYS,
    DEMONYMS,
    GIVEN_NAMES,
    HONORIFICS,
    MONTHS,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    ORGANISATIONS,
    OUTLETS,
    PLACE_SUFFIXES,
    PLACES,
    POST_NOMINALS,
    ROLE_NOUNS,
    ROYAL_TITLES,
    TITLE_MODIFIERS,
    TITLES,
)

CONTINUE, STOP = "continue", "stop"
_ROYAL_ADJECTIVES = frozenset({"Royal", "Regent", "Consort", "Dowager"})
_NEXT_WORD = re.compile(r" (\w+)")
_NEXT_TWO = re.compile(r" (\w+)(?: (\w+))?")
_LINKING_WORDS = frozenset("and or but the a an of to in on at for with by as is was has had said says".split())
_CAMEL_NAME = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]{2,})$")
_PARTY_STATE = re.compile(r"^[RDI]-[A-Z]")  # "R-Idaho", "D-N.J.": a party and a state
_ROMANISED_GIVEN = re.compile(r"^[A-Z][a-z]+-[a-z]+$")  # "Seo-yeon", "Ji-ho": after a surname
# First words that make a run an organisation ("Radio Pudahuel", "Banco Austral", "Atlético Marbella").
_ORG_PREFIXES = frozenset(
    "Radio Banco Banca Banque Atlético Atletico Real Sporting Club Grupo Groupe Team Hotel Air Inter "
    "Deportivo Olympique Borussia Dynamo Lokomotiv Universidad Université University Institute".split()
)
# Organisation words that make a run no person wherever they stand ("University College London").
_ORG_WORDS = frozenset(
    "University College Institute Institution Ministry Department Council Committee Commission Agency "
    "Authority Bureau Federation Association Union League Corporation Company Foundation Society "
    "Party Holdings Township Palace Stadium Arena Academy Hospital Trust Alliance Coalition".split()
)
# Capitalised small words that a person's name never holds ("Heads Up For Her", "Save Our Rivers").
_FUNCTION_WORDS = frozenset("For Of The And Up Her His Our Their Its To In On At With Without Not No".split())
# The lower-case ends of compound adjectives written before a name ("London-based", "Rosneft-owned").
_COMPOUND_TAILS = frozenset(
    "based owned born led run backed funded listed language published winning winner hand free form "
    "made style bound year old like type sized speaking".split()
)
_STAMPS = frozenset({"Published", "Updated", "Posted", "Last", "Modified"})




class _Trim:
    """The trimming of one run, a leading word at a time."""

    def __init__(self, document: Document, run: Run) -> None:
        self.document = document
        self.words = document.words
        self.text = document.text
        self.indices = run.indices
        self.tokens = tuple(self.words[i].stem for i in run.indices)
        self.position = 0
        self.title: str | None = None
        self.role = False

    def word(self, position: int | None = None) -> int:
        return self.indices[self.position if position is None else position]

    # --- leading words ---------------------------------------------------------------------
    def start(self) -> int:
        """Index of the first name token (len(tokens) when nothing is left)."""
        for index in range(len(self.tokens) - 2, 0, -1):
            if is_title(self.tokens[index]):
                self.position = index  # "U.S. District Judge Miriam Osei": all before the title is office
                break
        if self.position == 0 and _opens_a_name(self.tokens[0]):
            return 0  # "Chidi Okafor": a given name no leading-word rule can take (the common case)
        steps = (self._title, self._office, self._phrase, self._interview_marker, self._abbreviation,
                 self._initials, self._opening_word, self._acronym)
        while self.position < len(self.tokens) and self._step(steps) != STOP:
            pass
        return self.position

    @staticmethod
    def _step(steps: tuple[Callable[[], str | None], ...]) -> str:
        for step in steps:
            outcome = step()
            if outcome is not None:
                return outcome
        return STOP

    def _title(self) -> str | None:
        token = self.tokens[self.position]
        if not is_title(token):
            return None
        self.title = token  # the title nearest the name is the one that counts
        self.position += 1
        return CONTINUE

    def _office(self) -> str | None:
        token = self.tokens[self.position]
        if token not in TITLE_MODIFIERS and token.lower() not in ROLE_NOUNS:
            return None
        self.role = self.role or token.lower() in ROLE_NOUNS  # "Analyst Morgan Reyes", "Coach Keller"
        self.position += 1
        return CONTINUE

    def _phrase(self) -> str | None:
        token = self.tokens[self.position]
        if self.position == len(self.tokens) - 1 or token in GIVEN_NAMES:
            return None
        length = phrase_at(self.tokens, self.position)
        if not length or self.position + length >= len(self.tokens):
            return None
        self.position += length
        return CONTINUE

    def _interview_marker(self) -> str | None:
        """"Q. Paula beat you…": an interview's question, not an initial."""
        word_end = self.words[self.word()].end
        if self.position or self.tokens[0] not in ("Q", "A") or self.text[word_end : word_end + 1] not in (".", ":"):
            return None
        if not opens_line(self.text, self.words[self.word(0)].start):
            return None
        self.position += 1
        return CONTINUE

    def _abbreviation(self) -> str | None:
        """"U.S.", "U.K.": an abbreviation, not initials."""
        word_end = self.words[self.word()].end
        if not is_initial(self.tokens[self.position]) or self.text[word_end : word_end + 1] != ".":
            return None
        if self.position + 1 >= len(self.tokens) or self.words[self.word(self.position + 1)].start != word_end + 1:
            return None
        while self.position < len(self.tokens) and is_initial(self.tokens[self.position]):
            self.position += 1
        return CONTINUE

    def _initials(self) -> str | None:
        token = self.tokens[self.position]
        word_end = self.words[self.word()].end
        if not is_initial(token) or (token in ("A", "I") and self.text[word_end : word_end + 1] != "."):
            return None
        following = self.position
        while following < len(self.tokens) and is_initial(self.tokens[following]):
            following += 1
        if following < len(self.tokens) and (self.tokens[following] in TITLES or is_common(self.tokens[following])):
            self.position = following
            return CONTINUE
        return STOP

    def _opening_word(self) -> str | None:
        """A common word, people, month or day that only opens the run ("The", "British")."""
        token = self.tokens[self.position]
        if self.position == len(self.tokens) - 1:
            return None
        if not (is_common(token) or token in DEMONYMS or token in MONTHS or token in DAYS or self._describes_name()):
            return None
        if self._keeps_opening_word(token):
            return None
        self.position += 1
        self.title = None
        self.role = False
        return CONTINUE

    def _describes_name(self) -> bool:
        """"In-form James McIlroy", "US-based Alistair Cragg", "Injured Rio Ferdinand" opening a
        sentence: a word that describes the given name and surname that follow."""
        token, following = self.tokens[self.position], self.tokens[self.position + 1]
        if token.rpartition("-")[2] in _COMPOUND_TAILS:
            return True  # "London-based Xstrata", "State-owned Rosneft", "Oscar-winning Jamie Foxx"
        if token in GIVEN_NAMES or following not in GIVEN_NAMES or self.position + 2 >= len(self.tokens):
            return False
        return "-" in token or self.words[self.word()].loose

    def _keeps_opening_word(self, token: str) -> bool:
        following = self.tokens[self.position + 1]
        if self.title is not None or _ROMANISED_GIVEN.match(following):
            return True  # "Dr. Park Seo-yeon": after a title, or before a romanised given name
        return (
            token in GIVEN_NAMES
            and not is_common(following)
            and following not in GIVEN_NAMES
            and not (self.words[self.word()].loose and following in TITLES)
        )

    def _acronym(self) -> str | None:
        token = self.tokens[self.position]
        if not (token.isupper() and len(token) > 1 and token not in NAME_SUFFIXES):
            return None
        if self._all_capitals_name():
            return STOP  # "CHLOE BRIGGS": a byline in capitals
        self.position += 1  # an acronym: CEO, FBI, US
        return CONTINUE

    def _all_capitals_name(self) -> bool:
        rest = self.tokens[self.position :]
        return len(rest) >= 2 and rest[0].title() in GIVEN_NAMES and all(t.isupper() for t in rest)

    # --- trailing words --------------------------------------------------------------------
    def end(self, start: int) -> int:
        """One past the last name token."""
        tokens = self.tokens
        last = len(tokens)
        while last - start > 1 and (
            (tokens[last - 1] in HONORIFICS and tokens[last - 1] not in GIVEN_NAMES)
            or tokens[last - 1].rstrip(".") in POST_NOMINALS
        ):
            last -= 1  # "senior Tory MP", "Brendan O'Hare KC"
        for cut in range(start + 1, last):
            if tokens[cut] in MONTHS or tokens[cut] in DAYS or tokens[cut] in _STAMPS:
                last = cut  # "Kristen Albee Published June 12": a byline, then its date
                break
        if (
            last - start > 2
            and tokens[last - 1] not in GIVEN_NAMES
            and _job_follows(self.text, self.words[self.word(last - 1)].end)
        ):
            last -= 1  # "Hannah Wyatt Political correspondent": the job's first word, not a surname
        if (
            last - start > 2
            and tokens[last - 1] in ("A", "I")
            and _next_is_lower(self.text, self.words[self.word(last - 1)].end)
        ):
            last -= 1  # "By Dominic Ferrante A slick …": a flattened byline, then the story
        return last


@lru_cache(maxsize=1 << 16)
def _opens_a_name(token: str) -> bool:
    """A given name that is no title, office, initial, acronym, everyday word, people or date:
    none of the leading-word steps can take it, so a run that starts with it is left as it is."""
    return (
        token in GIVEN_NAMES
        and _is_plain_word(token)
        and len(token) > 1
        and not is_common(token)
        and token not in DEMONYMS
        and token not in MONTHS
        and token not in DAYS
        and token not in ("Q", "A")
        and token.rpartition("-")[2] not in _COMPOUND_TAILS
    )


@lru_cache(maxsize=1 << 16)
def _is_plain_word(token: str) -> bool:
    """Neither a title, an office nor an acronym: a word trimming leaves as it is."""
    return not (is_title(token) or token in TITLE_MODIFIERS or token.lower() in ROLE_NOUNS or token.isupper())


def _next_word(text: str, end: int) -> str:
    """The word right after ``end`` (one space between), or ""."""
    match = _NEXT_WORD.match(text, end)
    return match.group(1) if match else ""


def _job_follows(text: str, end: int) -> bool:
    """Whether a job title goes on after ``end``: "… correspondent", "… affairs correspondent"."""
    following = _NEXT_TWO.match(text, end)
    if following is None:
        return False
    first, second = following.group(1), following.group(2)
    if first in ROLE_NOUNS:
        return True
    return first.islower() and first not in _LINKING_WORDS and second is not None and second in ROLE_NOUNS


def _next_is_lower(text: str, end: int) -> bool:
    return _next_word(text, end)[:1].islower()


def _is_organisation(kept: tuple[str, ...]) -> bool:
    whole = " ".join(kept)
    last = kept[-1]
    return (
        whole in PLACES
        or whole in ORGANISATIONS
        or whole.casefold() in OUTLETS
        or (last in ORG_SUFFIXES and (len(kept) > 1 or last not in GIVEN_NAMES))
        or (len(kept) > 1 and _names_a_body_or_place(kept))
        or not _FUNCTION_WORDS.isdisjoint(kept[1:])
        or any(t[1:2] == "-" and _PARTY_STATE.match(t) for t in kept)
    )


def _names_a_body_or_place(kept: tuple[str, ...]) -> bool:
    """Several words that name a place ("Dawkins Field"), a known body in the plural, a known
    place or body, or a body by its first or any word ("Radio Pudahuel", "University College")."""
    last = kept[-1]
    return (
        (last in PLACE_SUFFIXES and kept[0] not in GIVEN_NAMES)
        or (last.endswith("s") and last in ORGANISATIONS)
        or phrase_at(kept, 0) == len(kept)
        or kept[0] in _ORG_PREFIXES
        or not _ORG_WORDS.isdisjoint(kept)
    )


def _classify(candidate: Candidate, kept: tuple[str, ...]) -> None:
    royal_adjective = candidate.title in ROYAL_TITLES and kept[-1] in _ROYAL_ADJECTIVES  # "Queen Consort"
    if len(kept) == 1:
        candidate.place, candidate.nonperson, camel = _single_word_kind(kept[0])
        if royal_adjective and kept[0] not in PLACE_WORDS:
            candidate.place, candidate.nonperson, camel = False, True, None
        if camel is not None:
            candidate.camel = True
            candidate.tokens = camel
    elif royal_adjective or _is_organisation(kept):
        candidate.nonperson = True


@lru_cache(maxsize=1 << 16)
def _single_word_kind(word: str) -> tuple[bool, bool, tuple[str, str] | None]:
    """(a place, no person, a run-together name split in two) for a name of one word: the word
    alone decides, so each is worked out once."""
    if word in PLACE_WORDS:
        return True, False, None  # a place, unless the context shows a person (North, Chicago)
    if _is_organisation((word,)):
        return False, True, None
    camel = _CAMEL_NAME.match(word)
    if camel and camel.group(1) in GIVEN_NAMES:
        return False, False, (camel.group(1), camel.group(2))
    if is_common(word) and word not in GIVEN_NAMES:
        return True, False, None
    return False, is_non_person_word(word) or word.casefold() in OUTLET_WORDS, None


def _normal_case(tokens: tuple[str, ...]) -> tuple[str, ...]:
    """"CHLOE BRIGGS" -> "Chloe Briggs": a byline in capitals names the person in normal case."""
    if len(tokens) >= 2 and all(t.isupper() and len(t) > 1 for t in tokens) and tokens[0].title() in GIVEN_NAMES:
        return tuple(t.title() for t in tokens)
    return tokens


def trim(document: Document, run: Run) -> Candidate | None:
    """Drop leading titles, sentence-opening words and organisation prefixes from a run."""
    if len(run.indices) == 1 and _is_plain_word(document.words[run.indices[0]].stem):
        return _single_word(document, run)  # most runs: one ordinary capitalised word, nothing to trim
    trimmer = _Trim(document, run)
    start = trimmer.start()
    if start >= len(trimmer.tokens):
        return None
    last = trimmer.end(start)
    kept = _normal_case(trimmer.tokens[start:last])
    candidate = Candidate(
        trimmer.word(start), trimmer.word(last - 1), kept, title=trimmer.title, run_first=run.indices[0],
        nickname=run.nickname,
    )
    if trimmer.role and (len(kept) > 1 or document.words[run.indices[0]].loose):
        # "Analyst Morgan Reyes", "Coach Keller said"; but a capitalised role word before one
        # more word inside a sentence is part of a title ("Twin Peaks", "Mother Nature")
        candidate.evidence.add("role")
    head = document.words[candidate.first]
    candidate.loose = head.loose
    candidate.titlecase = head.titlecase
    _classify(candidate, kept)
    return candidate


@lru_cache(maxsize=1 << 16)
def _lone_word_kind(word: str) -> tuple[bool, bool]:
    """(an everyday word that is no given name, a word that names no one) for a run of one word."""
    given = word in GIVEN_NAMES
    return is_common(word) and not given, not given and word not in PLACE_WORDS and is_non_person_word(word)


def _single_word(document: Document, run: Run) -> Candidate:
    index = run.indices[0]
    word = document.words[index]
    candidate = Candidate(index, index, (word.stem,), run_first=index, nickname=run.nickname)
    candidate.loose = word.loose
    candidate.titlecase = word.titlecase
    _classify(candidate, candidate.tokens)
    return candidate


def find_candidates(document: Document, found: list[Run]) -> list[Candidate]:
    """Every run of capitalised words, trimmed, with its evidence, in text order."""
    candidates: list[Candidate] = []
    words = document.words
    for run in found:
        if len(run.indices) == 1:
            word = words[run.indices[0]]
            common, names_no_one = _lone_word_kind(word.stem)
            if not word.capitalised or (word.loose and common):
                continue  # "The", "However": a sentence opens, nothing is named
            if names_no_one:
                continue  # "Monday", "Labour", "Reuters": a single word that names no one
        candidate = trim(document, run)
        if candidate is None:
            continue
        if not candidate.nonperson:
            gather_evidence(document, candidate)
        candidates.append(candidate)
    return candidates
