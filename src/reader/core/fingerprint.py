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


def fingerprint(text: str) -> str:
    """A hex digest that is equal for texts that differ only in case, spacing or Unicode form."""
    return hashlib.sha256(fingerprint_text(text).encode("utf-8", "surrogatepass")).hexdigest()


def sketch(text: str) -> int:
    """A 64-bit SimHash of the text's word 3-grams (0 for text with no words)."""
    words = _WORD.findall(text.casefold())
    if not words:
        return 0
    shingles = {" ".join(words[i : i + 3]) for i in range(max(len(words) - 2, 1))}
    weights = [0] * SKETCH_BITS
    for shingle in shingles:
        value = int.from_bytes(hashlib.blake2b(shingle.encode(), digest_size=8).digest(), "big")
        for bit in range(SKETCH_BITS):
            weights[bit] += 1 if value >> bit & 1 else -1
    return sum(1 << bit for bit, weight in enumerate(weights) if weight > 0)


def sketch_distance(first: int, second: int) -> int:
    """How many of the 64 bits differ: about 0-3 for near copies, about 32 for unrelated texts."""
    return (first ^ second).bit_count()
