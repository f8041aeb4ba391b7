"""Dates as they occur in scraped article files, parsed without ever raising."""

from __future__ import annotations

import datetime as dt
import re

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
    from email.utils import parsedate_to_datetime  # here, not at the top: ~10 ms of imports at every start

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


# --- dates found where no front matter gives one ------------------------------------------------
#
# Scraped articles often carry their date in the text ("Published 7 September 2020"), in a
# dateline ("LONDON, Sept. 7, 2020 (Reuters) -"), in their address (/2020/09/07/) or in the
# file's own path. Each finder is strict on purpose: a wrong date is worse than none, so only
# full dates (day, month and year) that exist are taken, and only near the top of the text.

DATE_SOURCES = {
    "front-matter": "the front matter",
    "published": "a 'Published' line",
    "updated": "an 'Updated' line",
    "byline": "the byline",
    "dateline": "the dateline",
    "url": "the URL",
    "path": "the file path",
}
"""Where an article's date came from (the code stored with it) and how to say so."""

TEXT_DATE_CHARS = 3000
"""How much of the top of an article is searched for a Published line or a dateline."""

_MONTH_NAMES = (
    "january", "february", "march", "april", "may", "june",
    "july", "august", "september", "october", "november", "december",
)
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, start=1)}
_MONTHS.update({name[:3]: number for name, number in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH = r"(?P<month>" + "|".join(sorted(_MONTHS, key=len, reverse=True)) + r")\.?"
_WEEKDAY = r"(?:(?:mon|tues?|wed(?:nes)?|thu(?:rs?)?|fri|sat(?:ur)?|sun)(?:day)?\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d\d)"
_WRITTEN_DATES = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        rf"\b{_WEEKDAY}{_MONTH}\s+{_DAY},?\s+{_YEAR}\b",  # September 7, 2020
        rf"\b{_WEEKDAY}{_DAY}\s+(?:of\s+)?{_MONTH},?\s+{_YEAR}\b",  # Monday 7 September 2020
        r"\b(?P<year>(?:19|20)\d\d)-(?P<month>[01]?\d)-(?P<day>[0-3]?\d)\b",  # 2020-09-07
    )
)
_LABEL = re.compile(
    r"\s*[*_]*(?P<label>first\s+published|published|posted|publication\s+date|date|last\s+updated|updated"
    r"|last\s+modified|modified)\b\s*(?:on|at|:)?",
    re.IGNORECASE,
)
_LINE_PARTS = re.compile(r"[|·•—–]")  # "By Ann Lee | Updated: …": a label may follow one of these
_UPDATED_LABELS = ("updated", "modified")
_PLACE_BEFORE_DATE = re.compile(r"^[\s*_#>]*(?:[A-Z][A-Z.'’\- ]{1,40}[,:]?\s*)?(?:\([\w .&-]{1,30}\)\s*)?[-–—|:]?\s*$")
_AFTER_DATELINE = re.compile(r"^\s*(?:$|[-–—|/(:]|\d{1,2}[:.]\d\d|[Aa]t\s+\d|[A-Z]{2,5}\b)")
_BYLINE = re.compile(r"^[*_]*By\s[^|·•\n]{2,80}[|·•]\s*")
_SHORT_LINE = 160
_DATELINE_LINES = 12  # lines from the top, blank ones included: the first few paragraphs
_DATELINE_REACH = 70  # a dateline's date ends this near the start of its line
_ADDRESS_DATE = re.compile(
    r"(?<![\d])(?P<year>(?:19|20)\d\d)(?P<sep>[/_.-])(?P<month>[01]?\d|[a-z]{3,9})(?P=sep)(?P<day>[0-3]?\d)(?!\d)",
    re.IGNORECASE,
)
_COMPACT_DATE = re.compile(r"(?<![\dA-Za-z])(?P<year>(?:19|20)\d\d)(?P<month>[01]\d)(?P<day>[0-3]\d)(?![\dA-Za-z])")

FoundDate = tuple[dt.date, str]
"""A date found for an article, and its source (a key of ``DATE_SOURCES``)."""


