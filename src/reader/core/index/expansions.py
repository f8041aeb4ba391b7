"""What prefix, wildcard and fuzzy words stand for on one index version, kept between keystrokes.

Search-as-you-type runs ``kard*``, ``karda*``, ``kardas*`` one after the other: the terms of a
prefix, once read in full, are filtered for the longer one instead of walking the term table
again, and the terms of a first letter are kept in memory so a typo is matched without a
search of the term file per automaton step.
"""

from __future__ import annotations

import bisect
import itertools
import struct
from typing import Any

from whoosh.codec.whoosh3 import W3TermsReader

from reader.core.index.query import Word

MAX_SCANNED_TERMS = 20_000  # index terms looked at for one prefix or wildcard word, per segment
MAX_CACHED_EXPANSIONS = 512  # words remembered between queries ("more" and re-sorting run them again)
MAX_CACHED_PREFIXES = 64  # prefixes whose every term is remembered, for the next keystroke
MAX_INITIAL_TERMS = 100_000  # terms of one first letter kept in memory for typos (beyond: read from disk)


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
                for term, count in prefix_counts(leaf, field, letter, MAX_INITIAL_TERMS + 1):
                    counts[term] = counts.get(term, 0) + count
                if len(counts) > MAX_INITIAL_TERMS:
                    break
            self.initials[key] = (sorted(counts), counts) if len(counts) <= MAX_INITIAL_TERMS else None
        return self.initials[key]



_RECORD = struct.Struct("!ii")  # key and value lengths before each entry of Whoosh's term table
_DOC_FREQUENCY = struct.Struct("!I")  # in a W3TermInfo, after a flag byte and the total weight
_DOC_FREQUENCY_AT = 5


def prefix_counts(leaf: Any, field: str, prefix: str, limit: int | None = None) -> list[tuple[str, int]]:
    """Every term of ``field`` in one segment starting with ``prefix`` (the first ``limit``),
    with its document count.

    Whoosh's own walk reads each entry with three separate reads and decodes a whole TermInfo
    (unpickling the postings of a rare term kept inline) only for the count; this reads the
    prefix's whole stretch of the table in one read and takes the count from its fixed place.
    """
    terms = getattr(leaf, "_terms", None)
    if not isinstance(terms, W3TermsReader):
        walked = (
            ((raw.decode("utf-8") if isinstance(raw, bytes) else raw), info.doc_frequency())
            for raw, info in leaf.iter_prefix(field, prefix)
        )
        return list(itertools.islice(walked, limit))
    table: Any = terms._tindex
    start: bytes = terms._keycoder(field, prefix.encode("utf-8"))
    cut = len(start) - len(prefix.encode("utf-8"))  # the field number before the term
    position = table.closest_key_pos(start)
    if position is None:
        return []
    # The table is in key order: the prefix's entries end where the first key past them starts,
    # so they are read in one piece and walked by their lengths alone.
    after = _successor(start)
    stop = table.closest_key_pos(after) if after is not None else None
    data = table.dbfile.get(position, (table.endofdata if stop is None else stop) - position)
    lengths, frequency, record = _RECORD.unpack_from, _DOC_FREQUENCY.unpack_from, _RECORD.size
    found: list[tuple[str, int]] = []
    add = found.append
    at, size, left = 0, len(data), -1 if limit is None else limit
    while at < size and left:
        key_length, value_length = lengths(data, at)
        at += record
        add((data[at + cut : at + key_length].decode("utf-8"), frequency(data, at + key_length + _DOC_FREQUENCY_AT)[0]))
        at += key_length + value_length
        left -= 1
    return found


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


