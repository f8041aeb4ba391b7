"""Scoring a query a whole clause at a time, over postings read a block at a time.

Whoosh walks a tree of matchers posting by posting, a few Python calls per step. Here each
term's postings are read a whole block at a time and scored in one loop, and clauses combine
as dicts of scores (``segment_scores``); only date-sorted searches still go through Whoosh's
collector, which gets the same scores as ready lists. On a prefix of many terms, a phrase of
two common words or one word found in every article, most of the time went into the walking.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Iterable
from dataclasses import dataclass
from pickle import loads
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.columns import NumericColumn
from whoosh.matching import ListMatcher, NullMatcher
from whoosh.scoring import BM25FScorer, WeightLengthScorer
from whoosh.util.numeric import byte_to_length


@dataclass(slots=True)
class _Postings:
    """One term's postings in one segment, deleted documents left out."""

    ids: list[int]
    weights: list[float]
    values: list[bytes]


def _read_postings(reader: Any, field: str, term: str | bytes, with_values: bool) -> _Postings:
    found = _Postings([], [], [])
    if (field, term) not in reader:
        return found
    matcher = reader.postings(field, term)
    leaf = getattr(matcher, "child", matcher)  # the deletion filter: applied below instead
    if isinstance(leaf, W3LeafMatcher):
        while leaf.is_active():
            if leaf._ids is None:
                leaf._read_ids()
            if leaf._weights is None:
                leaf._read_weights()
            if with_values and leaf._values is None:
                leaf._read_values()
            start = leaf._i
            found.ids.extend(leaf._ids[start:])
            found.weights.extend(leaf._weights[start:])
            if with_values:
                found.values.extend(leaf._values[start:])
            leaf._next_block()
        deleted = reader.deleted_docs_set
        if not deleted:
            return found
        keep = [index for index, docnum in enumerate(found.ids) if docnum not in deleted]
        return _Postings(
            [found.ids[index] for index in keep],
            [found.weights[index] for index in keep],
            [found.values[index] for index in keep] if with_values else [],
        )
    while matcher.is_active():
        found.ids.append(matcher.id())
        found.weights.append(matcher.weight())
        if with_values:
            found.values.append(matcher.value())
        matcher.next()
    return found


def _term_scores(searcher: Any, field: str, term: str | bytes, postings: _Postings, lengths: list[int]) -> list[float]:
    """Each posting's score, as Whoosh's own term matcher would give it (BM25F by default)."""
    scorer = searcher.weighting.scorer(searcher, field, term)
    if isinstance(scorer, BM25FScorer):
        # whoosh.scoring.bm25 with the per-term constants taken out of the loop
        idf, top = scorer.idf, scorer.K1 + 1
        fixed, per_length = scorer.K1 * (1 - scorer.B), scorer.K1 * scorer.B / scorer.avgfl
        return [
            idf * (tf * top / (tf + fixed + per_length * lengths[docnum]))
            for docnum, tf in zip(postings.ids, postings.weights, strict=False)
        ]
    if isinstance(scorer, WeightLengthScorer):
        return [scorer._score(tf, lengths[docnum]) for docnum, tf in zip(postings.ids, postings.weights, strict=False)]
    return list(postings.weights)


def _term_score_map(searcher: Any, field: str, term: str | bytes, boost: float) -> dict[int, float]:
    """Each document of one segment holding ``term``, with its score (``Term`` with ``boost``)."""
    reader = searcher.reader()
    postings = _read_postings(reader, field, term, with_values=False)
    if not postings.ids:
        return {}
    scores = _term_scores(searcher, field, term, postings, _field_lengths(reader, field))
    if boost != 1.0:
        scores = [score * boost for score in scores]
    return dict(zip(postings.ids, scores, strict=False))


def segment_scores(searcher: Any, query: Any) -> dict[int, float]:
    """Every document of one segment that ``query`` matches, with the score Whoosh's matchers
    would give it (a clause's scores summed, a boost multiplied), worked out a whole clause at
    a time: set and dict operations over postings instead of a walk of matchers per document,
    which at 100k articles took most of a second for one common word."""
    if isinstance(query, wq.Term):
        return _term_score_map(searcher, query.fieldname, query.text, query.boost)
    if isinstance(query, (AnyTerm, AdjacentPhrase)):
        return query.scores(searcher)
    if isinstance(query, (wq.And, wq.Or)):
        return _boosted(_combined(searcher, query), query.boost)
    if isinstance(query, (wq.AndMaybe, wq.Require, wq.AndNot)):
        return _pair_scores(searcher, query)
    if query is wq.NullQuery:
        return {}
    matcher = query.matcher(searcher)  # the rest (dates, every document): Whoosh's own walk
    found = {}
    while matcher.is_active():
        found[matcher.id()] = matcher.score()
        matcher.next()
    return found


def _combined(searcher: Any, query: Any) -> dict[int, float]:
    """``And`` (documents of every part) or ``Or`` (of any part), scores summed."""
    parts = sorted((segment_scores(searcher, part) for part in query.subqueries), key=len)
    if not parts:
        return {}
    if isinstance(query, wq.And):
        keep = set(parts[0]).intersection(*parts[1:])
        return {docnum: sum(part[docnum] for part in parts) for docnum in keep}
    found = dict(parts[-1])
    for part in parts[:-1]:
        for docnum, score in part.items():
            found[docnum] = found.get(docnum, 0.0) + score
    return found


