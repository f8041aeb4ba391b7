"""What prefix, wildcard and fuzzy words stand for on one index version, kept between keystrokes.

Search-as-you-type runs ``kard*``, ``karda*``, ``kardas*`` one after the other: the terms of a
prefix, once read in full, are filtered for the longer one instead of walking the term table
again, and the terms of a first letter are kept in memory so a typo is matched without a
search of the term file per automaton step.
"""

from __future__ import annotations

import bisect
import dataclasses
import heapq
import itertools
import operator
import struct
from dataclasses import dataclass
from typing import Any

from whoosh.codec.whoosh3 import W3TermsReader

from reader.core.index.query import Word

MAX_SCANNED_TERMS = 20_000  # index terms looked at for one prefix or wildcard word, per segment
MAX_CACHED_EXPANSIONS = 512  # words remembered between queries ("more" and re-sorting run them again)
MAX_CACHED_PREFIXES = 64  # prefixes whose every term is remembered, for the next keystroke
MAX_CACHED_PREFIX_TERMS = 100_000  # ... and their terms over every segment (a 3-letter prefix at 100k: ~24,000)
MAX_INITIAL_TERMS = 100_000  # terms of one first letter kept in memory for typos (beyond: read from disk)


class Expansions:
    """What prefix, wildcard and fuzzy words became on one index version, kept between searches.

    ``chosen``: (field, word) -> the terms the query uses. ``prefixes``: (field, prefix) -> each
    segment's terms starting with it and their document counts, when the walk saw them all; a
    longer prefix typed next is then a part of those lists instead of another walk of the term
    table. At most ``MAX_CACHED_PREFIX_TERMS`` terms are kept, the oldest prefixes dropped first.
    """

    def __init__(self) -> None:
        self.chosen: dict[tuple[str, Word], list[str]] = {}
        self.prefixes: dict[tuple[str, str], list[SegmentTerms]] = {}
        self._prefix_terms = 0  # terms kept in ``prefixes``, over every segment
        # (field, first letter) -> its terms in order and their document counts, for typos
        self.initials: dict[tuple[str, str], tuple[list[str], dict[str, int]] | None] = {}

    def remember(self, key: tuple[str, Word], terms: list[str]) -> None:
        if len(self.chosen) >= MAX_CACHED_EXPANSIONS:
            self.chosen.clear()
        self.chosen[key] = terms

    def known_prefix(self, field: str, prefix: str) -> list[SegmentTerms] | None:
        """The terms of ``prefix`` in each segment from a remembered shorter (or equal) prefix, or None."""
        for length in range(len(prefix), 0, -1):
            found = self.prefixes.get((field, prefix[:length]))
            if found is not None:
                if length == len(prefix):
                    return found
                raw = prefix.encode("utf-8")
                return [segment.narrowed(raw) for segment in found]
        return None

    def remember_prefix(self, field: str, prefix: str, segments: list[SegmentTerms]) -> None:
        kept = [segment.kept() for segment in segments]
        self._prefix_terms += sum(len(segment.terms) for segment in kept)
        self.prefixes[(field, prefix)] = kept
        while self.prefixes and (
            len(self.prefixes) > MAX_CACHED_PREFIXES or self._prefix_terms > MAX_CACHED_PREFIX_TERMS
        ):
            dropped = self.prefixes.pop(next(iter(self.prefixes)))
            self._prefix_terms -= sum(len(segment.terms) for segment in dropped)

    def initial(self, reader: Any, field: str, letter: str) -> tuple[list[str], dict[str, int]] | None:
        """Every term of ``field`` starting with ``letter`` over all segments, in order, with
        its document count; None when there are too many to keep."""
        key = (field, letter)
        if key not in self.initials:
            counts: dict[str, int] = {}
            for leaf, _ in reader.leaf_readers():
                for term, count in prefix_counts(leaf, field, letter, MAX_INITIAL_TERMS + 1):
                    counts[term] = counts.get(term, 0) + count
                if len(counts) > MAX_INITIAL_TERMS:
                    break
            self.initials[key] = (sorted(counts), counts) if len(counts) <= MAX_INITIAL_TERMS else None
        return self.initials[key]



_RECORD = struct.Struct("!ii")  # key and value lengths before each entry of Whoosh's term table
_DOC_FREQUENCY = struct.Struct("!I")  # in a W3TermInfo, after a flag byte and the total weight
_DOC_FREQUENCY_AT = 5


@dataclass(frozen=True, slots=True)
class SegmentTerms:
    """The terms of one field starting with a prefix in one segment, in order: each one's
    UTF-8 bytes (without the field), its document count, and where its entry starts in
    ``data``, the stretch of the term table read (neither is kept between searches).
    ``complete``: every term of the prefix is there (the walk was not cut at a limit)."""

    leaf: Any
    terms: list[bytes]
    counts: list[int]
    entries: list[int] = dataclasses.field(default_factory=list)
    data: bytes = b""
    complete: bool = True

    def kept(self) -> SegmentTerms:
        """The terms and counts alone, to keep between searches."""
        return SegmentTerms(self.leaf, self.terms, self.counts, complete=self.complete)

    def narrowed(self, prefix: bytes) -> SegmentTerms:
        """Those of the terms starting with ``prefix`` (a longer one): a part of the lists."""
        start = bisect.bisect_left(self.terms, prefix)
        after = _successor(prefix)
        stop = len(self.terms) if after is None else bisect.bisect_left(self.terms, after, start)
        return SegmentTerms(self.leaf, self.terms[start:stop], self.counts[start:stop], complete=self.complete)

    def count(self, term: bytes) -> int:
        """The term's document count here (0: not here)."""
        at = bisect.bisect_left(self.terms, term)
        return self.counts[at] if at < len(self.terms) and self.terms[at] == term else 0

    def entry(self, term: bytes) -> bytes | None:
        """The term's entry in the table here (its value: a ``W3TermInfo``'s bytes), None if
        it is not one of the terms."""
        at = bisect.bisect_left(self.terms, term)
        if not self.data or at == len(self.terms) or self.terms[at] != term:
            return None
        key_length, value_length = _RECORD.unpack_from(self.data, self.entries[at])
        start = self.entries[at] + _RECORD.size + key_length
        return self.data[start : start + value_length]


