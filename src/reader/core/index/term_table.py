"""A term's entry in a segment's term table, looked up once per index version.

Whoosh's term table is an on-disk hash (``HashReader``); its own look-up reads an entry's
lengths, key and value in three reads through two generators, and its scorer looks each term up
again in every segment for the idf. Here an entry is read at once, and kept (``TermInfos``) for
the scorer and every segment's postings.
"""

from __future__ import annotations

import struct
from typing import Any

from whoosh.codec.whoosh3 import W3TermInfo, W3TermsReader
from whoosh.filedb.filetables import HashReader
from whoosh.reading import TermNotFound

MAX_KEPT_INFOS = 20_000  # term table entries kept between searches (a prefix at 100k: ~700)


class TermInfos:
    """Each term's entry in each segment's term table, looked up once per index version: a
    word's scorer needs its count in every segment (the idf), and each segment then reads its
    postings from the same entry. All forgotten at once past ``MAX_KEPT_INFOS``."""

    def __init__(self) -> None:
        self._known: dict[tuple[int, str, bytes], Any] = {}

    def get(self, reader: Any, field: str, term: bytes) -> Any:
        """The entry (None: not in that segment)."""
        key = (id(reader), field, term)
        try:
            return self._known[key]
        except KeyError:
            if len(self._known) >= MAX_KEPT_INFOS:
                self._known.clear()
            found = self._known[key] = term_info(reader, field, term)
            return found

    def keep(self, reader: Any, field: str, term: bytes, info: Any) -> None:
        """An entry read otherwise (None: the term is not in that segment)."""
        if len(self._known) >= MAX_KEPT_INFOS:
            self._known.clear()
        self._known[(id(reader), field, term)] = info

    def doc_frequency(self, reader: Any, field: str, term: bytes) -> int:
        """How many documents of ``reader`` (a whole index) hold the term, deleted ones
        included (what Whoosh's ``doc_frequency`` sums over the segments)."""
        infos = (self.get(leaf, field, term) for leaf, _ in reader.leaf_readers())
        return sum(int(info.doc_frequency()) for info in infos if info is not None)


def term_info(reader: Any, field: str, term: bytes) -> Any:
    """The term's entry in a segment's term table (one look-up), or None if it is not there."""
    terms = getattr(reader, "_terms", None)
    if terms is None:  # not a segment reader: through its public interface
        return reader.term_info(field, term) if (field, term) in reader else None
    try:
        if isinstance(terms, W3TermsReader) and isinstance(terms._tindex, HashReader):
            value = _table_value(terms._tindex, terms._keycoder(field, term))
            return None if value is None else W3TermInfo.from_bytes(value)
        return terms.term_info(field, term)
    except (TermNotFound, KeyError):  # KeyError: a field with no terms in this segment
        return None


_SLOT = struct.Struct("!Iq")  # a hash table slot: the key's hash, where its entry is
_LENGTHS = struct.Struct("!ii")  # an entry's key and value lengths, before them
_VALUE_GUESS = 64  # bytes of an entry's value read with its key (a term's entry is 35, inline postings more)


def _table_value(table: Any, key: bytes) -> bytes | None:
    """Whoosh's hash table look-up (``HashReader.ranges_for_key``) with an entry's lengths,
    key and value read at once, not in three reads through two generators."""
    keyhash = table.hashfn(key)
    start, slots = table.tables[keyhash & 255]
    if not slots:
        return None
    dbfile, end = table.dbfile, start + slots * _SLOT.size
    position = start + ((keyhash >> 8) % slots) * _SLOT.size
    for _ in range(slots):
        slot_hash, entry = _SLOT.unpack(dbfile.get(position, _SLOT.size))
        if not entry:
            return None
        if slot_hash == keyhash:
            head = dbfile.get(entry, _LENGTHS.size + len(key) + _VALUE_GUESS)
            key_length, value_length = _LENGTHS.unpack_from(head)
            at = _LENGTHS.size + key_length
            if key_length == len(key) and head[_LENGTHS.size : at] == key:
                found: bytes = head[at : at + value_length]
                return found if len(found) == value_length else dbfile.get(entry + at, value_length)
        position += _SLOT.size
        if position == end:
            position = start
    return None
