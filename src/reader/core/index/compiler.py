"""A parsed query made into a Whoosh query, prefix, wildcard and fuzzy words expanded once.

Prefix, wildcard and fuzzy words are expanded here, once, into the index terms they match (at
most ``MAX_EXPANSIONS`` of the most common); the same expanded terms build the Whoosh query and
mark the snippets, which is what keeps highlighting a fuzzy query fast.
"""

from __future__ import annotations

import fnmatch
import heapq
import re
from typing import Any

from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import W3TermInfo
from whoosh.query.compound import And, AndMaybe, AndNot, Or, Require
from whoosh.query.qcore import Every, NullQuery
from whoosh.query.ranges import DateRange as WhooshDateRange
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not as WhooshNot

from reader.core.index.expansions import (
    MAX_SCANNED_TERMS,
    Expansions,
    SegmentTerms,
    SortedCursor,
    commonest,
    prefix_terms,
    summed,
    typo_distance,
)
from reader.core.index.query import All, AnyOf, DateRange, InArticles, Node, Not, Phrase, Word
from reader.core.index.schema import HAS_FIELD, NOTES_FIELD, TAG_FIELD, TEXT_FIELDS
from reader.core.index.scoring import AdjacentPhrase, AnyTerm
from reader.core.index.term_table import TermInfos
from reader.core.index.terms import fold, name_term, tag_term, text_term, words

TITLE_BOOST = 3.0
MAX_EXPANSIONS = 24  # terms one prefix/fuzzy/wildcard word may become (the most frequent win)
# The title's terms of a prefix walked (their entries read in one piece) rather than the chosen
# ones looked up each: up to this many a chosen term (a walk's entry costs ~1/60 of a look-up).
TITLE_WALK_SHARE = 40
_DEFAULT_NAME_FIELDS = ("author", "outlet")
_HAS_WORDS = {"tags": "tag", "highlights": "highlight", "notes": "note"}  # has:notes is has:note
# person: ranks an article that also quotes the person higher, quoted: one that also names them
# more often; both fields hold a name once per mention or quote, so the counts tell.
_RANKED_WITH = {"people": "quoted", "quoted": "people"}
_Every: Any = Every  # Whoosh's classes are untyped


def _term_of(field: str, word: str) -> str:
    if field in TEXT_FIELDS:
        return text_term(word)
    return name_term(word)


