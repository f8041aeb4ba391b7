"""Running a parsed query on the Whoosh index: compile, expand once, score a clause at a time.

Prefix, wildcard and fuzzy words are expanded here, once, into the index terms they match (at
most ``MAX_EXPANSIONS`` of the most common); the same expanded terms build the Whoosh query and
mark the snippets, which is what keeps highlighting a fuzzy query fast.
"""

from __future__ import annotations

import fnmatch
import heapq
import itertools
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector

from reader.core.index.index_files import open_index
from reader.core.index.query import All, AnyOf, DateRange, InArticles, Node, Not, Phrase, QueryError, Word
from reader.core.index.schema import HAS_FIELD, NOTES_FIELD, TAG_FIELD, TEXT_FIELDS
from reader.core.index.scoring import AdjacentPhrase, AnyTerm, segment_scores
from reader.core.index.terms import fold, name_term, tag_term, text_term, words
from reader.core.ordering import INDEX_SORTS

TITLE_BOOST = 3.0
MAX_EXPANSIONS = 24  # terms one prefix/fuzzy/wildcard word may become (the most frequent win)
MAX_SCANNED_TERMS = 20_000  # index terms looked at for one prefix or wildcard word, per segment
MAX_CACHED_EXPANSIONS = 512  # words remembered between queries ("more" and re-sorting run them again)
TIME_LIMIT_SECONDS = 2.0
_DEFAULT_NAME_FIELDS = ("author", "outlet")
_HAS_WORDS = {"tags": "tag", "highlights": "highlight", "notes": "note"}  # has:notes is has:note
# person: ranks an article that also quotes the person higher, quoted: one that also names them
# more often; both fields hold a name once per mention or quote, so the counts tell.
_RANKED_WITH = {"people": "quoted", "quoted": "people"}


@dataclass(frozen=True, slots=True)
class RawHits:
    """What the index found, before snippets: ids in rank order and the terms to mark."""

    hits: tuple[tuple[str, float], ...]
    total: int
    terms: frozenset[str]
    partial: bool  # the time limit cut the search short


def _term_of(field: str, word: str) -> str:
    if field in TEXT_FIELDS:
        return text_term(word)
    return name_term(word)


