"""Identities of an article's text: an exact fingerprint and a similarity sketch.

The fingerprint changes with any change to the words; the sketch (a 64-bit SimHash of word
3-grams) moves only a few bits when a few words change, so two texts whose sketches differ in
few bits are nearly the same article. Tags use both to follow an article; duplicate detection
uses the sketch.
"""

from __future__ import annotations

import hashlib
import re

from reader.core.text import fingerprint_text

_WORD = re.compile(r"\w+")
SKETCH_BITS = 64


# Bytes of UTF-8 text whose fingerprint form is made on the bytes: ASCII but the separators only
# ``str`` counts as spaces, and (``_PLAIN_MARKS``) the caseless marks of news text, which NFKC
# keeps as they are.
_PLAIN_ASCII = bytes(code for code in range(128) if not 0x1C <= code <= 0x1F)
_PLAIN_MARKS = tuple(mark.encode() for mark in "\u2013\u2014\u2018\u2019\u201c\u201d")


def fingerprint(text: str) -> str:
    """A hex digest that is equal for texts that differ only in case, spacing or Unicode form."""
    data = text.encode("utf-8", "surrogatepass")
    others = data.translate(None, _PLAIN_ASCII)
    for mark in _PLAIN_MARKS:
        others = others.replace(mark, b"") if others else others
    if not others:
        # ``fingerprint_text`` of such text, at half the cost: bytes fold the case of ASCII and
        # split on spaces as ``str`` does for these characters, with nothing for NFKC to change.
        return hashlib.sha256(b" ".join(data.lower().split())).hexdigest()
    return hashlib.sha256(fingerprint_text(text).encode("utf-8", "surrogatepass")).hexdigest()


LANE_BITS = 20  # each of the 64 bit counters gets 20 bits: room for a million shingles
_LANE_MASK = (1 << LANE_BITS) - 1
# _SPREAD[i][b]: byte b, at byte position i of a hash, with each bit moved into its own lane.
_SPREAD = [
    [sum(1 << ((8 * i + bit) * LANE_BITS) for bit in range(8) if b >> bit & 1) for b in range(256)]
    for i in range(8)
]


def sketch(text: str) -> int:
    """A 64-bit SimHash of the text's word 3-grams (0 for text with no words).

    The 64 per-bit counters are kept as lanes of one big integer, so adding a shingle is eight
    table look-ups instead of 64 Python steps.
    """
    words = _WORD.findall(text.casefold())
    if not words:
        return 0
    shingles = {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}
    counts = 0
    for shingle in shingles:
        digest = hashlib.blake2b(shingle.encode(), digest_size=8).digest()
        for position, byte in enumerate(digest):
            counts += _SPREAD[position][byte]
    half = len(shingles) / 2
    return sum(
        1 << bit for bit in range(SKETCH_BITS) if (counts >> (bit * LANE_BITS) & _LANE_MASK) > half
    )


def sketch_distance(first: int, second: int) -> int:
    """How many of the 64 bits differ: about 0-3 for near copies, about 32 for unrelated texts."""
    return (first ^ second).bit_count()
