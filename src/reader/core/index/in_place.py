"""Reading one of this index's postings blocks in place, from its pickle's bytes: the
documents, and the weights, without unpickling (or inflating) the rest.

The blocks this index writes (``codec``) pickle, with protocol 5, the id deltas as an
``array("I")`` and the weights as an ``array("f")`` (or None when all are 1.0, or one float
for all), each one run of little-endian bytes at a place fixed by the block's count: a
posting's weight is four bytes at a known offset.
"""

from __future__ import annotations

import functools
import itertools
import operator
import re
import struct
import sys
from array import array
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from reader.core.index.block_directory import Directory

ARRAYS_START = b"\x80\x05\x95"  # protocol 5, then a frame
FRAME_END = 11  # the protocol and the frame's opcode and length

# How this index's pickle of a block starts, after its frame: the id deltas' ``array("I")``
# (little-endian 4-byte items, machine format 6), then its bytes.
_IDS_START = (
    b"\x8c\x05array\x94\x8c\x14_array_reconstructor\x94\x93\x94"  # array._array_reconstructor(
    b"(\x8c\x05array\x94\x8c\x05array\x94\x93\x94\x8c\x01I\x94K\x06"  # array.array, "I", 6,
)
IDS_AT = FRAME_END + len(_IDS_START)  # where the ids' bytes opcode is
_BYTES_LENGTH = {ord("C"): struct.Struct("<B"), ord("B"): struct.Struct("<I")}  # SHORT_BINBYTES, BINBYTES
# After the ids: their array made, then the weights: None (every weight 1.0), one float for
# all (an 8-byte double), or an ``array("f")`` (IEEE 754 little-endian floats, machine format
# 14) from the memoised reconstructor and class, then its bytes.
_AFTER_IDS = b"\x94t\x94R\x94"
_WEIGHTS_ARRAY = b"h\x02(h\x05\x8c\x01f\x94K\x0e"
_WEIGHT = struct.Struct("<f")
_ONE = _WEIGHT.pack(1.0)
_DOUBLE = struct.Struct(">d")
Decoder = Callable[[int], tuple[Sequence[int], Sequence[float]]]  # block number -> its documents and weights


def _bytes_at(head: bytes, at: int, size: int) -> int | None:
    """Where the ``size`` bytes pickled at ``at`` start, or None if they are not that."""
    length = _BYTES_LENGTH.get(head[at]) if len(head) > at else None
    if length is None or length.unpack_from(head, at + 1)[0] != size:
        return None
    return at + 1 + length.size


# The pickle of a block's arrays up to the ids' bytes: protocol 5, a frame (its length), the
# array's reconstruction, then SHORT_BINBYTES (a one-byte length) or BINBYTES (four bytes).
_IDS_HEAD = re.compile(re.escape(ARRAYS_START) + b".{8}" + re.escape(_IDS_START) + b"(?:C(.)|B(.{4}))", re.DOTALL)


def _ids_start(block: bytes, count: int, at: int, end: int) -> int | None:
    """Where the ids' bytes of one of this index's blocks (its pickle lying in ``block[at:end]``)
    start, or None if it is not laid out so."""
    head = _IDS_HEAD.match(block, at, end)
    if head is None:
        return None
    short, long = head.group(1, 2)
    size = short[0] if short is not None else int.from_bytes(long, "little")
    start = head.end()
    return start if size == 4 * count and start + size <= end else None


def ids_only(head: bytes, count: int, at: int = 0, end: int | None = None) -> list[int] | None:
    """A block's documents from the start of one of this index's pickles (lying in
    ``head[at:end]``), read from the ids' bytes in place (no weights, no unpickling); None when
    it is not laid out so."""
    start = _ids_start(head, count, at, len(head) if end is None else end)
    return None if start is None else _accumulated(head, start, count)


def weights_at(block: bytes, count: int, places: list[int], at: int = 0, end: int | None = None) -> list[float] | None:
    """The weights of the postings at ``places`` of an uncompressed block of this index (its
    pickle lying in ``block[at:end]``), read in place (as ``array("f")`` gives them); None when
    it is not laid out so."""
    end = len(block) if end is None else end
    ids = _ids_start(block, count, at, end)
    weights = None if ids is None else _weights_bytes(block, count, ids, end)
    if weights is None:
        return None
    unpack = _WEIGHT.unpack_from
    return [unpack(weights, 4 * place)[0] for place in places]


