"""A word that stands for many terms (a prefix, a typo), ranked by its best few.

A document can score no more than the sum of the bounds of the terms it holds (and its title
bonus). Each term's documents are read first, ids alone (no weights, no scores): that gives
each document's bound, and how many documents match in all, exactly. Only the documents whose
bound reaches the bar are scored, and only for the terms they hold: at 100k, some tens of a
segment's ten thousand. (MaxScore, which read the terms in full until the unread ones could not
lift a new document to the bar, read nearly every posting of a prefix: a title match weighs
three times, so the bar is about what eight of its common words could still add.)
"""

from __future__ import annotations

import bisect
import heapq
import itertools
import operator
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from reader.core.index.matches import Found, Goal, with_bonus
from reader.core.index.segment import TOLERANCE, Docs, Segment

if TYPE_CHECKING:
    from reader.core.index.scoring import AnyTerm

COMMON_SHARE = 0.15  # of the terms' bounds in all, what the common terms taken as held may add
SHORT_LISTS = 0.5  # of a segment's documents: terms with fewer postings in all are read in full
FIRST_SCORED = 2  # times ``limit``: the documents of highest bound scored first, to set the bar
SEARCH_SHARE = 16  # a list is searched for each candidate when it is this many times longer than they are many


def _add_term(
    segment: Segment,
    query: AnyTerm,
    term: str,
    within: Docs | None,
    per_term: dict[str, dict[int, float]],
    scores: dict[int, float],
    shared: set[int],
) -> dict[int, float]:
    """Read one of the terms into ``scores``, by whole dicts and sets rather than a posting at
    a time: a document already there keeps only the new score, and goes into ``shared`` to be
    added up properly at the end (``_in_query_order``)."""
    ids, term_scores = segment.term_scores(query.fieldname, term, query.boost, within)
    found = per_term[term] = dict(zip(ids, term_scores, strict=False))
    if found:
        shared |= scores.keys() & found.keys()
        scores.update(found)
    return found


def _in_query_order(
    terms: list[str], per_term: dict[str, dict[int, float]], scores: dict[int, float], redo: Iterable[int]
) -> dict[int, float]:
    """``scores``, with those of ``redo`` added up again as ``AnyTerm`` does, term by term in
    the query's order, so they are the same to the last bit (a lone term's score needs no redo)."""
    again = redo if isinstance(redo, set) else set(redo)
    if not again:
        return scores
    totals = dict.fromkeys(again, 0.0)
    for term in terms:
        found = per_term.get(term)
        if found:
            for docnum in again.intersection(found):
                totals[docnum] += found[docnum]
    scores.update(totals)
    return scores


@dataclass(slots=True)
class _Held:
    """Which documents of one segment hold each term (ids alone), and so each one's bound.

    The most common terms, whose bounds add up to little (``slack``), are counted as held by
    every document without a bonus: their long lists are then only read for the count. A
    prefix's terms are held by nearly every document, so those holding none are the ones kept."""

    query: AnyTerm
    lists: dict[str, list[int]]  # term -> its documents, in the query's order
    unheld: set[int]  # the documents holding none of the terms, or deleted
    reach: list[float]  # by document: the sum of the bounds of the other terms it holds (0: none)
    slack: float  # ... and what the common ones add at most (exact for a document with a bonus)
    bonus: dict[int, float]

    @property
    def count(self) -> int:
        """How many documents hold any of the terms (not deleted)."""
        return len(self.reach) - len(self.unheld)

    def matched(self) -> Iterator[int]:
        """The documents holding any of the terms (not deleted), in order."""
        return itertools.filterfalse(self.unheld.__contains__, range(len(self.reach)))

    def bound(self, docnum: int) -> float:
        extra = self.bonus.get(docnum)
        return self.reach[docnum] + (self.slack if extra is None else extra)

    def reaching(self, floor: float) -> list[int]:
        """The documents whose bound reaches ``floor``."""
        floor = _lowered(floor)
        reach, bonus, unheld = self.reach, self.bonus, self.unheld
        if floor <= self.slack:  # (a bar that low: those holding only the common terms too)
            plain: Iterable[int] = self.matched()
        else:
            plain = itertools.compress(range(len(reach)), map(operator.ge, reach, itertools.repeat(floor - self.slack)))
        found = [docnum for docnum in plain if docnum not in bonus and docnum not in unheld]
        found += [docnum for docnum, extra in bonus.items() if reach[docnum] + extra >= floor and docnum not in unheld]
        return found

    def highest(self, number: int) -> list[int]:
        """``number`` documents of the highest bounds."""
        reach, bonus, unheld = self.reach, self.bonus, self.unheld
        unbonused = (docnum for docnum in self.matched() if docnum not in bonus)
        plain = heapq.nlargest(number, unbonused, key=reach.__getitem__)
        boosted = [docnum for docnum in bonus if docnum not in unheld]
        return heapq.nlargest(number, plain + boosted, key=self.bound)

    def scored(self, segment: Segment, docs: Iterable[int]) -> dict[int, float]:
        """The exact scores of ``docs``: each term's weight read for the documents that hold it
        (in place, where a block allows), scored as ``Segment.term_scores`` scores them, added
        up in the query's order, then the bonus (what ``with_bonus`` adds): the same to the last bit."""
        wanted = set(docs)
        ordered = sorted(wanted)
        totals = dict.fromkeys(wanted, 0.0)
        field, boost = self.query.fieldname, self.query.boost
        for term, ids in self.lists.items():
            holding, places = _found_in(ids, ordered, wanted)
            if not holding:
                continue
            postings = segment.postings(field, term)
            assert postings is not None  # (a term of ``lists`` is in the segment)
            weights = postings.weights_of(places)
            scores = segment.scorer(field, term, boost).scores(holding, weights, segment.reader, field)
            for docnum, score in zip(holding, scores, strict=True):
                totals[docnum] += score
        for docnum in wanted.intersection(self.bonus):
            totals[docnum] += self.bonus[docnum]
        return totals


