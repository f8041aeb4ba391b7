"""One term's postings in one segment, decoded a block at a time and only where asked.

Whoosh keeps a term's postings in blocks of up to 128, each one pickle of the block's ids,
weights and positions. Blocks are decoded only when one of their documents is wanted, so a
long list that only has to be checked for a few candidates is mostly skipped. The blocks this
index writes are arrays (``codec``); blocks Whoosh wrote itself (when a commit merged small
segments) are protocol-2 pickles with a pickle per position list. Of either, only the ids and
weights are inflated and unpickled when that is all a search needs (positions are most of a
common word's block). Where each block lies (``Directory``) is kept between searches.
"""

from __future__ import annotations

import bisect
import itertools
import zlib
from array import array
from collections.abc import Sequence
from pickle import loads
from typing import Any

from reader.core.index.block_directory import Directories, Directory, read_directory
from reader.core.index.codec import PackedPositions, decode_positions
from reader.core.index.in_place import ARRAYS_START, FRAME_END, IDS_AT, ids_only, weights_at, whole_list

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
    return _scored_pair(raw[:stop] + _PAIR_END, count)


# This index's own blocks (``codec``, ``in_place``): protocol 5, a frame, then the id deltas and
# the weights (arrays, a float or None), then the positions, which start with their class's module name.
_POSITIONS_MARK = b"\x8c" + bytes([len(PackedPositions.__module__)]) + PackedPositions.__module__.encode()  # its name


def _arrays_and_weights(head: bytes, count: int) -> _Scored | None:
    """The documents and weights of one of this index's blocks from the start of its pickle,
    without inflating or unpickling its positions; None when it is not laid out so.

    The pickle is cut where the positions start and closed after the two parts before them
    (the frame's opcode dropped: it would announce the whole block)."""
    if not head.startswith(ARRAYS_START):
        return None
    cut = head.find(_POSITIONS_MARK, FRAME_END)
    if cut < 0:
        return None
    return _scored_pair(head[:2] + head[FRAME_END:cut] + _PAIR_END, count)


def _arrays_size(count: int) -> int:
    """The most bytes of one of this index's blocks before its positions start, with the
    mark that starts them: two arrays of 4-byte items and their pickle's few opcodes."""
    return 8 * count + _ARRAYS_OVERHEAD


_ARRAYS_OVERHEAD = 160  # the frame, the arrays' pickling, the positions' mark (125 measured)


def _inflated_head(inflater: Any, data: bytes, count: int) -> bytes:
    """Enough of a compressed block's start for its ids and weights: as much as this index's
    own layout takes (inflating more is most of a read's cost), more for Whoosh's."""
    head: bytes = inflater.decompress(data, _arrays_size(count))
    if head.startswith(ARRAYS_START) and _POSITIONS_MARK in head:
        return head
    wanted = _scored_size(count) - len(head)
    if wanted > 0 and inflater.unconsumed_tail:
        head += inflater.decompress(inflater.unconsumed_tail, wanted)
    return head


def _scored_pair(pickled: bytes, count: int) -> _Scored | None:
    """Ids and weights from a pickle cut to (id deltas, weights); None when it is not that
    pair of ``count`` postings (the caller then unpickles the block whole)."""
    try:
        deltas, weights = loads(pickled)  # noqa: S301 - the private index's own postings
    except Exception:  # noqa: BLE001 - not the layout expected: unpickled whole instead
        return None
    if len(deltas) != count:
        return None
    if weights is None or isinstance(weights, float):
        weights = [1.0 if weights is None else weights] * count
    elif len(weights) != count:
        return None
    return list(itertools.accumulate(deltas)), weights