def _real_date(year: str, month: str, day: str) -> dt.date | None:
    """The date when the parts name a day that exists (in a plausible year), else None."""
    number = _MONTHS.get(month.lower().rstrip(".")) if not month.isdigit() else int(month)
    if number is None:
        return None
    try:
        found = dt.date(int(year), number, int(day))
    except ValueError:
        return None
    return found if 1900 <= found.year <= dt.date.today().year + 1 else None


def _written_date(text: str) -> tuple[dt.date, re.Match[str]] | None:
    """The first full date written in ``text`` (and where), in any of the common forms."""
    best: tuple[dt.date, re.Match[str]] | None = None
    for pattern in _WRITTEN_DATES:
        for match in pattern.finditer(text):
            found = _real_date(match["year"], match["month"], match["day"])
            if found is not None:
                if best is None or match.start() < best[1].start():
                    best = (found, match)
                break
    return best


_A_YEAR = re.compile(r"(?:19|20)\d\d")


def _lines_near_top(text: str, start: int) -> list[tuple[int, str]]:
    """The lines at the top of the text that could hold a full date (a year is in them), with
    their line number: the date patterns are costly, and most lines have no year."""
    top = text[start : start + TEXT_DATE_CHARS]
    lines: list[tuple[int, str]] = []
    end = -1
    for year in _A_YEAR.finditer(top):
        if year.start() < end:
            continue  # another year on a line already taken
        begin = top.rfind("\n", 0, year.start()) + 1
        end = top.find("\n", year.end())
        end = len(top) if end < 0 else end
        lines.append((top.count("\n", 0, begin), top[begin:end].strip()))
    return lines


def date_in_text(text: str, start: int = 0) -> FoundDate | None:
    """A date the top of the article states: a Published (or Updated) line, a byline with a
    date (``By Ann Lee | Aug. 12, 2025``), or a dateline.

    A Published line wins over an Updated one (the article is dated when it first appeared);
    bylines and datelines count only in the first few lines, and a dateline only when nothing
    but a place, a news agency or a time stands around the date.
    """
    lines = _lines_near_top(text, start)
    updated: FoundDate | None = None
    for _, line in lines:
        if len(line) > _SHORT_LINE:
            continue
        label = next((hit for part in _LINE_PARTS.split(line) if (hit := _LABEL.match(part))), None)
        if label is None:
            continue
        written = _written_date(label.string[label.end() :][:60])
        if written is None:
            continue
        if label["label"].lower().split()[-1] in _UPDATED_LABELS:
            updated = updated or (written[0], "updated")
        else:
            return written[0], "published"
    if updated is not None:
        return updated
    for _, line in (pair for pair in lines if pair[0] < _DATELINE_LINES):
        if (byline := _BYLINE.match(line)) and (written := _written_date(line[byline.end() :][:40])):
            return written[0], "byline"
        head = line[:_DATELINE_REACH]
        written = _written_date(head) if _A_YEAR.search(head) else None
        if written is None:
            continue
        found, match = written
        if _PLACE_BEFORE_DATE.match(line[: match.start()]) and _AFTER_DATELINE.match(line[match.end() :]):
            return found, "dateline"
    return None


def date_in_address(address: str) -> dt.date | None:
    """A full date in a URL or a file path: ``/2020/09/07/``, ``2020-09-07-story``,
    ``/2020/sep/07/``, ``20200907_story``."""
    for pattern in (_ADDRESS_DATE, _COMPACT_DATE):
        for match in pattern.finditer(address):
            found = _real_date(match["year"], match["month"], match["day"])
            if found is not None:
                return found
    return None


def find_date(text: str, *, body_start: int = 0, url: str | None = None, path: str = "") -> FoundDate | None:
    """The date of an article without a usable front-matter date, and where it was found:
    the text first, then the article's URL, then its path (relative to the folder)."""
    found = date_in_text(text, body_start)
    if found is not None:
        return found
    if url and (day := date_in_address(url)) is not None:
        return day, "url"
    if path and (day := date_in_address(path)) is not None:
        return day, "path"
    return None


def date_source_label(source: str | None) -> str:
    """``"from the URL"``; empty for a front-matter date (the usual case needs no word)."""
    if not source or source == "front-matter":
        return ""
    return f"from {DATE_SOURCES.get(source, source)}"
