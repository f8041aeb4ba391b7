"""A phrase's documents in one segment: those holding all its words, scored as if they matched.

Whether the words stand side by side is settled later, and only for the documents that need it
(``matches``, ``ranking``). A phrase's score is the sum of its words' BM25F scores (Whoosh's
``Phrase``), added in the phrase's order so as to be Whoosh's to the last bit.

Usually each word is scored in the rarest word's documents (or ``within``'s). But once the
ranking has a bar (the score its best few already need) that the words cannot reach by
themselves, even at their highest weights in the shortest document, scoring their whole lists
would be wasted: so it is for two very common words whose best few hold the phrase in their
title too. The candidates then come from the words' documents alone, read in place without
their weights, all bounded by that highest score; only those something else (the title) lifts
above the bar are scored, when the ranking tightens their bounds, and those counting samples.
"""

from __future__ import annotations

import bisect
import itertools
import operator
from collections.abc import Sequence

from reader.core.index.matches import Found
from reader.core.index.postings import Postings, adjacent
from reader.core.index.segment import FIND_SHARE, Docs, Segment


def phrase_found(
    segment: Segment, field: str, words: list[str], boost: float, within: Docs | None, bar: float | None = None
) -> Found:
    """The documents holding every word of the phrase, all open (see the module's note).
    ``bar``: a score the ranking already needs (None: not known yet)."""
    lists = [segment.postings(field, word) for word in words]
    found_lists = [postings for postings in lists if postings is not None]
    if len(found_lists) < len(lists):
        return Found({})
    if within is None and bar is not None:
        scored = [_Word(segment, field, word, postings) for word, postings in zip(words, found_lists, strict=True)]
        if not all(word.kept for word in scored):  # (scores kept from a search cost no more than bounds)
            top = boost * sum(segment.upper(field, word, 1.0) for word in words)
            if top < bar:
                return _bounded(segment, scored, boost, top, found_lists)
    return _scored(segment, field, words, boost, within, found_lists)


def _bounded(segment: Segment, scored: list[_Word], boost: float, top: float, found_lists: list[Postings]) -> Found:
    """The candidates from the words' documents alone, each bounded by ``top``; their scores
    are worked out when the ranking tightens their bounds or settles them."""
    candidates = _candidates(segment, scored)
    known: dict[int, float] = {}

    def exact(docs: list[int]) -> dict[int, float]:
        """The phrase's scores in ``docs`` (sorted), as if its words stood side by side."""
        missing = list(itertools.filterfalse(known.__contains__, docs)) if known else docs
        found = dict(zip(missing, _summed([word.scores_of(missing) for word in scored], boost), strict=True))
        if len(missing) < len(docs):
            found.update((docnum, known[docnum]) for docnum in docs if docnum in known)
        known.update(found)
        return found

    def settle(docnum: int) -> float | None:
        if not adjacent([postings.positions(docnum) for postings in found_lists]):
            return None
        return known[docnum] if docnum in known else exact([docnum])[docnum]

    unsettled = set(candidates)
    return Found(dict.fromkeys(candidates, top), unsettled, unsettled, settle, tighten=exact)


def _scored(
    segment: Segment, field: str, words: list[str], boost: float, within: Docs | None, found_lists: list[Postings]
) -> Found:
    """The phrase's candidates with their exact scores: the rarest word's documents (or
    ``within``'s), each word scored in them."""
    known: dict[str, dict[int, float]] = {}
    if within is None:  # the rarest word's documents are the candidates
        rarest = min(words, key=lambda word: segment.postings(field, word).df)  # type: ignore[union-attr]
        ids, rarest_scores = segment.term_scores(field, rarest, 1.0, None)
        known[rarest] = dict(zip(ids, rarest_scores, strict=False))
        within = Docs(ids, ordered=True)
    for word in words:
        if word not in known:
            known[word] = dict(zip(*segment.term_scores(field, word, 1.0, within), strict=False))
    by_word = [known[word] for word in words]
    if len(by_word) == 2:
        # One pass over the shorter list (a sum of two is the same either way round).
        fewer, more = sorted(by_word, key=len)
        scores = {docnum: score + more[docnum] for docnum, score in fewer.items() if docnum in more}
    else:
        candidates = list(set(by_word[0]).intersection(*by_word[1:]))
        sums = _summed([[found[docnum] for docnum in candidates] for found in by_word], 1.0)
        scores = dict(zip(candidates, sums, strict=True))
    if boost != 1.0:
        scores = {docnum: boost * total for docnum, total in scores.items()}

    def settle(docnum: int) -> float | None:
        return scores[docnum] if adjacent([postings.positions(docnum) for postings in found_lists]) else None

    unsettled = set(scores)
    return Found(scores, unsettled, unsettled, settle)


