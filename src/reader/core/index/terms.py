"""How words become index terms: one definition shared by indexing, querying and marking.

Whoosh would run every token through a chain of generator filters; at build time that is the
slowest part of indexing. Each filter here works on one word at a time and never looks at its
neighbours, so a word always maps to the same term: the terms are computed once per distinct
word (memoised) and the same functions drive the query compiler and the highlighter, so what
is marked is exactly what matched. The Whoosh analyzers in ``TEXT_ANALYZER`` and friends are
the same chains in Whoosh's terms, kept in the schema for completeness and tested to agree.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import lru_cache
from typing import Any

from whoosh.analysis import Filter, IDTokenizer, LowercaseFilter, RegexTokenizer
from whoosh.lang import stemmer_for_language

from reader.core.text import without_accents

WORD_PATTERN = r"\w+(?:\.?\w+)*"  # Whoosh's default token: words, with inner dots (U.S, 3.5)
WORD_RE = re.compile(WORD_PATTERN)
NAME_GAP = 100  # positions between two names of one field, so a phrase never spans them
_MEMO_LIMIT = 500_000  # distinct words remembered per process before the memo starts over

STEM_CHARS = 64
"""Longer words are not stemmed: no English word is this long, and the stemmer's time grows
with the square of a word's length (a 900,000-character run took minutes)."""
TERM_CHARS = 255
"""A term is at most this long, as in Lucene: a run of a million characters is still one
word, found by its first 255 (folded) characters."""

_snowball_stem = stemmer_for_language("en")


def _stem(word: str) -> str:
    return _snowball_stem(word) if len(word) <= STEM_CHARS else word[:TERM_CHARS]
_SPECIAL_FOLDS = str.maketrans({"ø": "o", "Ø": "o", "ł": "l", "Ł": "l", "đ": "d", "Đ": "d", "ı": "i"})


def fold(word: str) -> str:
    """Lower case without accents: ``Müller`` → ``muller``, ``Straße`` → ``strasse``."""
    if word.isascii():
        return word.lower()
    return without_accents(word.translate(_SPECIAL_FOLDS)).casefold()


class FoldFilter(Filter):  # type: ignore[misc]  # Whoosh is untyped
    """``fold`` as a Whoosh filter, so the schema's analyzers match ``text_term``."""

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = fold(token.text)[:TERM_CHARS]
            yield token


class ShortStemFilter(Filter):  # type: ignore[misc]  # Whoosh is untyped
    """Whoosh's stemming as ``text_term`` does it: words longer than ``STEM_CHARS`` kept."""

    def __call__(self, tokens: Iterable[Any]) -> Iterator[Any]:
        for token in tokens:
            token.text = _stem(token.text)
            yield token


TEXT_ANALYZER = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter() | ShortStemFilter()
NAME_ANALYZER = RegexTokenizer(WORD_PATTERN) | LowercaseFilter() | FoldFilter()
TAG_ANALYZER = IDTokenizer() | LowercaseFilter() | FoldFilter()

# Word as written → term. One memo, not a second one by folded word as well: that saved only
# the stemming of a word's other spellings ("Rohalon", "rohalon"), ~10% of the distinct words,
# for ~5 MB more per build worker.
_text_terms: dict[str, str] = {}
_name_terms: dict[str, str] = {}


def text_term(word: str) -> str:
    """The term of one word in the stemmed fields (title, body, quotes)."""
    term = _text_terms.get(word)
    if term is None:
        if len(_text_terms) > _MEMO_LIMIT:
            _text_terms.clear()
        term = _stem(fold(word))
        # Most words are their own term ("said", "police"): the memo then holds one string, not two
        # (~3 MB less a build worker, whose memo holds a chunk's whole vocabulary).
        term = _text_terms[word] = word if term == word else term
    return term


def name_term(word: str) -> str:
    """The term of one word in the name fields (people, quoted, outlet, author): not stemmed."""
    term = _name_terms.get(word)
    if term is None:
        if len(_name_terms) > _MEMO_LIMIT:
            _name_terms.clear()
        term = _name_terms[word] = fold(word)[:TERM_CHARS]
    return term


def tag_term(tag: str) -> str:
    """A whole tag is one term, so ``tag:"long read"`` matches only that tag."""
    return fold(" ".join(tag.split()))


def words(text: str) -> list[str]:
    return WORD_RE.findall(text)


def text_positions(text: str) -> dict[str, list[int]]:
    """Every term of ``text`` with the word positions where it occurs (for phrase search).

    The build's hottest loop (once per word of every article): the memo is read inline and a
    term's list made only when it is new, which saves a call and a list per word."""
    positions: dict[str, list[int]] = {}
    known = _text_terms
    for position, word in enumerate(WORD_RE.findall(text)):
        term = known.get(word)
        if term is None:
            term = text_term(word)
        if term:
            found = positions.get(term)
            if found is None:
                positions[term] = [position]
            else:
                found.append(position)
    return positions


def name_positions(names: Iterable[str]) -> dict[str, list[int]]:
    """Terms of several names, each name ``NAME_GAP`` positions after the last."""
    positions: dict[str, list[int]] = {}
    start = 0
    for name in names:
        found = WORD_RE.findall(name)
        for offset, word in enumerate(found):
            term = name_term(word)
            if term:
                positions.setdefault(term, []).append(start + offset)
        start += len(found) + NAME_GAP
    return positions


def tag_positions(tags: Iterable[str]) -> dict[str, list[int]]:
    return {term: [index] for index, term in enumerate(dict.fromkeys(tag_term(t) for t in tags)) if term}


def term_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Spans ``[start, end)`` of the words of ``text`` whose term is one of ``terms``.

    The distinct words are checked first (a few hundred memo look-ups); only the words that
    match are then located, by a regex that accepts them exactly where ``WORD_RE`` would cut
    them out as whole tokens.
    """
    wanted = terms if isinstance(terms, (set, frozenset)) else frozenset(terms)
    if not wanted:
        return []
    hits = {word for word in set(WORD_RE.findall(text)) if text_term(word) in wanted}
    if not hits:
        return []
    return [match.span() for match in _locator(frozenset(hits)).finditer(text)]


@lru_cache(maxsize=256)
def _locator(surface_words: frozenset[str]) -> re.Pattern[str]:
    # Longest first, so "U.S.A" wins over "U"; the look-arounds refuse a match that is only part
    # of a longer token (letters or an inner dot on either side).
    alternatives = "|".join(re.escape(word) for word in sorted(surface_words, key=len, reverse=True))
    return re.compile(rf"(?<!\w)(?<!\w\.)(?:{alternatives})(?!\w)(?!\.\w)")
