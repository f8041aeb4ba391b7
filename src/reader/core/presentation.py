"""One article as people take it elsewhere: plain text for a pager, Markdown for notes, JSON for
scripts, and a quote with its source line for the clipboard.

The text is the reading pane's: the header (title, byline, tags, what the loader worked
around), then the paragraphs, with page furniture folded to one line. ``reader show`` prints
these, and the app hands the same text to ``$PAGER`` and the clipboard, so all of them agree.
"""

from __future__ import annotations

import json
import re
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reader.core.dates import date_source_label
from reader.core.models import Article, Paragraph, ParagraphKind
from reader.core.text import visible

if TYPE_CHECKING:
    from reader.core.extraction import Extraction, Quote

MAX_TEXT_WIDTH = 100
"""Lines of body text are never wider than this (the reading pane's measure)."""

FOLDED_CELLS = 78
"""A folded furniture paragraph is cut to this many characters (with an ellipsis)."""

_BOLD, _DIM, _ITALIC_DIM, _RESET = "\x1b[1m", "\x1b[2m", "\x1b[2;3m", "\x1b[0m"
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|])")
_MARKDOWN_LINE_START = re.compile(r"^(\s*)(?:([#>+-])|(\d+)([.)]))(?=\s|$)", re.MULTILINE)


def byline(article: Article) -> str:
    """Author · outlet · date, the date saying where it was found when not the front matter."""
    date = article.date_label
    if date and (source := date_source_label(article.date_source)):
        date = f"{date} ({source})"
    return " · ".join(visible(value, 200) for value in (article.author, article.outlet, date) if value)


def all_tags(article: Article, user_tags: Sequence[str]) -> list[str]:
    """The user's tags, then the file's own, each once (the user's spelling first)."""
    seen: set[str] = set()
    tags: list[str] = []
    for tag in (*user_tags, *article.tags):
        if tag.casefold() not in seen:
            seen.add(tag.casefold())
            tags.append(tag)
    return tags


def _paragraphs(article: Article) -> list[tuple[Paragraph, str]]:
    return [
        (paragraph, article.paragraph_text(paragraph))
        for paragraph in article.paragraphs
        if paragraph.kind is not ParagraphKind.TITLE
    ]


def _folded(text: str) -> str:
    return textwrap.shorten(" ".join(text.split()), FOLDED_CELLS, placeholder=" …") or text[:FOLDED_CELLS]


