"""Running a parsed query on the Whoosh index: compile, expand once, collect within a time limit.

Prefix, wildcard and fuzzy words are expanded here, once, into the index terms they match (at
most ``MAX_EXPANSIONS`` of the most common); the same expanded terms build the Whoosh query and
mark the snippets, which is what keeps highlighting a fuzzy query fast.
"""

from __future__ import annotations

import fnmatch
import re
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from whoosh import query as wq
from whoosh.collectors import TimeLimit, TimeLimitCollector

from reader.core.index.analysis import fold, name_term, tag_term, text_term, words
from reader.core.index.query import All, AnyOf, DateRange, Node, Not, Phrase, QueryError, Word
from reader.core.index.schema import NAME_FIELDS, TAG_FIELD, TEXT_FIELDS
from reader.core.index.sync import open_index

TITLE_BOOST = 3.0
MAX_EXPANSIONS = 64  # terms one prefix/fuzzy/wildcard word may become (the most frequent win)
TIME_LIMIT_SECONDS = 2.0
SORTS = ("relevance", "date", "newest", "oldest")
_DEFAULT_NAME_FIELDS = ("author", "outlet")


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

    def __init__(self, reader: Any) -> None:
        self.reader = reader
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
        return self._word(node)

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
        """Plain words typed together rank higher where they stand together."""
        plain = [
            words(item.text)[0]
            for item in node.items
            if isinstance(item, Word) and item.field is None and item.kind == "term" and len(words(item.text)) == 1
        ]
        if len(plain) < 2:
            return None
        terms = [text_term(word) for word in plain]
        return wq.Or([wq.Phrase("body", terms, slop=2), wq.Phrase("title", terms, slop=2, boost=TITLE_BOOST)])

    # --- leaves

    def _fields(self, field: str | None) -> tuple[str, ...]:
        return ("title", "body") if field is None else (field,)

    def _phrase(self, text: str, field: str | None) -> Any:
        if field == TAG_FIELD:
            return self._tag(text)
        found = words(text)
        if not found:
            return None
        self.words += 1
        self.marks.update(text_term(word) for word in found)
        parts = []
        for name in self._fields(field):
            terms = [_term_of(name, word) for word in found]
            boost = TITLE_BOOST if name == "title" and field is None else 1.0
            parts.append(wq.Term(name, terms[0], boost=boost) if len(terms) == 1 else wq.Phrase(name, terms, boost=boost))
        if field is None:
            names = [name_term(word) for word in found]
            for name in _DEFAULT_NAME_FIELDS:
                parts.append(wq.Term(name, names[0]) if len(names) == 1 else wq.Phrase(name, names))
            parts.append(wq.Term(TAG_FIELD, tag_term(text)))
        return wq.Or(parts) if len(parts) > 1 else parts[0]

    def _tag(self, text: str) -> Any:
        term = tag_term(text)
        if not term:
            return None
        self.words += 1
        return wq.Term(TAG_FIELD, term)

    def _word(self, word: Word) -> Any:
        if word.kind == "term":
            if word.field == TAG_FIELD:
                return self._tag(word.text)
            return self._phrase(word.text, word.field)
        fields = self._fields(word.field)
        expansions = [(name, term) for name in fields for term in self._expand(name, word)]
        self.words += 1
        if not expansions:
            return wq.NullQuery
        for name, term in expansions:
            self.marks.add(term if name in TEXT_FIELDS else text_term(term))
        terms = [
            wq.Term(name, term, boost=TITLE_BOOST if name == "title" and word.field is None else 1.0)
            for name, term in expansions
        ]
        # Scores of many alternatives are summed in one array rather than a tree of matchers.
        return wq.compound.PreloadedOr(terms) if len(terms) > 4 else wq.Or(terms)

    def _expand(self, field: str, word: Word) -> list[str]:
        """The index terms a prefix, wildcard or fuzzy word stands for: the most frequent first."""
        reader = self.reader
        if word.kind == "fuzzy":
            found = words(word.text)
            if not found:
                return []
            target = tag_term(word.text) if field == TAG_FIELD else _term_of(field, found[0])
            candidates: set[str] = set()
            for leaf, _ in reader.leaf_readers():
                candidates.update(leaf.terms_within(field, target, word.distance, prefix=1))
        else:
            literal, _, _ = word.text.partition("*")
            prefix = fold(literal) if field != TAG_FIELD else tag_term(literal)
            pattern = None
            if word.kind == "wildcard":
                pattern = re.compile(fnmatch.translate(fold(word.text)).replace(".*", "[^ ]*"))
            candidates = set()
            for raw in reader.expand_prefix(field, prefix):
                term = raw.decode("utf-8") if isinstance(raw, bytes) else raw
                if pattern is None or pattern.match(term):
                    candidates.add(term)
                if len(candidates) > 20 * MAX_EXPANSIONS:
                    break
        if len(candidates) <= MAX_EXPANSIONS:
            return sorted(candidates)
        ranked = sorted(candidates, key=lambda term: -reader.doc_frequency(field, term))
        return sorted(ranked[:MAX_EXPANSIONS])


class SearchIndex:
    """The open index of one corpus for searching; ``refresh`` after every commit."""

    def __init__(self, index_dir: Path) -> None:
        self.index_dir = index_dir
        self._lock = threading.RLock()
        self._searcher: Any = None

    def _current(self) -> Any:
        if self._searcher is None:
            found = open_index(self.index_dir)
            if found is None:
                return None
            self._searcher = found.searcher()
        else:
            self._searcher = self._searcher.refresh()
        return self._searcher

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None

    def run(self, node: Node, limit: int, sort: str) -> RawHits:
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return RawHits((), 0, frozenset(), False)
            compiler = _Compiler(searcher.reader())
            compiled = compiler.compile(node)
            if compiled is None or not compiler.words:
                raise QueryError("nothing to search for; type some words")
            sortedby = None if sort == "relevance" else "date"
            collector = TimeLimitCollector(
                searcher.collector(limit=max(1, limit), sortedby=sortedby, reverse=sort in ("date", "newest")),
                timelimit=TIME_LIMIT_SECONDS,
                use_alarm=False,  # signals only work in the main thread; the app searches in workers
            )
            partial = False
            try:
                searcher.search_with_collector(compiled, collector)
            except TimeLimit:
                partial = True
            results = collector.results()
            hits = tuple(
                (searcher.stored_fields(docnum)["id"], float(score or 0.0))
                for score, docnum in _ranked(results, limit)
            )
            total = len(results) if results.has_exact_length() else results.estimated_length()
        return RawHits(hits, max(total, len(hits)), frozenset(compiler.marks), partial)


def _ranked(results: Any, limit: int) -> Iterable[tuple[float, int]]:
    for position in range(min(limit, results.scored_length())):
        yield results.score(position), results.docnum(position)
