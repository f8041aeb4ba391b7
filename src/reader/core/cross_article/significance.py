"""Which word changes may alter what a quote means: a negation, a number or a name.

A change is significant when the negations, numbers or names on its two sides differ: "not" to
"never" keeps a negation but changes it, "ten" to "10" changes nothing, "Lee" to "Kim" changes
who. A capital marks a name only inside a sentence; opening one, only a name known otherwise
(a speaker, a word the copies capitalise elsewhere) counts.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from functools import lru_cache
from typing import Literal

from reader.core.cross_article.normalise import APOSTROPHE_CLASS, fold_word
from reader.core.cross_article.word_tokens import Word, words_of

Reason = Literal["negation", "number", "name"]

_POSSESSIVE = re.compile(rf"{APOSTROPHE_CLASS}s$", re.IGNORECASE)
_NOT_CONTRACTION = re.compile(rf"n{APOSTROPHE_CLASS}t$", re.IGNORECASE)

_NEGATIONS = {
    **dict.fromkeys(("not", "cannot"), "not"),
    **{
        word: word
        for word in ("never", "no", "nothing", "nobody", "none", "neither", "nor", "without", "nowhere", "noone")
    },
    # "n't" written without its apostrophe; "cant" and "wont" are words of their own
    **dict.fromkeys(
        (
            "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt",
            "wouldnt", "shouldnt", "couldnt", "mustnt", "neednt", "aint", "shant", "mightnt",
        ),
        "not",
    ),
}
_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBER_WORDS = {
    **{word: str(value) for value, word in enumerate(_UNITS)},
    **{word: str(10 * (index + 2)) for index, word in enumerate(_TENS)},
    **{word: f"#{index + 1}" for index, word in enumerate(_ORDINALS)},
    "hundred": "100", "thousand": "1000", "million": "10^6", "billion": "10^9", "trillion": "10^12",
    "hundreds": "100s", "thousands": "1000s", "millions": "10^6s", "billions": "10^9s",
    "dozen": "12", "dozens": "12s", "half": "1/2", "quarter": "1/4", "twice": "x2", "thrice": "x3",
}
_PRONOUN_I = frozenset(("i", "im", "ive", "ill", "id"))  # "I", "I'm"...: capitalised, never names


def reasons(removed: Sequence[Word], inserted: Sequence[Word], proper: frozenset[str]) -> tuple[Reason, ...]:
    """Why a change may alter the meaning: the negations, numbers or names on each side differ."""
    features: tuple[tuple[Reason, Callable[[Word], str | None]], ...] = (
        ("negation", _negation),
        ("number", _number),
        ("name", lambda word: _name(word, proper)),
    )
    return tuple(
        reason for reason, feature in features if _tally(removed, feature) != _tally(inserted, feature)
    )


def _tally(words: Iterable[Word], feature: Callable[[Word], str | None]) -> Counter[str]:
    return Counter(found for word in words if (found := feature(word)) is not None)


def _negation(word: Word) -> str | None:
    """The negation a word carries ("n't", "not" and "cannot" alike are "not"), if any."""
    if word.key in _NEGATIONS:
        return _NEGATIONS[word.key]
    return "not" if _NOT_CONTRACTION.search(word.text) else None


def _number(word: Word) -> str | None:
    """The number a word states (digits or a number word; "ten" and "10" alike), if any."""
    if any(char.isdigit() for char in word.key):
        return word.key
    return _NUMBER_WORDS.get(word.key)


def _name(word: Word, proper: frozenset[str]) -> str | None:
    """The name a word is: capitalised inside a sentence, or where the quotes use it so."""
    if not _capitalised(word):
        return None
    form = _name_form(word)
    return form if not word.sentence_initial or form in proper else None


def proper_nouns(words: Iterable[Word]) -> frozenset[str]:
    """Names the quotes themselves show as names: capitalised where no sentence starts."""
    return frozenset(_name_form(word) for word in words if _capitalised(word) and not word.sentence_initial)


@lru_cache(maxsize=4096)  # a cluster's members share a few speakers
def name_keys(name: str) -> tuple[str, ...]:
    """The words of a person's name as ``_name`` keys them: "Kim Kardashian's" gives kim, kardashian."""
    return tuple(_name_form(word) for word in words_of(name))


def _capitalised(word: Word) -> bool:
    return word.text[:1].isupper() and not (word.text[0] == "I" and word.key in _PRONOUN_I)


def _name_form(word: Word) -> str:
    return _name_form_of(word.text)


@lru_cache(maxsize=1 << 14)
def _name_form_of(written: str) -> str:
    return fold_word(_POSSESSIVE.sub("", written))
