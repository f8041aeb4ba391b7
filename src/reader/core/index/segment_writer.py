"""A new Whoosh segment written straight from the documents, without Whoosh's posting pool.

Whoosh's ``SegmentWriter`` turns every posting into a tuple in a pool, spills the pool to disk
in sorted runs (one ``pickle.dump`` per posting), merges the runs back (one ``pickle.load``
each), looks each posting's field length up again, and buffers it into a block: on a 10,000
article build that was 56% of the CPU. Here each term's postings gather in two arrays
(document and count pairs, positions) as documents come, already in document order; every
``FLUSH_EVERY`` documents they go to a sorted run on disk (``runs``), and at the end the runs
are merged and the terms written in order, a whole block at a
time (``codec``), through Whoosh's own field writer (terms table, postings file) and
per-document writer (lengths, stored id, the date column). What comes out is a Whoosh
segment that Whoosh reads, merges and searches like its own.
"""

from __future__ import annotations

import operator
import pickle
import struct
from array import array
from collections.abc import Iterator, Mapping
from hashlib import md5
from itertools import accumulate, groupby
from operator import itemgetter
from pathlib import Path
from typing import Any, TypeAlias

from whoosh.codec import default_codec
from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC, W3FieldWriter
from whoosh.filedb.filestore import FileStorage
from whoosh.filedb.filetables import md5_hash
from whoosh.system import pack_ushort
from whoosh.util.numeric import length_to_byte

from reader.core.index.codec import PackedPositions
from reader.core.index.documents import IndexDocument, analysed_fields, index_date
from reader.core.index.runs import Entry, merged, read_run, write_run
from reader.core.index.schema import build_schema

BLOCK_SIZE = 128  # postings per block, as Whoosh writes them
SMALL_BLOCK = 16  # blocks of at most this many postings are pickled as Whoosh's own tuples
_INDEX_NAME = "MAIN"  # Whoosh's default, the name the index's files start with
_PICKLE = 5
_INT = struct.Struct("!i")
_TERM_INFO = struct.Struct("!BfIBBfIIqi")  # W3TermInfo.to_bytes of postings not inlined
_ROW_LENGTHS = struct.Struct("!ii")  # a terms table row's key and value lengths (filetables._lengths)
_NO_LENGTH = 1 << 31
_WRITE_EVERY = 512  # terms gathered before their bytes are written
FLUSH_EVERY = 750  # documents whose postings are held in memory before they go to a run (``runs``)


class _LengthBytes(dict[int, int]):
    """``length_to_byte`` remembered: Whoosh bisects a table of 256 lengths on every call."""

    def __missing__(self, length: int) -> int:
        byte: int = length_to_byte(length)
        self[length] = byte
        return byte


_length_byte = _LengthBytes()
_Postings: TypeAlias = "tuple[array[int], array[int]]"  # (document, count) pairs in one array, positions


