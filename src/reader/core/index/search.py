"""Running a parsed query on the Whoosh index: compile, expand once, then find the best few.

Prefix, wildcard and fuzzy words are expanded here, once, into the index terms they match (at
most ``MAX_EXPANSIONS`` of the most common); the same expanded terms build the Whoosh query and
mark the snippets, which is what keeps highlighting a fuzzy query fast.

Scoring is Whoosh's own BM25F, to the last bit, worked out another way (see ``_evaluate``): a
clause at a time over whole blocks of postings rather than a walk of matchers per document.
On a large folder most of the cost is decoding postings and touching each one in Python, so:

- a block's ids and weights are read without unpickling its positions (``_ids_and_weights``);
- an AND, a phrase and the optional title part start from their rarest part, and the other
  parts decode only the blocks holding its documents (``within``);
- a phrase counts as the sum of its words' scores, so its candidates are ranked before their
  positions are checked, best first, and only while one could still enter the list;
- a prefix or fuzzy word reads its rare words first and looks its common ones up only for the
  documents that can still make it (MaxScore, ``_best_terms``), its title terms first;
- counting stops at a budget (``COUNT_BUDGET``, ``COUNT_POSTINGS``): the total is then an
  estimate, shown as "about N";
- what one index version has worked out is kept between searches (``SearchCache``): the
  terms a prefix stands for (``kard*`` then ``karda*`` is a filter), the terms of each first
  letter (a typo is matched in memory), each term's scorer, and the scored lists of the
  common words that come back query after query.
"""

from __future__ import annotations

import bisect
import fnmatch
import heapq
import itertools
import math
import re
import struct
import threading
import weakref
import zlib
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from pickle import loads
from typing import Any

from whoosh.codec.base import Automata
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, W3TermsReader, _lenfield
from whoosh.collectors import TimeLimitCollector
from whoosh.columns import NumericColumn
from whoosh.matching.mcore import ListMatcher, NullMatcher
from whoosh.query.compound import And, AndMaybe, AndNot, Or
from whoosh.query.positional import Phrase as WhooshPhrase
from whoosh.query.qcore import Every, NullQuery, Query
from whoosh.query.ranges import DateRange as WhooshDateRange
from whoosh.query.terms import Term
from whoosh.query.wrappers import Not as WhooshNot
from whoosh.scoring import BM25FScorer, WeightLengthScorer
from whoosh.searching import TimeLimit
from whoosh.util.numeric import byte_to_length

from reader.core.index.analysis import fold, name_term, tag_term, text_term, words
from reader.core.index.query import (
    All,
    AnyOf,
    DateRange,
    Node,
    Not,
    Phrase,
    QueryError,
    Word,
)
from reader.core.index.schema import TAG_FIELD, TEXT_FIELDS
from reader.core.index.sync import open_index

TITLE_BOOST = 3.0
MAX_EXPANSIONS = 24  # terms one prefix/fuzzy/wildcard word may become (the most frequent win)
MAX_SCANNED_TERMS = 20_000  # index terms looked at for one prefix or wildcard word, per segment
MAX_CACHED_EXPANSIONS = 512  # words remembered between queries ("more" and re-sorting run them again)
MAX_CACHED_PREFIXES = 64  # prefixes whose every term is remembered, for the next keystroke
CACHED_POSTINGS = 2_000_000  # postings of common words kept between searches (16 bytes each)
CACHE_MIN_POSTINGS = 2_000  # shorter lists are read again: they are quick to
MAX_INITIAL_TERMS = 100_000  # terms of one first letter kept in memory for typos (beyond: read from disk)
# Work spent only on counting matches, past which the total is an estimate ("about N"):
COUNT_BUDGET = 600  # phrase candidates checked for their positions
COUNT_POSTINGS = 30_000  # postings of a prefix's common words read for their documents alone
TIME_LIMIT_SECONDS = 2.0
SORTS = ("relevance", "date", "newest", "oldest")
_DEFAULT_NAME_FIELDS = ("author", "outlet")
_TOLERANCE = 1e-9  # relative: bounds and scores summed in another order may differ in the last bits

# Whoosh's classes are untyped; these names let strictly typed code call them.
_ListMatcher: Any = ListMatcher
_NullMatcher: Any = NullMatcher
_Every: Any = Every
_lengths_column: Any = _lenfield


@dataclass(frozen=True, slots=True)
class RawHits:
    """What the index found, before snippets: ids in rank order and the terms to mark."""

    hits: tuple[tuple[str, float], ...]
    total: int
    terms: frozenset[str]
    partial: bool  # the time limit cut the search short
    estimated: bool = False  # ``total`` is an estimate ("about N"): counting stopped at the budget


def _term_of(field: str, word: str) -> str:
    if field in TEXT_FIELDS:
        return text_term(word)
    return name_term(word)


class Expansions:
    """What prefix, wildcard and fuzzy words became on one index version, kept between searches.

    ``chosen``: (field, word) -> the terms the query uses. ``prefixes``: (field, prefix) -> every
    term starting with it and its document count, when the scan saw them all; a longer prefix
    typed next is then a filter of that list instead of another walk of the term dictionary.
    """

    def __init__(self) -> None:
        self.chosen: dict[tuple[str, Word], list[str]] = {}
        self.prefixes: dict[tuple[str, str], dict[str, int]] = {}
        # (field, first letter) -> its terms in order and their document counts, for typos
        self.initials: dict[tuple[str, str], tuple[list[str], dict[str, int]] | None] = {}

    def remember(self, key: tuple[str, Word], terms: list[str]) -> None:
        if len(self.chosen) >= MAX_CACHED_EXPANSIONS:
            self.chosen.clear()
        self.chosen[key] = terms

    def known_prefix(self, field: str, prefix: str) -> dict[str, int] | None:
        """The terms of ``prefix`` from a remembered shorter (or equal) prefix, or None."""
        for length in range(len(prefix), 0, -1):
            found = self.prefixes.get((field, prefix[:length]))
            if found is not None:
                if length == len(prefix):
                    return found
                return {term: count for term, count in found.items() if term.startswith(prefix)}
        return None

    def remember_prefix(self, field: str, prefix: str, terms: dict[str, int]) -> None:
        if len(self.prefixes) >= MAX_CACHED_PREFIXES:
            del self.prefixes[next(iter(self.prefixes))]
        self.prefixes[(field, prefix)] = terms

    def initial(self, reader: Any, field: str, letter: str) -> tuple[list[str], dict[str, int]] | None:
        """Every term of ``field`` starting with ``letter`` over all segments, in order, with
        its document count; None when there are too many to keep."""
        key = (field, letter)
        if key not in self.initials:
            counts: dict[str, int] = {}
            for leaf, _ in reader.leaf_readers():
                for term, count in itertools.islice(_prefix_counts(leaf, field, letter), MAX_INITIAL_TERMS + 1):
                    counts[term] = counts.get(term, 0) + count
                if len(counts) > MAX_INITIAL_TERMS:
                    break
            self.initials[key] = (sorted(counts), counts) if len(counts) <= MAX_INITIAL_TERMS else None
        return self.initials[key]


