"""Reducing quotes and names to keys that match however an outlet punctuated them.

Outlets retell the same words with straight or curly marks, different punctuation, "[Kim]"
insertions and cuts. A quote's key is its words only: case folded, apostrophes dropped (so
Kanye's, Kanye’s and Kanyes agree), bracketed editorial insertions removed. Keys are compared
through hashed word 3-grams, so a truncated or split quote still shares most of its grams with
the full one.
"""

from __future__ import annotations

import re
import unicodedata
import zlib

MIN_QUOTE_WORDS = 5  # shorter quotes ("doing well") are too common to say two articles share them
_MASK63 = (1 << 63) - 1  # SQLite integers are signed 64-bit
_MIX_FIRST = 0x5BD1E9955BD1E995
_MIX_SECOND = 0x9E3779B97F4A7C15

_WORD_MEMO_LIMIT = 500_000  # distinct words remembered per process
_WORD_HASHES: dict[str, int] = {}

_APOSTROPHES = re.compile("['\u2018\u2019\u02bc\u2032`\u00b4]")
_INSERTION = re.compile(r"\[[^\[\]]{0,60}\]")
_WORD = re.compile(r"\w+")
_SPACES = re.compile(r"\s+")


def quote_words(text: str) -> list[str]:
    """The words of a quote as every outlet would agree on them."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    folded = _INSERTION.sub(" ", folded)
    folded = _APOSTROPHES.sub("", folded)
    return _WORD.findall(folded)


def quote_key(text: str) -> str:
    """The matching key of a quote, or "" when it is too short to be matched across articles."""
    words = quote_words(text)
    return " ".join(words) if len(words) >= MIN_QUOTE_WORDS else ""


def word_hashes(words: list[str]) -> list[int]:
    """A 32-bit hash of each word that is the same in every process (``hash()`` of a str is not).

    Hashes are remembered per process (a corpus reuses a small vocabulary over and over), up
    to a limit; the memo is never cleared, so threads sharing it cannot lose a word mid-call.
    """
    known = _WORD_HASHES
    hashes = list(map(known.get, words))
    if None not in hashes:
        return hashes  # type: ignore[return-value]  # every word known: the usual case
    missing = {
        word: zlib.crc32(word.encode("utf-8", "surrogatepass")) for word in set(words) if word not in known
    }
    if len(known) < _WORD_MEMO_LIMIT:
        known.update(missing)
    return [missing[word] if word in missing else known[word] for word in words]


def key_grams(key: str) -> frozenset[int]:
    """The hashed word 3-grams of a quote key: the units two quotes are compared by."""
    hashes = word_hashes(key.split())
    first = [value * _MIX_FIRST for value in hashes]
    second = [value * _MIX_SECOND for value in hashes]
    return frozenset([(a + b + c) & _MASK63 for a, b, c in zip(first, second[1:], hashes[2:], strict=False)])


def name_key(name: str) -> str:
    """A person's or speaker's name folded for grouping: case, spacing and apostrophes ignored."""
    folded = _APOSTROPHES.sub("", unicodedata.normalize("NFKC", name).casefold())
    return _SPACES.sub(" ", folded).strip()


def file_order_key(article_id: str) -> str:
    """A sort key that puts ids in the loader's order: a folder's files before its subfolders."""
    parts = article_id.split("/")
    folders = ["1" + part for part in parts[:-1]]
    return "\x00".join([*folders, "0" + parts[-1]])


# For comparing wordings word by word (``wording``), where each word must stay traceable to
# where it stands in the quote as written: the same folding as ``quote_words``, applied in place.
APOSTROPHE_CLASS = _APOSTROPHES.pattern  # a regex character class of the apostrophes keys drop


def fold_word(word: str) -> str:
    """One word folded like ``quote_words`` folds a quote: NFKC, case folded, apostrophes dropped.

    Apostrophes go first too, as NFKC turns an acute accent used as one ("won´t") into a space.
    """
    return _APOSTROPHES.sub("", unicodedata.normalize("NFKC", _APOSTROPHES.sub("", word)).casefold())


def blank_insertions(text: str) -> str:
    """``text`` with its bracketed editorial insertions ("[Kim]") blanked out, as keys leave them out.

    Blanked, not deleted: every other character keeps its offset into the text as written.
    """
    return _INSERTION.sub(lambda match: " " * len(match.group()), text)
