"""The Whoosh schema of an article, and the version that decides when an index is rebuilt.

Text fields are given their terms already analysed: the build workers compute them with
``reader.core.index.terms`` and write the segment themselves (``segment_writer``). Nothing is
stored but the id: titles and dates come from the catalog and snippets from the catalog's
copy of each text.
"""

from __future__ import annotations

from typing import Any

from whoosh.fields import DATETIME, ID, TEXT, Schema

from reader.core.index.codec import CompactPositions
from reader.core.index.terms import NAME_ANALYZER, TAG_ANALYZER, TEXT_ANALYZER

# Bump when the schema, the analysers or what goes into a field changes: every index made with
# another number is rebuilt from scratch on the next sync.
# 3: catalog keys stored as bytes; 4: segments as separate files (storage.py); 5: dates found in
# the text, the URL or the path (every file is read again to find them); 6: the user's highlights
# and notes (highlight:, note:, has:); 7: names once per mention in people and quoted (ranking by
# how often a person is named or quoted); 8: postings blocks of arrays (codec.py), written
# without Whoosh's pool (segment_writer.py)
INDEX_FORMAT = 8

TEXT_FIELDS = ("title", "body", "quotes", "highlights", "notes")  # stemmed (terms.text_term)
NAME_FIELDS = ("people", "quoted", "outlet", "author")  # folded, not stemmed (name_term)
TAG_FIELD = "tags"  # one term per whole tag (tag_term)
NOTES_FIELD = "notes"  # the user's notes: plain words find them too
HAS_FIELD = "has"  # what the user keeps on an article: "tag", "highlight", "note" (has:note)


class PositionalText(TEXT):  # type: ignore[misc]  # Whoosh is untyped
    """A TEXT field (positions, for phrases) whose postings hold positions as arrays
    (``codec.CompactPositions``): written and read without a pickle per posting."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.format = CompactPositions(field_boost=kwargs.get("field_boost", 1.0))


def build_schema() -> Schema:
    fields: dict[str, Any] = {"id": ID(stored=True, unique=True), "date": DATETIME(sortable=True)}
    fields.update({name: PositionalText(analyzer=TEXT_ANALYZER) for name in TEXT_FIELDS})
    fields.update({name: PositionalText(analyzer=NAME_ANALYZER) for name in NAME_FIELDS})
    fields[TAG_FIELD] = PositionalText(analyzer=TAG_ANALYZER)
    fields[HAS_FIELD] = PositionalText(analyzer=TAG_ANALYZER)
    return Schema(**fields)