def prefix_counts(leaf: Any, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
    """Every term of ``field`` in one segment starting with ``prefix`` (the first ``limit``),
    with its document count."""
    found = prefix_terms(leaf, field, prefix, limit)
    return [(term.decode("utf-8"), count) for term, count in zip(found.terms, found.counts, strict=True)]


def prefix_terms(leaf: Any, field: str, prefix: str, limit: int | None = None) -> SegmentTerms:
    """The terms of ``field`` in one segment starting with ``prefix`` (the first ``limit``).

    Whoosh's own walk reads each entry with three separate reads and decodes a whole TermInfo
    (unpickling the postings of a rare term kept inline) only for the count; this reads the
    prefix's whole stretch of the table in one read and takes the count from its fixed place.
    """
    terms = getattr(leaf, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        walked = list(itertools.islice(leaf.iter_prefix(field, prefix), limit))
        raws = [raw if isinstance(raw, bytes) else raw.encode("utf-8") for raw, _ in walked]
        counts = [info.doc_frequency() for _, info in walked]
        return SegmentTerms(leaf, raws, counts, complete=limit is None or len(walked) < limit)
    table: Any = terms._tindex
    start: bytes = terms._keycoder(field, prefix.encode("utf-8"))
    position = table.closest_key_pos(start)
    if position is None:
        return SegmentTerms(leaf, [], [])
    # The table is in key order: the prefix's entries end where the first key past them starts,
    # so they are read in one piece and walked by their lengths alone.
    after = _successor(start)
    stop = table.closest_key_pos(after) if after is not None else None
    data = table.dbfile.get(position, (table.endofdata if stop is None else stop) - position)
    raws, counts, entries = _walked(data, len(start) - len(prefix.encode("utf-8")), limit)
    return SegmentTerms(leaf, raws, counts, entries, data, limit is None or len(raws) < limit)


def _walked(data: bytes, cut: int, limit: int | None) -> tuple[list[bytes], list[int], list[int]]:
    """The terms (their keys' bytes after ``cut``), counts and places of the entries in ``data``."""
    lengths, frequency, record = _RECORD.unpack_from, _DOC_FREQUENCY.unpack_from, _RECORD.size
    raws: list[bytes] = []
    counts: list[int] = []
    entries: list[int] = []
    add_raw, add_count, add_entry = raws.append, counts.append, entries.append
    at, size, left = 0, len(data), -1 if limit is None else limit
    while at < size and left:
        key_length, value_length = lengths(data, at)
        add_entry(at)
        start = at + record
        at = start + key_length
        add_raw(data[start + cut : at])
        add_count(frequency(data, at + _DOC_FREQUENCY_AT)[0])
        at += value_length
        left -= 1
    return raws, counts, entries


def commonest(segments: list[SegmentTerms], number: int) -> list[bytes]:
    """The ``number`` terms with the most documents over ``segments`` (ties: the first in
    order), in order.

    A term can only be among them if some segment counts at least a share of the
    ``number``-th highest total of a first guess (the largest segment's commonest terms):
    were it under that share in every segment, its total would be under that guess. Most of a
    prefix's terms are rare in every segment, and their counts are never added up."""
    largest = max(segments, key=lambda found: len(found.terms), default=None)
    if largest is None:
        return []
    guess = [term for _, term in heapq.nlargest(number, zip(largest.counts, largest.terms, strict=True))]
    least = 0
    if len(guess) >= number:
        bar = heapq.nlargest(number, (_total(segments, term) for term in guess))[-1]
        least = -(-bar // len(segments))  # (rounded up)
    candidates = set(guess)
    for found in segments:
        candidates.update(itertools.compress(found.terms, map(operator.ge, found.counts, itertools.repeat(least))))
    totals = {term: _total(segments, term) for term in sorted(candidates)}
    return sorted(heapq.nlargest(number, totals, key=totals.__getitem__))


def summed(segments: list[SegmentTerms]) -> dict[str, int]:
    """Every term of ``segments`` with its document count over them all."""
    totals: dict[str, int] = {}
    for found in segments:
        for raw, count in zip(found.terms, found.counts, strict=True):
            term = raw.decode("utf-8")
            totals[term] = totals.get(term, 0) + count
    return totals


def _total(segments: list[SegmentTerms], term: bytes) -> int:
    return sum(found.count(term) for found in segments)


def _successor(key: bytes) -> bytes | None:
    """The smallest key above every key starting with ``key`` (None: there is none)."""
    stripped = key.rstrip(b"\xff")
    if not stripped:
        return None
    return stripped[:-1] + bytes([stripped[-1] + 1])


class SortedCursor:
    """A sorted list of terms in the shape Whoosh's automaton walk expects of a term cursor."""

    def __init__(self, terms: list[str]) -> None:
        self.terms = terms
        self.position = 0

    def text(self) -> str | None:
        return self.terms[self.position] if self.position < len(self.terms) else None

    def find(self, target: str) -> None:
        self.position = bisect.bisect_left(self.terms, target)



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


