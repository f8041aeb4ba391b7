"""Running a parsed query on the Whoosh index: compile, expand once, then find the best few.

Scoring is Whoosh's own BM25F, to the last bit, worked out another way (``scoring``): a clause
at a time over whole blocks of postings rather than a walk of matchers per document. On a large
folder most of the cost is decoding postings and touching each one in Python, so:

- a block's ids and weights are read without unpickling its positions (``postings``);
- an AND, a phrase and the optional title part start from their rarest part, and the other
  parts decode only the blocks holding its documents (``within``);
- a phrase counts as the sum of its words' scores, so its candidates are ranked before their
  positions are checked, best first, and only while one could still enter the list (``ranking``);
- a prefix or fuzzy word reads which documents hold each of its terms (ids alone): a document's
  bound is the sum of the bounds of the terms it holds, and only those whose bound reaches the
  best few are scored (``maxscore``), its title terms first;
- counting a phrase's matches stops at a budget (``ranking.COUNT_BUDGET``): the total is then
  an estimate, shown as "about N";
- what one index version has worked out is kept between searches (``SearchCache``): the
  terms a prefix stands for (``kard*`` then ``karda*`` is a filter), the terms of each first
  letter (a typo is matched in memory), each term's scorer, and the scored lists of the
  common words that come back query after query.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh.collectors import TimeLimitCollector
from whoosh.searching import TimeLimit

from reader.core.index.compiler import QueryCompiler
from reader.core.index.index_files import open_index
from reader.core.index.query import Node, QueryError, prefix_ahead
from reader.core.index.ranking import best_matches
from reader.core.index.segment import SearchCache
from reader.core.ordering import INDEX_SORTS

TIME_LIMIT_SECONDS = 2.0
Stop = Callable[[], bool] | None

KEPT_RESULTS = 32  # searches whose hits are kept for the same search asked again (by text and by query)


@dataclass(frozen=True, slots=True)
class RawHits:
    """What the index found, before snippets: ids in rank order and the terms to mark."""

    hits: tuple[tuple[str, float], ...]
    total: int
    terms: frozenset[str]
    partial: bool  # the time limit cut the search short
    estimated: bool = False  # ``total`` is an estimate ("about N"): counting stopped at the budget


class SearchIndex:
    """The open index of one corpus for searching; ``refresh`` after every commit."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.RLock()
        self._searcher: Any = None
        self._cache = SearchCache()  # for the current searcher only (a commit changes it)
        # The last few searches' hits, for the same search asked again on the same version:
        # a phrase's closing quote typed after it, a page of results re-sorted back.
        # Keyed by the parsed text and by the compiled query (``_compiled_key``).
        self._results: OrderedDict[object, RawHits] = OrderedDict()

    def _current(self) -> Any:
        """The searcher of the latest commit. One made before a commit (a build under way
        commits chunk after chunk) is closed and opened afresh: Whoosh's ``refresh`` fails on
        an index that had no segment yet, and would bring back segments a commit merged away."""
        if self._searcher is not None and not self._up_to_date():
            self._searcher.close()
            self._searcher = None
        if self._searcher is None:
            found = open_index(self.index_dir)
            if found is None:
                return None
            self._searcher = found.searcher()
            self._forget()
        return self._searcher

    def _up_to_date(self) -> bool:
        try:
            return bool(self._searcher.up_to_date())
        except Exception:  # noqa: BLE001 - an index that cannot say is opened again
            return False

    def _forget(self) -> None:
        """Drop what was worked out on the last index version."""
        self._cache = SearchCache()
        self._results.clear()

    def prepare(self, typed: str = "") -> None:
        """Open the latest commit's searcher now (the first search need not). ``typed``, the
        query typed so far: when it ends in a plain word, the terms that word stands for as a
        prefix are worked out now and remembered (``Expansions``), so a ``*`` typed next, or a
        longer prefix, does not walk the term table (at 100k, ~14 ms of a 3-letter prefix's ~95)."""
        with self._lock:
            try:
                searcher = self._current()
                ahead = prefix_ahead(typed)
                if searcher is not None and ahead is not None:
                    QueryCompiler(searcher.reader(), self._cache.expansions, self._cache.infos).compile(ahead)
            except Exception:  # noqa: BLE001 - work ahead of a search: the search finds it, and reports it
                return

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._forget()

    def run(self, node: Node, limit: int, sort: str, stop: Callable[[], bool] | None = None) -> RawHits:
        """The best ``limit`` hits of ``node``; ``stop``, asked as the search goes, gives it up
        (``SearchCancelled``) when a newer search makes this one needless."""
        if sort not in INDEX_SORTS:
            raise ValueError(f"sort must be one of {', '.join(INDEX_SORTS)}")
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return RawHits((), 0, frozenset(), False)
            key = (node, limit, sort)
            found = self._results.get(key)
            if found is None:
                found = self._search(searcher, node, limit, sort, stop)
                if not found.partial:  # one the time limit cut short is tried again
                    self._keep(key, found)
            return found

    def _search(self, searcher: Any, node: Node, limit: int, sort: str, stop: Callable[[], bool] | None) -> RawHits:
        compiler = QueryCompiler(searcher.reader(), self._cache.expansions, self._cache.infos)
        compiled = compiler.compile(node)
        if compiled is None or not compiler.words:
            raise QueryError("nothing to search for; type some words")
        # Another text may make the same query: "kardas*" then "kardash*" standing for the same
        # few terms, a word typed in capitals. Its hits are those kept for the first.
        same = self._results.get(_compiled_key(compiled, limit, sort))
        if same is not None:
            return RawHits(same.hits, same.total, frozenset(compiler.marks), same.partial, same.estimated)
        found = self._rank(searcher, compiler, compiled, limit, sort, stop)
        if not found.partial:
            self._keep(_compiled_key(compiled, limit, sort), found)
        return found

    def _keep(self, key: object, found: RawHits) -> None:
        if key is not None:
            self._results[key] = found
            if len(self._results) > KEPT_RESULTS:
                self._results.popitem(last=False)

    def _rank(
        self, searcher: Any, compiler: QueryCompiler, compiled: Any, limit: int, sort: str, stop: Stop
    ) -> RawHits:
        estimated = partial = False
        if sort == "relevance":
            ranked, total, estimated = best_matches(searcher, compiled, max(limit, 1), self._cache, stop)
        else:
            ranked, total, partial = _by_date(searcher, compiled, limit, newest_first=sort != "oldest")
        hits = tuple((searcher.stored_fields(docnum)["id"], score) for score, docnum in ranked[:limit])
        return RawHits(hits, max(total, len(hits)), frozenset(compiler.marks), partial, estimated)


def _compiled_key(compiled: Any, limit: int, sort: str) -> tuple[str, Any, int, str] | None:
    """The key of a compiled query's kept hits (None if it cannot be one: not hashable)."""
    try:
        hash(compiled)
    except TypeError:
        return None
    return ("compiled", compiled, limit, sort)


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
