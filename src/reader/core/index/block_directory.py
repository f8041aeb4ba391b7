"""Where each block of a term's list lies, read from the block headers in one piece, and
kept between the searches of one index version.

Whoosh writes a term's postings as blocks, each a length, a small pickled header (count, last
id, top weight, compression, shortest and longest length) and the pickled postings. Reading
the headers is the whole cost of finding the blocks, so they are read with as little work per
block as their layout allows.
"""

from __future__ import annotations

import io
import re
import struct
from array import array
from pickle import load
from typing import Any

from whoosh.codec.whoosh3 import WHOOSH3_HEADER_MAGIC


class Directory:
    """Where each block of one term's list lies and the highest document in it, from the block
    headers. Reading them is a seek and a small pickle per block; a search keeps them for the
    next (``SearchCache``), so a block is then read with no header read before it."""

    __slots__ = ("counts", "ends", "last_ids", "packed", "where")

    def __init__(self) -> None:
        self.where: array[int] = array("q")  # file offset of each block's postings
        self.ends: array[int] = array("q")  # ... and of the next block
        self.last_ids: array[int] = array("q")  # highest document of each block
        self.counts: array[int] = array("l")  # postings in each block
        self.packed: array[int] = array("b")  # whether its postings are zlib-compressed

    def add(self, leaf: Any) -> None:
        """The block the leaf stands on."""
        self.add_block(leaf._dataoffset, leaf._nextoffset, leaf._maxid, leaf._blocklength, leaf._compression)

    def add_block(self, where: int, end: int, last_id: int, count: int, compression: Any) -> None:
        self.where.append(where)
        self.ends.append(end)
        self.last_ids.append(last_id)
        self.counts.append(count)
        self.packed.append(1 if compression else 0)

    def add_blocks(self, *columns: list[int]) -> None:
        """Many blocks at once, column by column (where, ends, last ids, counts, packed): an
        append a number was most of a long list's read."""
        for kept, values in zip((self.where, self.ends, self.last_ids, self.counts, self.packed), columns, strict=True):
            kept.fromlist(values)

    def __len__(self) -> int:
        return len(self.last_ids)


MAX_KEPT_BLOCKS = 100_000  # block headers kept between searches (six numbers each)


_BLOCK_LENGTH = struct.Struct("!i")  # a block's size, negative for the last (as Whoosh writes it)


_HEADER_START = b"\x80\x02("  # protocol 2, a mark for the tuple
_HEADER_NUMBERS = {  # the opcodes of the numbers in a block header, and how each is packed
    ord("K"): struct.Struct("<B"),  # BININT1
    ord("M"): struct.Struct("<H"),  # BININT2
    ord("J"): struct.Struct("<i"),  # BININT
    ord("G"): struct.Struct(">d"),  # BINFLOAT
}
_HEADER_CONSTANTS = {ord("N"): None, 0x88: True, 0x89: False}  # NONE, NEWTRUE, NEWFALSE
_HEADER_ITEMS = 6  # count, last id, top weight, compression, shortest and longest length
_HEADER_END = {ord("q"): 3, ord("r"): 6}  # TUPLE then BINPUT or LONG_BINPUT (else TUPLE alone)


def block_header(data: bytes, at: int) -> tuple[tuple[Any, ...], int] | None:
    """The block header pickled at ``at`` (six numbers, with protocol 2, as Whoosh writes
    them) and where it ends, read opcode by opcode: a ``pickle.load`` from a stream per block
    was most of reading a long list's directory. None when it is laid out otherwise."""
    if data[at : at + len(_HEADER_START)] != _HEADER_START:
        return None
    at += len(_HEADER_START)
    items: list[Any] = []
    try:
        for _ in range(_HEADER_ITEMS):
            opcode = data[at]
            at += 1
            if opcode in _HEADER_CONSTANTS:
                items.append(_HEADER_CONSTANTS[opcode])
                continue
            number = _HEADER_NUMBERS.get(opcode)
            if number is None:
                return None
            items.append(number.unpack_from(data, at)[0])
            at += number.size
        if data[at] != ord("t"):  # TUPLE
            return None
        at += _HEADER_END.get(data[at + 1], 1)
        if data[at] != ord("."):  # STOP
            return None
    except (IndexError, struct.error):
        return None
    return tuple(items), at + 1


