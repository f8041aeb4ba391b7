"""What one clause matched in one segment (``Found``), and how clauses combine.

A phrase's documents are known before its words are known to stand side by side: they stay
open, with an upper bound of their score, and are settled only when the ranking needs them.
The bound may be loose (a common phrase's, its words' highest scores): ``tighten`` then works
out tighter bounds of many documents at once, for the ranking to settle only those that can
still enter the best few.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class Goal:
    """What the ranking needs from a clause whose documents all match the whole query: the
    best ``limit``; ``threshold``, the score already needed to enter them (None: not known yet).
    ``partial``: the clause's score is only part of its documents' (a part of an Or, the
    required part of an AndMaybe): the threshold is then a hint, by which nothing is left out."""

    limit: int
    threshold: float | None
    partial: bool = False


def _settled(_: int) -> float | None:
    return None


Tighten = Callable[[list[int]], dict[int, float]]


@dataclass(slots=True)
class Found:
    """The documents one clause matched in one segment, with their scores.

    A document in ``open`` is not settled yet: its entry in ``scores`` is an upper bound of its
    score (a phrase's words are all there, but maybe not side by side), and ``settle`` works out
    the real score, or None when it does not match after all. ``doubtful`` are the open ones
    that may not match (the rest are sure to match, only their score is open). ``tighten``,
    when given, gives tighter bounds of open documents than ``scores`` (None: none tighter).
    """

    scores: dict[int, float]
    open: set[int] = field(default_factory=set)
    doubtful: set[int] = field(default_factory=set)
    settle_open: Callable[[int], float | None] = _settled
    unlisted: int = 0  # matches left out of ``scores`` because they cannot reach the best few
    estimated: bool = False  # ``unlisted`` is an estimate
    tighten: Tighten | None = None

    def settle(self, doc: int) -> float | None:
        return self.settle_open(doc) if doc in self.open else self.scores.get(doc)

    def bounds(self, docs: list[int]) -> dict[int, float]:
        """The tightest bounds known of ``docs`` (documents of ``scores``)."""
        if self.tighten is not None:
            return self.tighten(docs)
        scores = self.scores
        return {docnum: scores[docnum] for docnum in docs}


def _summed_bounds(parts: list[Found], boost: float) -> Tighten | None:
    """The parts' tighter bounds added up where a document is in them (None: no part has any)."""
    if all(part.tighten is None for part in parts):
        return None

    def tighten(docs: list[int]) -> dict[int, float]:
        totals: dict[int, float] = {}
        for part in parts:
            held = list(filter(part.scores.__contains__, docs))
            if not totals:  # (``bounds`` gives a new dict)
                totals = part.bounds(held)
                continue
            for docnum, bound in part.bounds(held).items():
                totals[docnum] = totals.get(docnum, 0.0) + bound
        return {docnum: total * boost for docnum, total in totals.items()} if boost != 1.0 else totals

    return tighten


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    return scores if boost == 1.0 else {docnum: score * boost for docnum, score in scores.items()}


def either(parts: list[Found], boost: float) -> Found:
    """``Or``: the sum of the parts that match (in Whoosh's order: the largest part first)."""
    parts = sorted((part for part in parts if part.scores), key=lambda part: len(part.scores))
    if len(parts) <= 1 and boost == 1.0:
        return parts[0] if parts else Found({})
    order = [parts[-1], *parts[:-1]]
    scores = dict(order[0].scores)
    for part in order[1:]:
        for docnum, score in part.scores.items():
            scores[docnum] = scores.get(docnum, 0.0) + score
    opened = set().union(*(part.open for part in parts))
    if not opened:
        return Found(_boosted(scores, boost))
    doubtful = {
        docnum
        for docnum in set().union(*(part.doubtful for part in parts))
        if all(docnum not in part.scores or docnum in part.doubtful for part in parts)
    }

    def settle(docnum: int) -> float | None:
        total, matched = 0.0, False
        for part in order:
            if docnum in part.scores and (score := part.settle(docnum)) is not None:
                total, matched = total + score, True
        return (total * boost if boost != 1.0 else total) if matched else None

    return Found(_boosted(scores, boost), opened, doubtful, settle, tighten=_summed_bounds(order, boost))


def all_of(parts: list[Found], boost: float) -> Found:
    """``And``: documents every part matched, with the sum of their scores."""
    parts = sorted(parts, key=lambda part: len(part.scores))
    keep = set(parts[0].scores).intersection(*(part.scores for part in parts[1:]))
    scores = {docnum: sum(part.scores[docnum] for part in parts) for docnum in keep}
    opened = {docnum for docnum in keep if any(docnum in part.open for part in parts)}
    if not opened:
        return Found(_boosted(scores, boost))
    doubtful = {docnum for docnum in opened if any(docnum in part.doubtful for part in parts)}

    def settle(docnum: int) -> float | None:
        found = [part.settle(docnum) for part in parts]
        if any(score is None for score in found):
            return None
        total = sum(score for score in found if score is not None)
        return total * boost if boost != 1.0 else total

    return Found(_boosted(scores, boost), opened, doubtful, settle, tighten=_summed_bounds(parts, boost))


def with_bonus(required: Found, optional: Found) -> Found:
    """``AndMaybe``: the required part's documents, plus the optional part's score where it matched."""
    scores = dict(required.scores)
    for docnum, score in optional.scores.items():
        if docnum in scores:
            scores[docnum] += score
    # (the sets of a Found are never changed once made: one is shared, not copied)
    opened = required.open | (optional.open & scores.keys()) if optional.open else required.open
    if not opened:
        return Found(scores, unlisted=required.unlisted, estimated=required.estimated)

    def settle(docnum: int) -> float | None:
        score = required.settle(docnum)
        if score is not None and docnum in optional.scores and (bonus := optional.settle(docnum)) is not None:
            score += bonus
        return score

    tighten = _summed_bounds([required, optional], 1.0)
    return Found(scores, opened, required.doubtful, settle, required.unlisted, required.estimated, tighten)


def without(kept: Found, dropped: Found) -> Found:
    """``AndNot``: the first part's documents that the second part does not match."""
    scores = dict(kept.scores)
    maybe = set()
    for docnum in dropped.scores:
        if docnum in scores:
            if docnum in dropped.doubtful:
                maybe.add(docnum)
            else:
                del scores[docnum]
    opened = (kept.open & scores.keys()) | maybe
    if not opened:
        return Found(scores)

    def settle(docnum: int) -> float | None:
        if docnum in maybe and dropped.settle(docnum) is not None:
            return None
        return kept.settle(docnum)

    return Found(scores, opened, (kept.doubtful & scores.keys()) | maybe, settle, tighten=_summed_bounds([kept], 1.0))


