"""What a tag may be: checked once, here, before anything is stored or searched."""

from __future__ import annotations

import re
import unicodedata

from reader.core.text import visible

MAX_TAG_LENGTH = 64  # room for "climate change / policy" but not for a pasted paragraph

# Controls, format characters (bidi overrides, zero-width spaces), lone surrogates and line or
# paragraph separators would make a tag invisible, misleading or able to drive the terminal.
_FORBIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Zl", "Zp"})
_ALLOWED_FORMAT = frozenset({"\u200d"})  # the zero-width joiner inside emoji sequences
_SPACES = re.compile(r"\s+")


class TagError(ValueError):
    """A tag that cannot be stored; ``str(error)`` is one line fit to show the user."""


def normalise_tag(text: str) -> str:
    """The tag as it will be stored: NFC, spaces folded, the user's case kept; or ``TagError``."""
    if not isinstance(text, str):
        raise TagError("a tag must be text")
    tag = unicodedata.normalize("NFC", text)
    for char in tag:
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES and char not in _ALLOWED_FORMAT:
            shown = visible(text, limit=40)
            raise TagError(f"tag {shown!r} contains an invisible or control character (U+{ord(char):04X})")
    tag = _SPACES.sub(" ", tag).strip()
    if not tag:
        raise TagError("a tag cannot be empty")
    if len(tag) > MAX_TAG_LENGTH:
        raise TagError(f"a tag can have at most {MAX_TAG_LENGTH} characters; this one has {len(tag)}")
    return tag


def tag_key(tag: str) -> str:
    """The identity of a normalised tag: 'Climate', 'climate' and 'CLIMATE' are one tag."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", tag).casefold())
