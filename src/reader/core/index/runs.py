"""A segment's postings kept on disk in sorted runs while its documents come, merged at the end.

A build worker writes a chunk of thousands of articles as one segment. Held in memory until
the segment is written, the chunk's postings grew with it (some 14 KB an article: a tuple and
arrays per distinct term of a Zipf vocabulary), so a 10,000-article chunk took ~190 MB a worker.
Instead the builder writes what it has gathered every few thousand documents to a run file,
sorted by field and term, and at the end merges the runs term by term into the one segment:
memory no longer grows with the chunk. Documents are numbered across the whole segment, so
a term's postings from later runs simply follow those of earlier ones.
"""

from __future__ import annotations

import heapq
import pickle
from array import array
from collections.abc import Iterable, Iterator
from itertools import accumulate
from pathlib import Path
from typing import BinaryIO, TypeAlias

Entry: TypeAlias = "tuple[str, bytes, array[int], array[int] | None]"
"""A field, a term, its postings' documents (with each one's count, for fields with
positions: ``doc, count, doc, count...``) and its positions (None for fields without)."""

_BATCH = 2_048  # entries pickled together: one pickle call per batch, not per term
_PICKLE = 5
_NONE = "-"  # the kind of an entry without positions


def write_run(path: Path, entries: Iterable[Entry]) -> None:
    """Entries, in (field, term) order, to a new run file."""
    with path.open("wb") as file:
        batch: list[Entry] = []
        for entry in entries:
            batch.append(entry)
            if len(batch) >= _BATCH:
                _dump(file, batch)
        _dump(file, batch)


def _dump(file: BinaryIO, batch: list[Entry]) -> None:
    """A batch as one pickle: its fields, terms and kinds of positions, and all its arrays'
    bytes in two strings (pickling each array costs a call on both sides)."""
    if not batch:
        return
    kinds = "".join(_NONE if positions is None else positions.typecode for _, _, _, positions in batch)
    docs = b"".join(docs.tobytes() for _, _, docs, _ in batch)
    doc_ends = array("Q", accumulate(len(docs) * docs.itemsize for _, _, docs, _ in batch))
    positions = b"".join(positions.tobytes() for _, _, _, positions in batch if positions is not None)
    position_ends = array("Q", accumulate(0 if p is None else len(p) * p.itemsize for _, _, _, p in batch))
    fields, terms = [entry[0] for entry in batch], [entry[1] for entry in batch]
    pickle.dump((fields, terms, kinds, docs, doc_ends, positions, position_ends), file, _PICKLE)
    batch.clear()


def read_run(path: Path) -> Iterator[Entry]:
    """A run file's entries, a batch in memory at a time; the file is removed once read."""
    try:
        with path.open("rb") as file:
            while True:
                try:
                    batch = pickle.load(file)  # noqa: S301 - our own run file
                except EOFError:
                    return
                yield from _entries(*batch)
    finally:
        path.unlink(missing_ok=True)


def _entries(
    fields: list[str],
    terms: list[bytes],
    kinds: str,
    docs: bytes,
    doc_ends: array[int],
    positions: bytes,
    position_ends: array[int],
) -> Iterator[Entry]:
    doc_bytes, position_bytes = memoryview(docs), memoryview(positions)
    doc_start = position_start = 0
    for field, term, kind, doc_end, position_end in zip(fields, terms, kinds, doc_ends, position_ends, strict=True):
        term_docs = array("I")
        term_docs.frombytes(doc_bytes[doc_start:doc_end])
        term_positions = None
        if kind != _NONE:
            term_positions = array(kind)
            term_positions.frombytes(position_bytes[position_start:position_end])
        yield field, term, term_docs, term_positions
        doc_start, position_start = doc_end, position_end


def merged(runs: Iterable[Iterator[Entry]]) -> Iterator[Entry]:
    """The runs' entries in (field, term) order, those of one term joined into one (earlier
    runs first: their documents come first)."""
    parts: list[Entry] = []
    # Entries of one term compare by their documents next, and an earlier run's come first.
    for entry in heapq.merge(*runs):
        if parts and (parts[0][0] != entry[0] or parts[0][1] != entry[1]):
            yield _joined(parts)
            parts = []
        parts.append(entry)
    if parts:
        yield _joined(parts)


def _joined(parts: list[Entry]) -> Entry:
    if len(parts) == 1:
        return parts[0]
    field, term, docs, positions = parts[0]
    docs = array(docs.typecode, docs)
    for _, _, more, _ in parts[1:]:
        docs.extend(more)
    if positions is None:
        return field, term, docs, None
    wide = any(part[3] is not None and part[3].typecode == "I" for part in parts)
    joined = array("I" if wide else "H")
    for part in parts:
        more_positions = part[3]
        if more_positions is not None:
            joined.extend(more_positions if more_positions.typecode == joined.typecode else array("I", more_positions))
    return field, term, docs, joined
