"""One segment being searched: postings read once per search, scores a whole list at a time,
and what searches on one index version share (``SearchCache``)."""

from __future__ import annotations

import bisect
import math
import weakref
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable
from typing import Any

from whoosh.codec.whoosh3 import LENGTHS_COLUMN, _lenfield
from whoosh.columns import NumericColumn
from whoosh.scoring import BM25F, BM25FScorer, WeightLengthScorer
from whoosh.util.numeric import byte_to_length

from reader.core.index.block_directory import Directories
from reader.core.index.expansions import Expansions
from reader.core.index.postings import Postings
from reader.core.index.query import SearchCancelled
from reader.core.index.term_table import TermInfos

CACHED_POSTINGS = 2_000_000  # postings of common words kept between searches (16 bytes each)
CACHE_MIN_POSTINGS = 2_000  # shorter lists are read again: they are quick to
TOLERANCE = 1e-9  # relative: bounds and scores summed in another order may differ in the last bits
_lengths_column: Any = _lenfield  # Whoosh is untyped


class TermScorer:
    """Whoosh's BM25F score of one term in one segment, for many postings at a time."""

    def __init__(self, scorer: Any, boost: float) -> None:
        self.boost = boost
        self.scorer = scorer

    def scores(self, ids: list[int], weights: list[float], reader: Any, field: str) -> list[float]:
        scorer = self.scorer
        if isinstance(scorer, BM25FScorer):
            # whoosh.scoring.bm25 with the per-term constants taken out of the loop, and the
            # per-document part (the same for every term of the field) worked out once
            idf, top = scorer.idf, scorer.K1 + 1
            fixed, per_length = scorer.K1 * (1 - scorer.B), scorer.K1 * scorer.B / scorer.avgfl
            scaled = map(scaled_lengths(reader, field, per_length).__getitem__, ids)
            scores = [idf * (tf * top / (tf + fixed + length)) for length, tf in zip(scaled, weights, strict=False)]
        elif isinstance(scorer, WeightLengthScorer):
            lengths = field_lengths(reader, field)
            scores = [scorer._score(tf, lengths[doc]) for doc, tf in zip(ids, weights, strict=False)]
        else:
            scores = list(weights)
        if self.boost != 1.0:
            scores = [score * self.boost for score in scores]
        return scores

    def bound(self, max_weight: float, min_length: float) -> float:
        """The highest score any posting can have: BM25 grows with the weight and falls with
        the length, so the term's largest weight in its shortest document bounds it."""
        scorer = self.scorer
        if not isinstance(scorer, BM25FScorer):
            return math.inf
        top, fixed = scorer.K1 + 1, scorer.K1 * (1 - scorer.B)
        per_length = scorer.K1 * scorer.B / scorer.avgfl
        score = scorer.idf * (max_weight * top / (max_weight + fixed + per_length * min_length))
        return float(score * self.boost * (1 + TOLERANCE))


class Docs:
    """The documents a clause is restricted to, sorted or as a set: each made when first asked."""

    def __init__(self, docs: Iterable[int], *, ordered: bool = False) -> None:
        self._docs = docs
        self._sorted: list[int] | None = docs if ordered and isinstance(docs, list) else None
        self._set: set[int] | None = None
        self._length = len(docs) if isinstance(docs, (list, dict, set)) else len(self.sorted)

    @property
    def sorted(self) -> list[int]:
        if self._sorted is None:
            self._sorted = sorted(self._docs)
        return self._sorted

    @property
    def set(self) -> set[int]:
        if self._set is None:
            self._set = self._docs if isinstance(self._docs, set) else set(self._docs)
        return self._set

    def __len__(self) -> int:
        return self._length


FIND_SHARE = 4  # look documents up one by one when they are under a quarter of a term's postings


