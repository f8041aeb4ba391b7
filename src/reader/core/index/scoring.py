"""Scoring a query on one segment: Whoosh's own BM25F, to the last bit, worked out another way.

A clause at a time over whole blocks of postings rather than a walk of matchers per document;
an AND, a phrase and the optional title part start from their rarest part, and the other parts
decode only the blocks holding its documents (``within``); a phrase counts as the sum of its
words' scores, so its candidates are ranked (``phrases``) before their positions are checked.

``within``: when given, only these documents can matter, because the clause is one part of
an AND, or the optional part of an AndMaybe, whose other part was evaluated first. Its
postings are then decoded only in the blocks that hold one of them. It is a hint, not a
filter: a clause may return other documents too (when reading a whole list is cheaper than
looking documents up), and every caller keeps only the documents of the other part.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from whoosh.matching.mcore import ListMatcher, NullMatcher
from whoosh.query.compound import And, AndMaybe, AndNot, Or, Require
from whoosh.query.positional import Phrase as WhooshPhrase
from whoosh.query.qcore import NullQuery, Query
from whoosh.query.terms import Term

from reader.core.index.matches import Found, Goal, all_of, either, with_bonus, without
from reader.core.index.maxscore import best_terms, every_term, term_totals
from reader.core.index.phrases import phrase_found
from reader.core.index.segment import Docs, Segment

_ListMatcher: Any = ListMatcher  # Whoosh's classes are untyped
_NullMatcher: Any = NullMatcher


class AnyTerm(Query):  # type: ignore[misc]  # Whoosh is untyped
    """Documents holding any of ``terms`` in ``field``, scored as the sum of their BM25 scores
    (what ``Or`` of the terms gives). They are kept as ``alternatives``: Whoosh's queries have
    a ``terms()`` method."""

    def __init__(self, fieldname: str, terms: list[str], boost: float = 1.0) -> None:
        self.fieldname = fieldname
        self.alternatives = terms
        self.boost = boost

    def __eq__(self, other: object) -> bool:
        return (
            isinstance(other, AnyTerm)
            and (self.fieldname, self.alternatives, self.boost) == (other.fieldname, other.alternatives, other.boost)
        )

    def __hash__(self) -> int:
        return hash((self.fieldname, tuple(self.alternatives), self.boost))

    def __repr__(self) -> str:
        return f"AnyTerm({self.fieldname!r}, {self.alternatives!r}, boost={self.boost})"

    def estimate_size(self, ixreader: Any) -> int:
        return sum(ixreader.doc_frequency(self.fieldname, term) for term in self.alternatives)

    def estimate_min_size(self, ixreader: Any) -> int:
        return max((ixreader.doc_frequency(self.fieldname, term) for term in self.alternatives), default=0)

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _list_matcher(every_score(searcher, self))


class AdjacentPhrase(WhooshPhrase):  # type: ignore[misc]  # Whoosh is untyped
    """An exact phrase (slop 1), scored as Whoosh's ``Phrase``: the sum of its words' scores.

    Whoosh compares span objects pairwise with binary searches; for an exact phrase it is enough
    to shift each word's positions back by its place in the phrase and intersect the sets.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _list_matcher(every_score(searcher, self))


def _list_matcher(scores: dict[int, float]) -> Any:
    """A matcher over ready scores, for Whoosh's collectors (the date-sorted searches)."""
    if not scores:
        return _NullMatcher
    ids = sorted(scores)
    return _ListMatcher(ids, weights=[scores[docnum] for docnum in ids])
def evaluate(segment: Segment, query: Any, within: Docs | None, goal: Goal | None = None) -> Found:
    evaluator = _EVALUATORS.get(type(query))
    if evaluator is not None:
        return evaluator(segment, query, within, goal)
    if query is NullQuery:
        return Found({})
    return _walk(segment, query, within)


def _term(segment: Segment, query: Any, within: Docs | None, goal: Goal | None) -> Found:
    ids, scores = segment.term_scores(query.fieldname, query.text, query.boost, within)
    return Found(dict(zip(ids, scores, strict=False)))


def _any_terms(segment: Segment, query: AnyTerm, within: Docs | None, goal: Goal | None) -> Found:
    if goal is not None and not goal.partial and within is None and len(query.alternatives) > 1:
        return best_terms(segment, query, goal, {})
    return every_term(segment, query, within)


def _phrase(segment: Segment, query: AdjacentPhrase, within: Docs | None, goal: Goal | None) -> Found:
    bar = goal.threshold if goal is not None else None
    return phrase_found(segment, query.fieldname, query.words, query.boost, within, bar)


def _and(segment: Segment, query: Any, within: Docs | None, goal: Goal | None) -> Found:
    """Every part; the part likely to match fewest documents first, the others only where it did."""
    parts = sorted(query.subqueries, key=lambda part: _estimate(segment, part))
    found: list[Found] = []
    for part in parts:
        result = evaluate(segment, part, within)
        found.append(result)
        if not result.scores:
            return Found({})
        if within is None:
            within = Docs(result.scores)
        else:
            within = Docs([doc for doc in within.sorted if doc in result.scores], ordered=True)
    return all_of(found, query.boost)


