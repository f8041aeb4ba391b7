"""The user's own tags, highlights and notes: a private SQLite store that follows each article,
plus export and import.

They live in the user's data folder, never inside article files. See ``store`` for how an
article is recognised after a rename, a copy or a small edit, and why a saved tag survives a
killed process; ``annotations`` and ``anchoring`` for highlights and notes.
"""

from reader.core.tags.anchoring import Anchor, TextQuote, anchor, describe, find_typed
from reader.core.tags.annotation_values import AnnotatedArticle, Annotations, Highlight, Placed, UserData, place
from reader.core.tags.annotations import AnnotationStore
from reader.core.tags.exchange import (
    EXPORT_FORMATS,
    ExchangeError,
    ImportReport,
    SkippedRow,
    dump_rows,
    import_text,
    parse_rows,
)
from reader.core.tags.spelling import MAX_TAG_LENGTH, TagError, normalise_tag, tag_key
from reader.core.tags.store import TagRef, TagRow, TagStore, TagStoreError

__all__ = [
    "EXPORT_FORMATS",
    "MAX_TAG_LENGTH",
    "Anchor",
    "AnnotatedArticle",
    "AnnotationStore",
    "Annotations",
    "ExchangeError",
    "Highlight",
    "ImportReport",
    "Placed",
    "SkippedRow",
    "TagError",
    "TagRef",
    "TagRow",
    "TagStore",
    "TagStoreError",
    "TextQuote",
    "UserData",
    "anchor",
    "describe",
    "dump_rows",
    "find_typed",
    "import_text",
    "normalise_tag",
    "parse_rows",
    "place",
    "tag_key",
]