class SegmentBuilder:
    """Documents added one by one, written as one Whoosh segment by ``finish``."""

    def __init__(self, staging: Path, flush_every: int = FLUSH_EVERY) -> None:
        self.staging = staging
        self.count = 0
        self._flush_every = flush_every
        self._held = 0  # documents whose postings are in memory, not yet in a run
        self._runs: list[Path] = []
        self._sources: list[Iterator[Entry]] = []  # runs and merged segments, in document order
        self._length_corrections: dict[str, int] = {}  # merged segments' exact totals less their byte lengths
        self._schema = build_schema()
        self._storage = FileStorage(str(staging))
        self._codec = default_codec()
        self._segment = self._codec.new_segment(self._storage, _INDEX_NAME)
        self._perdoc = self._codec.per_document_writer(self._storage, self._segment)
        self._positional: dict[str, dict[str, _Postings]] = {}
        self._plain: dict[str, dict[bytes, array[int]]] = {}  # fields without positions: id, date
        self._lengths: dict[str, array[int]] = {}

    def add(self, document: IndexDocument) -> None:
        docnum = self.count
        perdoc = self._perdoc
        perdoc.start_doc(docnum)
        for name, terms in analysed_fields(document).items():
            if terms:
                perdoc.add_field(name, self._schema[name], None, self._add_positions(name, docnum, terms))
        self._add_plain("id", document.id, docnum, stored=True)
        date = index_date(document.date)
        if date is not None:
            self._add_plain("date", date, docnum, stored=False)
        perdoc.finish_doc()
        self.count += 1
        self._held += 1
        if self._held >= self._flush_every:
            self._flush()

    def _flush(self) -> None:
        """The postings gathered so far to a run on disk (``runs``): memory stays flat."""
        path = self.staging / f"run-{len(self._runs)}.postings"
        self._runs.append(path)
        write_run(path, self._held_entries())
        self._sources.append(read_run(path))
        self._held = 0

    def add_segment(self, reader: Any, entries: Iterator[Entry]) -> None:
        """Every document of a finished segment without deletions (``merging``): its id,
        lengths and date now, its postings (``entries``, numbered from ``count``) at ``finish``."""
        if self._held:
            self._flush()  # the documents before come first
        schema = self._schema
        dates = reader.column_reader("date", translate=False) if reader.has_column("date") else None
        absent = schema["date"].column_type._default
        fields = [name for name in schema.names() if schema[name].format.supports("positions")]
        totals = dict.fromkeys(fields, 0)  # of the lengths as stored: a byte each
        for docnum in range(reader.doc_count_all()):
            self._perdoc.start_doc(self.count)
            for name in fields:
                length = reader.doc_field_length(docnum, name, 0)
                if length:
                    self._perdoc.add_field(name, schema[name], None, length)
                    self._set_length(name, self.count, length)
                    totals[name] += length
            self._perdoc.add_field("id", schema["id"], reader.stored_fields(docnum)["id"], 0)
            if dates is not None and dates[docnum] != absent:
                self._perdoc.add_column_value("date", schema["date"].column_type, dates[docnum])
            self._perdoc.finish_doc()
            self.count += 1
        for name, total in totals.items():  # each field's total is kept exactly: scores stay the same
            self._length_corrections[name] = self._length_corrections.get(name, 0) + reader.field_length(name) - total
        self._sources.append(entries)

    def _held_entries(self) -> Iterator[Entry]:
        """The postings in memory in (field, term) order, each dropped as it is given."""
        for name in sorted(self._positional.keys() | self._plain.keys()):
            if name in self._positional:
                gathered = self._positional.pop(name)
                for term in sorted(gathered):  # code point order is UTF-8's byte order
                    pairs, positions = gathered.pop(term)
                    yield name, term.encode("utf-8"), pairs, positions
            else:
                plain = self._plain.pop(name)
                for raw in sorted(plain):
                    yield name, raw, plain.pop(raw), None

    def _add_positions(self, name: str, docnum: int, terms: Mapping[str, list[int]]) -> int:
        postings = self._positional.setdefault(name, {})
        length = 0
        for term, where in terms.items():
            found = postings.get(term)
            if found is None:
                found = postings[term] = (array("I"), array("H"))
            count = len(where)
            found[0].extend((docnum, count))
            try:
                found[1].fromlist(where)  # all or nothing
            except OverflowError:  # a position past 65,535: this term's positions take 4 bytes
                wider = array("I", found[1])
                wider.fromlist(where)
                postings[term] = (found[0], wider)
            length += count
        self._set_length(name, docnum, length)
        return length

    def _set_length(self, name: str, docnum: int, length: int) -> None:
        lengths = self._lengths.setdefault(name, array("I"))
        lengths.extend([0] * (docnum + 1 - len(lengths)))
        lengths[docnum] = length

    def _add_plain(self, name: str, value: Any, docnum: int, *, stored: bool) -> None:
        """A field Whoosh analyses itself (the id, the date's range terms), without positions."""
        field = self._schema[name]
        postings = self._plain.setdefault(name, {})
        for term, _, _, _ in field.index(value):
            postings.setdefault(term, array("I")).append(docnum)
        self._perdoc.add_field(name, field, value if stored else None, 0)
        if field.column_type is not None:
            self._perdoc.add_column_value(name, field.column_type, field.to_column_value(value))

    def finish(self) -> Any | None:
        """The finished segment (picklable, for the parent to commit), or None when empty."""
        self._perdoc.close()
        if not self.count:
            return None
        for name, correction in self._length_corrections.items():
            if correction:
                self._segment._fieldlengths[name] += correction
        writer = W3FieldWriter(self._codec, self._storage, self._segment)
        entries = merged([*self._sources, self._held_entries()])
        for name, field_entries in groupby(entries, itemgetter(0)):
            writer.start_field(name, self._schema[name])
            field_terms = _FieldTerms(writer)
            lengths = self._lengths.get(name)
            if lengths is not None:
                lengths.extend([0] * (self.count - len(lengths)))
            for _, raw, docs, positions in field_entries:
                if positions is None:
                    _write_term(field_terms, raw, docs, None, None, None)
                else:
                    _write_term(field_terms, raw, docs[0::2], docs[1::2], positions, lengths)
            field_terms.flush()
            writer.finish_field()
        writer.close()
        self._segment.set_doc_count(self.count)
        return self._segment

    def cancel(self) -> None:
        """Drop what was gathered and close the files (the caller removes the staging folder)."""
        self._positional.clear()
        self._plain.clear()
        if not self._perdoc.is_closed:
            self._perdoc.close()
        for run in self._runs:
            run.unlink(missing_ok=True)