def as_text(article: Article, *, user_tags: Sequence[str] = (), width: int = 0, styled: bool = False) -> str:
    """The article as the reading pane shows it; ``width`` wraps lines (0: one line a
    paragraph), ``styled`` adds ANSI bold and dim for a terminal or ``less -R``."""

    def style(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if styled and text else text

    def wrapped(text: str) -> list[str]:
        if width <= 0:
            return text.splitlines() or [""]
        return [line for part in text.splitlines() for line in (textwrap.wrap(part, width) or [""])]

    lines = [style(line, _BOLD) for line in wrapped(visible(article.title, 2000))]
    lines += [style(line, _DIM) for line in ([byline(article)] if byline(article) else [])]
    if tags := all_tags(article, user_tags):
        lines.append(" ".join(f"#{visible(tag, 60)}" for tag in tags))
    lines += [f"⚠ {visible(warning, 300)}" for warning in article.warnings]
    lines.append(style("─" * (width or 40), _DIM))
    for paragraph, text in _paragraphs(article):
        lines.append("")
        if paragraph.kind is ParagraphKind.FURNITURE:
            lines.append(style(_folded(text), _ITALIC_DIM))
        elif paragraph.kind is ParagraphKind.HEADING:
            lines += [style(line, _BOLD) for line in wrapped(text)]
        else:
            lines += wrapped(text)
    return "\n".join(lines) + "\n"


def markdown_text(text: str) -> str:
    """File text as Markdown that shows it literally: no emphasis, links, HTML or headings."""
    escaped = _MARKDOWN_SPECIAL.sub(r"\\\1", text)
    return _MARKDOWN_LINE_START.sub(_escaped_line_start, escaped)


def _escaped_line_start(match: re.Match[str]) -> str:
    """``# x`` → ``\\# x``, ``1. x`` → ``1\\. x``: a heading or list marker shown as written."""
    indent, marker, number, stop = match.groups()
    return f"{indent}\\{marker}" if marker else f"{indent}{number}\\{stop}"


def _yaml_value(value: object) -> str:
    """A front-matter value: JSON is YAML, and JSON strings escape everything that matters."""
    return json.dumps(value, ensure_ascii=False)


def speaker_of(quote: Quote) -> str:
    return quote.speaker or "speaker not named"


def quote_words(quote: Quote) -> str:
    """The quote on one line, without the comma that led back into the sentence ("…,” she said)."""
    return " ".join(quote.text.split()).rstrip(",;:")


def as_markdown(article: Article, extraction: Extraction | None, *, user_tags: Sequence[str] = ()) -> str:
    """Front matter (title, date, outlet, url, tags), the body, then the quotes with speakers.

    Page furniture is left out: this is the article for someone's notes."""
    front = {
        "title": article.title,
        "date": article.date.isoformat() if article.date is not None else article.date_text,
        "outlet": article.outlet,
        "url": article.url,
        "tags": all_tags(article, user_tags),
    }
    lines = ["---"]
    lines += [f"{key}: {_yaml_value(value)}" for key, value in front.items() if value not in (None, [])]
    lines += ["---", "", f"# {markdown_text(visible(article.title, 2000))}", ""]
    if line := byline(article):
        lines += [f"*{markdown_text(line)}*", ""]
    for paragraph, text in _paragraphs(article):
        if paragraph.kind is ParagraphKind.FURNITURE:
            continue
        prefix = "## " if paragraph.kind is ParagraphKind.HEADING else ""
        lines += [prefix + markdown_text(text).replace("\n", "  \n"), ""]
    if extraction is not None and extraction.quotes:
        lines += ["## Quotes", ""]
        lines += [
            f"- “{markdown_text(quote_words(quote))}” — {markdown_text(speaker_of(quote))}"
            for quote in extraction.quotes
        ]
        lines.append("")
    return "\n".join(lines)


def as_json(article: Article, extraction: Extraction | None, *, user_tags: Sequence[str] = ()) -> dict[str, Any]:
    """Everything ``reader show`` knows of the article, for scripts."""
    return {
        "id": article.id,
        "path": str(article.path),
        "title": article.title,
        "date": article.date.isoformat() if article.date is not None else None,
        "date_text": article.date_text,
        "date_source": article.date_source,
        "outlet": article.outlet,
        "author": article.author,
        "url": article.url,
        "tags": list(article.tags),
        "user_tags": list(user_tags),
        "warnings": list(article.warnings),
        "paragraphs": [{"kind": paragraph.kind.value, "text": text} for paragraph, text in _paragraphs(article)],
        "quotes": [
            {"text": quote.text, "speaker": quote.speaker, "start": quote.start, "end": quote.end}
            for quote in (extraction.quotes if extraction is not None else ())
        ],
        "people": [
            {"name": person.name, "mentions": person.mentions, "quoted": person.quoted}
            for person in (extraction.people if extraction is not None else ())
        ],
    }


def source_line(article: Article) -> str:
    """Where an article can be found again: title, outlet, date, and its address or file."""
    parts = [f"“{visible(article.title, 300)}”"]
    parts += [visible(value, 200) for value in (article.outlet, article.date_label) if value]
    parts.append(visible(article.url or str(article.path), 1000))
    return ", ".join(parts)


def quote_citation(quote: Quote, article: Article) -> str:
    """A quote as people paste it: the words, who said them, and the source line."""
    return f"“{quote_words(quote)}” — {speaker_of(quote)}\n{source_line(article)}"
