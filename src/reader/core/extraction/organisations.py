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
_WORD = r"[A-Z][\w'’&.-]*"
_ORG_RUN = re.compile(
    rf"{_WORD}(?:\s+{_WORD})*(?:\s+(?:of|for|and|&|on|de)\s+(?:the\s+)?{_WORD}(?:\s+{_WORD})*)*"
    r"(?:\s+\((?P<abbr>[A-Z][A-Za-z&]{1,9})\))?"
)
_LEADING = frozenset({"The", "A", "An", "But", "And", "However", "Meanwhile", "In", "On", "At", "For", "As"})
_SMALL = frozenset({"of", "for", "and", "&", "on", "de", "the"})
_GENERIC = frozenset(
    "company firm group business organisation organization body institution club team party union "
    "charity agency operator provider retailer lender insurer".split()
)


@dataclass(slots=True)
class Organisation:
    name: str
    start: int
    head_words: frozenset[str]  # lower-cased words of the name: "the bank" finds "Bank of England"


@dataclass(slots=True)
class OrganisationIndex:
    found: list[Organisation] = field(default_factory=list)
    abbreviations: dict[str, str] = field(default_factory=dict)
    starts: list[int] = field(default_factory=list)

    def expand(self, written: str) -> str:
        """The full name behind an abbreviation or short form ("NFU" -> "National Farmers' Union")."""
        return self.abbreviations.get(_strip_article(written), written)

    def by_noun(self, noun: str, before: int) -> str | None:
        """The organisation "the <noun>" refers to: the latest named before ``before`` whose name
        holds the noun ("the bank" -> "Bank of England"), or for a generic noun ("the company")
        the latest organisation of any kind."""
        noun = noun.lower()
        stop = bisect_left(self.starts, before)
        for organisation in reversed(self.found[:stop]):
            if noun in organisation.head_words or noun.rstrip("s") in organisation.head_words:
                return organisation.name
        if noun in _GENERIC and stop:
            return self.found[stop - 1].name
        return None

    def latest(self, before: int) -> str | None:
        stop = bisect_left(self.starts, before)
        return self.found[stop - 1].name if stop else None

    def knows(self, written: str) -> bool:
        written = _strip_article(written)
        return written in self.abbreviations or any(o.name == written for o in self.found)


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
    while words and words[-1] in _SMALL:
        words.pop()
    if words and words[-1].endswith(("'s", "’s")):
        words[-1] = words[-1][:-2]
    return " ".join(words)


def _is_organisation(name: str) -> bool:
    words = name.split()
    if not words or words[0] in MONTHS or words[0] in DAYS:
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


def find_organisations(text: str) -> OrganisationIndex:
    """Every organisation named in full, with the abbreviations the article uses for them."""
    index = OrganisationIndex()
    for match in _ORG_RUN.finditer(text):
        name = _trim(match.group().split(" (")[0])
        abbreviation = match.group("abbr")
        if not name or not (_is_organisation(name) or abbreviation):
            continue
        if abbreviation and abbreviation != name:
            index.abbreviations[abbreviation] = name
        elif abbreviation is None and len(initials(name)) >= 2:
            index.abbreviations.setdefault(initials(name), name)
        words = frozenset(w.lower().strip("'’") for w in name.split() if w not in _SMALL)
        index.found.append(Organisation(name, match.start(), words))
        index.starts.append(match.start())
    return index
