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

from array import array
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

from reader.core.index.codec import decode_positions
from reader.core.index.runs import Entry
from reader.core.index.segment_writer import SegmentBuilder

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
    """A segment's postings as run entries (``runs``), its documents numbered from ``first``."""
    for name in sorted(reader.indexed_field_names()):
        positional = schema[name].format.supports("positions")
        for raw in reader.lexicon(name):
            matcher = reader.postings(name, raw)
            docs: array[int] = array("I")
            if not positional:
                while matcher.is_active():
                    docs.append(first + matcher.id())
                    matcher.next()
                yield name, raw, docs, None
                continue
            positions: array[int] = array("I")
            while matcher.is_active():
                where = decode_positions(matcher.value())
                docs.extend((first + matcher.id(), len(where)))
                positions.extend(where)
                matcher.next()
            yield name, raw, docs, _narrowest(positions)


def _narrowest(positions: array[int]) -> array[int]:
    """Two bytes a position when they all fit, as the builder holds them."""
    if not positions or max(positions) < 1 << 16:
        return array("H", positions)
    return positions