def _found_in(ids: list[int], docs: list[int], among: set[int]) -> tuple[list[int], list[int]]:
    """The documents of ``docs`` (sorted; ``among``: the same as a set) that ``ids`` (sorted)
    holds, and their places in it: by a binary search each when they are few next to the list
    (the later segments' candidates), else by one pass over the list."""
    if len(docs) * SEARCH_SHARE >= len(ids):
        holding = sorted(among.intersection(ids))
        return holding, [bisect.bisect_left(ids, docnum) for docnum in holding]
    found: list[int] = []
    places: list[int] = []
    at, end = 0, len(ids)
    for docnum in docs:
        at = bisect.bisect_left(ids, docnum, at)
        if at == end:
            break
        if ids[at] == docnum:
            found.append(docnum)
            places.append(at)
    return found, places


def _held(segment: Segment, query: AnyTerm, bonus: dict[int, float]) -> _Held:
    field = query.fieldname
    present = {term: found for term in query.alternatives if (found := segment.postings(field, term)) is not None}
    bounds = {term: segment.upper(field, term, query.boost) for term in present}
    common = {term for term, upper in bounds.items() if upper <= 0.0}  # (none, with BM25)
    slack, most = 0.0, COMMON_SHARE * sum(bounds.values())
    for term in sorted(present, key=lambda term: -present[term].df):  # the longest lists first
        if slack + bounds[term] > most:
            break
        common.add(term)
        slack += bounds[term]
    lists: dict[str, list[int]] = {}
    reach = [0.0] * segment.reader.doc_count_all()
    for term, postings in present.items():
        segment.check_stop()
        ids = lists[term] = postings.all_ids()
        if term not in common:
            upper = bounds[term]
            for docnum in ids:
                reach[docnum] += upper
    if bonus:  # exact for the documents with a bonus
        boosted = set(bonus)
        for term in common:
            upper = bounds[term]
            for docnum in boosted.intersection(lists[term]):
                reach[docnum] += upper
    # Those no term outside the common ones holds (few, for a prefix), less those a common one holds.
    unheld = set(itertools.compress(range(len(reach)), map(operator.not_, reach)))
    unheld.difference_update(*(lists[term] for term in common))
    return _Held(query, lists, unheld | segment.deleted, reach, slack, bonus)


def best_terms(segment: Segment, query: AnyTerm, goal: Goal, bonus: dict[int, float]) -> Found:
    """``AnyTerm`` when only its best documents matter, plus ``bonus``, the scores of an
    optional part already known for every document (a prefix's title terms).

    With no bar yet (the first segment), the documents of highest bound are scored first and
    the best few of them set it. Every document whose bound reaches the bar is then scored;
    the others cannot enter the best few, and are only counted. Terms with short lists (a
    typo's, mostly) are read in full: bounding saves nothing there."""
    lists = (segment.postings(query.fieldname, term) for term in query.alternatives)
    if sum(found.df for found in lists if found is not None) < SHORT_LISTS * segment.reader.doc_count_all():
        return _in_full(segment, query, bonus)
    held = _held(segment, query, bonus)
    threshold = goal.threshold
    scores: dict[int, float] = {}
    if threshold is None:
        first = held.highest(FIRST_SCORED * goal.limit)
        scores = held.scored(segment, first)
        if len(scores) >= goal.limit:
            threshold = heapq.nlargest(goal.limit, scores.values())[-1]
    candidates = list(held.matched()) if threshold is None else held.reaching(threshold)
    scores.update(held.scored(segment, (docnum for docnum in candidates if docnum not in scores)))
    return Found(scores, unlisted=held.count - len(scores))


def every_term(segment: Segment, query: AnyTerm, within: Docs | None) -> Found:
    """``AnyTerm`` with every term read and scored in full (of ``within``, a hint)."""
    per_term: dict[str, dict[int, float]] = {}
    scores: dict[int, float] = {}
    shared: set[int] = set()  # documents holding more than one of the terms
    for term in query.alternatives:
        _add_term(segment, query, term, within, per_term, scores, shared)
    return Found(_in_query_order(query.alternatives, per_term, scores, shared))


def term_totals(segment: Segment, query: AnyTerm) -> dict[int, float]:
    """Every document holding any of the terms, with the sum of their scores (``every_term``'s,
    to the last bit: each document's scores added up in the query's order from 0.0), a posting
    at a time: for the short lists of a prefix's title terms, quicker than merging a dict a
    term (most of that part's cost was per list, not per posting)."""
    totals: dict[int, float] = {}
    add = totals.get
    field, boost, deleted = query.fieldname, query.boost, segment.deleted
    for term in query.alternatives:
        segment.check_stop()
        postings = segment.postings(field, term)
        if postings is None:
            continue
        ids, weights = postings.everything()
        scores = segment.scorer(field, term, boost).scores(ids, weights, segment.reader, field)
        for docnum, score in zip(ids, scores, strict=True):
            totals[docnum] = add(docnum, 0.0) + score
    if deleted:
        return {docnum: total for docnum, total in totals.items() if docnum not in deleted}
    return totals


def _in_full(segment: Segment, query: AnyTerm, bonus: dict[int, float]) -> Found:
    """Every term read and scored in full, plus the bonus: ``AnyTerm`` with its optional part."""
    found = every_term(segment, query, None)
    return with_bonus(found, Found(bonus)) if bonus else found


def _lowered(floor: float) -> float:
    """``floor`` less the rounding tolerance: sums made in another order may differ in the last bits."""
    return floor - TOLERANCE * abs(floor)
