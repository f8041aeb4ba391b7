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
from operator import itemgetter
from pathlib import Path
from typing import BinaryIO, TypeAlias

Entry: TypeAlias = "tuple[str, bytes, array[int], array[int] | None]"
"""A field, a term, its postings' documents (with each one's count, for fields with
positions: ``doc, count, doc, count...``) and its positions (None for fields without)."""

_BATCH = 2_048  # entries pickled together: one pickle call per batch, not per term
_PICKLE = 5
_key = itemgetter(0, 1)


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
    if batch:
        pickle.dump(batch, file, _PICKLE)
        batch.clear()


def read_run(path: Path) -> Iterator[Entry]:
    """A run file's entries, a batch in memory at a time; the file is removed once read."""
    try:
        with path.open("rb") as file:
            while True:
                try:
                    batch: list[Entry] = pickle.load(file)  # noqa: S301 - our own run file
                except EOFError:
                    return
                batch.reverse()
                while batch:
                    yield batch.pop()  # each entry freed once merged
    finally:
        path.unlink(missing_ok=True)


def merged(runs: Iterable[Iterator[Entry]]) -> Iterator[Entry]:
    """The runs' entries in (field, term) order, those of one term joined into one (earlier
    runs first: their documents come first)."""
    parts: list[Entry] = []
    for entry in heapq.merge(*runs, key=_key):  # stable: equal keys in the runs' order
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
