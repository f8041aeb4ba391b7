"""The best few of a query over every segment, and how many matched (exact, or "about N").

Counting a phrase's matches stops at a budget (``COUNT_BUDGET``): past it, the total is an
estimate from a sample, shown as "about N".
"""

from __future__ import annotations

import bisect
import heapq
import itertools
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from reader.core.index.matches import Found, Goal
from reader.core.index.query import SearchCancelled
from reader.core.index.scoring import best_with_optional, evaluate, optional_part, optional_scores
from reader.core.index.segment import TOLERANCE, SearchCache, Segment

# Work spent only on counting matches, past which the total is an estimate ("about N"):
COUNT_BUDGET = 600  # phrase candidates checked for their positions


# --- the best few, and how many there are ----------------------------------------------------


@dataclass(slots=True)
class _Ranking:
    """The best ``limit`` matches so far over all segments, best first: (-score, docnum), so ties
    go to the lower docnum, as Whoosh ranks them; and how many documents matched."""

    limit: int
    best: list[tuple[float, int]] = field(default_factory=list)
    total: int = 0
    estimated: bool = False
    sampled: int = 0  # doubtful documents checked only to count them, over all segments
    sample_hits: int = 0  # ... of which matched

    def threshold(self) -> float | None:
        """The score a new match has to reach to enter the list (None while it is not full)."""
        return -self.best[-1][0] if len(self.best) >= self.limit else None

    def reached(self, floor: float) -> bool:
        """Whether the list is full and its last score reaches ``floor``: then no document
        under it could have entered (a bar of ``floor`` left nothing out)."""
        threshold = self.threshold()
        return threshold is not None and threshold >= floor

    def offer(self, score: float, docnum: int) -> None:
        entry = (-score, docnum)
        if len(self.best) < self.limit:
            bisect.insort(self.best, entry)
        elif entry < self.best[-1]:
            bisect.insort(self.best, entry)
            self.best.pop()

    def add_segment(self, found: Found, offset: int, budget: int, check_stop: Callable[[], None]) -> None:
        self.total += found.unlisted
        self.estimated = self.estimated or found.estimated
        if len(found.open) < len(found.scores):  # (a phrase's documents are all open)
            opened = found.open
            settled = ((-score, docnum + offset) for docnum, score in found.scores.items() if docnum not in opened)
            self.best = heapq.nsmallest(self.limit, itertools.chain(self.best, settled))
        checked = self._settle_best(found, offset, check_stop)
        self._count(found, checked, budget)

    def _settle_best(self, found: Found, offset: int, check_stop: Callable[[], None]) -> dict[int, bool]:
        """Settle open documents by bound, best first, while one could still enter the list.

        Loose bounds (``Found.tighten``) are tightened first, only for the documents they leave
        above the bar (often few: a common phrase's are mostly below it). The best few bounds
        are picked first: usually few are needed, and picking the best few of many is cheaper
        than ordering them all; past them, the rest are ordered once."""
        checked: dict[int, bool] = {}
        waiting = self._above_bar(list(found.open), found.scores)
        bound = (found.scores if found.tighten is None else found.tighten(sorted(waiting))).__getitem__
        for docnum in _best_first(waiting, bound):
            threshold = self.threshold()
            if threshold is not None and bound(docnum) < threshold - TOLERANCE * abs(threshold):
                return checked
            check_stop()  # a phrase's candidates each decode positions
            score = found.settle(docnum)
            checked[docnum] = score is not None
            if score is not None:
                self.offer(score, docnum + offset)
        return checked

    def _above_bar(self, docs: list[int], bounds: dict[int, float]) -> list[int]:
        """The documents whose bound reaches the list's bar (the bar only rises: none below it
        now is ever settled)."""
        threshold = self.threshold()
        if threshold is None:
            return docs
        floor = threshold - TOLERANCE * abs(threshold)
        return [docnum for docnum in docs if bounds[docnum] >= floor]

    def _count(self, found: Found, checked: dict[int, bool], budget: int) -> None:
        """Add the segment's matches: exact, unless the doubtful ones left to check pass the
        budget; then a sample of them is checked, and the rest counted at its rate."""
        doubtful = found.doubtful
        self.total += len(found.scores) - len(doubtful)
        self.total += sum(1 for docnum, matched in checked.items() if matched and docnum in doubtful)
        unknown = len(doubtful) - sum(1 for docnum in checked if docnum in doubtful)
        if unknown <= budget:
            sample = [docnum for docnum in doubtful if docnum not in checked]
        else:
            sample = _runs(doubtful, checked, budget, max(found.scores) + 1)
        if found.tighten is not None:  # (a phrase then works out its sample's scores together)
            found.tighten(sorted(sample))
        hits = sum(1 for docnum in sample if found.settle(docnum) is not None)
        self.total += hits
        self.sampled += len(sample)
        self.sample_hits += hits
        if len(sample) < unknown:
            self.estimated = True
            self.total += round((unknown - len(sample)) * self.sample_hits / max(self.sampled, 1))


_FIRST_BATCH = 64