def _summed(by_word: list[list[float]], boost: float) -> list[float]:
    """Whoosh's score, the boost times the sum of the words' scores, added a word at a time in
    the phrase's order (so the same to the last bit)."""
    sums = by_word[0]
    for scores in by_word[1:]:
        sums = list(map(operator.add, sums, scores))
    return list(map(boost.__mul__, sums)) if boost != 1.0 else sums


class _Word:
    """One word of a phrase in one segment: its documents, and its score in any of them,
    worked out only when asked (from the scores kept between searches when there are some)."""

    def __init__(self, segment: Segment, field: str, word: str, postings: Postings) -> None:
        self.segment, self.field, self.word, self.postings = segment, field, word, postings
        self.df = postings.df
        self._ids: Sequence[int] | None = None
        self._known: dict[int, float] = {}
        self._whole: tuple[Sequence[int], Sequence[float]] | None = segment.cache.scored(postings.key)
        self._by_document: dict[int, float] | None = None

    @property
    def kept(self) -> bool:
        """Whether the word's scores are kept from an earlier search."""
        return self._whole is not None

    def ids(self) -> Sequence[int]:
        """Every document of the word (in the list's order; deleted ones too unless kept scored)."""
        if self._whole is not None:
            return self._whole[0]
        if self._ids is None:
            self.segment.check_stop()
            self._ids = self.postings.all_ids()
        return self._ids

    def among(self, docs: list[int]) -> list[int]:
        """The documents of ``docs`` (sorted, few next to the word's list) holding the word;
        their scores are read on the way (the blocks holding them are decoded anyway)."""
        ids, scores = self.segment.term_scores(self.field, self.word, 1.0, Docs(docs, ordered=True), only=True)
        self._known.update(zip(ids, scores, strict=True))
        return ids

    def scores_of(self, docs: list[int]) -> list[float]:
        """The word's score in each of ``docs`` (sorted, all holding the word)."""
        if self._known:  # (looked up ``among`` the candidates: it holds every one)
            return list(map(self._known.__getitem__, docs))
        if len(docs) * FIND_SHARE >= self.df:  # most of the list: scored whole (and kept)
            if self._by_document is None:
                ids, scores = self._whole or self.segment.term_scores(self.field, self.word, 1.0, None)
                self._by_document = dict(zip(ids, scores, strict=True))
            return list(map(self._by_document.__getitem__, docs))
        if self._whole is not None:
            ids, scores = self._whole
            return [scores[bisect.bisect_left(ids, docnum)] for docnum in docs]
        ids = self.ids()
        weights = self.postings.weights_of([bisect.bisect_left(ids, docnum) for docnum in docs])
        scorer = self.segment.scorer(self.field, self.word, 1.0)
        return scorer.scores(docs, weights, self.segment.reader, self.field)


def _candidates(segment: Segment, words: list[_Word]) -> list[int]:
    """The documents holding every word (sorted, none deleted): from the rarest word's, each
    other word's documents read whole, or looked up when its list is much longer."""
    rarest, *others = sorted(words, key=lambda word: word.df)
    candidates = list(itertools.filterfalse(segment.deleted.__contains__, rarest.ids()))
    for word in others:
        if not candidates:
            break
        if len(candidates) * FIND_SHARE < word.df:
            candidates = word.among(candidates)
        else:
            candidates = sorted(set(candidates).intersection(word.ids()))
    return candidates