class _Compiler:
    """Turns the parsed tree into a Whoosh query, collecting the terms to mark as it goes."""

    def __init__(self, reader: Any, expansions: dict[tuple[str, Word], list[str]]) -> None:
        self.reader = reader
        self.expansions = expansions  # shared by the queries run on one reader
        self.marks: set[str] = set()
        self.words = 0  # leaves that produced something searchable

    def compile(self, node: Node) -> Any:
        if isinstance(node, All):
            return self._all(node)
        if isinstance(node, AnyOf):
            parts = [q for q in (self.compile(item) for item in node.items) if q is not None]
            return wq.Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
        if isinstance(node, Not):
            inner = self.compile(node.item)
            return wq.Not(inner) if inner is not None else None
        if isinstance(node, DateRange):
            self.words += 1
            return wq.DateRange("date", node.start, node.end, endexcl=True)
        if isinstance(node, Phrase):
            return self._phrase(node.text, node.field)
        if isinstance(node, InArticles):
            return self._in_articles(node)
        return self._word(node)

    def _in_articles(self, node: InArticles) -> Any:
        inner = self.compile(node.item)
        if inner is None or not node.ids:
            return None
        # The ids only select (Require scores by its first part alone).
        chosen = [wq.Term("id", article_id) for article_id in sorted(node.ids)]
        return wq.Require(inner, chosen[0] if len(chosen) == 1 else wq.Or(chosen))

    def _all(self, node: All) -> Any:
        positive: list[Any] = []
        negative: list[Any] = []
        for item in node.items:
            compiled = self.compile(item)
            if compiled is None:
                continue
            if isinstance(compiled, wq.Not):
                negative.append(compiled.query)
            else:
                positive.append(compiled)
        if not positive and not negative:
            return None
        base = wq.And(positive) if len(positive) > 1 else (positive[0] if positive else wq.Every())
        proximity = self._proximity(node)
        if proximity is not None:
            base = wq.AndMaybe(base, proximity)
        if negative:
            return wq.AndNot(base, wq.Or(negative) if len(negative) > 1 else negative[0])
        return base

    def _proximity(self, node: All) -> Any:
        """Plain words typed together rank higher where they stand side by side, in that order."""
        plain = [
            words(item.text)[0]
            for item in node.items
            if isinstance(item, Word) and item.field is None and item.kind == "term" and len(words(item.text)) == 1
        ]
        if len(plain) < 2:
            return None
        return AdjacentPhrase("body", [text_term(word) for word in plain])

    # --- leaves
    #
    # A plain word or phrase must match the body (which holds the headline too), the author,
    # the outlet, a tag or the user's notes; a match in the title only adds to the score. The title part is an
    # optional clause, so it is evaluated only on documents that already match.

    def _phrase(self, text: str, field: str | None) -> Any:
        if field in (TAG_FIELD, HAS_FIELD):
            return self._tag(text, field)
        found = words(text)
        if not found:
            return None
        self.words += 1
        self.marks.update(text_term(word) for word in found)
        if field is not None:
            required = _sequence(field, [_term_of(field, word) for word in found])
            if field in _RANKED_WITH:  # quoting or naming them counts too (see _RANKED_WITH)
                return wq.AndMaybe(required, _sequence(_RANKED_WITH[field], [name_term(word) for word in found]))
            return required
        terms = [text_term(word) for word in found]
        names = [name_term(word) for word in found]
        required = wq.Or(
            [_sequence("body", terms), _sequence(NOTES_FIELD, terms)]
            + [_sequence(name, names) for name in _DEFAULT_NAME_FIELDS]
            + [wq.Term(TAG_FIELD, tag_term(text))]
        )
        return wq.AndMaybe(required, _sequence("title", terms, TITLE_BOOST))

    def _tag(self, text: str, field: str = TAG_FIELD) -> Any:
        """A whole tag (or, in ``has:``, what the user keeps: tag, highlight, note)."""
        term = tag_term(text)
        if field == HAS_FIELD:
            term = _HAS_WORDS.get(term, term)
        if not term:
            return None
        self.words += 1
        return wq.Term(field, term)

    def _word(self, word: Word) -> Any:
        if word.kind == "term":
            if word.field in (TAG_FIELD, HAS_FIELD):
                return self._tag(word.text, word.field)
            return self._phrase(word.text, word.field)
        field = word.field or "body"
        expansions = self._expand(field, word)
        self.words += 1
        if not expansions:
            return wq.NullQuery
        self.marks.update(term if field in TEXT_FIELDS else text_term(term) for term in expansions)
        required = _any_term(field, expansions)
        if word.field is None:
            return wq.AndMaybe(required, _any_term("title", expansions, TITLE_BOOST))
        return required

    def _expand(self, field: str, word: Word) -> list[str]:
        """The index terms a prefix, wildcard or fuzzy word stands for: the most common ones."""
        known = self.expansions.get((field, word))
        if known is not None:
            return known
        if word.kind == "fuzzy":
            frequencies = self._fuzzy_terms(field, word)
        else:
            frequencies = self._pattern_terms(field, word)
        found = sorted(heapq.nlargest(MAX_EXPANSIONS, frequencies, key=frequencies.__getitem__))
        if len(self.expansions) >= MAX_CACHED_EXPANSIONS:
            self.expansions.clear()
        self.expansions[(field, word)] = found
        return found

    def _fuzzy_terms(self, field: str, word: Word) -> dict[str, int]:
        found = words(word.text)
        if not found:
            return {}
        target = tag_term(word.text) if field == TAG_FIELD else _term_of(field, found[0])
        # Whoosh counts a swap of two letters as two edits; people count it as one typo.
        wider = word.distance + 1 if word.distance < 2 else word.distance
        candidates: set[str] = set()
        for leaf, _ in self.reader.leaf_readers():
            for term in leaf.terms_within(field, target, wider, prefix=1):
                if wider == word.distance or typo_distance(target, term) <= word.distance:
                    candidates.add(term)
        return {term: self.reader.doc_frequency(field, term) for term in candidates}

    def _pattern_terms(self, field: str, word: Word) -> dict[str, int]:
        literal = word.text.partition("*")[0]
        prefix = tag_term(literal) if field == TAG_FIELD else fold(literal)
        pattern = None
        if word.kind == "wildcard":
            pattern = re.compile(fnmatch.translate(fold(word.text)).replace(".*", "[^ ]*"))
        frequencies: dict[str, int] = {}
        # Segment by segment: each reads its terms in order, where the whole-index reader would
        # look every term up again in every segment to combine their counts.
        for leaf, _ in self.reader.leaf_readers():
            for raw, info in itertools.islice(leaf.iter_prefix(field, prefix), MAX_SCANNED_TERMS):
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                if pattern is None or pattern.match(term):
                    frequencies[term] = frequencies.get(term, 0) + info.doc_frequency()
        return frequencies