def whole_list(
    data: bytes, base: int, directory: Directory, decoded: Decoder
) -> tuple[list[int], array[float] | None] | None:
    """Every document of a term's list, and every posting's weight (None when one is not a
    4-byte float), its blocks lying in ``data`` (read from file offset ``base``): in one pass,
    each block's id deltas taken in place and run on from the block before, so the documents
    are added up once for the whole list (block by block, the calls per block were most of
    reading a prefix's lists). A block laid out otherwise is ``decoded``. None when the blocks
    do not end on the documents their headers say (or on a big-endian machine)."""
    if sys.byteorder != "little":
        return None
    deltas: array[int] = array("I")
    weights: list[bytes | memoryview] | None = []
    view, previous = memoryview(data), 0
    try:
        for number, count in enumerate(directory.counts):
            first, end = len(deltas), directory.ends[number] - base
            start = _usual_ids_start(data, count, directory.where[number] - base, end)
            if start is not None:
                deltas.frombytes(view[start : start + 4 * count])
                piece = None if weights is None else _usual_weights(data, view, count, start + 4 * count, end)
            else:
                ids, block_weights = decoded(number)
                deltas.append(ids[0])
                deltas.extend(map(operator.sub, ids[1:], ids[:-1]))
                piece = _as_floats(block_weights)
            if piece is None:
                weights = None
            elif weights is not None:
                weights.append(piece)
            deltas[first] -= previous
            previous = directory.last_ids[number]
    except OverflowError:  # (a block starting before the one before it ended)
        return None
    if len(deltas) != sum(directory.counts):
        return None
    ids = list(itertools.accumulate(deltas))
    if [ids[end - 1] for end in itertools.accumulate(directory.counts)] != directory.last_ids.tolist():
        return None
    return ids, None if weights is None else array("f", b"".join(weights))


@functools.cache
def _marks(count: int) -> tuple[bytes, bytes]:
    """What comes before the ids' bytes of a block of ``count`` postings, after its frame,
    and what comes after them before the weights' bytes when they are an array: pickle writes
    bytes under 256 long as SHORT_BINBYTES, else BINBYTES."""
    size = 4 * count
    length = b"C" + bytes([size]) if size < 256 else b"B" + size.to_bytes(4, "little")
    return _IDS_START + length, _AFTER_IDS + _WEIGHTS_ARRAY + length


def _usual_ids_start(data: bytes, count: int, at: int, end: int) -> int | None:
    """``_ids_start`` of a block laid out as this index lays them out, by two comparisons of
    bytes where it is (a block's regular expression and its groups cost more); None otherwise."""
    ids_mark = _marks(count)[0]
    if not (data.startswith(ARRAYS_START, at) and data.startswith(ids_mark, at + FRAME_END)):
        return _ids_start(data, count, at, end)
    start = at + FRAME_END + len(ids_mark)
    return start if start + 4 * count <= end else None


def _usual_weights(data: bytes, view: memoryview, count: int, at: int, end: int) -> bytes | memoryview | None:
    """The weights' bytes after a block's ids (which end at ``at``), as ``_weights_bytes``
    gives them: an array's in place, found by one comparison of bytes."""
    weights_mark = _marks(count)[1]
    if data.startswith(weights_mark, at):
        start = at + len(weights_mark)
        return view[start : start + 4 * count] if start + 4 * count <= end else None
    return _weights_bytes(data, count, at - 4 * count, end)


def _as_floats(weights: Sequence[float]) -> bytes | None:
    """Weights as ``array("f")``'s bytes, or None when one is not a 4-byte float exactly."""
    try:
        packed = array("f", weights)
    except OverflowError:
        return None
    return packed.tobytes() if packed.tolist() == list(weights) else None


def _accumulated(block: bytes, start: int, count: int) -> list[int]:
    """The documents of the ``count`` id deltas whose bytes start at ``start``."""
    deltas = array("I", block[start : start + 4 * count])
    if sys.byteorder != "little":
        deltas.byteswap()
    return list(itertools.accumulate(deltas))


def _weights_bytes(block: bytes, count: int, ids: int, end: int) -> bytes | None:
    """The block's weights as an ``array("f")``'s bytes, from after its ids' bytes (which start
    at ``ids``): the array's own, or its one weight repeated where that is a 4-byte float
    exactly (what decoding the block gives); None when it is not laid out so."""
    at = ids + 4 * count
    if block[at : at + len(_AFTER_IDS)] != _AFTER_IDS:
        return None
    at += len(_AFTER_IDS)
    kind = block[at : at + 1]
    if kind == b"N":
        return _ONE * count
    if kind == b"G":
        return _repeated(block, at + 1, count) if at + 1 + _DOUBLE.size <= end else None
    if block[at : at + len(_WEIGHTS_ARRAY)] != _WEIGHTS_ARRAY:
        return None
    start = _bytes_at(block, at + len(_WEIGHTS_ARRAY), 4 * count)
    return None if start is None or end < start + 4 * count else block[start : start + 4 * count]


def _repeated(block: bytes, at: int, count: int) -> bytes | None:
    """The double at ``at`` as ``count`` 4-byte floats, or None if it is not one exactly."""
    (weight,) = _DOUBLE.unpack_from(block, at)
    try:
        single = _WEIGHT.pack(weight)
    except OverflowError:
        return None
    return single * count if _WEIGHT.unpack(single)[0] == weight else None
