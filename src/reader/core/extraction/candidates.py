"""Candidate person names: runs of capitalised words, trimmed and classified.

A run is a stretch of capitalised words ("President Joe Biden", "Vanity Fair", "North Carolina"),
bridging a nickname in quote marks (``Margaret "Maggie" Haldane``). Leading titles and
sentence-opening words are trimmed off, and trailing post-nominals ("KC") and job lines; what
remains is either a non-person (a place, an organisation, an outlet: known from the lexicons or
from a word such as "Inc", "United" or "Township") or a possible name, whose context
``evidence`` then weighs.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reader.core.extraction.document import Document, Word
from reader.core.extraction.lexicons import (
    DAYS,
    DEMONYMS,
    HOLIDAYS,
    HONORIFICS,
    MONTHS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    ORGANISATIONS,
    OUTLETS,
    PLACES,
    ROYAL_TITLES,
    TITLES,
)

PLACE_WORDS = frozenset(p for p in PLACES if " " not in p)
_NON_PERSON_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(PLACES | ORGANISATIONS | set(OUTLETS.values()), key=len, reverse=True):
    _tokens = tuple(_phrase.split())
    _NON_PERSON_PHRASES.setdefault(_tokens[0], []).append(_tokens)
OUTLET_WORDS = frozenset(form for form in OUTLETS if " " not in form)


@dataclass(slots=True)
class Candidate:
    """A trimmed run of capitalised words that may name a person, with what its context says."""

    first: int  # index of the first name word in ``Document.words``
    last: int  # index of the last name word (inclusive)
    tokens: tuple[str, ...]
    title: str | None = None  # a royal or honorific title written just before
    run_first: int = 0  # index of the run's first word, before titles were trimmed
    evidence: set[str] = field(default_factory=set)
    loose: bool = False  # the first word's capital is conventional (sentence start, headline)
    titlecase: bool = False
    nonperson: bool = False
    place: bool = False  # a single word that is also a place (North, Chicago)
    camel: bool = False  # an author box's run-together name ("RaquelHarris")
    company: bool = False  # a firm or character named like a person; its words are no mention
    nickname: tuple[str, ...] = ()  # the quoted nickname inside the name ("Maggie")


@dataclass(slots=True)
class Run:
    """Word indices of one run of capitals, quoted nicknames left out, and those nicknames."""

    indices: list[int]
    nickname: tuple[str, ...] = ()


def _joined(previous: Word, word: Word, text: str) -> bool:
    """Whether ``word`` continues the run that ``previous`` is in (nothing but a space between)."""
    if previous.possessive or previous.paragraph != word.paragraph:
        return False
    gap = text[previous.end : word.start]
    if gap in (" ", "\u00a0"):
        return True
    abbreviation = len(previous.text) == 1 or previous.text in TITLES or previous.text in NAME_SUFFIXES
    return abbreviation and gap in (". ", ".\u00a0", ".")


def _leaves_capitals(words: list[Word], first: int, end: int) -> bool:
    """Whether ``words[end]`` is Title Case after two or more ALL-CAPS words of the run."""
    if end - first < 2 or words[end].text.isupper():
        return False
    return all(len(w.stem) > 1 and w.stem.isupper() for w in words[end - 2 : end])


def _enters_capitals(words: list[Word], indices: list[int], end: int) -> bool:
    """Whether ``words[end]`` and the word after it are ALL CAPS after a Title Case run."""
    if len(indices) < 2 or end + 1 >= len(words) or not words[end].stem.isupper():
        return False
    following = words[end + 1].stem
    return len(words[end].stem) > 1 and len(following) > 1 and following.isupper() and not any(
        words[i].stem.isupper() for i in indices
    )


def _particles_then_name(document: Document, end: int) -> int | None:
    """"van Persie", "van der Merwe", "de la Cruz": up to three particles, then a capital."""
    words = document.words
    after = end + 1
    while (
        after < len(words)
        and after - end < 3
        and words[after].text in NAME_PARTICLES
        and _joined(words[after - 1], words[after], document.text)
    ):
        after += 1
    if after < len(words) and words[after].capitalised and _joined(words[after - 1], words[after], document.text):
        return after + 1
    return None


def _across_nickname(document: Document, end: int, nicknames: dict[int, tuple[int, int]]) -> int | None:
    """``Margaret "Maggie" Haldane``: the index of the word after a quoted nickname, if the name goes on."""
    span = nicknames.get(end)
    if span is None:
        return None
    words, text = document.words, document.text
    after = end
    while after < len(words) and words[after].start < span[1]:
        after += 1
    if after >= len(words) or not words[after].capitalised:
        return None
    before_gap = text[words[end - 1].end : span[0]]
    after_gap = text[span[1] : words[after].start]
    return after if before_gap.strip() == "" and after_gap.strip() == "" else None


def runs(document: Document, nicknames: list[tuple[int, int]] | None = None) -> list[Run]:
    """Maximal runs of capitalised words, with name particles inside and quoted nicknames bridged.

    ``nicknames`` are the ``(opener, outer end)`` offsets of quote marks that hold a nickname.
    """
    words = document.words
    count = len(words)
    by_word = _nickname_words(document, nicknames or [])
    found: list[Run] = []
    index = 0
    while index < count:
        if not words[index].capitalised:
            index += 1
            continue
        run = Run([index])
        end = index + 1
        while end < count:
            if words[end].start - words[end - 1].end > 2 and end not in by_word:
                break  # the next capital is further on than a space (or ". ") away: the usual end
            step = _next_in_run(document, run, end, by_word)
            if step is None:
                break
            end = step
        found.append(run)
        index = end
    return found


def _nickname_words(document: Document, nicknames: list[tuple[int, int]]) -> dict[int, tuple[int, int]]:
    """Word index -> nickname span, for the first word inside each nickname's marks."""
    by_word: dict[int, tuple[int, int]] = {}
    if not nicknames:
        return by_word
    starts = {opener: (opener, end) for opener, end in nicknames}
    for number, word in enumerate(document.words):
        span = starts.get(word.start - 1)
        if span is not None:
            by_word[number] = span
    return by_word


