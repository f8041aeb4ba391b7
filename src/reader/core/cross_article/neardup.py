"""Near-duplicate signatures: one-permutation MinHash of word 4-gram shingles, with LSH bands.

Classic MinHash needs one hash per shingle per permutation (600 shingles x 128 permutations per
article is too slow in pure Python). One-permutation hashing hashes each shingle once, sends it
to one of 64 bins by its top bits and keeps the smallest value per bin; bins left empty by a
short text borrow from the next filled bin ("densification"), so the fraction of equal bins
still estimates the Jaccard similarity of the two shingle sets. The 64 bins are cut into 21
bands of 3: two articles become candidates when any band agrees, which happens with
probability 0.94 at similarity 0.5 and 0.02 at similarity 0.1, so only likely copies are ever
compared.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_left

from reader.core.cross_article.normalise import word_hashes

BINS = 64
BAND_ROWS = 3
BANDS = BINS // BAND_ROWS  # 21; the 64th bin only takes part in the similarity estimate
MIN_SHINGLES = 20  # stubs shorter than this are too short to call copies of anything
DUPLICATE_SIMILARITY = 0.5  # estimated Jaccard of shingles at or above which texts are copies

_VALUE_BITS = 26
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_MASK32 = 0xFFFFFFFF
_PRIME61 = (1 << 61) - 1
_SHINGLE_MIX = (0x2545F491, 0x9E3779B1, 0x85EBCA77)
_EMPTY = 1 << 32
_BIN_FLOORS = tuple(index << _VALUE_BITS for index in range(BINS))  # the smallest value of each bin
_WORD = re.compile(r"\w+")


def signature(text: str) -> bytes:
    """The MinHash signature of a text (64 unsigned 32-bit bins), or b"" when it is too short."""
    hashes = word_hashes(_WORD.findall(text.casefold()))
    first, second, third = _SHINGLE_MIX
    shingles = {  # mixed inside the one pass over the 4-grams: no list per mix
        ((a * first + b * second + c * third + d) * 0x9E3779B1) & _MASK32
        for a, b, c, d in zip(hashes, hashes[1:], hashes[2:], hashes[3:], strict=False)
    }
    if len(shingles) < MIN_SHINGLES:
        return b""
    bins = _smallest_per_bin(sorted(shingles))
    return array("I", _densify(bins) if _EMPTY in bins else bins).tobytes()


def _smallest_per_bin(ordered: list[int]) -> list[int]:
    """The smallest value in each bin (``_EMPTY`` where none falls): a bin is a range of values,
    so in ascending order its smallest is the first value at or above the bin's floor."""
    bins = []
    count = len(ordered)
    for floor in _BIN_FLOORS:
        at = bisect_left(ordered, floor)
        value = ordered[at] if at < count else _EMPTY
        bins.append(value if value >> _VALUE_BITS == floor >> _VALUE_BITS else _EMPTY)
    return bins


def _densify(bins: list[int]) -> list[int]:
    """Fill each empty bin from the next filled one, marked with the distance borrowed over."""
    filled = []
    for index in range(BINS):
        distance = 0
        while bins[(index + distance) % BINS] == _EMPTY:
            distance += 1
        value = bins[(index + distance) % BINS]
        filled.append(value if distance == 0 else ((value & _VALUE_MASK) + distance * 0x3C6EF372) & _MASK32)
    return filled


def band_keys(packed: bytes) -> list[int]:
    """The LSH band keys of a signature: articles sharing any key are compared.

    A band's three 32-bit values read as one 96-bit number, tagged with the band's index and
    reduced modulo a 61-bit prime: distinct bands collide with probability about 2**-61.
    """
    if not packed:
        return []
    width = 4 * BAND_ROWS
    return [
        (int.from_bytes(packed[offset : offset + width], "little") * BANDS + band) % _PRIME61
        for band, offset in enumerate(range(0, BANDS * width, width))
    ]


def similarity(first: bytes, second: bytes) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets, from their signatures."""
    if not first or not second:
        return 0.0
    equal = sum(a == b for a, b in zip(array("I", first), array("I", second), strict=False))
    return equal / BINS
