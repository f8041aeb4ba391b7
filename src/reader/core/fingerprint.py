"""Identities of an article's text: an exact fingerprint and a similarity sketch.

The fingerprint changes with any change to the words; the sketch (a 64-bit SimHash of word
3-grams) moves only a few bits when a few words change, so two texts whose sketches differ in
few bits are nearly the same article. Tags use both to follow an article; duplicate detection
uses the sketch.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

from reader.core.text import fingerprint_text

_WORD = re.compile(r"\w+")
SKETCH_BITS = 64


# The bytes of ASCII but the separators only ``str`` counts as spaces: folded and split as bytes.
_PLAIN_ASCII = bytes(code for code in range(128) if not 0x1C <= code <= 0x1F)
# Capitals to small letters, and every space ``bytes.split`` knows to a plain space.
_FOLD_BYTES = bytes.maketrans(b"ABCDEFGHIJKLMNOPQRSTUVWXYZ\t\n\r\x0b\x0c", b"abcdefghijklmnopqrstuvwxyz     ")


def _foldable(char: str) -> bool:
    """A character that NFKC keeps, that is no space or mark, and whose case folding is one
    character that NFKC keeps too: the fingerprint folds it by a byte replacement."""
    folded = char.casefold()
    return (
        len(folded) == 1
        and unicodedata.normalize("NFKC", char) == char
        and unicodedata.normalize("NFKC", folded) == folded
        and not char.isspace()
        and not unicodedata.combining(char)
        and char != "\u200b"
    )


# Latin letters, their punctuation and currency signs, dashes and quote marks.
_CANDIDATES = (chr(code) for block in ((0xA0, 0x250), (0x2010, 0x205F), (0x20A0, 0x20C0)) for code in range(*block))
_FOLDABLE = frozenset(char for char in _CANDIDATES if _foldable(char))
_CASED = {char: char.casefold() for char in _FOLDABLE if char.casefold() != char}


def _folded_bytes(text: str) -> bytes | None:
    """``fingerprint_text(text)`` as UTF-8, made on bytes when the text holds only ASCII and
    ``_FOLDABLE`` characters (most news: half the cost); None for any other text."""
    data = text.encode("utf-8", "surrogatepass")
    others = data.translate(None, _PLAIN_ASCII)
    if others:
        odd = set(others.decode("utf-8", "surrogatepass"))
        if not odd <= _FOLDABLE:
            return None
        for char in odd.intersection(_CASED):
            data = data.replace(char.encode(), _CASED[char].encode())
    return _single_spaced(data.translate(_FOLD_BYTES))


def _single_spaced(data: bytes) -> bytes:
    """``b" ".join(data.split())`` for bytes whose only spaces are plain ones, without a bytes
    object per word: runs of spaces halve with each pass, and news has few longer than two."""
    while b"  " in data:
        data = data.replace(b"  ", b" ")
    return data.strip(b" ")


def fingerprint(text: str) -> str:
    """A hex digest that is equal for texts that differ only in case, spacing or Unicode form."""
    folded = _folded_bytes(text)
    if folded is None:
        folded = fingerprint_text(text).encode("utf-8", "surrogatepass")
    return hashlib.sha256(folded).hexdigest()


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
