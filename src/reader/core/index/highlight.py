"""Snippets: the best short stretch of an article for a result list, with its matches marked.

The terms were expanded once, when the query was compiled (a fuzzy or prefix word becomes the
index terms it matched), so marking is one pass of the regex engine over the article that stops
only at words which may have one of the terms, each looked up in a word → matched? map kept for
the query's terms: the twenty snippets of a result list share it and its pattern.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from reader.core.index.terms import WORD_PATTERN, text_term

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

    The regex engine passes over the words that cannot have one of the terms (``_candidates``):
    only the few that can are stemmed (once per word, in a map the result list's snippets share).
    """
    wanted = terms if isinstance(terms, frozenset) else frozenset(terms)
    if not wanted:
        return []
    known = _known_words(wanted)
    spans: list[tuple[int, int]] = []
    for found in _candidates(wanted).finditer(text):
        word = found.group()
        matched = known.get(word)
        if matched is None:
            if len(known) >= _MAX_KNOWN_WORDS:
                known.clear()
            matched = known[word] = text_term(word) in wanted
        if matched:
            spans.append(found.span())
    return spans


_MAX_KNOWN_WORDS = 50_000  # words remembered per set of terms
STEM_REACH = 3
"""Stemming an ASCII word changes at most its last two letters' worth of the term (``dying`` →
``die``, ``ability`` → ``abl``: checked on the 109k distinct words of the 10k benchmark corpus,
the BBC set and the seeds): such a word's lower case starts with its term less three letters."""


@lru_cache(maxsize=16)
def _known_words(terms: frozenset[str]) -> dict[str, bool]:
    """Word -> whether its term is one of ``terms``: shared by the snippets of one result list."""
    return {}


@lru_cache(maxsize=16)
def _candidates(terms: frozenset[str]) -> re.Pattern[str]:
    """Whole words (as ``WORD_RE`` cuts them) that may have one of ``terms``: an ASCII word that
    starts, in any case, with a term less its last ``STEM_REACH`` letters, or any word with a
    letter outside ASCII (folding accents can make it any term)."""
    heads = sorted({term[: max(1, len(term) - STEM_REACH)] for term in terms})
    alternatives = "|".join(re.escape(head) for head in heads)
    return re.compile(rf"(?<!\w)(?<!\w\.)(?=(?i:{alternatives})|[\w.]*[^\x00-\x7f]){WORD_PATTERN}")


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
