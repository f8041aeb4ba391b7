"""The MinHash signature made with lanes of one big integer is the one of its plain definition."""

from __future__ import annotations

import re
import zlib
from array import array

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.cross_article import neardup
from reader.core.cross_article.neardup import BINS, MIN_SHINGLES, _densify, signature

_MASK32 = 0xFFFFFFFF
_EMPTY = 1 << 32


def _plain_signature(text: str) -> bytes:
    """One-permutation MinHash as written down: each 4-gram hashed, the smallest per bin (its
    top six bits), empty bins filled from the next filled one."""
    hashes = [zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in re.findall(r"\w+", text.casefold())]
    shingles = {
        ((a * 0x2545F491 + b * 0x9E3779B1 + c * 0x85EBCA77 + d) * 0x9E3779B1) & _MASK32
        for a, b, c, d in zip(hashes, hashes[1:], hashes[2:], hashes[3:], strict=False)
    }
    if len(shingles) < MIN_SHINGLES:
        return b""
    bins = [min((value for value in shingles if value >> 26 == index), default=_EMPTY) for index in range(BINS)]
    return array("I", _densify(bins)).tobytes()


_WORDS = st.lists(
    st.sampled_from(["the", "minister", "said", "Plan", "ØRSTED", "élan", "a", "b", "c", "d", "e", "f", "g"])
    | st.text(alphabet="abcé", min_size=1, max_size=3),
    max_size=400,
)


@settings(max_examples=300)
@given(_WORDS, st.sampled_from([" ", ", ", " — ", "\n\n", " “"]))
def test_signature_is_its_plain_definition(words: list[str], separator: str) -> None:
    text = separator.join(words)
    assert signature(text) == _plain_signature(text)


def test_a_repeated_phrase_has_too_few_shingles() -> None:
    text = " ".join(["one two three four five"] * 40)
    assert _plain_signature(text) == b"" and signature(text) == b""


def test_a_long_text_fills_every_bin() -> None:
    text = " ".join(f"word{number}" for number in range(2000))
    assert signature(text) == _plain_signature(text)


def test_a_full_word_memo_makes_the_same_signatures(monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the memo of word products is full, new words are mixed for the text alone (and
    known ones still read from the memo): the signatures do not change."""
    known = " ".join(f"known{number}" for number in range(300))
    fresh = " ".join(f"known{number} fresh{number}" for number in range(300))
    neardup._MIXED.clear()
    expected = signature(fresh)
    neardup._MIXED.clear()
    signature(known)
    monkeypatch.setattr(neardup, "_MIXED_MEMO_LIMIT", len(neardup._MIXED))
    assert signature(fresh) == expected == _plain_signature(fresh)
    assert not any(word.startswith(b"fresh") for word in neardup._MIXED)