# The header of nearly every block: a count under 256, the last id (one, two or four bytes),
# the top weight, then the compression and the shortest and longest lengths, each under 256.
_USUAL_HEADER = re.compile(rb"\x80\x02\(K(.)(?:K(.)|M(..)|J(.{4}))G.{8}K(.)K.K.t(?:q.|r.{4})?\.", re.DOTALL)


def usual_header(data: bytes, at: int) -> tuple[int, int, int, int] | None:
    """The count, last id and compression of the block header pickled at ``at``, and where it
    ends, when it is laid out as nearly all are (one match, where ``block_header`` reads it
    opcode by opcode); None otherwise."""
    found = _USUAL_HEADER.match(data, at)
    if found is None:
        return None
    count, short, medium, long, compression = found.group(1, 2, 3, 4, 5)
    if long is not None:
        last_id = int.from_bytes(long, "little", signed=True)
    else:
        last_id = int.from_bytes(short if medium is None else medium, "little")
    return count[0], last_id, compression[0], found.end()


def _header_at(data: bytes, at: int) -> tuple[int, int, Any, int]:
    """The count, last id and compression of the block header at ``at``, and where it ends."""
    usual = usual_header(data, at)
    if usual is not None:
        return usual
    read = block_header(data, at)
    if read is None:  # laid out otherwise: unpickled
        stream = io.BytesIO(data)
        stream.seek(at)
        read = load(stream), stream.tell()  # noqa: S301 - the private index's own header
    (count, last_id, _, compression, _, _), after = read
    return count, last_id, compression, after


def read_directory(postfile: Any, info: Any) -> tuple[Directory, bytes] | None:
    """The directory of a term's list and the list itself, read in one piece (Whoosh's own
    matcher reads each block header with a seek and two reads); None when the list is not laid
    out as expected (Whoosh's matcher then reads it, and reports any damage)."""
    start, length = info.extent()
    if isinstance(length, tuple):  # Whoosh's term table reader leaves it in a 1-tuple
        (length,) = length
    if not isinstance(start, int) or not isinstance(length, int) or length < len(WHOOSH3_HEADER_MAGIC):
        return None
    data: bytes = postfile.get(start, length)
    if not data.startswith(WHOOSH3_HEADER_MAGIC):
        return None
    where: list[int] = []
    ends: list[int] = []
    last_ids: list[int] = []
    counts: list[int] = []
    packed: list[int] = []
    at = len(WHOOSH3_HEADER_MAGIC)
    try:
        while True:
            (size,) = _BLOCK_LENGTH.unpack_from(data, at)
            count, last_id, compression, after = _header_at(data, at + _BLOCK_LENGTH.size)
            end = at + _BLOCK_LENGTH.size + abs(size)
            where.append(start + after)
            ends.append(start + end)
            last_ids.append(last_id)
            counts.append(count)
            packed.append(1 if compression else 0)
            if size < 0 or end >= len(data):
                break
            at = end
    except Exception:  # noqa: BLE001 - not the layout expected: read through Whoosh instead
        return None
    if size >= 0 or end != len(data):
        return None
    directory = Directory()
    directory.add_blocks(where, ends, last_ids, counts, packed)
    return directory, data


class Directories:
    """The block directories of the terms read lately, for the searches of one index version;
    all forgotten at once when they pass ``MAX_KEPT_BLOCKS``."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, str, bytes], Directory] = {}
        self._blocks = 0

    def get(self, key: tuple[int, str, bytes]) -> Directory | None:
        return self._known.get(key)

    def keep(self, key: tuple[int, str, bytes], directory: Directory) -> None:
        if self._blocks + len(directory) > MAX_KEPT_BLOCKS:
            self._known.clear()
            self._blocks = 0
        self._known[key] = directory
        self._blocks += len(directory)
