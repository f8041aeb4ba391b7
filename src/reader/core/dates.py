"""Dates as they occur in scraped article files, parsed without ever raising."""

from __future__ import annotations

import datetime as dt
import re
from email.utils import parsedate_to_datetime

_DASHED_TIMESTAMP = re.compile(
    r"^(\d{4})-(\d{1,2})-(\d{1,2})[-_ T](\d{1,2})[-:.](\d{2})(?:[-:.](\d{2}))?$"
)
_SLASHED = re.compile(r"^(\d{4})[/.](\d{1,2})[/.](\d{1,2})$")
_WORDY_FORMATS = (
    "%B %d, %Y",
    "%b %d, %Y",
    "%b. %d, %Y",
    "%d %B %Y",
    "%d %b %Y",
    "%B %d %Y",
    "%A, %B %d, %Y",
    "%Y-%m",
    "%Y%m%d",
)


def _naive(value: dt.datetime) -> dt.datetime:
    """Wall-clock time as written: dates of one corpus must compare, with or without zones."""
    return value.replace(tzinfo=None)


Parsed = tuple[dt.date | dt.datetime | None, str | None]
"""``(date, None)`` when a value reads as a date, else ``(None, the text as written)``."""


def parse_date(value: object) -> Parsed:
    """Return ``(date, None)`` when ``value`` reads as a date, else ``(None, text)``.

    Accepts date and datetime objects, ISO dates and datetimes (with ``Z`` or offsets),
    RFC 2822, ``2020-09-07-20-19-33`` and common written forms (``September 7, 2020``).
    """
    if value is None:
        return None, None
    if isinstance(value, dt.datetime):
        return _naive(value), None
    if isinstance(value, dt.date):
        return value, None
    text = str(value).strip()
    if not text:
        return None, None
    for reader in (_iso, _dashed_timestamp, _slashed, _rfc_2822, _wordy):
        parsed = reader(text)
        if parsed is not None:
            return parsed
    return None, text


def _iso(text: str) -> Parsed | None:
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None
    has_time = len(text) > 10
    return (_naive(parsed) if has_time else parsed.date()), None


def _dashed_timestamp(text: str) -> Parsed | None:
    match = _DASHED_TIMESTAMP.match(text)
    if not match:
        return None
    year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
    try:
        return dt.datetime(year, month, day, hour, minute, second), None
    except ValueError:
        return None, text


def _slashed(text: str) -> Parsed | None:
    match = _SLASHED.match(text)
    if not match:
        return None
    try:
        return dt.date(*(int(g) for g in match.groups())), None
    except ValueError:
        return None, text


def _rfc_2822(text: str) -> Parsed | None:
    if not ((any(char.isalpha() for char in text) and "," in text) or text[:3].isalpha()):
        return None
    try:
        return _naive(parsedate_to_datetime(text)), None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _wordy(text: str) -> Parsed | None:
    for pattern in _WORDY_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.date(), None
    return None


def date_to_iso(value: dt.date | dt.datetime | None) -> str | None:
    """A date as stored in the program's SQLite files: ISO text, None when undated."""
    return value.isoformat() if value is not None else None


def date_from_iso(text: str | None) -> dt.date | dt.datetime | None:
    """The date ``date_to_iso`` stored: a day (``2020-09-07``) or a moment."""
    if not text:
        return None
    if len(text) == 10:
        return dt.date.fromisoformat(text)
    return dt.datetime.fromisoformat(text)