class _Bucket:
    """One of the terms table's 256 hash buckets, as Whoosh reads it back when it writes the
    table (its length, then ``(hash, position)`` pairs), in two arrays: Whoosh's list of tuples
    took some 120 bytes a term, 20 MB for the vocabulary of a 25,000-article chunk."""

    __slots__ = ("hashes", "positions")

    def __init__(self) -> None:
        self.hashes: array[int] = array("I")  # md5_hash: 32 bits
        self.positions: array[int] = array("q")

    def add(self, hashed: int, position: int) -> None:
        self.hashes.append(hashed)
        self.positions.append(position)

    def __len__(self) -> int:
        return len(self.hashes)

    def __iter__(self) -> Iterator[tuple[int, int]]:
        return zip(self.hashes, self.positions, strict=True)


class _FieldTerms:
    """One field's terms written in order: the postings of each (``W3PostingsWriter``'s
    bytes) and its row in the terms table (what ``OrderedHashWriter.add`` writes), gathered and
    written a few hundred terms at a time rather than with a ``tell`` and three writes a term."""

    def __init__(self, writer: Any) -> None:
        self._postfile = writer._postfile
        self._table = writer._tindex
        if self._table.hashfn is not md5_hash:
            raise ValueError("the terms table hashes keys with md5 (Whoosh's default)")
        self._field_key = pack_ushort(writer._fieldid)
        if not isinstance(self._table.buckets[0], _Bucket):  # the first field: none written yet
            self._table.buckets = [_Bucket() for _ in self._table.buckets]
        self._offset: int = self._postfile.tell()
        self._row_offset: int = self._table.dbfile.tell()
        self._postings: list[bytes] = []
        self._rows: list[bytes] = []

    def add(self, raw: bytes, written: bytes, info: bytes) -> None:
        """A term (``raw``, in order) with its postings' bytes and the term info of them."""
        self._postings.append(written)
        key = self._field_key + raw
        table = self._table
        table.index.append(self._row_offset)
        hashed = int.from_bytes(md5(key, usedforsecurity=False).digest()[-4:], "big")  # md5_hash
        table.buckets[hashed & 255].add(hashed, self._row_offset)
        self._rows += (_ROW_LENGTHS.pack(len(key), len(info)), key, info)
        self._row_offset += _ROW_LENGTHS.size + len(key) + len(info)
        table.lastkey = key
        if len(self._postings) >= _WRITE_EVERY:
            self.flush()

    def next_offset(self) -> int:
        """Where the next term's postings start in the postings file."""
        return self._offset

    def written(self, size: int) -> None:
        self._offset += size

    def flush(self) -> None:
        self._postfile.write(b"".join(self._postings))
        self._table.dbfile.write(b"".join(self._rows))
        self._postings.clear()
        self._rows.clear()


def _write_term(
    terms: _FieldTerms,
    raw: bytes,
    docs: array[int],
    counts: array[int] | None,
    positions: array[int] | None,
    lengths: array[int] | None,
) -> None:
    """One term's postings, a block at a time, and its row in the terms table (what Whoosh's
    ``W3PostingsWriter`` and ``W3TermInfo`` write, worked out from the arrays)."""
    offset = terms.next_offset()
    total = len(docs)
    if total <= SMALL_BLOCK:
        block = _small_block(docs, counts, positions, lengths)
        blocks = [block]
    else:
        blocks = list(_large_blocks(docs, counts, positions, lengths))
    parts = [WHOOSH3_HEADER_MAGIC]
    weight = top = 0.0
    shortest, longest = _NO_LENGTH, 0
    last = len(blocks) - 1
    for number, (data, header, block_weight, block_top, low, high) in enumerate(blocks):
        size = len(header) + len(data)
        parts += (_INT.pack(-size if number == last else size), header, data)
        weight += block_weight
        top, shortest, longest = max(top, block_top), min(shortest, low), max(longest, high)
    written = b"".join(parts)
    terms.written(len(written))
    low, high = _length_byte[shortest], _length_byte[longest]
    info = _TERM_INFO.pack(0, weight, total, low, high, top, docs[0], docs[-1], offset, len(written))
    terms.add(raw, written, info)


_BlockBytes: TypeAlias = "tuple[bytes, bytes, float, float, int, int]"
"""A block's data and header as written, its total and top weight, its shortest and longest length."""


