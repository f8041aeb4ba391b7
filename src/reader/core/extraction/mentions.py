"""Whether a known name, found in a run of capitals, is a mention of that person here.

"Halvorsen" in "Halvorsen Group", "Trump" in "Trump Tower", "West" in "the West family", "Ben" in
"Ben & Jerry's", "Chicago" in "in Chicago": each rule below names one way a person's name is
used for something else, and the counting skips those uses.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.core.extraction.candidates import PLACE_WORDS, phrase_at
from reader.core.extraction.document import Document, Word, is_common
from reader.core.extraction.lexicons import (
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    POST_NOMINALS,
    ROLE_NOUNS,
    ROYAL_TITLES,
    SPEECH_VERBS,
    TITLES,
)

_LOCATIVE = frozenset(
    "in at from to into near across around outside inside of via visit visited visiting toward towards".split()
)
_DETERMINERS = frozenset("the The a an".split())
_FIRM_JOIN_AFTER = re.compile(r"(?:['’]s)?\s*&\s*[A-Z]")
_FIRM_JOIN_BEFORE = re.compile(r"&\s*$")
PERSON_AFTER = re.compile(
    r",?\s+(?:who|whose|he|she|(?:" + "|".join(sorted(v for v in SPEECH_VERBS if not v.endswith("ing"))) + r"))\b"
)


@dataclass(slots=True)
class Use:
    """One found alias: the words ``indices[at:at+length]`` of a run whose words are ``indices``."""

    indices: list[int]
    at: int
    length: int

    @property
    def end(self) -> int:
        return self.at + self.length


def _inside_another_name(words: list[Word], use: Use) -> bool:
    """"Sky Cinema", "Goldman Sachs": a name that follows other capitals of the same run."""
    if use.at == 0:
        return False
    head = words[use.indices[use.at]]
    previous = words[use.indices[use.at - 1]]
    return not (
        head.titlecase
        or previous.loose
        or previous.stem in TITLES
        or previous.stem.rstrip(".") in TITLES
        or previous.stem in ROYAL_TITLES
        or previous.stem.lower() in ROLE_NOUNS
        or len(previous.stem) == 1
    )


def _before_another_word(words: list[Word], use: Use) -> bool:
    """"Trump Administration", "North Carolina", "Trump Tower": capitals after the name."""
    if use.end >= len(use.indices):
        return False
    following = words[use.indices[use.end]]
    stems = tuple(words[i].stem for i in use.indices)
    if following.stem in ORG_SUFFIXES or phrase_at(stems, use.at) > use.length:
        return True
    if following.stem in NAME_SUFFIXES or following.stem.rstrip(".") in POST_NOMINALS:
        return False  # "Raymond Ostrow Jr.", "Brendan Keogh KC"
    return not words[use.indices[use.at]].titlecase


def _firm_or_handle(text: str, head: Word, tail: Word) -> bool:
    """"@kimkardashian", "Ben & Jerry's", "Johnson & Johnson"."""
    if text[head.start - 1 : head.start] == "@":
        return True
    if _FIRM_JOIN_AFTER.match(text, tail.end):
        return True
    return bool(_FIRM_JOIN_BEFORE.search(text, max(0, head.start - 3), head.start))


def _titled_work(text: str, head: Word, tail: Word) -> bool:
    """"Cannon’s Class": a title made from a name."""
    if not tail.possessive or head.titlecase:
        return False
    after = text[tail.end : tail.end + 40].split(maxsplit=1)
    return bool(after) and after[0][:1].isupper() and is_common(after[0].strip(".,;:!?"))


def _modifier(text: str, head: Word, tail: Word, last_of_run: bool) -> bool:
    """"the West family", "the Trump administration": a name used as an adjective."""
    before = text[max(0, head.start - 12) : head.start].split()
    if not (last_of_run and before and before[-1] in _DETERMINERS):
        return False
    rest = text[tail.end : tail.end + 30].split(maxsplit=1)
    return bool(rest) and rest[0][:1].islower() and rest[0].strip(".,;:!?") not in SPEECH_VERBS


def _place_use(text: str, head: Word) -> bool:
    """"in Chicago", "Atlanta, Georgia": a name that is also a place, used as one."""
    if not (head.stem in PLACE_WORDS or is_common(head.stem)):
        return False
    before = text[max(0, head.start - 12) : head.start].split()
    if not before:
        return False
    return before[-1].lower() in _LOCATIVE or (before[-1].endswith(",") and before[-1][:-1] in PLACE_WORDS)


def is_other_use(document: Document, use: Use, organisation_heads: set[str]) -> bool:
    """Whether the alias at ``use`` names something other than the person."""
    words, text = document.words, document.text
    head = words[use.indices[use.at]]
    tail = words[use.indices[use.end - 1]]
    if _inside_another_name(words, use) or _before_another_word(words, use):
        return True
    if _firm_or_handle(text, head, tail) or _titled_work(text, head, tail):
        return True
    if _modifier(text, head, tail, use.end == len(use.indices)):
        return True
    if use.length == 1 and head.stem in organisation_heads and not PERSON_AFTER.match(text, tail.end):
        return True  # "Halvorsen, which employs…": the firm named after its founder
    return use.length == 1 and _place_use(text, head)