class _Compiler:
    """Turns the parsed tree into a Whoosh query, collecting the terms to mark as it goes."""

    def __init__(self, reader: Any, expansions: Expansions) -> None:
        self.reader = reader
        self.expansions = expansions  # shared by the queries run on one reader
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
        return self._word(node)

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
    # the outlet or a tag; a match in the title only adds to the score. The title part is an
    # optional clause, so it is evaluated only on documents that already match.

    def _phrase(self, text: str, field: str | None) -> Any:
        if field == TAG_FIELD:
            return self._tag(text)
        found = words(text)
        if not found:
            return None
        self.words += 1
        self.marks.update(text_term(word) for word in found)
        if field is not None:
            return _sequence(field, [_term_of(field, word) for word in found])
        terms = [text_term(word) for word in found]
        names = [name_term(word) for word in found]
        required = Or(
            [_sequence("body", terms)]
            + [_sequence(name, names) for name in _DEFAULT_NAME_FIELDS]
            + [Term(TAG_FIELD, tag_term(text))]
        )
        return AndMaybe(required, _sequence("title", terms, TITLE_BOOST))

    def _tag(self, text: str) -> Any:
        term = tag_term(text)
        if not term:
            return None
        self.words += 1
        return Term(TAG_FIELD, term)

    def _word(self, word: Word) -> Any:
        if word.kind == "term":
            if word.field == TAG_FIELD:
                return self._tag(word.text)
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
            frequencies = self._fuzzy_terms(field, word)
        else:
            frequencies = self._pattern_terms(field, word)
        found = sorted(heapq.nlargest(MAX_EXPANSIONS, frequencies, key=frequencies.__getitem__))
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
        automaton = Automata.levenshtein_dfa(target, wider, 1)  # type: ignore[no-untyped-call]
        known = self.expansions.initial(self.reader, field, target[:1])
        if known is not None:
            terms, counts = known
            found = Automata.find_matches(automaton, _SortedCursor(terms))  # type: ignore[no-untyped-call]
            return {term: counts[term] for term in found if wider == word.distance or typo_distance(target, term) <= word.distance}
        spelling = self.reader.schema[field].spelling_fieldname(field)
        candidates: set[str] = set()
        for leaf, _ in self.reader.leaf_readers():
            for term in Automata.find_matches(automaton, leaf.cursor(spelling)):  # type: ignore[no-untyped-call]
                if wider == word.distance or typo_distance(target, term) <= word.distance:
                    candidates.add(term)
        return {term: self.reader.doc_frequency(field, term) for term in candidates}

    def _pattern_terms(self, field: str, word: Word) -> dict[str, int]:
        literal = word.text.partition("*")[0]
        prefix = tag_term(literal) if field == TAG_FIELD else fold(literal)
        frequencies = self._prefix_terms(field, prefix)
        if word.kind == "wildcard":
            pattern = re.compile(fnmatch.translate(fold(word.text)).replace(".*", "[^ ]*"))
            return {term: count for term, count in frequencies.items() if pattern.match(term)}
        return frequencies

    def _prefix_terms(self, field: str, prefix: str) -> dict[str, int]:
        known = self.expansions.known_prefix(field, prefix)
        if known is not None:
            return known
        frequencies: dict[str, int] = {}
        complete = True
        # Segment by segment: each reads its terms in order, where the whole-index reader would
        # look every term up again in every segment to combine their counts.
        for leaf, _ in self.reader.leaf_readers():
            scanned = 0
            for term, count in itertools.islice(_prefix_counts(leaf, field, prefix), MAX_SCANNED_TERMS):
                frequencies[term] = frequencies.get(term, 0) + count
                scanned += 1
            complete = complete and scanned < MAX_SCANNED_TERMS
        if complete:
            self.expansions.remember_prefix(field, prefix, frequencies)
        return frequencies


_RECORD = struct.Struct("!ii")  # key and value lengths before each entry of Whoosh's term table
_DOC_FREQUENCY = struct.Struct("!I")  # in a W3TermInfo, after a flag byte and the total weight
_DOC_FREQUENCY_AT = 5
_SCAN_BYTES = 1 << 16


