"""What one article contributes to the cross-article analysis, computed where it is indexed.

``analysis_record`` is pure and its result is small and picklable, so the index build can run it
in worker processes next to extraction; the store (``CorpusAnalysis``) only ever sees records.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from reader.core.cross_article.neardup import signature
from reader.core.cross_article.normalise import key_grams, name_key, quote_key, quote_words
from reader.core.models import Article


class QuoteLike(Protocol):
    """The part of ``reader.core.extraction.Quote`` this package reads."""

    @property
    def text(self) -> str: ...

    @property
    def start(self) -> int: ...

    @property
    def end(self) -> int: ...

    @property
    def speaker(self) -> str | None: ...


class PersonLike(Protocol):
    """The part of ``reader.core.extraction.Person`` this package reads."""

    @property
    def name(self) -> str: ...

    @property
    def mentions(self) -> int: ...

    @property
    def quoted(self) -> bool: ...

    @property
    def name_kind(self) -> str: ...

    @property
    def gender(self) -> str: ...


MAX_ATTRIBUTION_CHARS = 100
MAX_ATTRIBUTION_WORDS = 12


class ExtractionLike(Protocol):
    """The part of ``reader.core.extraction.Extraction`` this package reads."""

    @property
    def quotes(self) -> Iterable[QuoteLike]: ...

    @property
    def people(self) -> Iterable[PersonLike]: ...


@dataclass(frozen=True, slots=True)
class QuoteKey:
    """One quote of an article, with the key it is matched across articles by."""

    text: str  # as written in the article
    start: int  # offsets into Article.text
    end: int
    speaker: str | None
    key: str  # normalised words; "" when the quote is too short to match across articles
    grams: frozenset[int]  # hashed word 3-grams of the key, computed here to spare the store
    continues: bool = False  # goes on from the quote before: "…,” she said. “…" splits one statement


@dataclass(frozen=True, slots=True)
class PersonKey:
    """One person an article names, as extraction counted them."""

    name: str
    key: str  # the name folded for grouping across articles
    mentions: int
    quoted: bool
    name_kind: str = "full"  # "full", "surname" (the article gives no more) or "single"
    gender: str = "u"  # "m", "f" or "u", from a gendered title or the given name


@dataclass(frozen=True, slots=True)
class ArticleAnalysis:
    """Everything the cross-article views need from one article."""

    id: str
    title: str
    outlet: str | None
    date: dt.date | dt.datetime | None
    fingerprint: str  # Article.fingerprint, so a later sync can skip unchanged articles
    quotes: tuple[QuoteKey, ...]
    people: tuple[PersonKey, ...]
    signature: bytes  # near-duplicate MinHash (see neardup); b"" for very short texts


def analysis_record(article: Article, extraction: ExtractionLike) -> ArticleAnalysis:
    """Reduce an article and its extraction to the record the corpus analysis stores."""
    body = article.body_paragraphs
    prose = "\n\n".join(article.paragraph_text(p) for p in body) if body else article.text
    return ArticleAnalysis(
        id=article.id,
        title=article.title,
        outlet=article.outlet,
        date=article.date,
        fingerprint=article.fingerprint,
        quotes=_quote_keys(article.text, extraction.quotes),
        people=tuple(
            PersonKey(
                name=person.name,
                key=name_key(person.name),
                mentions=int(person.mentions),
                quoted=bool(person.quoted),
                name_kind=person.name_kind,
                gender=person.gender,
            )
            for person in extraction.people
        ),
        signature=signature(prose),
    )


def _quote_keys(text: str, quotes: Iterable[QuoteLike]) -> tuple[QuoteKey, ...]:
    """Key each quote, and mark those that only an attribution separates from the one before.

    Outlets split one statement differently ("…,” a source told People. “…" against one long
    quote), so a statement's parts are linked wherever an article shows them side by side.
    """
    keys: list[QuoteKey] = []
    previous: QuoteLike | None = None
    for quote in sorted(quotes, key=lambda quote: (quote.start, quote.end)):
        continues = False
        if previous is not None and quote.start >= previous.end:
            gap = text[previous.end : quote.start]
            continues = (
                _same_speaker(previous.speaker, quote.speaker)
                and len(gap) <= MAX_ATTRIBUTION_CHARS
                and len(quote_words(gap)) <= MAX_ATTRIBUTION_WORDS
            )
        key = quote_key(quote.text)
        keys.append(
            QuoteKey(quote.text, quote.start, quote.end, quote.speaker, key, key_grams(key), continues)
        )
        if previous is None or quote.end > previous.end:  # a quote nested in another is no break
            previous = quote
    return tuple(keys)


def _same_speaker(first: str | None, second: str | None) -> bool:
    """Whether two quotes can be one person's words: no speaker named against them."""
    return first is None or second is None or name_key(first) == name_key(second)
