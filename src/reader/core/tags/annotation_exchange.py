"""Highlights and notes out of the store and back: JSON (an exact round trip) and Markdown.

The JSON export names each highlight's target the W3C Web Annotation way (a
``TextQuoteSelector`` and a ``TextPositionSelector``), so other annotation tools can read it;
importing it merges, and every entry that cannot be used is reported with the reason. The
Markdown export is for people: grouped by article (title, file, date, outlet, the article's
note), each highlight a block quote followed by its note, ready to paste into Obsidian or a
paper's notes. It is not read back.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from reader.core.tags.anchoring import TextQuote
from reader.core.tags.annotation_values import AnnotatedArticle, Highlight, clean_note
from reader.core.tags.annotations import AnnotationStore
from reader.core.tags.exchange import ExchangeError, SkippedRow, text_field, timestamp
from reader.core.text import clean_text, visible, visible_name

EXPORT_FORMATS = ("md", "json")
FORMAT_MARKER = "reader_highlights"  # top-level key of a JSON export, holding the format version
_FINGERPRINT = re.compile(r"[0-9a-f]{64}")
_SKETCH = re.compile(r"[0-9a-f]{16}")
_ID = re.compile(r"[0-9a-z][0-9a-z_-]{0,63}")
# What JSON would print raw but must not reach a terminal (the export may go to stdout): DEL, C1
# and bidi controls, and the lone surrogates of file names that were not UTF-8. Escaped, they
# read back as they were.
_JSON_UNSAFE = re.compile("[\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff]")


@dataclass(frozen=True, slots=True)
class AnnotationImport:
    added: int  # highlights and notes that were new, or newer than the stored ones
    unchanged: int  # already there
    skipped: tuple[SkippedRow, ...]


def dump(articles: Iterable[AnnotatedArticle], export_format: str) -> str:
    if export_format == "json":
        document = {FORMAT_MARKER: 1, "articles": [_article_json(article) for article in articles]}
        text = json.dumps(document, ensure_ascii=False, indent=2)
        return _JSON_UNSAFE.sub(lambda match: f"\\u{ord(match.group()):04x}", text) + "\n"
    if export_format == "md":
        return markdown(articles)
    raise ValueError(f"unknown export format {export_format!r}; use one of {', '.join(EXPORT_FORMATS)}")


def import_text(store: AnnotationStore, text: str) -> AnnotationImport:
    """Merge a JSON export into the store; every entry is imported or reported as skipped."""
    articles, skipped = parse(text)
    added, unchanged = store.import_articles(articles)
    return AnnotationImport(added, unchanged, tuple(skipped))


# -- Markdown --------------------------------------------------------------------------------------


def markdown(articles: Iterable[AnnotatedArticle]) -> str:
    """Articles as Markdown sections; file text is quoted line by line, never interpreted, and
    no control character reaches the page (or the terminal it is printed on)."""
    sections = [_article_markdown(article) for article in articles]
    return "# Highlights\n\n" + "\n\n".join(sections) + ("\n" if sections else "")


def _article_markdown(article: AnnotatedArticle) -> str:
    lines = [f"## {_one_line(article.title) or '(untitled)'}", ""]
    if article.path:
        lines.append(f"- File: {visible_name(article.path, limit=None)}")
    for label, value in (("Date", article.date), ("Outlet", article.outlet)):
        if value:
            lines.append(f"- {label}: {_one_line(value)}")
    if article.note:
        lines += ["", _prose(article.note)]
    for highlight in article.highlights:
        lines += ["", *(f"> {line}".rstrip() for line in _prose(highlight.text).splitlines() or [""])]
        if highlight.note:
            lines += ["", _prose(highlight.note)]
    return "\n".join(lines)


def _one_line(text: str) -> str:
    return " ".join(visible(text, limit=None).split())


def _prose(text: str) -> str:
    return clean_text(text)[0]


# -- JSON out --------------------------------------------------------------------------------------


def _article_json(article: AnnotatedArticle) -> dict[str, object]:
    return {
        "path": article.path,
        "fingerprint": article.fingerprint,
        "sketch": None if article.sketch is None else f"{article.sketch:016x}",
        "aliases": list(article.aliases),
        "title": article.title,
        "date": article.date,
        "outlet": article.outlet,
        "note": article.note,
        "note_updated": article.note_updated,
        "highlights": [_highlight_json(highlight) for highlight in article.highlights],
    }


def _highlight_json(highlight: Highlight) -> dict[str, object]:
    quote = highlight.quote
    return {
        "id": highlight.id,
        "created": highlight.created,
        "modified": highlight.updated,
        "note": highlight.note,
        "target": {
            "selector": [
                {"type": "TextQuoteSelector", "exact": quote.exact, "prefix": quote.prefix, "suffix": quote.suffix},
                {"type": "TextPositionSelector", "start": highlight.start, "end": highlight.end},
            ]
        },
    }


# -- JSON in ---------------------------------------------------------------------------------------


def parse(text: str) -> tuple[list[AnnotatedArticle], list[SkippedRow]]:
    """Read a JSON export; entries that cannot be used are reported, not fatal.

    Raises ``ExchangeError`` when the file as a whole is not such an export.
    """
    text = text.removeprefix("\ufeff").strip()
    if not text:
        raise ExchangeError("the file is empty")
    if text[0] != "{":
        hint = " (the Markdown export is for reading; import the JSON one)" if text.startswith("#") else ""
        raise ExchangeError(f"not a JSON highlights export{hint}")
    try:
        document = json.loads(text)
    except json.JSONDecodeError as error:
        raise ExchangeError(f"not valid JSON: {error.msg} (line {error.lineno})") from error
    except RecursionError as error:
        raise ExchangeError("not valid JSON: nested too deeply") from error
    if not isinstance(document, dict) or FORMAT_MARKER not in document:
        raise ExchangeError(f"not a highlights export (no {FORMAT_MARKER!r} key)")
    items = document.get("articles")
    if not isinstance(items, list):
        raise ExchangeError("the export has no 'articles' list")
    articles: list[AnnotatedArticle] = []
    skipped: list[SkippedRow] = []
    for number, item in enumerate(items, start=1):
        where = f"article {number}"
        try:
            articles.append(_article(item, where, skipped))
        except ValueError as error:
            skipped.append(SkippedRow(where, str(error)))
    return articles, skipped


def _article(raw: object, where: str, skipped: list[SkippedRow]) -> AnnotatedArticle:
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    fingerprint = text_field(raw, "fingerprint").lower()
    if not _FINGERPRINT.fullmatch(fingerprint):
        raise ValueError("fingerprint is not 64 hexadecimal digits")
    path = text_field(raw, "path")
    if "\x00" in path:
        raise ValueError("path contains a NUL character")
    sketch = text_field(raw, "sketch").lower()
    if sketch and not _SKETCH.fullmatch(sketch):
        raise ValueError("sketch is not 16 hexadecimal digits")
    aliases = raw.get("aliases") or []
    if not isinstance(aliases, list) or not all(isinstance(a, str) and _FINGERPRINT.fullmatch(a) for a in aliases):
        raise ValueError("aliases are not a list of fingerprints")
    highlights = raw.get("highlights") or []
    if not isinstance(highlights, list):
        raise ValueError("highlights is not a list")
    kept: list[Highlight] = []
    for number, item in enumerate(highlights, start=1):
        try:
            kept.append(_highlight(item))
        except ValueError as error:
            skipped.append(SkippedRow(f"{where}, highlight {number}", str(error)))
    return AnnotatedArticle(
        fingerprint=fingerprint,
        path=path,
        sketch=int(sketch, 16) if sketch else None,
        aliases=tuple(aliases),
        title=text_field(raw, "title"),
        date=text_field(raw, "date"),
        outlet=text_field(raw, "outlet"),
        note=clean_note(text_field(raw, "note")),
        note_updated=timestamp(text_field(raw, "note_updated")),
        highlights=tuple(kept),
    )


def _highlight(raw: object) -> Highlight:
    if not isinstance(raw, dict):
        raise ValueError("not a JSON object")
    highlight_id = text_field(raw, "id").lower()
    if not _ID.fullmatch(highlight_id):
        raise ValueError("id is missing or not letters and digits")
    target = raw.get("target")
    selectors = target.get("selector") if isinstance(target, dict) else None
    if not isinstance(selectors, list):
        raise ValueError("no target selectors")
    by_type = {item.get("type"): item for item in selectors if isinstance(item, dict)}
    quote = by_type.get("TextQuoteSelector")
    if quote is None or not text_field(quote, "exact").strip():
        raise ValueError("no TextQuoteSelector with an exact text")
    position = by_type.get("TextPositionSelector", {})
    start, end = position.get("start", 0), position.get("end", 0)
    if not (isinstance(start, int) and isinstance(end, int)) or isinstance(start, bool) or not 0 <= start <= end:
        raise ValueError("TextPositionSelector start and end are not offsets")
    created = timestamp(text_field(raw, "created"))
    return Highlight(
        id=highlight_id,
        quote=TextQuote(text_field(quote, "exact"), text_field(quote, "prefix"), text_field(quote, "suffix")),
        start=start,
        end=end,
        note=clean_note(text_field(raw, "note")),
        created=created,
        updated=timestamp(text_field(raw, "modified")) or created,
    )
