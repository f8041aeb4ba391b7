"""A word that stands for many terms (a prefix, a typo), ranked by its best few (MaxScore).

Terms are read in full from the one that can give the highest score down; once the documents
read hold the best few beyond what the unread terms could give a new one, those terms (a
prefix's common words, with long lists and low scores) are looked up only for the documents
that can still make it, and the count of the rest is estimated.
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from reader.core.index.matches import Found, Goal, with_bonus
from reader.core.index.segment import TOLERANCE, Docs, Segment

if TYPE_CHECKING:
    from reader.core.index.scoring import AnyTerm


def add_term(
    segment: Segment,
    query: AnyTerm,
    term: str,
    within: Docs | None,
    per_term: dict[str, dict[int, float]],
    scores: dict[int, float],
    shared: set[int],
    *,
    only: bool = False,
) -> dict[int, float]:
    """Read one of the terms into ``scores``, by whole dicts and sets rather than a posting at
    a time: a document already there keeps only the new score, and goes into ``shared`` to be
    added up properly at the end (``in_query_order``). ``only``: the documents of ``within``
    alone are wanted (see ``Segment.term_scores``)."""
    ids, term_scores = segment.term_scores(query.fieldname, term, query.boost, within, only=only)
    found = per_term[term] = dict(zip(ids, term_scores, strict=False))
    if found:
        shared |= scores.keys() & found.keys()
        scores.update(found)
    return found


def in_query_order(
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
class _TermsRead:
    """``best_terms`` under way: the terms read in full, and each document's score so far."""

    query: AnyTerm
    bonus: dict[int, float]  # what the optional part adds, known for every document
    per_term: dict[str, dict[int, float]] = field(default_factory=dict)
    partial: dict[int, float] = field(default_factory=dict)  # never above the document's score
    shared: set[int] = field(default_factory=set)
    # The best few documents read so far by score so far, and by score so far and bonus: kept
    # as terms are read, so the bar is worked out from them, not from every document read.
    leaders: list[int] = field(default_factory=list)
    boosted_leaders: list[int] = field(default_factory=list)

    def read_term(self, segment: Segment, term: str, limit: int) -> None:
        """Read ``term`` in full, and keep the best ``limit`` documents so far. Only the
        documents the term holds changed: the new best are among them and the old best."""
        ids, term_scores = segment.term_scores(self.query.fieldname, term, self.query.boost, None)
        found = self.per_term[term] = dict(zip(ids, term_scores, strict=False))
        partial, bonus = self.partial, self.bonus
        # A running sum (in reading order, redone in the query's at the end): the best so far,
        # and so the bar, rise as fast as the terms read allow.
        again = partial.keys() & found.keys()
        sums = {docnum: partial[docnum] + found[docnum] for docnum in again}
        partial.update(found)
        partial.update(sums)
        self.shared |= again
        entrants: Iterable[int] = found.keys()
        if len(self.leaders) >= limit:
            # None below the worst of the old best (at their scores now) can be among the best.
            floor = min(map(partial.__getitem__, self.leaders))
            entrants = [docnum for docnum in found if partial[docnum] >= floor]
        self.leaders = heapq.nlargest(limit, set(entrants).union(self.leaders), key=partial.__getitem__)
        if bonus:
            boosted = (found.keys() & bonus.keys()) | set(self.boosted_leaders)
            self.boosted_leaders = heapq.nlargest(limit, boosted, key=lambda docnum: partial[docnum] + bonus[docnum])

    def threshold(self, goal: Goal) -> float | None:
        """A score the best ``limit`` documents are sure to reach (None: none known yet). Every
        document read matches, with at least its score so far (plus its bonus); the best few
        kept of them are as good a bar as any few."""
        known = [goal.threshold] if goal.threshold is not None else []
        partial, bonus = self.partial, self.bonus
        if len(self.leaders) >= goal.limit:
            known.append(min(partial[docnum] for docnum in self.leaders))
        if len(self.boosted_leaders) >= goal.limit:
            known.append(min(partial[docnum] + bonus[docnum] for docnum in self.boosted_leaders))
        return max(known, default=None)

    def hopeful(self, floor: float) -> dict[int, float]:
        """The documents (every one read or with a bonus) whose score so far and bonus reach
        ``floor``, with that sum."""
        floor = _lowered(floor)
        partial, bonus = self.partial, self.bonus
        found = {docnum: score for docnum, score in partial.items() if score >= floor and docnum not in bonus}
        for docnum, extra in bonus.items():
            if (total := partial.get(docnum, 0.0) + extra) >= floor:
                found[docnum] = total
        return found