class SearchCache:
    """What searches on one version of the index share, dropped at the next commit.

    ``scorers``: Whoosh's scorer of each term, whose statistics are the whole index's (the same
    in every segment) and cost a look-up in each segment to work out. ``postings``: the
    documents and scores of the longest lists read lately, the common words that come back in
    one query after another (prefixes typed on, phrases with "the"), in compact arrays; at
    most ``CACHED_POSTINGS`` postings, the least recently used dropped first.
    """

    def __init__(self) -> None:
        self.expansions = Expansions()
        self.directories = Directories()  # where the blocks of the terms read lately lie
        self.infos = TermInfos()  # the terms' entries in each segment's term table
        self.scorers: dict[tuple[str, bytes], Any] = {}
        self.postings: OrderedDict[tuple[int, str, bytes], tuple[array[int], array[float]]] = OrderedDict()
        self._held = 0

    def scored(self, key: tuple[int, str, bytes]) -> tuple[array[int], array[float]] | None:
        found = self.postings.get(key)
        if found is not None:
            self.postings.move_to_end(key)
        return found

    def keep(self, key: tuple[int, str, bytes], ids: list[int], scores: list[float]) -> None:
        if len(ids) < CACHE_MIN_POSTINGS or len(ids) > CACHED_POSTINGS // 4:
            return
        self.postings[key] = (array("l", ids), array("d", scores))
        self._held += len(ids)
        while self._held > CACHED_POSTINGS:
            _, (dropped, _) = self.postings.popitem(last=False)
            self._held -= len(dropped)


class Segment:
    """One segment being searched: each term's postings read once per search. ``stop``, asked
    before each term is read, gives the search up (a newer one was typed): a segment's terms
    can take a tenth of a second at 100k, too long to finish for nothing."""

    def __init__(self, searcher: Any, cache: SearchCache | None = None, stop: Callable[[], bool] | None = None) -> None:
        self.stop = stop
        self.searcher = searcher
        self.reader = searcher.reader()
        self.deleted: frozenset[int] = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self._postings: dict[tuple[str, str | bytes], Postings | None] = {}
        self.cache = cache if cache is not None else SearchCache()

    def scorer(self, field: str, term: str | bytes, boost: float) -> TermScorer:
        raw = term if isinstance(term, bytes) else self.searcher.schema[field].to_bytes(term)
        found = self.cache.scorers.get((field, raw))
        if found is None:
            self._known_idf(field, term, raw)
            found = self.cache.scorers[(field, raw)] = self.searcher.weighting.scorer(self.searcher, field, term)
        return TermScorer(found, boost)

    def _known_idf(self, field: str, term: str | bytes, raw: bytes) -> None:
        """Whoosh's idf of the term, worked out as Whoosh does from the term table entries the
        segments read their postings from (Whoosh would look the term up in every segment again)."""
        parent = self.searcher.get_parent()
        known = getattr(parent, "_idf_cache", None)
        if not isinstance(self.searcher.weighting, BM25F) or known is None or (field, term) in known:
            return
        frequency = self.cache.infos.doc_frequency(parent.reader(), field, raw)
        known[(field, term)] = math.log(parent.doc_count_all() / (frequency + 1)) + 1

    def postings(self, field: str, term: str | bytes) -> Postings | None:
        """The term's postings here (None: not in this segment), kept by the term as asked
        (a search asks the same words again and again: not encoded again each time)."""
        key = (field, term)
        try:
            return self._postings[key]
        except KeyError:
            raw = term if isinstance(term, bytes) else self.searcher.schema[field].to_bytes(term)
            info = self.cache.infos.get(self.reader, field, raw)
            found = Postings(self.reader, field, raw, info, self.cache.directories) if info is not None else None
            self._postings[key] = found
            return found

    def upper(self, field: str, term: str | bytes, boost: float) -> float:
        """The highest score ``term`` gives any document of this segment."""
        postings = self.postings(field, term)
        if postings is None:
            return 0.0
        return self.scorer(field, term, boost).bound(postings.max_weight, postings.min_length)

    def term_scores(
        self, field: str, term: str | bytes, boost: float, within: Docs | None, *, only: bool = False
    ) -> tuple[list[int], list[float]]:
        """The documents holding ``term`` (of ``within``, when given) and the term's score in each.
        ``within`` is a hint (see ``scoring``); with ``only``, no other document is scored."""
        self.check_stop()
        postings = self.postings(field, term)
        if postings is None:
            return [], []
        key = postings.key
        cached = self.cache.scored(key)
        if within is not None and len(within) * FIND_SHARE < postings.df:
            if cached is not None:  # looked up in the kept list: nothing to decode
                ids, scores = _looked_up(cached, within.sorted)
                return ids, scores if boost == 1.0 else [score * boost for score in scores]
            return self._scores(field, term, boost, *postings.find(within.sorted))
        # About as many documents asked about as postings: the whole list (see evaluate).
        if only and within is not None:
            ids, scores = self._scores_among(field, term, cached, within.set)
        elif cached is not None:
            ids, scores = list(cached[0]), list(cached[1])
        else:
            ids, scores = self._scores(field, term, 1.0, *postings.everything())
            self.cache.keep(key, ids, scores)
        return ids, scores if boost == 1.0 else [score * boost for score in scores]

    def check_stop(self) -> None:
        if self.stop is not None and self.stop():
            raise SearchCancelled("a newer search was asked for")

    def _scores_among(
        self, field: str, term: str | bytes, cached: tuple[array[int], array[float]] | None, among: set[int]
    ) -> tuple[list[int], list[float]]:
        """The whole list's documents of ``among``, scored (boost 1): the others are not."""
        if cached is not None:
            picked = [at for at, doc in enumerate(cached[0]) if doc in among]
            return [cached[0][at] for at in picked], [cached[1][at] for at in picked]
        postings = self.postings(field, term)
        if postings is None:
            return [], []
        ids, weights = postings.everything()
        picked = [at for at, doc in enumerate(ids) if doc in among]
        return self._scores(field, term, 1.0, [ids[at] for at in picked], [weights[at] for at in picked])

    def _scores(
        self, field: str, term: str | bytes, boost: float, ids: list[int], weights: list[float]
    ) -> tuple[list[int], list[float]]:
        if self.deleted:
            kept = [at for at, doc in enumerate(ids) if doc not in self.deleted]
            ids, weights = [ids[at] for at in kept], [weights[at] for at in kept]
        return ids, self.scorer(field, term, boost).scores(ids, weights, self.reader, field)


