"""The answers the corpus analysis gives: plain frozen dataclasses for the CLI and the app."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

if TYPE_CHECKING:  # wording builds on these values; the field below only names its type
    from reader.core.cross_article.wording import WordingComparison

Bucket = Literal["day", "week", "month"]


@dataclass(frozen=True, slots=True)
class QuoteOccurrence:
    """One quote where it stands in one article: enough to list it, export it or jump to it."""

    article_id: str
    title: str
    text: str
    start: int  # offsets into that article's Article.text
    end: int
    speaker: str | None
    outlet: str | None
    date: dt.date | dt.datetime | None
    cluster_id: int | None  # None for quotes too short to match across articles
    cluster_articles: int  # how many articles carry this quote, this one included
    # How its words compare with the earliest copy of them (``wording``): None when no other
    # article carries the quote. Changes are kept for a "changed" copy only: a shortened or
    # extended copy's cut or added ends are read off its text.
    wording: WordingComparison | None = None

    @property
    def reworded(self) -> bool:
        """Whether an outlet changed words inside the quote (not only cut or added at its ends)."""
        return self.wording is not None and self.wording.wording == "changed"


@dataclass(frozen=True, slots=True)
class QuoteCluster:
    """The same quote as carried by several articles, exactly or nearly."""

    id: int
    text: str  # the representative wording: the one most articles carry; on a tie, not a reworded one, the longest
    members: tuple[QuoteOccurrence, ...]  # in order of appearance: dated first, by date, then file order
    article_count: int
    outlet_count: int
    speakers: tuple[tuple[str, int], ...] = ()  # (speaker, articles crediting them), best supported first
    unnamed: int = 0  # articles that name no speaker for it

    @property
    def speaker(self) -> str | None:
        """The speaker most of its articles credit (spellings of one person counted together)."""
        return self.speakers[0][0] if self.speakers else None

    @property
    def speakers_disagree(self) -> bool:
        """Whether its articles credit it to different speakers."""
        return len(self.speakers) > 1

    @property
    def first(self) -> QuoteOccurrence:
        """Where the quote first appeared: the earliest dated article, else the first file."""
        return self.members[0]

    @property
    def reworded_ids(self) -> tuple[str, ...]:
        """The articles whose copy changed words inside the quote, in order of appearance."""
        return tuple(dict.fromkeys(member.article_id for member in self.members if member.reworded))

    @property
    def significant(self) -> bool:
        """Whether some copy's change may alter the meaning (a negation, a number, a name)."""
        return any(member.wording is not None and member.wording.significant for member in self.members)

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(member.article_id for member in self.members))

    def elsewhere(self, article_id: str) -> tuple[QuoteOccurrence, ...]:
        """One occurrence in each other article: the targets of "also in N articles"."""
        seen = {article_id}
        found = []
        for member in self.members:
            if member.article_id not in seen:
                seen.add(member.article_id)
                found.append(member)
        return tuple(found)


@dataclass(frozen=True, slots=True)
class PersonAcross:
    """One person over many articles: how often named, how often quoted, and where."""

    name: str  # the spelling most articles use
    article_count: int
    mention_count: int
    quote_count: int  # quotes attributed to them
    quoted: bool  # False: only mentioned
    article_ids: tuple[str, ...]  # in file order
    spellings: tuple[str, ...] = ()  # other ways articles write their full name ("George Bush")
    linked_ids: tuple[str, ...] = ()  # articles that give only their surname, linked to them
    shared_by: tuple[str, ...] = ()  # a bare surname left unlinked: the people who share it


@dataclass(frozen=True, slots=True)
class DuplicateMember:
    article_id: str
    title: str
    outlet: str | None
    date: dt.date | dt.datetime | None
    similarity: float  # estimated share of word 4-grams in common with the representative


@dataclass(frozen=True, slots=True)
class DuplicateGroup:
    """Articles that are largely the same text; the earliest stands for the rest."""

    members: tuple[DuplicateMember, ...]  # the representative first, then by date and file order

    @property
    def representative(self) -> DuplicateMember:
        return self.members[0]

    @property
    def article_ids(self) -> tuple[str, ...]:
        return tuple(member.article_id for member in self.members)


@dataclass(frozen=True, slots=True)
class TimelineBucket:
    start: dt.date  # first day of the day, week (Monday) or month
    label: str  # "2020-09-07", "2020-W37" or "2020-09"
    article_ids: tuple[str, ...]

    @property
    def count(self) -> int:
        return len(self.article_ids)


@dataclass(frozen=True, slots=True)
class Timeline:
    """Articles per day, week or month, every bucket from the first to the last date present."""

    bucket: Bucket
    buckets: tuple[TimelineBucket, ...]
    undated_ids: tuple[str, ...]  # counted apart: no bar can place them

    @property
    def undated(self) -> int:
        return len(self.undated_ids)

    @property
    def dated(self) -> int:
        return sum(bucket.count for bucket in self.buckets)
