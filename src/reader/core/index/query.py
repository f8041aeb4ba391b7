"""The query language, parsed into a small tree without Whoosh (see docs/search.md).

Whoosh's own parser is lenient in ways that surprise (and slow on huge inputs), so the reader has
its own: a linear scan into tokens and a recursive-descent parser with limits on length, words
and nesting. Any string either parses or raises ``QueryError`` with one line for the user.

Grammar (OR binds tighter than AND, as in web search: ``kim OR kanye divorce`` is
``(kim OR kanye) AND divorce``)::

    query   := clause*                        implicit AND (the word AND is allowed too)
    clause  := either (OR either)*
    either  := (NOT | -) either | primary
    primary := ( query ) | field:primary | "phrase" | word | word* | word~ | word~2 | pre*fix
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Literal, Protocol

from reader.core.text import reads_as_western, visible

MAX_QUERY_CHARS = 1_000
MAX_CLAUSES = 64
MAX_DEPTH = 32
MIN_PREFIX = 2  # letters before a *: "a*" would expand to a large part of the vocabulary
MIN_AHEAD = 3  # letters of a word typed before its prefix is worked out ahead (fewer: too many terms to keep)

# name typed -> field searched; "text" is the plain-word default (title, body, names, tags)
FIELDS = {
    "title": "title",
    "body": "body",
    "text": "body",
    "tag": "tags",
    "tags": "tags",
    "person": "people",
    "people": "people",
    "quoted": "quoted",
    "speaker": "quoted",
    "quote": "quotes",
    "quotes": "quotes",
    "highlight": "highlights",
    "highlights": "highlights",
    "note": "notes",
    "notes": "notes",
    "has": "has",
    "outlet": "outlet",
    "source": "outlet",
    "author": "author",
    "by": "author",
    "date": "date",
}
FIELD_HELP = "title:, person:, quoted:, quote:, outlet:, author:, tag:, highlight:, note:, has: or date:"


class QueryError(ValueError):
    """A query the parser cannot take; ``str(error)`` is one line fit to show the user."""


class SearchCancelled(Exception):
    """A search given up because its ``stop`` said so (a newer query was typed)."""


Stop = Callable[[], bool] | None  # asked as a search goes: True gives it up (``SearchCancelled``)


@dataclass(frozen=True, slots=True)
class Word:
    text: str
    field: str | None  # None: the default fields
    kind: Literal["term", "prefix", "fuzzy", "wildcard"] = "term"
    distance: int = 0  # edits allowed, for fuzzy words


@dataclass(frozen=True, slots=True)
class Phrase:
    text: str
    field: str | None


@dataclass(frozen=True, slots=True)
class DateRange:
    start: dt.datetime | None  # inclusive
    end: dt.datetime | None  # exclusive


@dataclass(frozen=True, slots=True)
class All:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class AnyOf:
    items: tuple[Node, ...]


@dataclass(frozen=True, slots=True)
class Not:
    item: Node


@dataclass(frozen=True, slots=True)
class InArticles:
    """``item``, matched only in the articles ``ids``: never typed, made by the library for a
    surname that the corpus links to a person in those articles only."""

    item: Node
    ids: frozenset[str]


Node = Word | Phrase | DateRange | All | AnyOf | Not | InArticles

# --- cleaning ---------------------------------------------------------------------------------

# A pair of surrogates is one character that came through UTF-16 in halves (a clipboard, JSON).
_SURROGATE_PAIR_RE = re.compile("[\ud800-\udbff][\udc00-\udfff]")
# Bytes that were not UTF-8, as ``os.fsdecode`` keeps them in ``sys.argv`` (U+DC80..U+DCFF).
_ESCAPED_BYTES_RE = re.compile("[\udc80-\udcff]+")
# What no index term can hold: controls (tab and newline are spaces already), bidi controls,
# lone surrogates, and U+FFFD, which stands for something that could not be read.
_UNSEARCHABLE_RE = re.compile(
    "[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ud800-\udfff\ufffd]"
)


def _joined_pair(match: re.Match[str]) -> str:
    high, low = (ord(char) for char in match.group())
    return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))


def _as_cp1252(match: re.Match[str]) -> str:
    return bytes(ord(char) - 0xDC00 for char in match.group()).decode("cp1252", "replace")


def clean_query(query: str) -> str:
    """The query as text the index can take, whatever string it came as.

    Bytes that were not UTF-8 are read as cp1252 when the query then reads as Western text (as
    the loader reads such files: ``caf\xe9`` is "café"); otherwise they, lone surrogates,
    control characters and U+FFFD become spaces, so they separate words and never join them.
    """
    if not _UNSEARCHABLE_RE.search(query):
        return query
    query = _SURROGATE_PAIR_RE.sub(_joined_pair, query)
    if _ESCAPED_BYTES_RE.search(query):
        western = _ESCAPED_BYTES_RE.sub(_as_cp1252, query)
        if reads_as_western(_UNSEARCHABLE_RE.sub("", western)):
            query = western
    return _UNSEARCHABLE_RE.sub(" ", query)


# --- tokens -----------------------------------------------------------------------------------

_OPEN_QUOTES = "\"“”„«»"
_CLOSE_QUOTES = "\"”“»«"
_STOP = set("()") | set(_OPEN_QUOTES)
_FIELD_RE = re.compile(r"([A-Za-z_]+):(.*)\Z", re.DOTALL)
_OPERATORS = {"AND": "AND", "&&": "AND", "OR": "OR", "||": "OR", "NOT": "NOT"}


@dataclass(frozen=True, slots=True)
class _Token:
    kind: str  # ( ) AND OR NOT FIELD PHRASE WORD
    text: str = ""


def _shown(text: str) -> str:
    return visible(text, limit=40)


def _tokens(query: str) -> list[_Token]:
    tokens: list[_Token] = []
    position, length = 0, len(query)
    while position < length:
        char = query[position]
        if char.isspace():
            position += 1
        elif char in "()":
            tokens.append(_Token(char))
            position += 1
        elif char in _OPEN_QUOTES:
            end = position + 1
            while end < length and query[end] not in _CLOSE_QUOTES:
                end += 1
            tokens.append(_Token("PHRASE", query[position + 1 : end]))
            position = end + 1
        else:
            end = position
            while end < length and not query[end].isspace() and query[end] not in _STOP:
                end += 1
            position = _chunk_tokens(query[position:end], query, end, tokens)
    return tokens


def _chunk_tokens(chunk: str, query: str, position: int, tokens: list[_Token]) -> int:
    """Turn one space-free chunk into tokens; returns where scanning continues."""
    if chunk in _OPERATORS:
        tokens.append(_Token(_OPERATORS[chunk]))
        return position
    before_group = position < len(query) and query[position] in _STOP - {")"}
    if chunk.startswith("-") and (len(chunk) > 1 or before_group):
        tokens.append(_Token("NOT"))
        chunk = chunk[1:]
        if not chunk:
            return position
    chunk = chunk.lstrip("+")
    field = _FIELD_RE.match(chunk)
    if field and not field.group(2).startswith("//"):
        name = field.group(1).lower()
        if name not in FIELDS:
            raise QueryError(f"unknown field {_shown(field.group(1))}:, use {FIELD_HELP}")
        tokens.append(_Token("FIELD", FIELDS[name]))
        value = field.group(2)
        start = position - len(value)
        if FIELDS[name] == "date" and start < len(query) and query[start] in "[{":
            close = query.find("]" if query[start] == "[" else "}", start)
            end = len(query) if close < 0 else close + 1
            tokens.append(_Token("WORD", query[start:end]))
            return end
        if value:
            return _chunk_tokens(value, query, position, tokens)
        return position
    if chunk:
        tokens.append(_Token("WORD", chunk))
    return position


# --- parsing ----------------------------------------------------------------------------------


class _Parser:
    def __init__(self, tokens: list[_Token]) -> None:
        self.tokens = tokens
        self.position = 0
        self.clauses = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.position] if self.position < len(self.tokens) else None

    def take(self) -> _Token:
        token = self.tokens[self.position]
        self.position += 1
        return token

    def query(self, field: str | None, depth: int) -> Node | None:
        if depth > MAX_DEPTH:
            raise QueryError(f"too many nested parentheses (at most {MAX_DEPTH})")
        items: list[Node] = []
        while (token := self.peek()) is not None and token.kind != ")":
            if token.kind == "AND":
                self.take()  # AND is the default; a dangling one is harmless
                continue
            node = self.either_clause(field, depth)
            if node is not None:
                items.append(node)
        return _combine(All, items)

    def either_clause(self, field: str | None, depth: int) -> Node | None:
        items: list[Node] = []
        first = self.negated(field, depth)
        if first is not None:
            items.append(first)
        while (token := self.peek()) is not None and token.kind == "OR":
            self.take()
            node = self.negated(field, depth)
            if node is not None:
                items.append(node)
        return _combine(AnyOf, items)

    def negated(self, field: str | None, depth: int) -> Node | None:
        token = self.peek()
        if token is not None and token.kind == "NOT":
            self.take()
            inner = self.negated(field, depth + 1)
            return Not(inner) if inner is not None else None
        return self.primary(field, depth)

    def primary(self, field: str | None, depth: int) -> Node | None:
        token = self.peek()
        if token is None:
            return None
        if token.kind in ("AND", "OR", ")"):
            if token.kind != ")":
                self.take()  # an operator with nothing before it: ignored
            return None
        self.take()
        if token.kind == "(":
            inner = self.query(field, depth + 1)
            if (closing := self.peek()) is not None and closing.kind == ")":
                self.take()
            return inner
        if token.kind == "FIELD":
            following = self.peek()
            if following is None or following.kind in ("AND", "OR", ")"):
                raise QueryError(f"{_field_name(token.text)}: needs a word, a \"phrase\" or a (group) after it")
            if token.text == "date":
                value = self.take()
                if value.kind != "WORD":
                    raise QueryError(_DATE_HELP)
                if value.text.casefold() in UNDATED_WORDS:  # date:none, the articles without a date
                    return self.count(Not(DateRange(_EARLIEST, None)))
                return self.count(parse_date(value.text))
            return self.primary(token.text, depth + 1)
        if token.kind == "PHRASE":
            text = token.text.strip()
            return self.count(Phrase(text, field)) if text else None
        return self.count(_word(token.text, field))

    def count(self, node: Node | None) -> Node | None:
        if node is not None:
            self.clauses += 1
            if self.clauses > MAX_CLAUSES:
                raise QueryError(f"too many words in the query (at most {MAX_CLAUSES})")
        return node


def _field_name(field: str) -> str:
    return next(name for name, target in FIELDS.items() if target == field)


def _combine(kind: type[All] | type[AnyOf], items: list[Node]) -> Node | None:
    if not items:
        return None
    if len(items) == 1:
        return items[0]
    return kind(tuple(items))


_FUZZY_RE = re.compile(r"(.+?)~(\d?)\Z", re.DOTALL)


def _word(text: str, field: str | None) -> Word | None:
    fuzzy = _FUZZY_RE.match(text)
    if fuzzy:
        base = fuzzy.group(1)
        distance = int(fuzzy.group(2)) if fuzzy.group(2) else (1 if len(base) < 6 else 2)
        return Word(base, field, "fuzzy", min(max(distance, 1), 2))
    text = text.rstrip("~")
    if "*" not in text:
        return Word(text, field) if text else None
    literal = text.split("*", 1)[0]
    if sum(char.isalnum() for char in literal) < MIN_PREFIX:
        if not text.strip("*"):
            return None  # a lone * means nothing
        raise QueryError(f"{_shown(text)}: put at least {MIN_PREFIX} letters before *")
    if text.endswith("*") and text.count("*") == 1:
        return Word(literal, field, "prefix")
    return Word(text, field, "wildcard")


# --- dates ------------------------------------------------------------------------------------

_DATE_HELP = "dates look like date:2020-09, date:2020-01..2020-06, date:>2020-06-15 or date:none"
UNDATED_WORDS = ("none", "undated")
_EARLIEST = dt.datetime(1000, 1, 1)  # before any article: "dated at all"
_DAY_RE = re.compile(r"(\d{4})(?:[-/.](\d{1,2})(?:[-/.](\d{1,2}))?)?\Z")


def _period(text: str) -> tuple[dt.datetime, dt.datetime]:
    """A year, month or day as ``[start, end)``."""
    match = _DAY_RE.match(text.strip())
    if not match:
        raise QueryError(f"date:{_shown(text)} not understood; {_DATE_HELP}")
    year_text, month_text, day_text = match.groups()
    year = int(year_text)  # the pattern requires a year
    month, day = (int(part) if part else None for part in (month_text, day_text))
    try:
        if month is None:
            return dt.datetime(year, 1, 1), dt.datetime(year + 1, 1, 1)
        start = dt.datetime(year, month, day or 1)
        if day is None:
            return start, dt.datetime(year + month // 12, month % 12 + 1, 1)
        return start, start + dt.timedelta(days=1)
    except (ValueError, OverflowError):
        raise QueryError(f"date:{_shown(text)} is not a real date; {_DATE_HELP}") from None


def parse_date(raw: str) -> DateRange:
    """``2020``, ``2020-09``, ``2020-09-07``, ``A..B``, ``>A``, ``>=A``, ``<A``, ``<=A``, ``[A TO B]``."""
    text = raw.strip()
    if text[:1] in "[{":
        inner = text[1:].rstrip("]}")
        parts = re.split(r"\s+to\s+", inner.strip(), flags=re.IGNORECASE)
        if len(parts) != 2:
            raise QueryError(f"date:{_shown(text)} not understood; {_DATE_HELP}")
        text = f"{parts[0].strip()}..{parts[1].strip()}"
    for operator in (">=", "<=", ">", "<"):
        if text.startswith(operator):
            start, end = _period(text[len(operator) :])
            return {
                ">=": DateRange(start, None),
                ">": DateRange(end, None),
                "<=": DateRange(None, end),
                "<": DateRange(None, start),
            }[operator]
    if ".." in text:
        first, _, last = text.partition("..")
        if not first.strip() and not last.strip():
            raise QueryError(f"date:{_shown(text)} not understood; {_DATE_HELP}")
        low = _period(first)[0] if first.strip() else None
        high = _period(last)[1] if last.strip() else None
        if low and high and high <= low:
            raise QueryError(f"date:{_shown(text)} ends before it starts")
        return DateRange(low, high)
    start, end = _period(text)
    return DateRange(start, end)


def parse(query: str) -> Node | None:
    """The tree of ``query``; None for a blank query. Raises ``QueryError`` for anything else."""
    if len(query) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(query):,} characters; at most {MAX_QUERY_CHARS:,})")
    if not query.strip():
        return None
    cleaned = clean_query(query)
    if not cleaned.strip():
        raise QueryError(f"nothing to search for: the query {_shown(query)!r} has no readable characters")
    query = cleaned
    parser = _Parser(_tokens(query))
    node = None
    while parser.peek() is not None:
        part = parser.query(None, 0)
        if part is not None:
            node = part if node is None else _combine(All, [node, part])
        if (token := parser.peek()) is not None and token.kind == ")":
            parser.take()  # a ) with no ( before it: ignored
    if node is None:
        raise QueryError(f"nothing to search for in {_shown(query.strip())!r}; type some words")
    return node


_TRAILING_WORD_RE = re.compile(rf"(?:^|[\s(])([^\W_]{{{MIN_AHEAD},}})\Z")


def prefix_ahead(typed: str) -> Node | None:
    """The last word of a query being typed, as a prefix (``kard`` -> ``kard*``), when it is a
    plain word of the default fields with at least ``MIN_AHEAD`` letters, outside a phrase;
    None otherwise. What it stands for can be worked out while the user pauses."""
    match = _TRAILING_WORD_RE.search(typed)
    if match is None or typed.count('"') % 2:
        return None
    try:
        return parse(match.group(1) + "*")
    except QueryError:
        return None


class LinkedPerson(Protocol):
    """A person as a search for them should find them (``cross_article.PersonMatch``)."""

    @property
    def spellings(self) -> tuple[str, ...]: ...  # every full spelling in the corpus

    @property
    def linked(self) -> dict[str, tuple[str, ...]]: ...  # a bare surname as written -> its articles


def with_linked_people(node: Node, person_match: Callable[[str], LinkedPerson | None]) -> Node:
    """``person:"Full Name"`` (and ``quoted:``) also finds the person's other spellings and the
    articles that give only their surname, where the corpus links it to them."""
    if isinstance(node, All | AnyOf):
        return type(node)(tuple(with_linked_people(item, person_match) for item in node.items))
    if isinstance(node, Not):
        return Not(with_linked_people(node.item, person_match))
    if not isinstance(node, Phrase) or node.field not in ("people", "quoted") or len(node.text.split()) < 2:
        return node
    match = person_match(node.text)
    if match is None:
        return node
    spellings = [Phrase(spelling, node.field) for spelling in dict.fromkeys((node.text, *match.spellings))]
    linked = [InArticles(Phrase(written, node.field), frozenset(ids)) for written, ids in match.linked.items()]
    return AnyOf((*spellings, *linked)) if len(spellings) + len(linked) > 1 else node