def _prefix_counts(leaf: Any, field: str, prefix: str) -> Iterator[tuple[str, int]]:
    """Every term of ``field`` in one segment starting with ``prefix``, with its document count.

    Whoosh's own walk reads each entry with three separate reads and decodes a whole TermInfo
    (unpickling the postings of a rare term kept inline) only for the count; this reads the
    table 64 KB at a time and takes the count from its fixed place in the entry.
    """
    terms = getattr(leaf, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        for raw, info in leaf.iter_prefix(field, prefix):
            yield (raw.decode("utf-8") if isinstance(raw, bytes) else raw), info.doc_frequency()
        return
    table: Any = terms._tindex
    start: bytes = terms._keycoder(field, prefix.encode("utf-8"))  # type: ignore[no-untyped-call]
    position = table.closest_key_pos(start)
    end = table.endofdata
    data, base = b"", 0
    while position is not None and position < end:
        if position + _RECORD.size > base + len(data):
            data, base = table.dbfile.get(position, min(_SCAN_BYTES, end - position)), position
        key_length, value_length = _RECORD.unpack_from(data, position - base)
        size = _RECORD.size + key_length + value_length
        if position + size > base + len(data):
            data, base = table.dbfile.get(position, max(size, min(_SCAN_BYTES, end - position))), position
        at = position - base + _RECORD.size
        key = data[at : at + key_length]
        if not key.startswith(start):
            return
        yield key[len(start) - len(prefix.encode("utf-8")) :].decode("utf-8"), _DOC_FREQUENCY.unpack_from(
            data, at + key_length + _DOC_FREQUENCY_AT
        )[0]
        position += size


class _SortedCursor:
    """A sorted list of terms in the shape Whoosh's automaton walk expects of a term cursor."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self.position = 0

    def text(self) -> str | None:
        return self.terms[self.position] if self.position < len(self.terms) else None

    def find(self, target: str) -> None:
        self.position = bisect.bisect_left(self.terms, target)


def _sequence(field: str, terms: list[str], boost: float = 1.0) -> Any:
    return Term(field, terms[0], boost=boost) if len(terms) == 1 else AdjacentPhrase(field, terms, boost=boost)


def _any_term(field: str, terms: list[str], boost: float = 1.0) -> Any:
    if len(terms) == 1:
        return Term(field, terms[0], boost=boost)
    return AnyTerm(field, terms, boost=boost)


class AnyTerm(Query):
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
        return _list_matcher(_every_score(searcher, self))


class AdjacentPhrase(WhooshPhrase):
    """An exact phrase (slop 1), scored as Whoosh's ``Phrase``: the sum of its words' scores.

    Whoosh compares span objects pairwise with binary searches; for an exact phrase it is enough
    to shift each word's positions back by its place in the phrase and intersect the sets.
    """

    def matcher(self, searcher: Any, context: Any = None) -> Any:
        return _list_matcher(_every_score(searcher, self))


def _list_matcher(scores: dict[int, float]) -> Any:
    """A matcher over ready scores, for Whoosh's collectors (the date-sorted searches)."""
    if not scores:
        return _NullMatcher
    ids = sorted(scores)
    return _ListMatcher(ids, weights=[scores[docnum] for docnum in ids])


# --- postings ---------------------------------------------------------------------------------
#
# Whoosh keeps a term's postings in blocks of up to 128, each one pickle of the block's ids,
# weights and positions. Unpickling a block is most of the cost of reading postings (about
# 0.1 ms for 128 of them), so blocks are decoded only when one of their documents is wanted:
# a long list that only has to be checked for a few candidates is mostly skipped.


_Scored = tuple[list[int], Sequence[float]]  # a block's documents and weights
_PICKLE_START = b"\x80\x02("  # protocol 2, then the tuple of id deltas
_IDS_END = b"tq\x00"  # ... closed and memoised first
_WEIGHTS_END = b"tq\x01"
_FLOAT_SIZE = 9  # "G" and an 8-byte double
_PAIR_END = b"\x86."  # make a 2-tuple, stop


def _scored_size(count: int) -> int:
    """The most bytes a block's ids and weights take in its pickle (an id is at most 5)."""
    return len(_PICKLE_START) + 5 * count + len(_IDS_END) + 1 + _FLOAT_SIZE * count + len(_WEIGHTS_END)


def _ids_and_weights(raw: bytes, count: int) -> _Scored | None:
    """A block's documents and weights without its positions, or None if it is not laid out
    as expected (the caller then unpickles it whole).

    Whoosh pickles a block as (id deltas, weights, positions) with protocol 2, in which every
    position list costs a function call to unpickle; stopping the pickle after the weights
    makes a block that is only scored several times cheaper to read. Ids are small integers
    and weights 8-byte floats, so the end of each tuple is found without parsing.
    """
    if not raw.startswith(_PICKLE_START):
        return None
    ids_end = raw.find(_IDS_END, len(_PICKLE_START))
    if ids_end < 0:
        return None
    at = ids_end + len(_IDS_END)
    kind = raw[at : at + 1]
    if kind == b"(":  # one weight a posting
        stop = at + 1 + _FLOAT_SIZE * count
        if raw[stop : stop + len(_WEIGHTS_END)] != _WEIGHTS_END:
            return None
        stop += len(_WEIGHTS_END)
    elif kind == b"N":  # every weight 1.0
        stop = at + 1
    elif kind == b"G":  # every weight the same
        stop = at + _FLOAT_SIZE
    else:
        return None
    try:
        deltas, weights = loads(raw[:stop] + _PAIR_END)
    except Exception:  # noqa: BLE001 - not the layout expected: unpickled whole instead
        return None
    if len(deltas) != count:
        return None
    if weights is None or isinstance(weights, float):
        weights = [1.0 if weights is None else weights] * count
    return list(itertools.accumulate(deltas)), weights


class _Postings:
    """One term's postings in one segment, decoded a block at a time and only where asked:
    documents and weights for scoring, positions only for the blocks a phrase checks."""

    def __init__(self, reader: Any, field: str, term: bytes) -> None:
        info = reader.term_info(field, term)
        self.df: int = info.doc_frequency()  # deleted documents included
        self.max_weight: float = info.max_weight()
        self.min_length: float = info.min_length()
        matcher = reader.postings(field, term)
        leaf = getattr(matcher, "child", matcher)  # the deletion filter: applied by the caller
        self._scored: dict[int, _Scored] = {}
        self._values: dict[int, Sequence[Any]] = {}
        self._starts: list[int] = []  # file offset of each block
        self._last_ids: list[int] = []  # highest id of each block
        if isinstance(leaf, W3LeafMatcher):
            self._leaf: Any = leaf
        else:  # inlined in the term dictionary (a rare term): one block, read at once
            self._leaf = None
            ids, weights, values = [], [], []
            while leaf.is_active():
                ids.append(leaf.id())
                weights.append(leaf.weight())
                values.append(leaf.value())
                leaf.next()
            self._scored[0], self._values[0] = (ids, weights), values
            self._last_ids.append(ids[-1] if ids else -1)

    def _scored_block(self, number: int) -> _Scored:
        found = self._scored.get(number)
        if found is None:
            self._leaf._goto(self._starts[number])
            found = self._scored[number] = self._read_scored()
        return found

    def _read_scored(self) -> _Scored:
        leaf = self._leaf
        count = leaf._blocklength
        data = leaf._postfile.get(leaf._dataoffset, leaf._nextoffset - leaf._dataoffset)
        if not leaf._byteids:
            # Only the start of the block is needed: inflate no more than ids and weights take.
            head = zlib.decompressobj().decompress(data, _scored_size(count)) if leaf._compression else data
            found = _ids_and_weights(head, count)
            if found is not None:
                return found
        leaf._data = loads(zlib.decompress(data) if leaf._compression else data)
        leaf._read_weights()
        ids = leaf._data[0]
        return list(ids if leaf._byteids else itertools.accumulate(ids)), leaf._weights

    def _values_of(self, number: int) -> Sequence[Any]:
        found = self._values.get(number)
        if found is None:
            leaf = self._leaf
            leaf._goto(self._starts[number])
            leaf._read_data()
            leaf._read_values()
            found = self._values[number] = leaf._values
        return found

    def _scan(self) -> None:
        """Read every block's header (offset and last id), not its postings."""
        if self._last_ids or self._leaf is None:
            return
        leaf = self._leaf
        position = leaf._baseoffset
        while True:
            leaf._goto(position)
            self._starts.append(position)
            self._last_ids.append(leaf._maxid)
            if leaf._lastblock:
                return
            position = leaf._nextoffset

    def _read_all(self) -> None:
        """Every block's header, documents and weights, in one pass."""
        leaf = self._leaf
        position = leaf._baseoffset
        while True:
            leaf._goto(position)
            self._starts.append(position)
            self._last_ids.append(leaf._maxid)
            self._scored[len(self._starts) - 1] = self._read_scored()
            if leaf._lastblock:
                return
            position = leaf._nextoffset

    def everything(self) -> tuple[list[int], list[float]]:
        """Every posting's document and weight."""
        if self._leaf is not None and not self._last_ids:
            self._read_all()
        ids: list[int] = []
        weights: list[float] = []
        for number in range(len(self._last_ids)):
            block_ids, block_weights = self._scored_block(number)
            ids.extend(block_ids)
            weights.extend(block_weights)
        return ids, weights

    def find(self, docs: Sequence[int]) -> tuple[list[int], list[float]]:
        """The documents of ``docs`` (sorted) this term is in, with its weight in each."""
        self._scan()
        ids: list[int] = []
        weights: list[float] = []
        start, count = 0, len(docs)
        for number, last in enumerate(self._last_ids):
            if start >= count:
                break
            end = bisect.bisect_right(docs, last, start)
            if end == start:
                continue
            block_ids, block_weights = self._scored_block(number)
            for doc in docs[start:end]:
                at = bisect.bisect_left(block_ids, doc)
                if at < len(block_ids) and block_ids[at] == doc:
                    ids.append(doc)
                    weights.append(block_weights[at])
            start = end
        return ids, weights

    def value(self, doc: int) -> Any:
        """The positions (encoded) of this term in ``doc``, which must be one of its documents."""
        self._scan()
        number = bisect.bisect_left(self._last_ids, doc)
        block_ids, _ = self._scored_block(number)
        return self._values_of(number)[bisect.bisect_left(block_ids, doc)]


class _TermScorer:
    """Whoosh's BM25F score of one term in one segment, for many postings at a time."""

    def __init__(self, scorer: Any, boost: float) -> None:
        self.boost = boost
        self.scorer = scorer

    def scores(self, ids: list[int], weights: list[float], lengths: list[int]) -> list[float]:
        scorer = self.scorer
        if isinstance(scorer, BM25FScorer):
            # whoosh.scoring.bm25 with the per-term constants taken out of the loop
            idf, top = scorer.idf, scorer.K1 + 1
            fixed, per_length = scorer.K1 * (1 - scorer.B), scorer.K1 * scorer.B / scorer.avgfl
            scores = [idf * (tf * top / (tf + fixed + per_length * lengths[doc])) for doc, tf in zip(ids, weights)]
        elif isinstance(scorer, WeightLengthScorer):
            scores = [scorer._score(tf, lengths[doc]) for doc, tf in zip(ids, weights)]
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
        score = scorer.idf * (max_weight * top / (max_weight + fixed + scorer.K1 * scorer.B / scorer.avgfl * min_length))
        return float(score * self.boost * (1 + _TOLERANCE))


class _Docs:
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


_FIND_SHARE = 4  # look documents up one by one when they are under a quarter of a term's postings


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


class _Segment:
    """One segment being searched: each term's postings read once per search."""

    def __init__(self, searcher: Any, cache: SearchCache | None = None) -> None:
        self.searcher = searcher
        self.reader = searcher.reader()
        self.deleted: frozenset[int] = self.reader.deleted_docs_set if self.reader.has_deletions() else frozenset()
        self._postings: dict[tuple[str, bytes], _Postings | None] = {}
        self.cache = cache if cache is not None else SearchCache()

    def scorer(self, field: str, term: str | bytes, boost: float) -> _TermScorer:
        raw = term if isinstance(term, bytes) else self.searcher.schema[field].to_bytes(term)
        found = self.cache.scorers.get((field, raw))
        if found is None:
            found = self.cache.scorers[(field, raw)] = self.searcher.weighting.scorer(self.searcher, field, term)
        return _TermScorer(found, boost)

    def postings(self, field: str, term: str | bytes) -> _Postings | None:
        raw = term if isinstance(term, bytes) else self.searcher.schema[field].to_bytes(term)
        key = (field, raw)
        if key not in self._postings:
            self._postings[key] = _Postings(self.reader, field, raw) if key in self.reader else None
        return self._postings[key]

    def upper(self, field: str, term: str | bytes, boost: float) -> float:
        """The highest score ``term`` gives any document of this segment."""
        postings = self.postings(field, term)
        if postings is None:
            return 0.0
        return self.scorer(field, term, boost).bound(postings.max_weight, postings.min_length)

    def term_scores(
        self, field: str, term: str | bytes, boost: float, within: _Docs | None
    ) -> tuple[list[int], list[float]]:
        """The documents holding ``term`` (of ``within``, when given) and the term's score in each."""
        postings = self.postings(field, term)
        if postings is None:
            return [], []
        key = (id(self.reader), field, term if isinstance(term, bytes) else self.searcher.schema[field].to_bytes(term))
        cached = self.cache.scored(key)
        if within is not None and len(within) * _FIND_SHARE < postings.df:
            if cached is not None:  # looked up in the kept list: nothing to decode
                ids, scores = _looked_up(cached, within.sorted)
                return ids, scores if boost == 1.0 else [score * boost for score in scores]
            return self._scores(field, term, boost, *postings.find(within.sorted))
        # About as many documents asked about as postings: the whole list (see _evaluate).
        if cached is not None:
            ids, scores = list(cached[0]), list(cached[1])
        else:
            ids, scores = self._scores(field, term, 1.0, *postings.everything())
            self.cache.keep(key, ids, scores)
        return ids, scores if boost == 1.0 else [score * boost for score in scores]

    def _scores(
        self, field: str, term: str | bytes, boost: float, ids: list[int], weights: list[float]
    ) -> tuple[list[int], list[float]]:
        if self.deleted:
            kept = [at for at, doc in enumerate(ids) if doc not in self.deleted]
            ids, weights = [ids[at] for at in kept], [weights[at] for at in kept]
        return ids, self.scorer(field, term, boost).scores(ids, weights, _field_lengths(self.reader, field))


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


def _field_lengths(reader: Any, field: str) -> list[int]:
    """Each document's length in ``field``; kept for the segment reader's lifetime."""
    known = _LENGTHS.setdefault(reader, {})
    if field not in known:
        known[field] = _read_lengths(reader, field)
    return known[field]


def _read_lengths(reader: Any, field: str) -> list[int]:
    # Whoosh stores a length as one byte a document; reading the column in one go and decoding
    # from a table is some ten times faster than its per-document lookup.
    per_document = getattr(reader, "_perdoc", None)
    column = per_document._cached_reader(_lengths_column(field), LENGTHS_COLUMN) if per_document is not None else None
    if isinstance(column, NumericColumn.Reader) and column._fixedlen == 1:
        lengths = [byte_to_length(byte) for byte in column._dbfile.get(column._basepos, column._count)]
        return lengths + [0] * (reader.doc_count_all() - len(lengths))
    return [reader.doc_field_length(docnum, field, 1) or 0 for docnum in range(reader.doc_count_all())]


# --- what a clause matched ----------------------------------------------------------------------


def _settled(_: int) -> float | None:
    return None


@dataclass(slots=True)
class _Found:
    """The documents one clause matched in one segment, with their scores.

    A document in ``open`` is not settled yet: its entry in ``scores`` is an upper bound of its
    score (a phrase's words are all there, but maybe not side by side), and ``settle`` works out
    the real score, or None when it does not match after all. ``doubtful`` are the open ones
    that may not match (the rest are sure to match, only their score is open).
    """

    scores: dict[int, float]
    open: set[int] = field(default_factory=set)
    doubtful: set[int] = field(default_factory=set)
    settle_open: Callable[[int], float | None] = _settled
    unlisted: int = 0  # matches left out of ``scores`` because they cannot reach the best few
    estimated: bool = False  # ``unlisted`` is an estimate

    def settle(self, doc: int) -> float | None:
        return self.settle_open(doc) if doc in self.open else self.scores.get(doc)


def _boosted(scores: dict[int, float], boost: float) -> dict[int, float]:
    return scores if boost == 1.0 else {docnum: score * boost for docnum, score in scores.items()}


def _either(parts: list[_Found], boost: float) -> _Found:
    """``Or``: the sum of the parts that match (in Whoosh's order: the largest part first)."""
    parts = sorted((part for part in parts if part.scores), key=lambda part: len(part.scores))
    if len(parts) <= 1 and boost == 1.0:
        return parts[0] if parts else _Found({})
    order = [parts[-1], *parts[:-1]]
    scores = dict(order[0].scores)
    for part in order[1:]:
        for docnum, score in part.scores.items():
            scores[docnum] = scores.get(docnum, 0.0) + score
    opened = set().union(*(part.open for part in parts))
    if not opened:
        return _Found(_boosted(scores, boost))
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

    return _Found(_boosted(scores, boost), opened, doubtful, settle)


def _all_of(parts: list[_Found], boost: float) -> _Found:
    """``And``: documents every part matched, with the sum of their scores."""
    parts = sorted(parts, key=lambda part: len(part.scores))
    keep = set(parts[0].scores).intersection(*(part.scores for part in parts[1:]))
    scores = {docnum: sum(part.scores[docnum] for part in parts) for docnum in keep}
    opened = {docnum for docnum in keep if any(docnum in part.open for part in parts)}
    if not opened:
        return _Found(_boosted(scores, boost))
    doubtful = {docnum for docnum in opened if any(docnum in part.doubtful for part in parts)}

    def settle(docnum: int) -> float | None:
        found = [part.settle(docnum) for part in parts]
        if any(score is None for score in found):
            return None
        total = sum(score for score in found if score is not None)
        return total * boost if boost != 1.0 else total

    return _Found(_boosted(scores, boost), opened, doubtful, settle)


def _with_bonus(required: _Found, optional: _Found) -> _Found:
    """``AndMaybe``: the required part's documents, plus the optional part's score where it matched."""
    scores = dict(required.scores)
    for docnum, score in optional.scores.items():
        if docnum in scores:
            scores[docnum] += score
    opened = required.open | (optional.open & scores.keys())
    if not opened:
        return _Found(scores, unlisted=required.unlisted, estimated=required.estimated)

    def settle(docnum: int) -> float | None:
        score = required.settle(docnum)
        if score is not None and docnum in optional.scores and (bonus := optional.settle(docnum)) is not None:
            score += bonus
        return score

    return _Found(scores, opened, set(required.doubtful), settle, required.unlisted, required.estimated)


def _without(kept: _Found, dropped: _Found) -> _Found:
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
        return _Found(scores)

    def settle(docnum: int) -> float | None:
        if docnum in maybe and dropped.settle(docnum) is not None:
            return None
        return kept.settle(docnum)

    return _Found(scores, opened, (kept.doubtful & scores.keys()) | maybe, settle)


# --- evaluating a query on one segment ----------------------------------------------------------
#
# ``within``: when given, only these documents can matter, because the clause is one part of
# an AND, or the optional part of an AndMaybe, whose other part was evaluated first. Its
# postings are then decoded only in the blocks that hold one of them. It is a hint, not a
# filter: a clause may return other documents too (when reading a whole list is cheaper than
# looking documents up), and every caller keeps only the documents of the other part.


@dataclass(frozen=True, slots=True)
class _Goal:
    """What the ranking needs from a clause whose documents all match the whole query: the
    best ``limit``; ``threshold``, the score already needed to enter them (None: not known
    yet); ``extra``, the most the rest of the query can add to a document's score."""

    limit: int
    threshold: float | None
    extra: float = 0.0
    budget: int = 0  # postings that may be read only to count matches


def _evaluate(segment: _Segment, query: Any, within: _Docs | None, goal: _Goal | None = None) -> _Found:
    evaluator = _EVALUATORS.get(type(query))
    if evaluator is not None:
        return evaluator(segment, query, within, goal)
    if query is NullQuery:
        return _Found({})
    return _walk(segment, query, within)


def _term(segment: _Segment, query: Any, within: _Docs | None, goal: _Goal | None) -> _Found:
    ids, scores = segment.term_scores(query.fieldname, query.text, query.boost, within)
    return _Found(dict(zip(ids, scores)))


def _any_terms(segment: _Segment, query: AnyTerm, within: _Docs | None, goal: _Goal | None) -> _Found:
    if goal is not None and within is None and len(query.alternatives) > 1:
        return _best_terms(segment, query, goal, {})
    per_term: dict[str, dict[int, float]] = {}
    scores: dict[int, float] = {}
    shared: set[int] = set()  # documents holding more than one of the terms
    for term in query.alternatives:
        _add_term(segment, query, term, within, per_term, scores, shared)
    return _Found(_in_query_order(query.alternatives, per_term, scores, shared))


def _add_term(
    segment: _Segment,
    query: AnyTerm,
    term: str,
    within: _Docs | None,
    per_term: dict[str, dict[int, float]],
    scores: dict[int, float],
    shared: set[int],
) -> dict[int, float]:
    """Read one of the terms into ``scores``, by whole dicts and sets rather than a posting at
    a time: a document already there keeps only the new score, and goes into ``shared`` to be
    added up properly at the end (``_in_query_order``)."""
    ids, term_scores = segment.term_scores(query.fieldname, term, query.boost, within)
    found = per_term[term] = dict(zip(ids, term_scores))
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
class _TermsRead:
    """``_best_terms`` under way: the terms read in full, and each document's score so far."""

    query: AnyTerm
    bonus: dict[int, float]  # what the optional part adds, known for every document
    per_term: dict[str, dict[int, float]] = field(default_factory=dict)
    partial: dict[int, float] = field(default_factory=dict)  # never above the document's score
    shared: set[int] = field(default_factory=set)

    def threshold(self, goal: _Goal) -> float | None:
        """A score the best ``limit`` documents are sure to reach (None: none known yet). Every
        document read matches, with at least its score so far (plus its bonus)."""
        known = [goal.threshold] if goal.threshold is not None else []
        if len(self.partial) >= goal.limit:
            known.append(heapq.nlargest(goal.limit, self.partial.values())[-1])
        boosted = [self.partial[docnum] + bonus for docnum, bonus in self.bonus.items() if docnum in self.partial]
        if len(boosted) >= goal.limit:
            known.append(heapq.nlargest(goal.limit, boosted)[-1])
        return max(known, default=None)

    def hopeful(self, floor: float, among: Iterable[int] | None = None) -> list[int]:
        """The documents (of ``among``; by default every one read or with a bonus) whose score
        so far and bonus reach ``floor``."""
        floor -= _TOLERANCE * abs(floor)
        partial, bonus = self.partial, self.bonus
        if among is not None:
            return [docnum for docnum in among if partial.get(docnum, 0.0) + bonus.get(docnum, 0.0) >= floor]
        found = [docnum for docnum, score in partial.items() if score >= floor and docnum not in bonus]
        found += [docnum for docnum, extra in bonus.items() if partial.get(docnum, 0.0) + extra >= floor]
        return found


def _best_terms(segment: _Segment, query: AnyTerm, goal: _Goal, bonus: dict[int, float]) -> _Found:
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
        if threshold is not None and reach[number] < threshold - _TOLERANCE * abs(threshold):
            _in_query_order(query.alternatives, read.per_term, read.partial, read.shared)
            hopeful = read.hopeful(threshold - reach[number])
            return _look_up_rest(segment, read, order[number:], reach[number + 1 :], threshold, hopeful, goal.budget)
        _add_term(segment, query, term, None, read.per_term, read.partial, read.shared)
    scores = _in_query_order(query.alternatives, read.per_term, read.partial, read.shared)
    return _with_bonus(_Found(scores), _Found(bonus)) if bonus else _Found(scores)


def _look_up_rest(
    segment: _Segment,
    read: _TermsRead,
    unread: list[str],
    reach: list[float],
    threshold: float,
    hopeful: list[int],
    budget: int,
) -> _Found:
    """Finish ``_best_terms`` for the ``hopeful`` documents, the only ones that can still enter
    the best few: each unread term is looked up for them alone (only their blocks decoded), and
    those it leaves below the bar drop out before the next."""
    query = read.query
    seen = set(read.partial)  # every document holding one of the terms read in full
    for number, term in enumerate(unread):
        found = _add_term(segment, query, term, _Docs(hopeful), read.per_term, {}, set())
        for docnum, score in found.items():
            read.partial[docnum] = read.partial.get(docnum, 0.0) + score
        hopeful = read.hopeful(threshold - reach[number], hopeful)
    members = [docnum for docnum in hopeful if docnum in read.partial]  # holding one of the terms
    scores = _in_query_order(query.alternatives, read.per_term, dict.fromkeys(members, 0.0), members)
    for docnum, bonus in read.bonus.items():
        if docnum in scores:
            scores[docnum] += bonus
    holding, estimated = _holding_any(segment, query.fieldname, unread, seen, budget)
    return _Found(scores, unlisted=max(0, holding - len(scores)), estimated=estimated)


def _holding_any(segment: _Segment, field: str, unread: list[str], seen: set[int], budget: int) -> tuple[int, bool]:
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
            seen.update(postings.everything()[0])
            budget -= postings.df
        else:
            extra += postings.df * max(0.0, 1.0 - (len(seen) + extra) / documents)
    return len(seen - segment.deleted) + round(extra), extra > 0


def _phrase(segment: _Segment, query: AdjacentPhrase, within: _Docs | None, goal: _Goal | None) -> _Found:
    """Documents holding every word of the phrase, scored as if they matched; whether the words
    stand side by side is settled later, and only for the documents that need it."""
    field = query.fieldname
    lists = [segment.postings(field, word) for word in query.words]
    if any(postings is None for postings in lists):
        return _Found({})
    known: dict[str, dict[int, float]] = {}
    if within is None:  # the rarest word's documents are the candidates
        rarest = min(query.words, key=lambda word: segment.postings(field, word).df)  # type: ignore[union-attr]
        ids, rarest_scores = segment.term_scores(field, rarest, 1.0, None)
        known[rarest] = dict(zip(ids, rarest_scores))
        within = _Docs(ids, ordered=True)
    for word in query.words:
        if word not in known:
            known[word] = dict(zip(*segment.term_scores(field, word, 1.0, within)))
    by_word = [known[word] for word in query.words]
    candidates = list(set(by_word[0]).intersection(*by_word[1:]))
    # Whoosh's score, the boost times the sum of the words' scores, a word at a time.
    sums = [by_word[0][docnum] for docnum in candidates]
    for found in by_word[1:]:
        sums = [total + found[docnum] for total, docnum in zip(sums, candidates)]
    if query.boost != 1.0:
        sums = [query.boost * total for total in sums]
    scores = dict(zip(candidates, sums))
    found_lists = [postings for postings in lists if postings is not None]

    def settle(docnum: int) -> float | None:
        return scores[docnum] if _adjacent([postings.value(docnum) for postings in found_lists]) else None

    unsettled = set(candidates)
    return _Found(scores, unsettled, unsettled, settle)


def _and(segment: _Segment, query: Any, within: _Docs | None, goal: _Goal | None) -> _Found:
    """Every part; the part likely to match fewest documents first, the others only where it did."""
    parts = sorted(query.subqueries, key=lambda part: _estimate(segment, part))
    found: list[_Found] = []
    for part in parts:
        result = _evaluate(segment, part, within)
        found.append(result)
        if not result.scores:
            return _Found({})
        within = _Docs(result.scores) if within is None else _Docs([doc for doc in within.sorted if doc in result.scores], ordered=True)
    return _all_of(found, query.boost)


def _or(segment: _Segment, query: Any, within: _Docs | None, goal: _Goal | None) -> _Found:
    return _either([_evaluate(segment, part, within) for part in query.subqueries], query.boost)


def _and_maybe(segment: _Segment, query: Any, within: _Docs | None, goal: _Goal | None) -> _Found:
    a, b = query.a, query.b
    if goal is not None and within is None and isinstance(a, AnyTerm) and len(a.alternatives) > 1:
        # A prefix or fuzzy word ranked by its best few: its title terms are few, so they are
        # scored first for every document and the body's terms read against them.
        return _best_terms(segment, a, goal, _settled_all(_evaluate(segment, b, None)).scores)
    required = _evaluate(segment, a, within)
    if not required.scores:
        return required
    return _with_bonus(required, _evaluate(segment, b, _Docs(required.scores)))


def _settled_all(found: _Found) -> _Found:
    """Every open document settled (for a small clause whose scores are needed exactly)."""
    if not found.open:
        return found
    scores = {docnum: score for docnum, score in found.scores.items() if docnum not in found.open}
    for docnum in sorted(found.open):
        score = found.settle(docnum)
        if score is not None:
            scores[docnum] = score
    return _Found(scores)


def _and_not(segment: _Segment, query: Any, within: _Docs | None, goal: _Goal | None) -> _Found:
    kept = _evaluate(segment, query.a, within)
    if not kept.scores:
        return kept
    return _without(kept, _evaluate(segment, query.b, _Docs(kept.scores)))


def _walk(segment: _Segment, query: Any, within: _Docs | None) -> _Found:
    """Anything else (dates, every document, NOT alone): Whoosh's own matcher, walked."""
    matcher = query.matcher(segment.searcher)
    scores: dict[int, float] = {}
    if within is None:
        while matcher.is_active():
            scores[matcher.id()] = matcher.score()
            matcher.next()
        return _Found(scores)
    for docnum in within.sorted:
        if not matcher.is_active():
            break
        matcher.skip_to(docnum)
        if matcher.is_active() and matcher.id() == docnum:
            scores[docnum] = matcher.score()
    return _Found(scores)


_EVALUATORS: dict[type, Callable[[_Segment, Any, _Docs | None, _Goal | None], _Found]] = {
    Term: _term,
    AnyTerm: _any_terms,
    AdjacentPhrase: _phrase,
    And: _and,
    Or: _or,
    AndMaybe: _and_maybe,
    AndNot: _and_not,
}


def _estimate(segment: _Segment, query: Any) -> int:
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
    if query is NullQuery:
        return 0
    return int(segment.reader.doc_count_all())


def _upper(segment: _Segment, query: Any) -> float:
    """The highest score a clause can give a document of this segment."""
    if isinstance(query, Term):
        return segment.upper(query.fieldname, query.text, query.boost)
    if isinstance(query, AnyTerm):
        return sum(segment.upper(query.fieldname, term, query.boost) for term in query.alternatives)
    if isinstance(query, AdjacentPhrase):
        return float(query.boost * sum(segment.upper(query.fieldname, word, 1.0) for word in query.words))
    if isinstance(query, (Or, And)):
        return float(query.boost * sum(_upper(segment, part) for part in query.subqueries))
    if isinstance(query, AndMaybe):
        return _upper(segment, query.a) + _upper(segment, query.b)
    if isinstance(query, AndNot):
        return _upper(segment, query.a)
    return 0.0 if query is NullQuery else math.inf


def _every_score(searcher: Any, query: Any) -> dict[int, float]:
    """Every document of one segment that ``query`` matches, with its score (all settled)."""
    found = _evaluate(_Segment(searcher), query, None)
    scores = {docnum: score for docnum, score in found.scores.items() if docnum not in found.open}
    for docnum in found.open:
        score = found.settle(docnum)
        if score is not None:
            scores[docnum] = score
    return scores


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

    def offer(self, score: float, docnum: int) -> None:
        entry = (-score, docnum)
        if len(self.best) < self.limit:
            bisect.insort(self.best, entry)
        elif entry < self.best[-1]:
            bisect.insort(self.best, entry)
            self.best.pop()

    def add_segment(self, found: _Found, offset: int, budget: int) -> None:
        self.total += found.unlisted
        self.estimated = self.estimated or found.estimated
        settled = ((-score, docnum + offset) for docnum, score in found.scores.items() if docnum not in found.open)
        self.best = heapq.nsmallest(self.limit, itertools.chain(self.best, settled))
        checked = self._settle_best(found, offset)
        self._count(found, checked, budget)

    def _settle_best(self, found: _Found, offset: int) -> dict[int, bool]:
        """Settle open documents by bound, best first, while one could still enter the list.

        They are taken in batches of the best bounds, growing fourfold: usually few are
        needed, and picking the best few of many is cheaper than ordering them all."""
        checked: dict[int, bool] = {}
        bound = found.scores.__getitem__
        waiting = list(found.open)
        size, done = _FIRST_BATCH, 0
        while done < len(waiting):
            batch = heapq.nlargest(size, waiting, key=bound) if size < len(waiting) else sorted(waiting, key=bound, reverse=True)
            for docnum in batch[done:]:
                threshold = self.threshold()
                if threshold is not None and bound(docnum) < threshold - _TOLERANCE * abs(threshold):
                    return checked
                score = found.settle(docnum)
                checked[docnum] = score is not None
                if score is not None:
                    self.offer(score, docnum + offset)
            done, size = len(batch), size * 4
        return checked

    def _count(self, found: _Found, checked: dict[int, bool], budget: int) -> None:
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
        hits = sum(1 for docnum in sample if found.settle(docnum) is not None)
        self.total += hits
        self.sampled += len(sample)
        self.sample_hits += hits
        if len(sample) < unknown:
            self.estimated = True
            self.total += round((unknown - len(sample)) * self.sample_hits / max(self.sampled, 1))


_FIRST_BATCH = 64
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


def _best(
    searcher: Any, query: Any, limit: int, cache: SearchCache | None = None
) -> tuple[list[tuple[float, int]], int, bool]:
    """The ``limit`` best (score, docnum) of every segment, best first (ties: lower docnum first,
    as Whoosh ranks them), how many documents matched in all, and whether that is an estimate."""
    ranking = _Ranking(limit)
    cache = SearchCache() if cache is None else cache
    everything = max(searcher.doc_count_all(), 1)
    for sub, offset in searcher.leaf_searchers():
        budget = max(1, COUNT_BUDGET * sub.doc_count_all() // everything)
        goal = _Goal(limit, ranking.threshold(), budget=COUNT_POSTINGS * sub.doc_count_all() // everything)
        ranking.add_segment(_evaluate(_Segment(sub, cache), query, None, goal), offset, budget)
    total = _rounded(ranking.total) if ranking.estimated else ranking.total
    return [(-negated, docnum) for negated, docnum in ranking.best], total, ranking.estimated


def _rounded(count: int) -> int:
    """An estimate to two significant figures: "about 4,400", not "about 4,417"."""
    if count < 100:
        return count
    scale: int = 10 ** (len(str(count)) - 2)
    return round(count / scale) * scale


def _adjacent(values: list[bytes]) -> bool:
    """Whether the words with these position lists stand one right after the other somewhere."""
    starts = set(_positions(values[0]))
    for offset, value in enumerate(values[1:], start=1):
        starts.intersection_update([position - offset for position in _positions(value)])
        if not starts:
            return False
    return True


def _positions(value: bytes) -> Iterable[int]:
    """``Positions.decode_positions`` without its per-item loop: a pickled list of deltas after a
    4-byte count (the pickle's final stop byte is left out when stored)."""
    return itertools.accumulate(loads(value[4:] if value.endswith(b".") else value[4:] + b"."))


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
        self._cache = SearchCache()  # for the current searcher only (a commit changes it)

    def _current(self) -> Any:
        if self._searcher is None:
            found = open_index(self.index_dir)
            if found is None:
                return None
            self._searcher = found.searcher()
            self._forget()
        else:
            refreshed = self._searcher.refresh()
            if refreshed is not self._searcher:
                self._forget()
            self._searcher = refreshed
        return self._searcher

    def _forget(self) -> None:
        """Drop what was worked out on the last index version."""
        self._cache = SearchCache()

    def close(self) -> None:
        with self._lock:
            if self._searcher is not None:
                self._searcher.close()
                self._searcher = None
                self._forget()

    def run(self, node: Node, limit: int, sort: str) -> RawHits:
        if sort not in SORTS:
            raise ValueError(f"sort must be one of {', '.join(SORTS)}")
        with self._lock:
            searcher = self._current()
            if searcher is None:
                return RawHits((), 0, frozenset(), False)
            compiler = _Compiler(searcher.reader(), self._cache.expansions)
            compiled = compiler.compile(node)
            if compiled is None or not compiler.words:
                raise QueryError("nothing to search for; type some words")
            estimated = partial = False
            if sort == "relevance":
                ranked, total, estimated = _best(searcher, compiled, max(limit, 1), self._cache)
            else:
                ranked, total, partial = _by_date(searcher, compiled, limit, newest_first=sort != "oldest")
            hits = tuple((searcher.stored_fields(docnum)["id"], score) for score, docnum in ranked[:limit])
        return RawHits(hits, max(total, len(hits)), frozenset(compiler.marks), partial, estimated)


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