def _or(segment: Segment, query: Any, within: Docs | None, goal: Goal | None) -> Found:
    return either([evaluate(segment, part, within, _part_of(goal)) for part in query.subqueries], query.boost)


def _and_maybe(segment: Segment, query: Any, within: Docs | None, goal: Goal | None) -> Found:
    a, b = query.a, query.b
    required = evaluate(segment, a, within, _part_of(goal))
    if not required.scores:
        return required
    return with_bonus(required, evaluate(segment, b, Docs(required.scores)))


def optional_part(query: Any) -> Any | None:
    """The optional part of a word that stands for many terms (a prefix or fuzzy word of no
    field: its title terms, which are few), when ``query`` is one; None otherwise. The ranking
    works out its scores in every segment first (``optional_scores``), and sets a bar from
    the best of them before any segment is ranked (``best_with_optional``)."""
    if isinstance(query, AndMaybe) and isinstance(query.a, AnyTerm) and len(query.a.alternatives) > 1:
        return query.b
    return None


def optional_scores(segment: Segment, part: Any) -> dict[int, float]:
    """The scores of an ``optional_part`` for every document."""
    if isinstance(part, AnyTerm):
        return term_totals(segment, part)
    return _settled_all(evaluate(segment, part, None)).scores


def best_with_optional(segment: Segment, query: Any, goal: Goal, optional: dict[int, float]) -> Found:
    """``query``, whose ``optional_part`` scored ``optional``, ranked by its best few: the
    body's terms are read against the title's scores (``best_terms``)."""
    return best_terms(segment, query.a, goal, optional)


def _part_of(goal: Goal | None) -> Goal | None:
    """The goal of a clause whose score is only part of its documents' (a hint only)."""
    return None if goal is None else Goal(goal.limit, goal.threshold, partial=True)


def _settled_all(found: Found) -> Found:
    """Every open document settled (for a small clause whose scores are needed exactly)."""
    if not found.open:
        return found
    scores = {docnum: score for docnum, score in found.scores.items() if docnum not in found.open}
    for docnum in sorted(found.open):
        score = found.settle(docnum)
        if score is not None:
            scores[docnum] = score
    return Found(scores)


def _require(segment: Segment, query: Any, within: Docs | None, goal: Goal | None) -> Found:
    """The first part's documents that the second part matches too, scored by the first alone
    (``in:`` a chosen set of articles: the ids only select)."""
    kept = _settled_all(evaluate(segment, query.a, within))
    if not kept.scores:
        return kept
    chosen = _settled_all(evaluate(segment, query.b, Docs(kept.scores)))
    return Found({docnum: score for docnum, score in kept.scores.items() if docnum in chosen.scores})


def _and_not(segment: Segment, query: Any, within: Docs | None, goal: Goal | None) -> Found:
    kept = evaluate(segment, query.a, within)
    if not kept.scores:
        return kept
    return without(kept, evaluate(segment, query.b, Docs(kept.scores)))


def _walk(segment: Segment, query: Any, within: Docs | None) -> Found:
    """Anything else (dates, every document, NOT alone): Whoosh's own matcher, walked."""
    matcher = query.matcher(segment.searcher)
    scores: dict[int, float] = {}
    if within is None:
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            matcher.next()
        return Found(scores)
    for docnum in within.sorted:
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            scores[docnum] = matcher.score()
    return Found(scores)


_EVALUATORS: dict[type, Callable[[Segment, Any, Docs | None, Goal | None], Found]] = {
    Term: _term,
    AnyTerm: _any_terms,
    AdjacentPhrase: _phrase,
    And: _and,
    Or: _or,
    AndMaybe: _and_maybe,
    AndNot: _and_not,
    Require: _require,
}


def _estimate(segment: Segment, query: Any) -> int:
    """How many documents a clause may match, from document counts alone (to order an AND)."""
    if isinstance(query, Term):
        postings = segment.postings(query.fieldname, query.text)
        return postings.df if postings is not None else 0
    if isinstance(query, AnyTerm):
        return sum(_estimate(segment, Term(query.fieldname, term)) for term in query.alternatives)
    if isinstance(query, AdjacentPhrase):
        return min(_estimate(segment, Term(query.fieldname, word)) for word in query.words)
    if isinstance(query, Or):
        return sum(_estimate(segment, part) for part in query.subqueries)
    if isinstance(query, And):
        return min(_estimate(segment, part) for part in query.subqueries)
    if isinstance(query, (AndMaybe, AndNot)):
        return _estimate(segment, query.a)
    if isinstance(query, Require):
        return min(_estimate(segment, query.a), _estimate(segment, query.b))
    if query is NullQuery:
        return 0
    return int(segment.reader.doc_count_all())


def every_score(searcher: Any, query: Any) -> dict[int, float]:
    """Every document of one segment that ``query`` matches, with its score (all settled)."""
    found = evaluate(Segment(searcher), query, None)
    scores = {docnum: score for docnum, score in found.scores.items() if docnum not in found.open}
    for docnum in found.open:
        score = found.settle(docnum)
        if score is not None:
            scores[docnum] = score
    return scores



