"""The Whoosh schema of an article, and the version that decides when an index is rebuilt.

Text fields take their terms already analysed (``Preanalyzed``): the build workers compute
them with ``reader.core.index.terms``, so the writer only files postings. Nothing is stored
but the id: titles and dates come from the catalog and snippets from the files themselves.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from whoosh.fields import DATETIME, ID, TEXT, Schema
from whoosh.formats import Positions

from reader.core.index.terms import NAME_ANALYZER, TAG_ANALYZER, TEXT_ANALYZER

# Bump when the schema, the analysers or what goes into a field changes: every index made with
# another number is rebuilt from scratch on the next sync.
# 3: catalog keys stored as bytes; 4: segments as separate files (storage.py); 5: dates found in
# the text, the URL or the path (every file is read again to find them); 6: the user's highlights
# and notes (highlight:, note:, has:); 7: names once per mention in people and quoted (ranking by
# how often a person is named or quoted)
INDEX_FORMAT = 7

TEXT_FIELDS = ("title", "body", "quotes", "highlights", "notes")  # stemmed (terms.text_term)
NAME_FIELDS = ("people", "quoted", "outlet", "author")  # folded, not stemmed (name_term)
TAG_FIELD = "tags"  # one term per whole tag (tag_term)
NOTES_FIELD = "notes"  # the user's notes: plain words find them too
HAS_FIELD = "has"  # what the user keeps on an article: "tag", "highlight", "note" (has:note)

_POSITIONS = Positions()


class Preanalyzed:
    """A field value given as ``term -> positions``; the field indexes it without analysing."""

    __slots__ = ("postings",)

    def __init__(self, positions: Mapping[str, list[int]]) -> None:
        self.postings = [
            (term.encode("utf-8"), len(where), float(len(where)), _encoded(where))
            for term, where in positions.items()
        ]


_single_positions: dict[int, bytes] = {}


def _encoded(positions: list[int]) -> bytes:
    """``Positions.encode``, remembering the common case of a word that occurs once."""
    if len(positions) == 1:
        position = positions[0]
        found = _single_positions.get(position)
        if found is None:
            found = _single_positions[position] = _POSITIONS.encode(positions)
        return found
    encoded: bytes = _POSITIONS.encode(positions)
    return encoded


class PreanalyzedText(TEXT):  # type: ignore[misc]  # Whoosh is untyped
    """A TEXT field (positions, for phrases) that also takes ``Preanalyzed`` values."""

    def index(self, value: Any, **kwargs: Any) -> Iterator[tuple[bytes, int, float, bytes]]:
        if isinstance(value, Preanalyzed):
            return iter(value.postings)
        analysed: Iterator[tuple[bytes, int, float, bytes]] = super().index(value, **kwargs)
        return analysed


def build_schema() -> Schema:
    fields: dict[str, Any] = {"id": ID(stored=True, unique=True), "date": DATETIME(sortable=True)}
    fields.update({name: PreanalyzedText(analyzer=TEXT_ANALYZER) for name in TEXT_FIELDS})
    fields.update({name: PreanalyzedText(analyzer=NAME_ANALYZER) for name in NAME_FIELDS})
    fields[TAG_FIELD] = PreanalyzedText(analyzer=TAG_ANALYZER)
    fields[HAS_FIELD] = PreanalyzedText(analyzer=TAG_ANALYZER)
    return Schema(**fields)
