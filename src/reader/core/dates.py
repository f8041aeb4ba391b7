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


def parse_date(value: object) -> tuple[dt.date | dt.datetime | None, str | None]:
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
    try:
        parsed = dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        pass
    else:
        has_time = len(text) > 10
        return (_naive(parsed) if has_time else parsed.date()), None
    if match := _DASHED_TIMESTAMP.match(text):
        year, month, day, hour, minute, second = (int(g) if g else 0 for g in match.groups())
        try:
            return dt.datetime(year, month, day, hour, minute, second), None
        except ValueError:
            return None, text
    if match := _SLASHED.match(text):
        try:
            return dt.date(*(int(g) for g in match.groups())), None
        except ValueError:
            return None, text
    if any(char.isalpha() for char in text) and "," in text or text[:3].isalpha():
        try:
            return _naive(parsedate_to_datetime(text)), None
        except (TypeError, ValueError, IndexError, OverflowError):
            pass
    for pattern in _WORDY_FORMATS:
        try:
            parsed = dt.datetime.strptime(text, pattern)
        except ValueError:
            continue
        return parsed.date(), None
    return None, text