def best_terms(segment: Segment, query: AnyTerm, goal: Goal, bonus: dict[int, float]) -> Found:
    """``AnyTerm`` when only its best documents matter (MaxScore), plus ``bonus``, the scores of
    an optional part already known for every document (a prefix's title terms).

    Terms are read in full from the one that can give the highest score down. Once the
    documents read hold the best few beyond what the unread terms could give a new one, those
    terms (the common words of a prefix, with long lists and low scores) are only looked up
    for the documents that can still make it, when they are few; the count of the rest is then
    estimated. Without such a moment every term is read, and the result is exact."""
    field = query.fieldname
    present = [term for term in query.alternatives if segment.postings(field, term) is not None]
    bounds = {term: segment.upper(field, term, query.boost) for term in present}
    order = sorted(present, key=lambda term: -bounds[term])
    reach = [goal.extra] * (len(order) + 1)  # the most terms order[i:] (and the rest) can add
    for number in range(len(order) - 1, -1, -1):
        reach[number] = reach[number + 1] + bounds[order[number]]
    read = _TermsRead(query, bonus)
    threshold = goal.threshold
    for number, term in enumerate(order):
        # The bar only rises as terms are read; it is worth working out again once the terms
        # left could come near it.
        if number and (threshold is None or reach[number] < 2 * threshold):
            threshold = read.threshold(goal)
        if threshold is not None and reach[number] < _lowered(threshold):
            in_query_order(query.alternatives, read.per_term, read.partial, read.shared)
            hopeful = read.hopeful(threshold - reach[number])
            return _look_up_rest(segment, read, order[number:], reach[number + 1 :], threshold, hopeful, goal.budget)
        read.read_term(segment, term, goal.limit)
    scores = in_query_order(query.alternatives, read.per_term, read.partial, read.shared)
    return with_bonus(Found(scores), Found(bonus)) if bonus else Found(scores)


def _look_up_rest(
    segment: Segment,
    read: _TermsRead,
    unread: list[str],
    reach: list[float],
    threshold: float,
    hopeful: dict[int, float],
    budget: int,
) -> Found:
    """Finish ``best_terms`` for the ``hopeful`` documents, the only ones that can still enter
    the best few: each unread term is looked up for them alone (only their blocks decoded), and
    those it leaves below the bar drop out before the next."""
    query = read.query
    seen = set(read.partial)  # every document holding one of the terms read in full
    found_later: set[int] = set()  # ... or one of the others (of the hopeful documents)
    for number, term in enumerate(unread):
        # Only the hopeful documents' scores are used from here on (the bar, the members and
        # their scores in query order): no other is scored or added up.
        found = add_term(segment, query, term, Docs(hopeful), read.per_term, {}, set(), only=True)
        for docnum, score in found.items():
            hopeful[docnum] += score
        found_later.update(found)
        floor = _lowered(threshold - reach[number])
        hopeful = {docnum: total for docnum, total in hopeful.items() if total >= floor}
    members = [docnum for docnum in hopeful if docnum in seen or docnum in found_later]  # holding one of the terms
    scores = in_query_order(query.alternatives, read.per_term, dict.fromkeys(members, 0.0), members)
    for docnum, bonus in read.bonus.items():
        if docnum in scores:
            scores[docnum] += bonus
    holding, estimated = _holding_any(segment, query.fieldname, unread, seen, budget)
    return Found(scores, unlisted=max(0, holding - len(scores)), estimated=estimated)


def _holding_any(segment: Segment, field: str, unread: list[str], seen: set[int], budget: int) -> tuple[int, bool]:
    """How many documents hold one of the terms, given those ``seen`` in the terms read: the
    unread terms' documents are counted from their ids alone (no scores) while that reads no
    more than ``budget`` postings; past it, a term is taken to hold as many documents not seen
    yet as chance would give it. The count, and whether it is an estimate."""
    documents = max(int(segment.reader.doc_count()), 1)
    extra = 0.0
    for term in sorted(unread, key=lambda later: segment.postings(field, later).df):  # type: ignore[union-attr]
        postings = segment.postings(field, term)
        if postings is None:
            continue
        if postings.df <= budget and not extra:
            seen.update(postings.all_ids())
            budget -= postings.df
        else:
            extra += postings.df * max(0.0, 1.0 - (len(seen) + extra) / documents)
    return len(seen - segment.deleted) + round(extra), extra > 0


def _lowered(floor: float) -> float:
    """``floor`` less the rounding tolerance: sums made in another order may differ in the last bits."""
    return floor - TOLERANCE * abs(floor)