class QueryCompiler:
    """Turns the parsed tree into a Whoosh query, collecting the terms to mark as it goes."""

    def __init__(self, reader: Any, expansions: Expansions, infos: TermInfos | None = None) -> None:
        self.reader = reader
        self.expansions = expansions  # shared by the queries run on one reader
        self.infos = infos  # the term table entries the searches read, given those a prefix's walk read
        self.marks: set[str] = set()
        self.words = 0  # leaves that produced something searchable

    def compile(self, node: Node) -> Any:
        if isinstance(node, All):
            return self._all(node)
        if isinstance(node, AnyOf):
            parts = [q for q in (self.compile(item) for item in node.items) if q is not None]
            return Or(parts) if len(parts) > 1 else (parts[0] if parts else None)
        if isinstance(node, Not):
            inner = self.compile(node.item)
            return WhooshNot(inner) if inner is not None else None
        if isinstance(node, DateRange):
            self.words += 1
            return WhooshDateRange("date", node.start, node.end, endexcl=True)
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
        chosen = [Term("id", article_id) for article_id in sorted(node.ids)]
        return Require(inner, chosen[0] if len(chosen) == 1 else Or(chosen))

    def _all(self, node: All) -> Any:
        positive: list[Any] = []
        negative: list[Any] = []
        for item in node.items:
            compiled = self.compile(item)
            if compiled is None:
                continue
            if isinstance(compiled, WhooshNot):
                negative.append(compiled.query)
            else:
                positive.append(compiled)
        if not positive and not negative:
            return None
        base = And(positive) if len(positive) > 1 else (positive[0] if positive else _Every())
        proximity = self._proximity(node)
        if proximity is not None:
            base = AndMaybe(base, proximity)
        if negative:
            return AndNot(base, Or(negative) if len(negative) > 1 else negative[0])
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
    # the outlet, a tag or the user's notes; a match in the title only adds to the score. The
    # title part is an optional clause, so it is evaluated only on documents that already match.

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
                return AndMaybe(required, _sequence(_RANKED_WITH[field], [name_term(word) for word in found]))
            return required
        terms = [text_term(word) for word in found]
        names = [name_term(word) for word in found]
        required = Or(
            [_sequence("body", terms), _sequence(NOTES_FIELD, terms)]
            + [_sequence(name, names) for name in _DEFAULT_NAME_FIELDS]
            + [Term(TAG_FIELD, tag_term(text))]
        )
        return AndMaybe(required, _sequence("title", terms, TITLE_BOOST))

    def _tag(self, text: str, field: str = TAG_FIELD) -> Any:
        """A whole tag (or, in ``has:``, what the user keeps: tag, highlight, note)."""
        term = tag_term(text)
        if field == HAS_FIELD:
            term = _HAS_WORDS.get(term, term)
        if not term:
            return None
        self.words += 1
        return Term(field, term)

    def _word(self, word: Word) -> Any:
        if word.kind == "term":
            if word.field in (TAG_FIELD, HAS_FIELD):
                return self._tag(word.text, word.field)
            return self._phrase(word.text, word.field)
        field = word.field or "body"
        expansions = self._expand(field, word)
        self.words += 1
        if not expansions:
            return NullQuery
        self.marks.update(term if field in TEXT_FIELDS else text_term(term) for term in expansions)
        required = _any_term(field, expansions)
        if word.field is None:
            return AndMaybe(required, _any_term("title", expansions, TITLE_BOOST))
        return required

    def _expand(self, field: str, word: Word) -> list[str]:
        """The index terms a prefix, wildcard or fuzzy word stands for: the most common ones."""
        known = self.expansions.chosen.get((field, word))
        if known is not None:
            return known
        if word.kind == "fuzzy":
            found = _commonest_of(self._fuzzy_terms(field, word))
        else:
            found = self._pattern_terms(field, word)
        self.expansions.remember((field, word), found)
        return found

    def _fuzzy_terms(self, field: str, word: Word) -> dict[str, int]:
        found = words(word.text)
        if not found:
            return {}
        target = tag_term(word.text) if field == TAG_FIELD else _term_of(field, found[0])
        # Whoosh counts a swap of two letters as two edits; people count it as one typo.
        wider = word.distance + 1 if word.distance < 2 else word.distance
        # What Whoosh's terms_within does segment by segment (prefix 1: the first letter is
        # right), done once over the terms of every segment starting with that letter, kept in
        # memory: each step of the automaton is then a bisect, not a search of the term file.
        automaton = Automata.levenshtein_dfa(target, wider, 1)
        known = self.expansions.initial(self.reader, field, target[:1])
        if known is not None:
            terms, counts = known
            found = Automata.find_matches(automaton, SortedCursor(terms))
            return {
                term: counts[term]
                for term in found
                if wider == word.distance or typo_distance(target, term) <= word.distance
            }
        spelling = self.reader.schema[field].spelling_fieldname(field)
        candidates: set[str] = set()
        for leaf, _ in self.reader.leaf_readers():
            for term in Automata.find_matches(automaton, leaf.cursor(spelling)):
                if wider == word.distance or typo_distance(target, term) <= word.distance:
                    candidates.add(term)
        return {term: self.reader.doc_frequency(field, term) for term in candidates}

    def _pattern_terms(self, field: str, word: Word) -> list[str]:
        literal = word.text.partition("*")[0]
        prefix = tag_term(literal) if field == TAG_FIELD else fold(literal)
        segments = self._prefix_terms(field, prefix)
        if word.kind == "wildcard":
            pattern = re.compile(fnmatch.translate(fold(word.text)).replace(".*", "[^ ]*"))
            return _commonest_of({term: count for term, count in summed(segments).items() if pattern.match(term)})
        chosen = commonest(segments, MAX_EXPANSIONS)
        self._keep_entries(field, segments, chosen)
        if word.field is None and chosen and self.infos is not None:  # (the title part's terms are the same)
            limit = TITLE_WALK_SHARE * len(chosen)
            titles = [prefix_terms(leaf, "title", prefix, limit) for leaf, _ in self.reader.leaf_readers()]
            self._keep_entries("title", titles, chosen)
        return [term.decode("utf-8") for term in chosen]

    def _prefix_terms(self, field: str, prefix: str) -> list[SegmentTerms]:
        known = self.expansions.known_prefix(field, prefix)
        if known is not None:
            return known
        # Segment by segment: each reads its terms in order, where the whole-index reader would
        # look every term up again in every segment to combine their counts.
        found = [prefix_terms(leaf, field, prefix, MAX_SCANNED_TERMS) for leaf, _ in self.reader.leaf_readers()]
        if all(segment.complete for segment in found):
            self.expansions.remember_prefix(field, prefix, found)
        return found

    def _keep_entries(self, field: str, segments: list[SegmentTerms], chosen: list[bytes]) -> None:
        """The chosen terms' entries in each segment's term table, from the walk that found them
        (the searches would look each one up again in every segment); a term a whole walk did
        not meet is not in that segment."""
        if self.infos is None:
            return
        for segment in segments:
            if not segment.data:  # (a walk through Whoosh's own reader: no entries to keep)
                continue
            for term in chosen:
                entry = segment.entry(term)
                if entry is not None or segment.complete:
                    self.infos.keep(segment.leaf, field, term, None if entry is None else W3TermInfo.from_bytes(entry))


def _commonest_of(frequencies: dict[str, int]) -> list[str]:
    """The ``MAX_EXPANSIONS`` terms of most documents, in order. Ties at the cut go to the first
    terms in order, not to the segment they were met in first."""
    return sorted(heapq.nlargest(MAX_EXPANSIONS, sorted(frequencies), key=frequencies.__getitem__))


def _sequence(field: str, terms: list[str], boost: float = 1.0) -> Any:
    return Term(field, terms[0], boost=boost) if len(terms) == 1 else AdjacentPhrase(field, terms, boost=boost)


def _any_term(field: str, terms: list[str], boost: float = 1.0) -> Any:
    if len(terms) == 1:
        return Term(field, terms[0], boost=boost)
    return AnyTerm(field, terms, boost=boost)