class Postings:
    """One term's postings in one segment, decoded a block at a time and only where asked:
    documents and weights for scoring, positions only for the blocks a phrase checks."""

    def __init__(self, reader: Any, field: str, term: bytes, info: Any, directories: Directories | None = None) -> None:
        self.df: int = info.doc_frequency()  # deleted documents included
        self.max_weight: float = info.max_weight()
        self.min_length: float = info.min_length()
        self._reader, self._field, self._term, self._info = reader, field, term, info
        self._scored: dict[int, _Scored] = {}
        self._values: dict[int, Sequence[Any]] = {}
        self._inlined: _Scored | None = None
        self._leaf: Any = None
        self._directories = directories if directories is not None else Directories()
        self._key = (id(reader), field, term)
        self._directory = None if info.is_inlined() else self._directories.get(self._key)
        self._extent: tuple[int, bytes] | None = None  # the whole list, when read in one piece
        self._weights: array[float] | None = None  # every posting's weight, when all_ids read them in place

    @property
    def key(self) -> tuple[int, str, bytes]:
        """The list's key among the searches of one index version: segment, field, term."""
        return self._key

    def _matcher(self) -> Any:
        if self._leaf is None:
            self._leaf = _leaf_matcher(self._reader, self._field, self._term, self._info)
        return self._leaf

    def _postfile(self) -> Any:
        terms = getattr(self._reader, "_terms", None)
        return terms._postfile if terms is not None else self._matcher()._postfile

    def _read_inlined(self) -> _Scored:
        """A rare term's postings, inlined in the term dictionary: one block, read at once."""
        if self._inlined is None:
            leaf = self._matcher()
            ids, weights, values = [], [], []
            while leaf.is_active():
                ids.append(leaf.id())
                weights.append(leaf.weight())
                values.append(leaf.value())
                leaf.next()
            self._inlined = self._scored[0] = (ids, weights)
            self._values[0] = values
        return self._inlined

    def _last_ids(self) -> Sequence[int]:
        if self._info.is_inlined():
            ids = self._read_inlined()[0]
            return [ids[-1] if ids else -1]
        return self._scan().last_ids

    def _scored_block(self, number: int) -> _Scored:
        found = self._scored.get(number)
        if found is None:
            if self._info.is_inlined():
                return self._read_inlined()
            found = self._scored[number] = self._read_scored(self._scan(), number)
        return found

    def _read_scored(self, directory: Directory, number: int) -> _Scored:
        """Block ``number``'s documents and weights, its positions left unread where the
        layout allows (they are most of a common word's block; a phrase reads them later, for
        the few blocks it checks). Otherwise the block is read whole and its positions kept."""
        count = directory.counts[number]
        data = self._block_data(directory, number)
        inflater = zlib.decompressobj() if directory.packed[number] else None
        head = data if inflater is None else _inflated_head(inflater, data, count)
        if head.startswith(_PICKLE_START):
            found = _ids_and_weights(head, count)
        else:
            found = _arrays_and_weights(head, count) if inflater is not None else None
        if found is not None:
            return found
        whole = data if inflater is None else head + inflater.decompress(inflater.unconsumed_tail) + inflater.flush()
        return self._unpickled(whole, number, count)

    def _block_data(self, directory: Directory, number: int) -> bytes:
        start, end = directory.where[number], directory.ends[number]
        if self._extent is not None:
            offset, whole = self._extent
            return whole[start - offset : end - offset]
        data: bytes = self._postfile().get(start, end - start)
        return data

    def _unpickled(self, whole: bytes, number: int, count: int) -> _Scored:
        """A whole block: its documents and weights, its positions kept in ``_values``."""
        deltas, weights, values = loads(whole)  # noqa: S301 - the private index's own postings
        if weights is None or isinstance(weights, float):
            weights = [1.0 if weights is None else weights] * count
        self._values[number] = values
        return list(itertools.accumulate(deltas)), weights

    def _values_of(self, number: int) -> Any:
        found = self._values.get(number)
        if found is None:
            directory = self._scan()
            data = self._block_data(directory, number)
            whole = zlib.decompress(data) if directory.packed[number] else data
            self._unpickled(whole, number, directory.counts[number])
            found = self._values[number]
        return found

    def _scan(self) -> Directory:
        """Every block's header (where it lies, its last document), not its postings."""
        if self._directory is None:
            found = read_directory(self._postfile(), self._info)
            if found is not None:
                self._directory, data = found
                self._extent = (int(self._info.extent()[0]), data)
                self._directories.keep(self._key, self._directory)
                return self._directory
            directory = Directory()
            leaf = self._matcher()
            position = leaf._baseoffset
            while True:
                leaf._goto(position)
                directory.add(leaf)
                if leaf._lastblock:
                    break
                position = leaf._nextoffset
            self._directory = directory
            self._directories.keep(self._key, directory)
        return self._directory

    def everything(self) -> tuple[list[int], list[float]]:
        """Every posting's document and weight."""
        if self._info.is_inlined():
            ids, weights = self._read_inlined()
            return list(ids), list(weights)
        if len(self._scan()) > 1:  # (a list of one block is that block's)
            ids = self.all_ids()
            if self._weights is not None:  # (read in place with the documents)
                return ids, self._weights.tolist()
        ids = []
        weights = []
        for number in range(len(self._scan())):
            block_ids, block_weights = self._scored_block(number)
            ids.extend(block_ids)
            weights.extend(block_weights)
        return ids, weights

    def all_ids(self) -> list[int]:
        """Every posting's document (what ``everything`` gives first). When the list was read in
        one piece, its blocks are read in place in one pass (``whole_list``) and their weights
        kept for ``weights_of`` and ``everything`` (the candidates of a prefix are spread over
        most of a list's blocks); otherwise block by block, only the ids."""
        if self._info.is_inlined():
            return list(self._read_inlined()[0])
        directory = self._scan()
        if self._extent is not None:
            found = whole_list(self._extent[1], self._extent[0], directory, self._scored_block)
            if found is not None:
                self._weights = found[1]
                return found[0]
        ids: list[int] = []
        for number in range(len(directory)):
            ids.extend(self._ids_of(directory, number))
        return ids

    def _ids_of(self, directory: Directory, number: int) -> list[int]:
        """Block ``number``'s documents: in place where its layout allows, else decoded."""
        found = None
        if number not in self._scored:
            count = directory.counts[number]
            if directory.packed[number]:
                data = self._block_data(directory, number)
                found = ids_only(zlib.decompressobj().decompress(data, IDS_AT + 5 + 4 * count), count)
            else:
                data, start, end = self._block_span(directory, number)
                found = ids_only(data, count, start, end)
        return found if found is not None else self._scored_block(number)[0]

    def _block_span(self, directory: Directory, number: int) -> tuple[bytes, int, int]:
        """Bytes holding block ``number`` and where it lies in them: the whole list when it was
        read in one piece (a block is not copied out of it only to be looked at)."""
        if self._extent is not None:
            offset, whole = self._extent
            return whole, directory.where[number] - offset, directory.ends[number] - offset
        data = self._block_data(directory, number)
        return data, 0, len(data)

    def weights_of(self, places: list[int]) -> list[float]:
        """The weights of the postings at ``places`` (sorted) of the whole list, in ``all_ids``'
        order: of a block not decoded yet, read in place where its layout allows."""
        if self._info.is_inlined():
            return [self._read_inlined()[1][place] for place in places]
        if self._weights is not None:
            kept = self._weights
            return [kept[place] for place in places]
        directory = self._scan()
        starts = list(itertools.accumulate(directory.counts, initial=0))
        found: list[float] = []
        taken = 0
        while taken < len(places):  # block by block: the places in each found by two bisections
            number = bisect.bisect_right(starts, places[taken]) - 1
            stop = bisect.bisect_left(places, starts[number + 1], taken)
            first = starts[number]
            at = [place - first for place in places[taken:stop]]
            taken = stop
            read = None
            if number not in self._scored and not directory.packed[number]:
                data, start, end = self._block_span(directory, number)
                read = weights_at(data, directory.counts[number], at, start, end)
            if read is None:
                weights = self._scored_block(number)[1]
                read = [weights[place] for place in at]
            found.extend(read)
        return found

    def find(self, docs: Sequence[int]) -> tuple[list[int], list[float]]:
        """The documents of ``docs`` (sorted) this term is in, with its weight in each."""
        ids: list[int] = []
        weights: list[float] = []
        start, count = 0, len(docs)
        for number, last in enumerate(self._last_ids()):
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

    def positions(self, doc: int) -> Sequence[int]:
        """The word positions of this term in ``doc``, which must be one of its documents.
        (A phrase asks this of thousands of documents: the blocks already read are taken
        straight from where they are kept.)"""
        number = bisect.bisect_left(self._last_ids(), doc)
        scored = self._scored.get(number)
        block_ids = (scored if scored is not None else self._scored_block(number))[0]
        values = self._values.get(number)
        if values is None:
            values = self._values_of(number)
        at = bisect.bisect_left(block_ids, doc)
        if isinstance(values, PackedPositions):
            return values.positions_of(at)
        return decode_positions(values[at])


def _leaf_matcher(reader: Any, field: str, term: bytes, info: Any) -> Any:
    """The term's matcher on the segment, made from the entry already read (Whoosh's
    ``reader.postings`` would look the term up again), without the deletion filter."""
    terms = getattr(reader, "_terms", None)
    if terms is None:
        matcher = reader.postings(field, term)
        return getattr(matcher, "child", matcher)
    return terms._codec.postings_reader(terms._postfile, info, reader.schema[field].format, term=(field, term))


def adjacent(positions: list[Sequence[int]]) -> bool:
    """Whether the words with these position lists stand one right after the other somewhere."""
    if len(positions) == 2:  # the usual phrase: one set, one pass over the second word's
        first, second = positions
        return not set(first).isdisjoint([position - 1 for position in second])
    starts = set(positions[0])
    for offset, found in enumerate(positions[1:], start=1):
        starts.intersection_update([position - offset for position in found])
        if not starts:
            return False
    return True
