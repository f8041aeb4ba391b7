"""Small segments of one build merged into one with the array writer, once the build ends.

A first build starts with a round of small chunks (the first articles searchable within
seconds) and ends with another (the cores kept busy while the large chunks are committed):
at 10,000 articles four of its six segments hold 1,100 articles between them. Every query
pays per segment (each has its own term table; prefixes are expanded and phrases checked in
each), so once the build ends they become one segment: their postings are read term by term
and written again through ``SegmentBuilder``, a second or so for a few thousand articles
where Whoosh's own merge would pool every posting. Documents keep their order, lengths and
statistics, so every score stays the same to the last bit.
"""

from __future__ import annotations

import io
import operator
import pickle
import struct
import zlib
from array import array
from collections.abc import Iterable, Iterator, Sequence
from itertools import accumulate
from pathlib import Path
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC
from whoosh.system import pack_ushort

from reader.core.index.codec import PackedPositions, decode_positions
from reader.core.index.runs import Entry
from reader.core.index.segment_writer import SegmentBuilder

_INT = struct.Struct("!i")  # a block's size, as Whoosh writes it
_EXTENT = struct.Struct("!qi")  # where a term's postings start and their length, after its statistics
SMALL_SEGMENT = 2_500  # documents: a first or last round's segment (``build.chunked``) is smaller


def mergeable(segments: Sequence[Any], candidates: set[str]) -> list[Any]:
    """The segments of ``candidates`` worth merging: small, without deletions, two or more."""
    small = [
        segment
        for segment in segments
        if segment.segid in candidates and segment.doc_count_all() <= SMALL_SEGMENT and not segment.has_deletions()
    ]
    return small if len(small) > 1 else []


def merge_segments(storage: Any, schema: Any, segments: Sequence[Any], staging: Path) -> Any:
    """One new segment in ``staging`` holding the documents of ``segments``, in their order."""
    from whoosh.reading import SegmentReader

    readers = [SegmentReader(storage, schema, segment) for segment in segments]
    try:
        builder = SegmentBuilder(staging)
        for reader in readers:
            builder.add_segment(reader, segment_entries(reader, schema, builder.count))
        return builder.finish()
    finally:
        for reader in readers:
            reader.close()


def segment_entries(reader: Any, schema: Any, first: int) -> Iterator[Entry]:
    """A segment's postings as run entries (``runs``), its documents numbered from ``first``:
    its terms table read in order and each term's postings in one read, its blocks unpickled
    whole (a matcher per term and a call per posting cost five times more)."""
    from whoosh.codec.whoosh3 import W3TermInfo

    terms = reader._terms
    fields = terms._fieldmap
    for name in sorted(fields):
        key = pack_ushort(fields[name])
        positional = schema[name].format.supports("positions")
        for raw_key, value in terms._tindex.items_from(key):
            if not raw_key.startswith(key):
                break
            if value[0]:
                raise ValueError("postings inlined in the terms table: a segment Whoosh wrote, not SegmentBuilder")
            blocks = _blocks(terms._postfile.get(*_EXTENT.unpack_from(value, W3TermInfo._struct.size)))
            yield _entry(name, raw_key[len(key) :], blocks, first, positional=positional)


def _blocks(data: bytes) -> Iterator[tuple[Sequence[int], Any]]:
    """Each block's documents and values, from a term's postings as Whoosh lays them out: a
    tag, then per block its size (negative for the last), a pickled header and the data."""
    stream = io.BytesIO(data)
    at = len(WHOOSH3_HEADER_MAGIC)
    while True:
        size = _INT.unpack_from(data, at)[0]
        stream.seek(at + _INT.size)
        compression = pickle.load(stream)[3]  # noqa: S301 - the private index's own postings
        end = at + _INT.size + abs(size)
        block = data[stream.tell() : end]
        deltas, _, values = pickle.loads(zlib.decompress(block) if compression else block)  # noqa: S301
        yield list(accumulate(deltas)), values
        if size < 0:
            return
        at = end


def _entry(
    name: str, raw: bytes, blocks: Iterable[tuple[Sequence[int], Any]], first: int, *, positional: bool
) -> Entry:
    docs: array[int] = array("I")
    if not positional:
        for ids, _ in blocks:
            docs.extend([first + docnum for docnum in ids])
        return name, raw, docs, None
    positions: array[int] = array("I")
    for ids, values in blocks:
        if isinstance(values, PackedPositions):
            starts = values.starts
            counts: Iterable[int] = map(operator.sub, starts[1:], starts[:-1])
            packed = values.positions
            positions.extend(packed if packed.typecode == positions.typecode else array("I", packed))
        else:  # Whoosh's own tuple: each posting's positions as ``CompactPositions`` bytes
            where = [decode_positions(value) for value in values]
            counts = map(len, where)
            for one in where:
                positions.extend(one)
        for docnum, count in zip(ids, counts, strict=True):
            docs.extend((first + docnum, count))
    return name, raw, docs, _narrowest(positions)


def _narrowest(positions: array[int]) -> array[int]:
    """Two bytes a position when they all fit, as the builder holds them."""
    if not positions or max(positions) < 1 << 16:
        return array("H", positions)
    return positions
