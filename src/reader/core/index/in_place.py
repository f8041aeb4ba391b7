"""Reading one of this index's postings blocks in place, from its pickle's bytes: the
documents, and the weights, without unpickling (or inflating) the rest.

The blocks this index writes (``codec``) pickle, with protocol 5, the id deltas as an
``array("I")`` and the weights as an ``array("f")`` (or None when all are 1.0, or one float
for all), each one run of little-endian bytes at a place fixed by the block's count: a
posting's weight is four bytes at a known offset.
"""

from __future__ import annotations

import itertools
import re
import struct
import sys
from array import array

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


def ids_and_weights(block: bytes, count: int, at: int, end: int) -> tuple[list[int], bytes] | None:
    """A block's documents and its weights as an ``array("f")``'s bytes (little-endian), read
    in place from one of this index's uncompressed pickles (lying in ``block[at:end]``); None
    when it is not laid out so."""
    ids = _ids_start(block, count, at, end)
    weights = None if ids is None else _weights_bytes(block, count, ids, end)
    if ids is None or weights is None:
        return None
    return _accumulated(block, ids, count), weights


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
