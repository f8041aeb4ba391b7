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

import struct
import sys
from array import array
from bisect import bisect_left
from itertools import pairwise, repeat
from zlib import crc32

from reader.core.cross_article.word_bytes import text_words

BINS = 64
BAND_ROWS = 3
BANDS = BINS // BAND_ROWS  # 21; the 64th bin only takes part in the similarity estimate
MIN_SHINGLES = 20  # stubs shorter than this are too short to call copies of anything
DUPLICATE_SIMILARITY = 0.5  # estimated Jaccard of shingles at or above which texts are copies

_VALUE_BITS = 26
_VALUE_MASK = (1 << _VALUE_BITS) - 1
_MASK32 = 0xFFFFFFFF
_PRIME61 = (1 << 61) - 1
_EMPTY = 1 << 32
# A bin's smallest possible value, and past the last bin the first value of none.
_BIN_FLOORS = tuple(index << _VALUE_BITS for index in range(BINS + 1))

# The shingle of words a b c d (each a crc32) is ((a*m1 + b*m2 + c*m3 + d) * mix) mod 2**32,
# which equals (a*(m1*mix) + b*(m2*mix) + c*(m3*mix) + d*mix) mod 2**32. Each word's four
# products are made once per process and kept as four 64-bit little-endian lanes; a text's
# words joined are one big integer in which a shift by five lanes brings the next word's second
# product under this word's first, and so on, so three shifts and additions (in C, on the whole
# text) make every shingle at once. No lane overflows (four 32-bit values), and the low half of
# each word's first lane is its shingle.
_SHINGLE_MIX = (0x2545F491, 0x9E3779B1, 0x85EBCA77)
_FINAL_MIX = 0x9E3779B1
_POSITION_MIX = tuple((mix * _FINAL_MIX) & _MASK32 for mix in (*_SHINGLE_MIX, 1))
_LANES = len(_POSITION_MIX)
_NEXT_WORD_BITS = 64 * (_LANES + 1)  # from lane a of a word to lane a+1 of the next word
_MIXED_MEMO_LIMIT = 200_000  # distinct words remembered per process (about 150 bytes each)
_MIXED: dict[bytes, bytes] = {}
_WORD_LANES = struct.Struct(f"<{_LANES}Q")  # a word's products, 64-bit little-endian lanes


def signature(text: str) -> bytes:
    """The MinHash signature of a text (64 unsigned 32-bit bins), or b"" when it is too short."""
    words = text_words(text)
    if len(words) < MIN_SHINGLES + 3:  # fewer 4-grams than MIN_SHINGLES, even all distinct
        return b""
    ordered = sorted(_shingles(words))
    # a bin is a range of values: in ascending order its smallest is the first at or above its floor
    starts = list(map(bisect_left, repeat(ordered), _BIN_FLOORS))
    if len(set(starts)) == len(starts):  # every bin holds a value, so 64 distinct shingles at least
        return array("I", map(ordered.__getitem__, starts[:BINS])).tobytes()
    if len(set(ordered)) < MIN_SHINGLES:
        return b""
    bins = [ordered[start] if start < end else _EMPTY for start, end in pairwise(starts)]
    return array("I", _densify(bins)).tobytes()


def _shingles(words: list[bytes]) -> array[int]:
    """The hash of every word 4-gram, in text order (repeats included)."""
    joined = _mixed_words(words)
    mixed = int.from_bytes(joined, "little")
    step = _NEXT_WORD_BITS
    summed = mixed + (mixed >> step) + (mixed >> 2 * step) + (mixed >> 3 * step)
    halves = array("I", summed.to_bytes(len(joined), "little"))
    if sys.byteorder == "big":
        halves.byteswap()
    per_word = 2 * _LANES
    return halves[: per_word * (len(words) - 3) : per_word]


def _mixed_words(words: list[bytes]) -> bytes:
    """Each word's four position products, joined in the words' order."""
    memo = _MIXED
    try:
        return b"".join(map(memo.__getitem__, words))
    except KeyError:
        distinct = set(words)
        products = {word: _mixed(word) for word in distinct.difference(memo)}
        if len(memo) < _MIXED_MEMO_LIMIT:
            memo.update(products)
            return b"".join(map(memo.__getitem__, words))
        known = distinct.intersection(memo)  # a full memo: this text's words in a dict of their own
        products.update(zip(known, map(memo.__getitem__, known), strict=True))
        return b"".join(map(products.__getitem__, words))


def _mixed(word: bytes) -> bytes:
    value = crc32(word)
    return _WORD_LANES.pack(*[value * mix & _MASK32 for mix in _POSITION_MIX])


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
