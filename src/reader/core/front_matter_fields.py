"""Front-matter fields as an article's values: which keys mean what, and each value coerced to
the shape its field needs (or dropped), with one warning per field that was changed.

Front matter is written by hand and by every scraper there is: a title may come as a list, tags as
a number, a date as a mapping, a link as ``javascript:``. Nothing here trusts a value's type.
"""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlsplit

from reader.core.text import clean_text, fold_spaces, visible

OUTLET_KEYS = ("outlet", "source", "publisher", "publication", "site_name", "site", "website")
AUTHOR_KEYS = ("author", "authors", "byline", "creator", "writer")
URL_KEYS = ("url", "link", "canonical_url", "canonical", "source_url", "permalink")
DATE_KEYS = ("date", "published", "published_at", "pubdate", "publish_date", "created", "time")
TAG_KEYS = ("tags", "categories", "category", "keywords")
TITLE_KEYS = ("title", "headline")
CONSUMED_KEYS = frozenset(TITLE_KEYS + OUTLET_KEYS + AUTHOR_KEYS + URL_KEYS + DATE_KEYS + TAG_KEYS)
# What each known field must hold; other shapes are coerced or dropped (``_checked``).
_FIELD_KINDS = (
    dict.fromkeys(TITLE_KEYS, "title")
    | dict.fromkeys(OUTLET_KEYS, "text")
    | dict.fromkeys(AUTHOR_KEYS, "names")
    | dict.fromkeys(URL_KEYS, "url")
    | dict.fromkeys(DATE_KEYS, "date")
    | dict.fromkeys(TAG_KEYS, "tags")
)
_NUMBER_RE = re.compile(r"[-+]?\d+(?:[.,]\d+)?")
DATE_SHAPE_RE = re.compile(r"\d{4}[-/.]\d{1,2}[-/.]\d{1,2}(?:[ T_-].*)?")

_BARE_HOST = re.compile(r"^[A-Za-z0-9][A-Za-z0-9-]*(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?:[/?#]|$)")


def as_text(value: Any) -> str | None:
    """A front-matter value as one line of text (lists joined), or None when empty."""
    if value is None:
        return None
    if isinstance(value, list):
        parts = [as_text(item) for item in value]
        value = ", ".join(part for part in parts if part)
    elif isinstance(value, dict):
        value = value.get("name") or value.get("title") or ""
    text = fold_spaces(clean_text(str(value))[0].replace("\n", " "))
    return text or None


def _named(value: Any) -> bool:
    """Text, or a mapping with a name (``publisher: {name: Gazette}``, as JSON-LD writes it)."""
    if isinstance(value, dict):
        return isinstance(value.get("name") or value.get("title"), str)
    return isinstance(value, str)


def _checked(kind: str, value: Any) -> tuple[Any, str | None]:
    """A known field's value in the shape its kind needs, and what was done to it, if anything."""
    if isinstance(value, str):
        if kind == "tags" and _NUMBER_RE.fullmatch(value.strip()):
            return [value.strip()], f"is a number, not a list of tags; read as the tag {value.strip()!r}"
        return value, None
    if kind == "date":
        return None, f"is {'a list' if isinstance(value, list) else 'a mapping'}, not a date; ignored"
    if kind == "tags" and isinstance(value, dict):
        return None, "is a mapping, not a list of tags; ignored"
    if isinstance(value, dict):
        if kind in ("text", "names"):
            return (value, None) if _named(value) else (None, "is a mapping without a name; ignored")
        return None, "is a mapping, not text; ignored"
    items = [item for item in value if isinstance(item, str) or (kind == "names" and _named(item))]
    if kind in ("names", "tags"):
        return items, None if len(items) == len(value) else "holds lists or mappings; those items ignored"
    if not items:
        return None, "is a list with no text in it; ignored"
    if kind == "url":
        return items[0], "is a list, not text; its first item kept"
    return items, "is a list, not text; its items joined"


def checked_fields(metadata: dict[str, Any]) -> tuple[dict[str, Any], list[str]]:
    """The metadata with each known field coerced or dropped, and one warning per field changed."""
    checked: dict[str, Any] = {}
    warnings: list[str] = []
    for key, value in metadata.items():
        kind = _FIELD_KINDS.get(key.lower())
        if kind is None or value is None:
            checked[key] = value
            continue
        fixed, problem = _checked(kind, value)
        if problem is not None:
            warnings.append(f"front matter field {visible(key, limit=40)!r} {problem}")
        if fixed is not None:
            checked[key] = fixed
    return checked, warnings


def by_lower_key(metadata: dict[str, Any]) -> dict[str, Any]:
    """The metadata keyed by lower-case keys (``Title`` is ``title``; of two spellings, the later
    wins): made once per article for the look-ups of ``first``."""
    return {key.lower(): value for key, value in metadata.items()}


def first(lowered: dict[str, Any], keys: tuple[str, ...]) -> Any:
    """The first of ``keys`` with a value in ``lowered`` (metadata ``by_lower_key``)."""
    for key in keys:
        if lowered.get(key) not in (None, "", []):
            return lowered[key]
    return None


def tags_of(metadata: dict[str, Any]) -> tuple[str, ...]:
    found: list[str] = []
    for key, value in metadata.items():
        if key.lower() not in TAG_KEYS:
            continue
        items = value if isinstance(value, list) else str(value).split(",")
        for item in items:
            tag = as_text(item)
            if tag and tag.casefold() not in {existing.casefold() for existing in found}:
                found.append(tag)
    return tuple(found)


def outlet_from_url(url: str | None) -> str | None:
    if not url:
        return None
    host = urlsplit(url if "//" in url else f"//{url}").hostname or ""
    return host.removeprefix("www.") or None


def is_web_address(url: str) -> bool:
    """Only http(s) addresses, or a bare host name, may become links; never javascript: or file:."""
    scheme = urlsplit(url).scheme.lower()
    if scheme:
        return scheme in ("http", "https") and url.lower().startswith(("http://", "https://"))
    return _BARE_HOST.match(url) is not None


def clean_metadata(value: Any) -> Any:
    """Front-matter values with control characters defused: YAML escapes (``"\\e"``) make new
    ones after the file's text was cleaned."""
    if isinstance(value, str):
        return clean_text(value)[0]
    if isinstance(value, list):
        return [clean_metadata(item) for item in value]
    if isinstance(value, dict):
        return {clean_metadata(str(key)): clean_metadata(item) for key, item in value.items()}
    return value
