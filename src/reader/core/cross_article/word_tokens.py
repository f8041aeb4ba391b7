"""The words of a quote as compared across copies: each with its key and its place in the text.

A word's key folds what outlets vary without changing the words (case, apostrophes, compatibility
forms, thousands separators), as ``normalise.quote_words`` does for whole quotes; its offsets
stay those of the quote as written, so a view can mark the very characters of a changed word.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from typing import NamedTuple

from reader.core.cross_article.normalise import APOSTROPHE_CLASS, blank_insertions, fold_word

# A number with separators ("1,000", "3.5m") is one word; otherwise words are quote_words' words,
# contractions ("don't", "Kanye’s") included.
_TOKEN = re.compile(rf"\d+(?:[.,]\d+)+\w*|\w+(?:{APOSTROPHE_CLASS}+\w+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_SENTENCE_END = ".!?…:"
_BEFORE_A_WORD = "\"'“”‘’«»„‹›([{-–—―*"  # what may stand between a sentence's end and its first word
# Where the quote's or a sentence's first word may start: past the marks and spaces before it.
_QUOTE_OPENING = re.compile(rf"[\s{re.escape(_BEFORE_A_WORD)}]*")
_SENTENCE_OPENING = re.compile(rf"[{re.escape(_SENTENCE_END)}][\s{re.escape(_BEFORE_A_WORD)}]*")


class Word(NamedTuple):
    """One word of a quote: as written, as compared, and where it stands in the quote's text.

    A named tuple: a big corpus's clusters hold hundreds of thousands of words, made quickly.
    """

    text: str
    key: str  # case, apostrophes, compatibility forms and thousands separators folded away
    start: int
    end: int
    sentence_initial: bool  # opens a sentence or the quote: its capital says nothing about a name


def words_of(text: str) -> tuple[Word, ...]:
    """The words of a quote as written, each with its comparison key and its place in ``text``."""
    visible = blank_insertions(text)
    openings = {match.end() for match in _SENTENCE_OPENING.finditer(visible)}
    openings.add(_QUOTE_OPENING.match(visible).end())  # type: ignore[union-attr]  # "*" always matches
    found = []
    for match in _TOKEN.finditer(_marks_as_letters(visible)):
        start, end = match.span()
        written = text[start:end]
        found.append(Word(written, _word_key(written), start, end, start in openings))
    return tuple(found)


def keys_of(text: str) -> tuple[str, ...]:
    """The comparison keys of ``words_of(text)``, without the rest: enough to tell the same words."""
    visible = _marks_as_letters(blank_insertions(text))
    if text.isascii():
        return tuple(map(_word_key, _TOKEN.findall(visible)))
    return tuple(_word_key(text[match.start() : match.end()]) for match in _TOKEN.finditer(visible))


def _marks_as_letters(text: str) -> str:
    """``text`` with combining marks standing in as letters, so a decomposed "café" stays one word."""
    if text.isascii():
        return text
    return "".join("a" if unicodedata.category(char).startswith("M") else char for char in text)


@lru_cache(maxsize=1 << 16)  # a corpus quotes a small vocabulary over and over
def _word_key(written: str) -> str:
    if _THOUSANDS.fullmatch(written):
        written = written.replace(",", "")
    return fold_word(written)
