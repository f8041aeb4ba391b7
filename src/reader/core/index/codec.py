"""How a postings block holds its positions, in a form both Whoosh and the searcher read fast.

Whoosh's own blocks pickle (with protocol 2) a tuple of every posting's id delta, weight and
position list, each position list a pickle of its own inside: a block of 128 postings
unpickles in about 0.1 ms, and writing one costs a ``pickle.dumps`` per posting. The blocks
written here keep Whoosh's layout, ``(id deltas, weights, values)``, so Whoosh's own matchers
read them, but each part is one compact array (pickled with protocol 5, a single copy each):

- the id deltas: ``array("I")`` (Whoosh's reader iterates them as it does its tuple);
- the weights: None when every one is 1.0, else ``array("f")``;
- the values: ``PackedPositions``, every posting's word positions in one array with where
  each posting's start. Indexed like Whoosh's tuple of values (``values[i]``), it gives one
  posting's positions as bytes (``CompactPositions.encode``); the searcher reads the array
  itself, without a Python object per posting.

``CompactPositions`` is the fields' format: one posting's positions as an ``array("I")`` of
absolute word positions. Whoosh uses it where it handles single postings (merging small
segments at a commit, its own phrase queries).
"""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from typing import Any

from whoosh.formats import Positions


class PackedPositions:
    """The positions of a block's postings: posting ``i`` holds ``positions[starts[i]:starts[i + 1]]``."""

    __slots__ = ("positions", "starts")

    def __init__(self, starts: array[int], positions: array[int]) -> None:
        self.starts = starts
        self.positions = positions

    def __reduce__(self) -> tuple[Any, ...]:
        return PackedPositions, (self.starts, self.positions)

    def __len__(self) -> int:
        return len(self.starts) - 1

    def positions_of(self, number: int) -> Sequence[int]:
        """Posting ``number``'s word positions, in order."""
        return self.positions[self.starts[number] : self.starts[number + 1]]

    def __getitem__(self, number: int) -> bytes:
        """Posting ``number``'s positions as ``CompactPositions`` encodes them (for Whoosh)."""
        if number < 0:
            number += len(self)
        if not 0 <= number < len(self):
            raise IndexError(number)
        return array("I", self.positions_of(number)).tobytes()


def positions_array(where: Iterable[int]) -> array[int]:
    """Positions as the smallest array that holds them (two bytes each, in all but long texts)."""
    try:
        return array("H", where)
    except OverflowError:
        return array("I", where)


def decode_positions(value: Any) -> Sequence[int]:
    """One posting's positions from what a block gave for it: bytes written by
    ``CompactPositions.encode`` (Whoosh's own blocks), or a slice of a ``PackedPositions``."""
    if isinstance(value, (bytes, bytearray, memoryview)):
        return array("I", bytes(value))
    return value  # type: ignore[no-any-return]


class CompactPositions(Positions):  # type: ignore[misc]  # Whoosh is untyped
    """Word positions for phrases, a posting's as one ``array("I")`` (not a pickle each)."""

    def encode(self, poslist: Iterable[int]) -> bytes:
        return array("I", poslist).tobytes()

    def decode_positions(self, valuestring: Any) -> list[int]:
        return list(decode_positions(valuestring))

    def decode_frequency(self, valuestring: Any) -> int:
        return len(decode_positions(valuestring))

    def decode_weight(self, valuestring: Any) -> float:
        return float(self.decode_frequency(valuestring) * self.field_boost)

    def decode_position_boosts(self, valuestring: Any) -> list[tuple[int, float]]:
        return [(position, 1.0) for position in decode_positions(valuestring)]

    def combine(self, vs: Iterable[Any]) -> bytes:
        merged: set[int] = set()
        for value in vs:
            merged.update(decode_positions(value))
        return self.encode(sorted(merged))
