"""Turning a subject into a speaker: a person, an unnamed source, an organisation or an outlet.

Names are looked up among the article's people, then its organisations and outlets. Pronouns
resolve to who is speaking, not to the nearest name: the person the sentence (or the one before)
opens with, then the current speaker (the last one quoted, person or spokesman), and only then the
latest person of that gender. "It"/"they" are the organisation speaking. An unnamed source takes
the outlet or organisation named with it ("a spokesman for the ministry" -> "source (Ministry of
Defence)" when the article named that ministry), or, as "the source", the outlet of the last one.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from reader.core.extraction.discourse import (
    MASK,
    Context,
    sentence_subject,
    strip_opening,
)
from reader.core.extraction.document import Document, is_common
from reader.core.extraction.lexicons import DAYS, DEMONYMS, GIVEN_NAMES, MONTHS, PLACES
from reader.core.extraction.name_clusters import Mention, PeopleIndex
from reader.core.extraction.organisations import OrganisationIndex, find_organisations
from reader.core.extraction.outlets import CARRY, is_outlet, outlet_name
from reader.core.extraction.quote_marks import QuoteSpan
from reader.core.extraction.subjects import (
    CLAUSE_END,
    DESCRIPTION,
    NAME,
    ORG_NOUN,
    OUTLET_NAME,
    PRONOUN,
    SOURCE_PHRASE,
    Subject,
    forward_subject,
    source_outlet,
)

PERSON, SOURCE, ORGANISATION, OUTLET, NONE = "person", "source", "organisation", "outlet", "none"
SPEAKING_KINDS = (PERSON, SOURCE, ORGANISATION)
_CURRENT_SPEAKER_PARAGRAPHS = 3
_SUBJECT_SENTENCES = 3  # how far back "she" is followed through sentences that open with "She"
_FEMININE = frozenset(
    "actress wife mother mom mum sister daughter girlfriend fiancee fiancée widow heroine businesswoman "
    "spokeswoman chairwoman congresswoman grandmother aunt niece".split()
)
_MASCULINE = frozenset(
    "actor husband father dad brother son boyfriend fiance fiancé widower hero businessman spokesman "
    "chairman congressman grandfather uncle nephew frontman spokesmen".split()
)
_SOURCE_EVENT = re.compile(r"\b(?i:sources?|insiders?|spokes(?:man|woman|person|people|men))\b")
_SOURCE_EVENT_HEAD = re.compile(
    r"(?:\b(?P<det>(?i:a|an|the|one|another|this|that|these|those|two|three|several|multiple|many|some|other))\s+)?"
    r"(?P<mods>(?:(?!(?:a|an|the|this|that)\s)[A-Z][^\s,;:]*[^\s,;:.][ \u00a0]+){0,3})$"
)
_STATEMENT = re.compile(r"\bstatement\b", re.IGNORECASE)
_FUNCTION_WORDS = frozenset(
    "in on at after before during while when but and however since until as by for from with without "
    "speaking asked according if although though yet so then".split()
)
_NOT_SPEAKERS = frozenset({"The", "It", "This", "That", "There", "He", "She", "They", "We", "I"})

_LOOKBACK_MENTIONS = 500
"""How many mentions back a pronoun looks for its person: more than any article names before
one quote, and a bound that keeps a page of nothing but names and pronouns linear."""


@dataclass(slots=True)
class Attribution:
    kind: str  # PERSON, SOURCE, ORGANISATION, OUTLET or NONE
    speaker: str | None
    cluster: int | None = None  # the person's cluster, for "quoted"
    gender: str = "u"
    direct_after: bool = False  # found right after the closing mark


def _without_article(written: str) -> str:
    return written[4:] if written[:4] in ("The ", "the ") else written


def _gender_of_noun(noun: str) -> str:
    """"m", "f", "u" (unknown) or "p": plural, never "he" or "she" ("critics", "officials")."""
    noun = noun.lower().split()[-1] if noun.strip() else ""
    if noun in _FEMININE:
        return "f"
    if noun in _MASCULINE:
        return "m"
    return "p" if noun.endswith("s") and noun not in ("boss", "actress", "hostess", "press") else "u"


def _followed_by_capital(text: str, name: str) -> bool:
    """Whether ``name`` occurs in ``text`` as a whole word followed by a capitalised word."""
    probe = f"{name} "
    position = text.find(probe)
    while position >= 0:
        after = position + len(probe)
        if after < len(text) and text[after].isupper() and (not position or not text[position - 1].isalnum()):
            return True
        position = text.find(probe, position + 1)
    return False


class Resolver:
    """Resolves subjects for one article, remembering who spoke last."""

    def __init__(
        self,
        document: Document,
        spans: list[QuoteSpan],
        people: PeopleIndex,
        context_of: Callable[[int | None], Context],
    ) -> None:
        self.document = document
        self.spans = spans
        self.people = people
        self._organisations: OrganisationIndex | None = None
        self.context_of = context_of
        self.history: list[tuple[int, Attribution]] = []  # (opener, attribution) in text order
        self.mention_starts = [m.start for m in people.mentions]
        self._events: list[tuple[int, str | None, bool]] | None = None
        # Set by the attributor: who the sentence before a quote reports speaking.
        self.reported_before: Callable[[int], Attribution | None] | None = None
        self._looking_back = False
        self._mention_quotes: list[list[int]] | None = None
        self._expanded: dict[str, str] = {}

    @property
    def organisations(self) -> OrganisationIndex:
        """The article's organisations, found the first time a subject needs them."""
        if self._organisations is None:
            self._organisations = find_organisations(self.document.text)
        return self._organisations

    # --- the current speaker ---------------------------------------------------------------
    def spoke(self, index: int, attribution: Attribution) -> None:
        if attribution.kind in SPEAKING_KINDS:
            self.history.append((self.spans[index].opener, attribution))

    def current_speaker(self, position: int, paragraphs: int = _CURRENT_SPEAKER_PARAGRAPHS) -> Attribution | None:
        """Whoever was quoted last before ``position``, if at most ``paragraphs`` paragraphs ago."""
        for opener, attribution in reversed(self.history):
            if opener >= position:
                continue
            distance = self.document.paragraph_of(position) - self.document.paragraph_of(opener)
            return attribution if distance <= paragraphs else None
        return None

    def _speaking_now(self, span: QuoteSpan) -> Attribution | None:
        """The current speaker, if this quote is still in their stretch of text: the same
        paragraph, or the next one when nothing but the quote's own sentence comes first."""
        context = self.context_of(span.parent)
        sentence_start = context.sentence(span.opener)[0]
        paragraph = self.document.paragraph_of(span.opener)
        opens_paragraph = sentence_start <= self.document.paragraphs[paragraph][0]
        return self.current_speaker(span.opener, 1 if opens_paragraph else 0)

    # --- subjects ----------------------------------------------------------------------------
    def resolve(self, subject: Subject, index: int) -> Attribution | None:
        position = self.spans[index].opener
        if subject.kind == OUTLET_NAME:
            return Attribution(OUTLET, subject.text)
        if subject.kind == SOURCE_PHRASE:
            if _STATEMENT.search(subject.text):
                return self._statement(index)
            return self._source(subject)
        if subject.kind == PRONOUN:
            return self._pronoun(subject, index)
        if subject.kind == DESCRIPTION:
            gender = _gender_of_noun(subject.text)
            span = self.spans[index]
            return self._sentence_subject(span, gender) or self._by_recency(gender, span, described=True)
        if subject.kind == ORG_NOUN:
            found = self.organisations.by_noun(subject.text, subject.offset)
            return Attribution(ORGANISATION, found or subject.text)
        if subject.kind == NAME:
            return self._name(subject, position)
        return None

    def _name(self, subject: Subject, position: int) -> Attribution | None:
        for written in subject.text.split("|"):
            written = written.replace("’s", "").replace("'s", "")
            tokens = tuple(t.rstrip(".") if len(t.rstrip(".")) > 1 else t for t in written.split())
            cluster = self.people.resolve(tokens, before=position) if tokens else None
            if cluster is not None:
                return Attribution(PERSON, cluster.name, cluster.id, cluster.gender)
        written = subject.text.split("|")[-1].strip()
        if is_outlet(written):
            return Attribution(OUTLET, outlet_name(written))
        return self._organisation(written)

    def _organisation(self, written: str) -> Attribution | None:
        """A capitalised subject that names no person: an organisation, if it can be one."""
        name = self._expand(_without_article(written.rstrip(".,")))
        words = name.split()
        if not words or words[0] in _NOT_SPEAKERS or name in PLACES or words[0] in MONTHS or words[0] in DAYS:
            return None
        if len(words) == 1 and (name in GIVEN_NAMES or len(name) < 2):
            return None  # a person the article never named in full
        if words[0].lower() in _FUNCTION_WORDS or (len(words) == 1 and (name in DEMONYMS or name.endswith("ing"))):
            return None  # "Speaking in Kent, …", "In November", "Spanish", "Sentencing": no body speaks
        if len(words) == 1 and is_common(name) and not self.organisations.knows(name):
            return None
        return Attribution(ORGANISATION, name)

    def _expand(self, name: str) -> str:
        """``OrganisationIndex.expand``, when the article can hold a longer form of ``name`` (an
        abbreviation, or the name followed by more capitals somewhere): finding the article's
        organisations costs more than this test."""
        if name not in self._expanded:  # once per name: each test reads the whole text
            text = self.document.text
            if name.isupper() or f"({name})" in text or _followed_by_capital(text, name):
                self._expanded[name] = self.organisations.expand(name)
            else:
                self._expanded[name] = name
        return self._expanded[name]

    def _statement(self, index: int) -> Attribution:
        """"The statement said": the organisation that issued it, speaking just before."""
        found = self._organisation_pronoun("it", index)
        return found if found is not None else Attribution(SOURCE, "source")

    def _source(self, subject: Subject) -> Attribution:
        label = subject.outlet
        if subject.organisation_noun:
            label = self.organisations.by_noun(subject.organisation_noun, subject.offset) or subject.organisation_noun
        elif label is not None and label != CARRY:
            label = self._expand(label)
        if label == CARRY or (label is None and subject.definite):
            label = self._outlet_before(subject.offset)
        speaker = f"source ({label})" if label else "source"
        return Attribution(SOURCE, speaker, gender=_gender_of_noun(subject.text))

    # --- pronouns ----------------------------------------------------------------------------
    def _pronoun(self, subject: Subject, index: int) -> Attribution | None:
        """"He"/"she": whoever the sentences before open with, then the current speaker, then
        the latest person of that gender. When the pronoun comes after the quote ("…, she
        said"), the people the quote's own sentence talks about are its content, not its speaker;
        inside a quote, the one quoting is not "he" or "she" either."""
        span = self.spans[index]
        if subject.text in ("it", "they"):
            return self._organisation_pronoun(subject.text, index)
        gender = {"he": "m", "she": "f"}.get(subject.text)
        if gender is None:
            return None
        after = subject.offset > span.opener
        outer = self._outer_speaker(span)
        found = self._sentence_subject(span, gender, skip_own=after)
        if found is not None and (outer is None or found.cluster != outer):
            return found
        current = self._speaking_now(span)
        if current is not None and current.gender in (gender, "u") and (outer is None or current.cluster != outer):
            return current
        excluded = {outer} if outer is not None else set()
        if after:
            excluded |= self._named_in_sentence(span)
        return self._by_recency(gender, span, described=False, excluded=excluded)

    def _outer_speaker(self, span: QuoteSpan) -> int | None:
        if span.parent is None:
            return None
        opener = self.spans[span.parent].opener
        return next((a.cluster for o, a in reversed(self.history) if o == opener), None)

    def _named_in_sentence(self, span: QuoteSpan) -> set[int]:
        """The people named in the quote's sentence before it (outside quotes)."""
        context = self.context_of(span.parent)
        start = context.sentence(span.opener)[0]
        first = bisect_left(self.mention_starts, start)
        stop = bisect_left(self.mention_starts, span.opener)
        return {m.cluster for m in self.people.mentions[first:stop] if not context.is_masked(m.start)}

    def _organisation_pronoun(self, pronoun: str, index: int) -> Attribution | None:
        """"It said" / "they said": the organisation the sentence before has speaking, or the
        last one quoted, or (for "it") the last one named."""
        position = self.spans[index].opener
        if self.reported_before is not None and not self._looking_back:
            self._looking_back = True
            try:
                reported = self.reported_before(index)
            finally:
                self._looking_back = False
            if reported is not None and reported.kind in (ORGANISATION, SOURCE):
                return reported
        current = self.current_speaker(position)
        if current is not None and current.kind == ORGANISATION:
            return current
        if pronoun == "they" and current is not None and current.kind == SOURCE:
            return current
        if pronoun == "it":
            latest = self.organisations.latest(position)
            return Attribution(ORGANISATION, latest) if latest else None
        return None

    def _sentence_subject(self, span: QuoteSpan, gender: str, skip_own: bool = False) -> Attribution | None:
        """Who the quote's sentence, or the ones before it, open with: "Ms Ruiz scored twice.
        She was delighted. “…,” she said" goes back through "She" to Ms Ruiz; "A spokeswoman
        for the agency said … “…,” she said" is the spokeswoman."""
        context = self.context_of(span.parent)
        sentence: tuple[int, int] | None = context.sentence(span.opener)
        if skip_own:
            sentence = context.previous_sentence(span.opener)
        neutral_left = 1
        for _ in range(_SUBJECT_SENTENCES):
            if sentence is None:
                return None
            opener = sentence_subject(context, self.people.mentions, self.mention_starts, sentence)
            if isinstance(opener, str):
                if gender != "u" and {"he": "m", "she": "f"}[opener] != gender:
                    return None
            elif opener is not None and opener.start < span.opener:
                cluster = self.people.clusters[opener.cluster]
                return self.person(opener.cluster) if cluster.gender in (gender, "u") else None
            elif (
                sentence[0] < span.opener
                and not context.between(sentence[0], span.opener).lstrip().startswith(MASK)
                and not self._opens_with_reference(context, sentence)
            ):
                source = self._opening_source(context, sentence, gender)
                if source is not None or neutral_left == 0:
                    return source
                neutral_left -= 1  # "But that did not happen for …": look one sentence further
            sentence = context.previous_sentence(sentence[0])
        return None

    @staticmethod
    def _opens_with_reference(context: Context, sentence: tuple[int, int]) -> bool:
        """Whether a sentence opens with a description or pronoun ("The chief credited…"), which
        itself refers back, so the sentence before says who it is."""
        found = forward_subject(strip_opening(context.between(*sentence)), sentence[0])
        return found is not None and found[0].kind in (DESCRIPTION, PRONOUN)

    def _opening_source(self, context: Context, sentence: tuple[int, int], gender: str) -> Attribution | None:
        """An unnamed source a sentence opens with, if "he"/"she" can be them."""
        text = strip_opening(context.between(*sentence))
        found = forward_subject(text, sentence[1] - len(text))
        if found is None or found[0].kind != SOURCE_PHRASE:
            return None
        source = self._source(found[0])
        return source if source.gender in (gender, "u") else None

    # --- recency -------------------------------------------------------------------------------
    @property
    def mention_quotes(self) -> list[list[int]]:
        """For each mention, the kept quotes it lies in (worked out only if a pronoun needs it)."""
        if self._mention_quotes is None:
            starts = [span.start for span in self.spans]  # in order: spans are sorted by opener
            self._mention_quotes = [self._kept_holding(m.start, starts) for m in self.people.mentions]
        return self._mention_quotes

    def _kept_holding(self, position: int, starts: list[int]) -> list[int]:
        """The kept quotes around ``position``. Quotes nest, so those are the last quote opened
        before it and its enclosing quotes: a bisection and a short walk, not a pass over
        every quote for every mention."""
        holding = []
        at = bisect_right(starts, position) - 1
        index = at if at >= 0 else None
        while index is not None:
            span = self.spans[index]
            if not span.excluded and span.start <= position < span.end:
                holding.append(index)
            index = span.parent
        return sorted(holding)

    def _compatible(self, cluster_id: int, gender: str) -> bool:
        known = self.people.clusters[cluster_id].gender
        return gender == "u" or known == "u" or known == gender

    def _visible_from(self, mention: int, span: QuoteSpan) -> bool:
        """A mention outside every quote that does not also hold ``span``."""
        return all(
            self.spans[index].start <= span.opener and span.end <= self.spans[index].end
            for index in self.mention_quotes[mention]
        )

    def _by_recency(
        self, gender: str, span: QuoteSpan, described: bool, excluded: set[int] | None = None
    ) -> Attribution | None:
        """The person "he"/"she" or "the forward" refers to when nothing better says.

        A description ("the Portuguese forward") most often introduces the person named just
        before; failing a name in the paragraph, the last person quoted, then the last named.
        """
        paragraph = self.document.paragraph_of(span.opener)
        first_paragraph = max(paragraph - 1, 0) if described else paragraph
        paragraph_start = self.document.paragraphs[first_paragraph][0]
        visible = self._visible_before(span, gender, excluded or set())
        latest = next(visible, None)
        if latest is not None and latest.start >= paragraph_start:
            for mention in itertools.chain((latest,), visible):  # the latest that agrees, in the paragraph
                if mention.start < paragraph_start:
                    break
                if self.people.clusters[mention.cluster].gender == gender:
                    return self.person(mention.cluster)
            return self.person(latest.cluster)
        current = self.current_speaker(span.opener)
        if (
            current is not None
            and current.kind == PERSON
            and current.cluster is not None
            and self._compatible(current.cluster, gender)
        ):
            return current
        return self.person(latest.cluster) if latest is not None else None

    def _visible_before(self, span: QuoteSpan, gender: str, excluded: set[int]) -> Iterator[Mention]:
        """The mentions a pronoun before ``span`` may mean, nearest first: walked back from the
        quote, at most ``_LOOKBACK_MENTIONS`` of them, so a pronoun costs the distance to its
        person, not every mention before it."""
        mentions = self.people.mentions
        stop = bisect_left(self.mention_starts, span.opener)
        for number in range(stop - 1, max(stop - _LOOKBACK_MENTIONS, 0) - 1, -1):
            mention = mentions[number]
            if (
                self._compatible(mention.cluster, gender)
                and mention.cluster not in excluded
                and self._visible_from(number, span)
            ):
                yield mention

    def person(self, cluster_id: int) -> Attribution:
        cluster = self.people.clusters[cluster_id]
        return Attribution(PERSON, cluster.name, cluster_id, cluster.gender)

    # --- unnamed sources and their outlets -------------------------------------------------
    @property
    def events(self) -> list[tuple[int, str | None, bool]]:
        """Every "a source"/"the insider" in the text: (position, outlet or None, definite)."""
        if self._events is None:
            text = self.document.text
            self._events = []
            for match in _SOURCE_EVENT.finditer(text):
                head = _SOURCE_EVENT_HEAD.search(text, max(0, match.start() - 60), match.start())
                determiner, mods = (head.group("det"), head.group("mods")) if head else (None, "")
                clause = CLAUSE_END.split(text[match.end() : match.end() + 140], maxsplit=1)[0]
                subject = Subject(SOURCE_PHRASE, match.group(), match.start())
                source_outlet(subject, mods, clause)
                if subject.organisation_noun:
                    subject.outlet = self.organisations.by_noun(subject.organisation_noun, match.start())
                definite = determiner is not None and determiner.lower() in ("the", "this", "that", "these", "those")
                self._events.append((match.start(), subject.outlet, definite))
        return self._events

    def _outlet_before(self, position: int) -> str | None:
        state: str | None = None
        for event_position, outlet, definite in self.events:
            if event_position >= position:
                break
            if outlet and outlet != CARRY:
                state = outlet
            elif not definite and outlet is None:
                state = None
        return state