def _next_in_run(document: Document, run: Run, end: int, nicknames: dict[int, tuple[int, int]]) -> int | None:
    """Extend ``run`` with the word at ``end`` (and what it brings along); the next index, or None."""
    words, text = document.words, document.text
    word = words[end]
    if word.start - words[end - 1].end > 2 and end not in nicknames:
        return None  # the next capital is further on than a space (or ". ") away: most words end a run here
    if _leaves_capitals(words, run.indices[0], end) or _enters_capitals(words, run.indices, end):
        return None  # "DAVID KWAN Associated Press", "Adrienne Koh TRAVERSE CITY": a byline, then more
    if end in nicknames:
        after = _across_nickname(document, end, nicknames)
        if after is None:
            return None
        run.nickname = tuple(w.stem for w in words[end:after])
        run.indices.append(after)
        return after + 1
    if word.capitalised and _joined(words[end - 1], word, text):
        run.indices.append(end)
        return end + 1
    if word.text in NAME_PARTICLES and _joined(words[end - 1], word, text):
        after = _particles_then_name(document, end)
        if after is not None:
            run.indices.extend(range(end, after))
            return after
    return None


def phrase_at(tokens: tuple[str, ...], position: int) -> int:
    """Length of the longest place/organisation/outlet name starting at ``position`` (0 if none)."""
    for phrase in _NON_PERSON_PHRASES.get(tokens[position], ()):
        if tokens[position : position + len(phrase)] == phrase:
            return len(phrase)
    return 0


def is_non_person_word(token: str) -> bool:
    """A single word that names no person: a place, organisation, outlet, month, day or people."""
    return (
        token in PLACE_WORDS
        or token in ORGANISATIONS
        or token.casefold() in OUTLET_WORDS
        or token in MONTHS
        or token in DAYS
        or token in HOLIDAYS
        or token in DEMONYMS
        or token in ORG_SUFFIXES
    )


def opens_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def is_initial(token: str) -> bool:
    return len(token) == 1 and token.isupper()


def is_title(token: str) -> bool:
    return token in ROYAL_TITLES or token in HONORIFICS or token.rstrip(".") in HONORIFICS