def _pair_scores(searcher: Any, query: Any) -> dict[int, float]:
    """``AndMaybe`` (the first, plus the second's score where both match), ``Require`` (documents
    of both, scored by the first alone) and ``AndNot`` (the first without the second's)."""
    found = segment_scores(searcher, query.a)
    other = segment_scores(searcher, query.b)
    if isinstance(query, wq.AndMaybe):
        for docnum, score in other.items():
            if docnum in found:
                found[docnum] += score
        return found
    if isinstance(query, wq.Require):
        return {docnum: score for docnum, score in found.items() if docnum in other}
    for docnum in other:
        found.pop(docnum, None)
    return found


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    return scores if boost == 1.0 else {docnum: score * boost for docnum, score in scores.items()}


_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, list[int]]] = weakref.WeakKeyDictionary()


def _field_lengths(reader: Any, field: str) -> list[int]:
    """Each document's length in ``field``; kept for the segment reader's lifetime."""
    known = _LENGTHS.setdefault(reader, {})
    if field not in known:
        known[field] = _read_lengths(reader, field)
    return known[field]


def _read_lengths(reader: Any, field: str) -> list[int]:
    # Whoosh stores a length as one byte a document; reading the column in one go and decoding
    # from a table is some ten times faster than its per-document lookup.
    per_document = getattr(reader, "_perdoc", None)
    column = per_document._cached_reader(_lenfield(field), LENGTHS_COLUMN) if per_document is not None else None
    if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:
        lengths = [byte_to_length(byte) for byte in column._dbfile.get(column._basepos, column._count)]
        return lengths + [0] * (reader.doc_count_all() - len(lengths))
    return [reader.doc_field_length(docnum, field, 1) or 0 for docnum in range(reader.doc_count_all())]


def _list_matcher(scores: dict[int, float]) -> Any:
    """A matcher over ready scores, for Whoosh's collectors (the date-sorted searches)."""
    if not scores:
        return NullMatcher()
    ids = sorted(scores)
    return ListMatcher(ids, weights=[scores[docnum] for docnum in ids])


class AnyTerm(wq.Query):  # type: ignore[misc]  # Whoosh is untyped
    """Documents holding any of ``terms`` in ``field``, scored as the sum of their BM25 scores
    (what ``Or`` of the terms gives)."""

    def __init__(self, fieldname: str, terms: list[str], boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.terms = terms
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AnyTerm)
            and (self.fieldname, self.terms, self.boost) == (other.fieldname, other.terms, other.boost)
        )

    def __hash__(self) -> int:
        return hash((self.fieldname, tuple(self.terms), self.boost))

    def __repr__(self) -> str:
        return f"AnyTerm({self.fieldname!r}, {self.terms!r}, boost={self.boost})"

    def estimate_size(self, ixreader: Any) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, term) for term in self.terms)

    def estimate_min_size(self, ixreader: Any) -> int:
        return max((ixreader.doc_frequency(self.fieldname, term) for term in self.terms), default=0)

    def scores(self, searcher: Any) -> dict[int, float]:
        scores: dict[int, float] = {}
        for term in self.terms:
            for docnum, score in _term_score_map(searcher, self.fieldname, term, self.boost).items():
                scores[docnum] = scores.get(docnum, 0.0) + score
        return scores

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _list_matcher(self.scores(searcher))


class AdjacentPhrase(wq.Phrase):  # type: ignore[misc]  # Whoosh is untyped
    """An exact phrase (slop 1), scored as Whoosh's ``Phrase``: the sum of its words' scores.

    Whoosh compares span objects pairwise with binary searches; for an exact phrase it is enough
    to shift each word's positions back by its place in the phrase and intersect the sets.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _list_matcher(self.scores(searcher))

    def scores(self, searcher: Any) -> dict[int, float]:
        reader = searcher.reader()
        field = searcher.schema[self.fieldname]
        words = [field.to_bytes(word) for word in self.words]
        every = [_read_postings(reader, self.fieldname, word, with_values=True) for word in words]
        if not all(postings.ids for postings in every):
            return {}
        lengths = _field_lengths(reader, self.fieldname)
        by_doc: list[dict[int, tuple[float, bytes]]] = []
        for word, term_postings in zip(words, every, strict=False):
            scored = _term_scores(searcher, self.fieldname, word, term_postings, lengths)
            by_doc.append(dict(zip(term_postings.ids, zip(scored, term_postings.values, strict=False), strict=False)))
        scores: dict[int, float] = {}
        for docnum in set(by_doc[0]).intersection(*by_doc[1:]):
            postings = [found[docnum] for found in by_doc]
            if _adjacent([value for _, value in postings]):
                scores[docnum] = self.boost * sum(score for score, _ in postings)
        return scores


def _adjacent(values: list[bytes]) -> bool:
    """Whether the words with these position lists stand one right after the other somewhere."""
    starts = set(_positions(values[0]))
    for offset, value in enumerate(values[1:], start=1):
        starts.intersection_update([position - offset for position in _positions(value)])
        if not starts:
            return False
    return True


def _positions(value: bytes) -> Iterable[int]:
    """``Positions.decode_positions`` without its per-item loop: a pickled list of deltas after a
    4-byte count (the pickle's final stop byte is left out when stored)."""
    pickled = value[4:] if value.endswith(b".") else value[4:] + b"."
    return itertools.accumulate(loads(pickled))  # noqa: S301 - Whoosh's own postings, in the private index