def _looked_up(kept: tuple[array[int], array[float]], docs: list[int]) -> tuple[list[int], list[float]]:
    """The documents of ``docs`` (sorted) in a kept list, with their scores."""
    ids, scores = kept
    found_ids: list[int] = []
    found_scores: list[float] = []
    start = 0
    for docnum in docs:
        at = bisect.bisect_left(ids, docnum, start)
        if at < len(ids) and ids[at] == docnum:
            found_ids.append(docnum)
            found_scores.append(scores[at])
        start = at
    return found_ids, found_scores


_LENGTHS: weakref.WeakKeyDictionary[Any, dict[str, list[int]]] = weakref.WeakKeyDictionary()


def field_lengths(reader: Any, field: str) -> list[int]:
    """Each document's length in ``field``; kept for the segment reader's lifetime."""
    known = _LENGTHS.setdefault(reader, {})
    if field not in known:
        known[field] = _read_lengths(reader, field)
    return known[field]


_SCALED: weakref.WeakKeyDictionary[Any, dict[tuple[str, float], list[float]]] = weakref.WeakKeyDictionary()


def scaled_lengths(reader: Any, field: str, per_length: float) -> list[float]:
    """Each document's length in ``field`` times ``per_length`` (BM25's length part, which
    depends on the field alone); kept for the segment reader's lifetime."""
    known = _SCALED.setdefault(reader, {})
    found = known.get((field, per_length))
    if found is None:
        found = known[(field, per_length)] = [per_length * length for length in field_lengths(reader, field)]
    return found


def _read_lengths(reader: Any, field: str) -> list[int]:
    # Whoosh stores a length as one byte a document; reading the column in one go and decoding
    # from a table is some ten times faster than its per-document lookup.
    per_document = getattr(reader, "_perdoc", None)
    column = per_document._cached_reader(_lengths_column(field), LENGTHS_COLUMN) if per_document is not None else None
    if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:
        lengths = [byte_to_length(byte) for byte in column._dbfile.get(column._basepos, column._count)]
        return lengths + [0] * (reader.doc_count_all() - len(lengths))
    return [reader.doc_field_length(docnum, field, 1) or 0 for docnum in range(reader.doc_count_all())]