def _sequence(field: str, terms: list[str], boost: float = 1.0) -> Any:
    return wq.Term(field, terms[0], boost=boost) if len(terms) == 1 else AdjacentPhrase(field, terms, boost=boost)


def _any_term(field: str, terms: list[str], boost: float = 1.0) -> Any:
    if len(terms) == 1:
        return wq.Term(field, terms[0], boost=boost)
    return AnyTerm(field, terms, boost=boost)


def typo_distance(first: str, second: str) -> int:
    """Edits between two words, a swap of neighbours counting as one (optimal string alignment)."""
    previous2: list[int] = []
    previous = list(range(len(second) + 1))
    for i, a in enumerate(first, start=1):
        current = [i] + [0] * len(second)
        for j, b in enumerate(second, start=1):
            cost = 0 if a == b else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if i > 1 and j > 1 and a == second[j - 2] and first[i - 2] == b:
                current[j] = min(current[j], previous2[j - 2] + 1)
        previous2, previous = previous, current
    return previous[-1]


class SearchIndex:
    """The open index of one corpus for searching; ``refresh`` after every commit."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.RLock()
        self._searcher: Any = None
        # (field, word) -> index terms, for the current searcher only (a commit changes them)
        self._expansions: dict[tuple[str, Word], list[str]] = {}

    def _current(self) -> Any:
        if self._searcher is None:
            found = open_index(self.index_dir)
            if found is None:
                return None
            self._searcher = found.searcher()
            self._expansions = {}
        else:
            refreshed = self._searcher.refresh()
            if refreshed is not self._searcher:
                self._expansions = {}
            self._searcher = refreshed
        return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._expansions = {}

    def run(self, node: Node, limit: int, sort: str) -> RawHits:
        if sort not in INDEX_SORTS:
            raise ValueError(f"sort must be one of {', '.join(INDEX_SORTS)}")
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return RawHits((), 0, frozenset(), False)
            compiler = _Compiler(searcher.reader(), self._expansions)
            compiled = compiler.compile(node)
            if compiled is None or not compiler.words:
                raise QueryError("nothing to search for; type some words")
            if sort == "relevance":
                ranked, total = _best(searcher, compiled, max(limit, 1))
                partial = False
            else:
                ranked, total, partial = _by_date(searcher, compiled, limit, newest_first=sort != "oldest")
            hits = tuple((searcher.stored_fields(docnum)["id"], score) for score, docnum in ranked[:limit])
        return RawHits(hits, max(total, len(hits)), frozenset(compiler.marks), partial)


def _best(searcher: Any, query: Any, limit: int) -> tuple[list[tuple[float, int]], int]:
    """The ``limit`` best (score, docnum) of every segment, best first (ties: lower docnum
    first, as Whoosh ranks them), and how many documents matched in all."""
    best: list[tuple[float, int]] = []
    total = 0
    for sub, offset in searcher.leaf_searchers():
        scores = segment_scores(sub, query)
        total += len(scores)
        candidates = ((-score, docnum + offset) for docnum, score in scores.items())
        best = heapq.nsmallest(limit, itertools.chain(best, candidates))
    return [(-negated, docnum) for negated, docnum in best], total


def _by_date(searcher: Any, query: Any, limit: int, *, newest_first: bool) -> tuple[list[tuple[float, int]], int, bool]:
    """Matches in date order, through Whoosh's sorting collector, within the time limit."""
    chosen = searcher.collector(limit=max(1, limit), sortedby="date", reverse=newest_first)
    # Signals only work in the main thread, and the app searches in workers: no alarm.
    collector = TimeLimitCollector(chosen, timelimit=TIME_LIMIT_SECONDS, use_alarm=False)
    partial = False
    try:
        searcher.search_with_collector(query, collector)
    except TimeLimit:
        partial = True
    results = collector.results()
    # Exact unless the time limit cut the search short (counting would only run it again).
    total = results.estimated_length() if partial else len(results)
    return list(_ranked(results, limit)), total, partial


def _ranked(results: Any, limit: int) -> Iterable[tuple[float, int]]:
    for position in range(min(limit, results.scored_length())):
        yield float(results.score(position) or 0.0), results.docnum(position)