def _finished_block(data: bytes, count: int, last: int, top: float, weight: float, low: int, high: int) -> _BlockBytes:
    """Blocks are stored as they are: inflating them was about half of every block a search read
    (10k, 200 queries: p95 cpu 32.4 -> 28.2 ms, phrases 33.8 -> 26.1) for a postings file ~40%
    smaller. The reader still inflates the compressed blocks of indexes written before."""
    header = pickle.dumps((count, last, top, 0, _length_byte[low], _length_byte[high]), 2)
    return data, header, weight, top, low, high


def _small_block(
    ids: array[int], counts: array[int] | None, positions: array[int] | None, lengths: array[int] | None
) -> _BlockBytes:
    """A term's only block, of at most ``SMALL_BLOCK`` postings: Whoosh's own tuples (see ``_Block``)."""
    first = ids[0]
    deltas = (first, *map(operator.sub, ids[1:], ids[:-1])) if len(ids) > 1 else (first,)
    if counts is None or positions is None or lengths is None:  # no positions: every weight 1.0
        data = pickle.dumps((deltas, None, None), _PICKLE)
        return _finished_block(data, len(ids), ids[-1], 1.0, float(len(ids)), 0, 0)
    if len(ids) == 1:
        top = float(counts[0])
        values: tuple[bytes, ...] = (array("I", positions).tobytes(),)
        low = high = lengths[first]
        weights: Any = None if top == 1.0 else top
        return _finished_block(pickle.dumps((deltas, weights, values), _PICKLE), 1, first, top, top, low, high)
    top = float(max(counts))
    ends = list(accumulate(counts))
    values = tuple(array("I", positions[end - count : end]).tobytes() for count, end in zip(counts, ends, strict=True))
    weights = None if top == 1.0 else top if min(counts) == top else tuple(map(float, counts))
    block_lengths = list(map(lengths.__getitem__, ids))
    data = pickle.dumps((deltas, weights, values), _PICKLE)
    return _finished_block(data, len(ids), ids[-1], top, float(ends[-1]), min(block_lengths), max(block_lengths))


def _large_blocks(
    docs: array[int], counts: array[int] | None, positions: array[int] | None, lengths: array[int] | None
) -> Iterator[_BlockBytes]:
    """A term's blocks of ``BLOCK_SIZE`` postings (the last one shorter)."""
    total = len(docs)
    taken = 0  # positions written so far
    for start in range(0, total, BLOCK_SIZE):
        end = min(start + BLOCK_SIZE, total)
        ids = docs[start:end] if total > BLOCK_SIZE else docs
        block_counts = None if counts is None else counts[start:end] if total > BLOCK_SIZE else counts
        block = _Block(ids, block_counts, positions, taken)
        taken += block.positions
        block_lengths = list(map(lengths.__getitem__, ids)) if lengths is not None else [0]
        low, high = min(block_lengths), max(block_lengths)
        yield _finished_block(block.data(), len(ids), ids[-1], block.top, block.weight, low, high)


class _Block:
    """One block's postings as Whoosh's reader takes them: ``(id deltas, weights, values)``.

    A small block is pickled as Whoosh pickles one (tuples, a ``CompactPositions`` value per
    posting): an array costs some 60 bytes of pickle before its first item, and most terms
    of news text are rare. A larger one is arrays and ``PackedPositions``.
    """

    __slots__ = ("counts", "ids", "packed", "positions", "top", "weight")

    def __init__(self, ids: array[int], counts: array[int] | None, positions: array[int] | None, taken: int) -> None:
        self.ids = ids
        self.counts = counts
        if counts is None or positions is None:  # no positions: every weight 1.0
            self.top, self.weight, self.positions, self.packed = 1.0, float(len(ids)), 0, None
            return
        self.top, self.weight = float(max(counts)), float(sum(counts))
        starts = array("I", accumulate(counts, initial=0))
        self.positions = starts[-1]
        self.packed = PackedPositions(starts, positions[taken : taken + starts[-1]])

    def data(self) -> bytes:
        ids, counts, packed = self.ids, self.counts, self.packed
        small = len(ids) <= SMALL_BLOCK
        deltas: Any = array("I", [ids[0]])
        deltas.extend(map(operator.sub, ids[1:], ids[:-1]))
        weights: Any = None  # every weight 1.0
        if counts is not None and self.top != 1.0:
            if min(counts) == self.top:
                weights = self.top
            else:
                weights = tuple(map(float, counts)) if small else array("f", counts)
        values: Any = packed
        if small:
            deltas = tuple(deltas)
            values = None if packed is None else tuple(packed[number] for number in range(len(ids)))
        return pickle.dumps((deltas, weights, values), _PICKLE)
