"""The organisations an article names, so "the federation said" and "the NFU said" find them.

News names an organisation once in full ("the National Farmers' Union (NFU)", "the Ravenwood
Athletics Federation", "the Bank of England") and then refers to it by its kind ("the federation",
"the bank"), by its abbreviation ("the NFU") or as "it". The index lists every full name in text
order, with the abbreviations defined in brackets or made of the name's initials, and answers
those three questions for a position in the text.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from reader.core.extraction.lexicons import (
    DAYS,
    MONTHS,
    ORG_SUFFIXES,
    ORGANISATIONS,
    PLACE_SUFFIXES,
    TITLES,
)

# Capitalised words, joined by the small words organisation names contain ("Bank of England",
# "Department for Education", "Marks and Spencer"), possibly with a bracketed abbreviation.
_WORD = r"[A-Z][\w'’&-]*(?:\.(?=\w)[\w'’&-]*)*"
_WORDS = rf"{_WORD}(?:\s+{_WORD})*(?:\s+(?:Co|Inc|Ltd|Corp|Bros)\.)?"
# "Department for Environment, Food and Rural Affairs": a list after "for"/"of" inside one name.
_ORG_RUN = re.compile(
    rf"{_WORDS}(?:\s+(?:of|for|and|&|de)\s+(?:the\s+)?{_WORDS}(?:(?:,\s+{_WORDS})+,?\s+and\s+{_WORDS})?)*"
    r"(?:\s+\((?P<abbr>[A-Z][A-Za-z&]{1,9})\))?"
)
_LEADING = frozenset({"The", "A", "An", "But", "And", "However", "Meanwhile", "In", "On", "At", "For", "As"})
_SMALL = frozenset({"of", "for", "and", "&", "on", "de", "the"})
# Words that show an organisation's kind when its name lacks the noun ("the union" -> "United
# Steelworkers Local 1188").
_KIND_WORDS = {
    "union": frozenset("workers steelworkers employees local unite unison gmb usw uaw rmt teamsters".split()),
    "party": frozenset("democrats conservatives labour tories republicans greens liberals".split()),
    "club": frozenset("fc afc united rovers city athletic wanderers albion".split()),
    "bank": frozenset("bancorp banco banque".split()),
}
_ORG_SUFFIX_WORDS = ORG_SUFFIXES - PLACE_SUFFIXES
_GENERIC = frozenset(
    "company firm group business organisation organization body institution club team party union "
    "charity agency operator provider retailer lender insurer".split()
)


@dataclass(slots=True)
class Organisation:
    name: str
    start: int
    head_words: frozenset[str]  # lower-cased words of the name: "the bank" finds "Bank of England"
    part: bool = False  # one of several organisations a run joined with "and"


@dataclass(slots=True)
class OrganisationIndex:
    found: list[Organisation] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)

    def expand(self, written: str) -> str:
        """The full name behind an abbreviation or short form ("NFU" -> "National Farmers' Union",
        "Lib Dems" -> "Liberal Democrats", "Carewell Health" -> "Carewell Health Ltd")."""
        bare = _strip_article(written)
        if bare in self.abbreviations:
            return self.abbreviations[bare]
        return next((o.name for o in reversed(self.found) if _shortens(bare, o.name)), written)

    def by_noun(self, noun: str, before: int) -> str | None:
        """The organisation "the <noun>" refers to: the latest named before ``before`` whose name
        holds the noun ("the bank" -> "Bank of England"), or for a generic noun ("the company")
        the latest organisation of any kind."""
        noun = noun.lower()
        stop = bisect_left(self.starts, before)
        marks = _KIND_WORDS.get(noun, frozenset()) | {noun, noun.rstrip("s")}
        for organisation in reversed(self.found[:stop]):
            if marks & organisation.head_words:
                return organisation.name
        if noun in _GENERIC and stop:
            return self.found[stop - 1].name
        return None

    def latest(self, before: int) -> str | None:
        stop = bisect_left(self.starts, before)
        return next((o.name for o in reversed(self.found[:stop]) if not o.part), None)

    def knows(self, written: str) -> bool:
        written = _strip_article(written)
        return written in self.abbreviations or any(o.name == written for o in self.found)


def _shortens(short: str, name: str) -> bool:
    """Whether every word of ``short`` begins the matching word of ``name`` ("Lib Dems",
    "Liberal Democrats"), or ``short`` is ``name`` without its legal suffix."""
    if short == name:
        return False
    short_words, words = short.split(), name.split()
    if len(short_words) < len(words) and words[: len(short_words)] == short_words:
        return True  # "Wellcome" -> "Wellcome Trust", "Carewell Health" -> "Carewell Health Ltd"
    return len(short_words) == len(words) > 1 and all(
        w.startswith(s) and len(s) >= 3 for s, w in zip(short_words, words, strict=True)
    )


def _strip_article(written: str) -> str:
    for article in ("the ", "The "):
        if written.startswith(article):
            return written[len(article) :]
    return written


def _trim(run: str) -> str:
    """Drop a sentence-opening word and a trailing possessive from a run of capitalised words."""
    words = run.split()
    while words and (words[0] in _LEADING or words[0] in TITLES):
        words.pop(0)
    while words and (words[-1] in _SMALL or words[-1] in _LEADING):
        words.pop()
    if words and words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    return " ".join(words)


def _is_organisation(name: str) -> bool:
    words = name.split()
    if not words or words[0] in MONTHS or words[0] in DAYS or words[-1] in DAYS or words[-1] in MONTHS:
        return False
    last = words[-1]
    if name in ORGANISATIONS:
        return True
    if len(words) > 1 and last in ORG_SUFFIXES and last not in PLACE_SUFFIXES:
        return True
    return len(words) > 2 and any(w in _SMALL for w in words) and any(w in ORG_SUFFIXES for w in words)


def initials(name: str) -> str:
    """"National Farmers' Union" -> "NFU", "Confederation of British Industry" -> "CBI"."""
    return "".join(word[0] for word in name.replace("-", " ").split() if word[:1].isupper())


def _add(index: OrganisationIndex, name: str, start: int, part: bool = False) -> None:
    words = frozenset(w.lower().strip("'’.") for w in name.split() if w not in _SMALL)
    index.found.append(Organisation(name, start, words, part))
    index.starts.append(start)
    if len(initials(name)) >= 2:
        index.abbreviations.setdefault(initials(name), name)


def _add_parts(index: OrganisationIndex, name: str, start: int, abbreviation: str | None) -> None:
    """The organisations a run joined by "and" may hold; a bracketed abbreviation after the run
    belongs to the part it abbreviates ("the Faraday Institution and the Engineering and Physical
    Sciences Research Council (EPSRC)")."""
    words = name.split(" and ")
    for cut in range(1, len(words)):
        for part in (" and ".join(words[:cut]), " and ".join(words[cut:])):
            part = _trim(part)
            if _is_organisation(part):
                _add(index, part, start + name.find(part), part=True)
                if abbreviation and initials(part) == abbreviation:
                    index.abbreviations[abbreviation] = part


def find_organisations(text: str) -> OrganisationIndex:
    """Every organisation named in full, with the abbreviations the article uses for them.

    A run joined by "and" may be one name ("Prisons and Probation Ombudsman") or two ("the Bank
    of England and Unite"): the whole and each part that reads as an organisation are listed.
    """
    index = OrganisationIndex()
    for match in _ORG_RUN.finditer(text):
        abbreviation = match.group("abbr")
        if (
            abbreviation is None
            and _ORG_SUFFIX_WORDS.isdisjoint(match.group().split())
            and (" " not in match.group() or _trim(match.group()) not in ORGANISATIONS)
        ):
            continue  # no word of an organisation's name, and not a known one
        name = _trim(match.group().split(" (")[0])
        if not name or not (_is_organisation(name) or abbreviation):
            continue
        if abbreviation and abbreviation != name:
            index.abbreviations[abbreviation] = name
        _add(index, name, match.start())
        if " and " in name:
            _add_parts(index, name, match.start(), abbreviation)
    return index
