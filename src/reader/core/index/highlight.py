"""Snippets: the best short stretch of an article for a result list, with its matches marked.

The terms were expanded once, when the query was compiled (a fuzzy or prefix word becomes the
index terms it matched), so marking is one pass over the article's words, each looked up in a
word → matched? map kept for the query's terms: the twenty snippets of a result list share it,
and no pattern is compiled per article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reader.core.index.terms import WORD_RE, text_term

SNIPPET_CHARS = 200
LEAD_CHARS = 40  # context kept before the first match of the chosen stretch
ELLIPSIS = "…"
MAX_WORD_STEP = 30  # a "word" longer than this (a URL) may be cut rather than make the snippet long


def snippet(text: str, terms: Iterable[str], body_start: int = 0) -> tuple[str, tuple[tuple[int, int], ...]]:
    """A plain one-line snippet of ``text`` and the spans in it that matched ``terms``.

    Matches in the body (from ``body_start``, past the headline the list shows anyway) are
    preferred; the stretch chosen holds the most distinct matched words within ``SNIPPET_CHARS``.
    """
    matches = match_spans(text, terms)
    in_body = [span for span in matches if span[0] >= body_start]
    if in_body:
        start = max(_word_start(text, _best_start(text, in_body)), body_start)
    elif matches:
        start = _word_start(text, _best_start(text, matches))
    else:
        start = body_start
    end = _word_end(text, min(len(text), start + SNIPPET_CHARS))
    while start < end and text[start].isspace():
        start += 1
    piece = text[start:end].replace("\n", " ").replace("\t", " ").rstrip()
    end = start + len(piece)
    prefix = ELLIPSIS if start > 0 else ""
    suffix = ELLIPSIS if end < len(text.rstrip()) else ""
    shift = len(prefix) - start
    spans = tuple((a + shift, b + shift) for a, b in matches if a >= start and b <= end)
    return f"{prefix}{piece}{suffix}", spans


def match_spans(text: str, terms: Iterable[str]) -> list[tuple[int, int]]:
    """Spans ``[start, end)`` of the words of ``text`` whose term is one of ``terms`` (the same
    as ``terms.term_spans``).

    The words are cut out by the regex engine in one call; only the few that match are then
    located in the text, each from where the last one ended.
    """
    wanted = terms if isinstance(terms, frozenset) else frozenset(terms)
    if not wanted:
        return []
    known = _known_words(wanted)
    initials = _initials(wanted)
    spans: list[tuple[int, int]] = []
    cursor = 0
    for word in WORD_RE.findall(text):
        matched = known.get(word)
        if matched is None:
            if len(known) >= _MAX_KNOWN_WORDS:
                known.clear()
            # An ASCII word's term starts with its first letter (stemming only changes endings):
            # most words of an article are told apart without stemming them.
            skip = word.isascii() and word[0].lower() not in initials
            matched = known[word] = not skip and text_term(word) in wanted
        if matched:
            start = _whole_word_at(text, word, cursor)
            cursor = start + len(word)
            spans.append((start, cursor))
    return spans


_MAX_KNOWN_WORDS = 50_000  # words remembered per set of terms
_WORD_CHAR = re.compile(r"\w")


@lru_cache(maxsize=16)
def _known_words(terms: frozenset[str]) -> dict[str, bool]:
    """Word -> whether its term is one of ``terms``: shared by the snippets of one result list."""
    return {}


@lru_cache(maxsize=16)
def _initials(terms: frozenset[str]) -> frozenset[str]:
    """The first letters of ``terms``."""
    return frozenset(term[:1] for term in terms)


def _whole_word_at(text: str, word: str, start: int) -> int:
    """Where ``word`` next stands in ``text`` as a whole word (not inside a longer one)."""
    at = text.find(word, start)
    while at >= 0 and not _stands_alone(text, at, at + len(word)):
        at = text.find(word, at + 1)
    return at


def _stands_alone(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is a whole word: no word character (or inner dot) either side."""
    before = text[max(0, start - 2) : start]
    after = text[end : end + 2]
    if before[-1:] and (_WORD_CHAR.match(before[-1]) or (before[-1] == "." and _WORD_CHAR.match(before[:1] or " "))):
        return False
    return not (after[:1] and (_WORD_CHAR.match(after[0]) or (after[0] == "." and _WORD_CHAR.match(after[1:2] or " "))))


def _best_start(text: str, spans: list[tuple[int, int]]) -> int:
    """Where to begin so the window holds the most distinct matched words (then the most)."""
    best_score, best_start = (-1, -1), spans[0][0]
    right = 0
    for left, (first_start, _) in enumerate(spans):
        right = max(right, left)
        while right + 1 < len(spans) and spans[right + 1][1] - first_start <= SNIPPET_CHARS - LEAD_CHARS:
            right += 1
        window = spans[left : right + 1]
        score = (len({text[a:b].casefold() for a, b in window}), len(window))
        if score > best_score:
            best_score, best_start = score, first_start
    return max(0, best_start - LEAD_CHARS)


def _word_start(text: str, position: int) -> int:
    """Move back to the start of the word ``position`` falls in, so no word is cut."""
    limit = max(0, position - MAX_WORD_STEP)
    moved = position
    while moved > limit and moved < len(text) and not text[moved - 1].isspace():
        moved -= 1
    return moved if moved == 0 or text[moved - 1].isspace() else position


def _word_end(text: str, position: int) -> int:
    limit = min(len(text), position + MAX_WORD_STEP)
    moved = position
    while moved < limit and not text[moved].isspace():
        moved += 1
    return moved if moved == len(text) or text[moved].isspace() else position