def _best_first(waiting: list[int], bound: Callable[[int], float]) -> Iterator[int]:
    """``waiting`` by bound, highest first, ties in list order (a stable sort's). The best
    ``_FIRST_BATCH`` are picked first (``nlargest`` gives the start of that very order), and
    the rest are sorted only if the first did not settle the list."""
    if len(waiting) > _FIRST_BATCH:
        yield from heapq.nlargest(_FIRST_BATCH, waiting, key=bound)
        yield from sorted(waiting, key=bound, reverse=True)[_FIRST_BATCH:]
    else:
        yield from sorted(waiting, key=bound, reverse=True)
_SAMPLE_RUNS = 8


def _runs(doubtful: set[int], checked: dict[int, bool], size: int, end: int) -> list[int]:
    """About ``size`` of the ``doubtful`` documents not yet ``checked``, in a few runs of
    neighbours spread over the segment (documents ``[0, end)``): neighbours share postings
    blocks, so checking them decodes few; files are in no particular order, so runs are as
    fair a sample as any."""
    per_run = max(1, size // _SAMPLE_RUNS)
    sample: list[int] = []
    for run in range(_SAMPLE_RUNS):
        taken = 0
        for docnum in range(run * end // _SAMPLE_RUNS, (run + 1) * end // _SAMPLE_RUNS):
            if docnum in doubtful and docnum not in checked:
                sample.append(docnum)
                taken += 1
                if taken >= per_run:
                    break
    return sample


def best_matches(
    searcher: Any, query: Any, limit: int, cache: SearchCache | None = None, stop: Callable[[], bool] | None = None
) -> tuple[list[tuple[float, int]], int, bool]:
    """The ``limit`` best (score, docnum) of every segment, best first (ties: lower docnum first,
    as Whoosh ranks them), how many documents matched in all, and whether that is an estimate.
    ``stop`` is asked before each segment, term and phrase candidate; when it says so,
    ``SearchCancelled`` is raised.

    A prefix's title scores are worked out for every segment first: a document's score is at
    least its title's when its body holds its headline (as nearly every article's does), so the
    ``limit``-th best title score is a bar below which no document need be scored, in the
    largest segment too, which had only its own best few to go by. Should the best few found not
    all reach it after all, the search runs again without it."""
    cache = SearchCache() if cache is None else cache
    # The largest segment first: its best few set a high bar early, so the smaller ones that
    # follow prune more (the best few do not depend on the order; an estimated count may).
    leaves = sorted(searcher.leaf_searchers(), key=lambda leaf: -leaf[0].doc_count_all())
    part = optional_part(query)
    optional = [None if part is None else optional_scores(Segment(sub, cache, stop), part) for sub, _ in leaves]
    floor = _optional_floor(optional, limit)
    ranking = _ranked(leaves, query, limit, optional, floor, cache, stop)
    if floor is not None and not ranking.reached(floor):
        ranking = _ranked(leaves, query, limit, optional, None, cache, stop)
    total = _rounded(ranking.total) if ranking.estimated else ranking.total
    return [(-negated, docnum) for negated, docnum in ranking.best], total, ranking.estimated


def _ranked(
    leaves: list[tuple[Any, int]],
    query: Any,
    limit: int,
    optional: list[dict[int, float] | None],
    floor: float | None,
    cache: SearchCache,
    stop: Callable[[], bool] | None,
) -> _Ranking:
    """Every segment's best few and count, none scored whose bound is under ``floor``. (A
    segment's lists are let go before the next is read.)"""
    ranking = _Ranking(limit)
    everything = max(sum(sub.doc_count_all() for sub, _ in leaves), 1)
    for (sub, offset), known in zip(leaves, optional, strict=True):
        if stop is not None and stop():
            raise SearchCancelled("a newer search was asked for")
        budget = max(1, COUNT_BUDGET * sub.doc_count_all() // everything)
        goal = Goal(limit, _higher(ranking.threshold(), floor))
        segment = Segment(sub, cache, stop)
        ranking.add_segment(_evaluated(segment, query, goal, known), offset, budget, segment.check_stop)
    return ranking


def _evaluated(segment: Segment, query: Any, goal: Goal, optional: dict[int, float] | None) -> Found:
    """One segment's matches (a function of its own: what a segment matched, a phrase's
    positions with it, is let go before the next segment is read)."""
    if optional is None:
        return evaluate(segment, query, None, goal)
    return best_with_optional(segment, query, goal, optional)


def _optional_floor(optional: list[dict[int, float] | None], limit: int) -> float | None:
    """The ``limit``-th best of the optional part's scores over every segment (None: fewer)."""
    if any(known is None for known in optional):
        return None
    best = heapq.nlargest(limit, itertools.chain.from_iterable(known.values() for known in optional if known))
    return best[-1] if len(best) >= limit else None


def _higher(threshold: float | None, floor: float | None) -> float | None:
    """The higher of two bars, either of which may be missing."""
    return max((bar for bar in (threshold, floor) if bar is not None), default=None)


def _rounded(count: int) -> int:
    """An estimate to two significant figures: "about 4,400", not "about 4,417"."""
    if count < 100:
        return count
    scale: int = 10 ** (len(str(count)) - 2)
    return round(count / scale) * scale


