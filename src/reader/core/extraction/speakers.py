"""Who said each quote: the attribution the text gives, or None when it gives none.

Each quote is read in its own context: the article for a top-level quote, the enclosing quote's
words for a nested one, with the other quotes of that level blanked out so their words cannot
pass for attribution. The attribution is looked for, in order:

1. for a quote that itself quotes speech, the outlet or article it comes from ("Vanity Fair
   reports, “…‘…’…”");
2. right after the closing mark ("…,” she said / said the source / a source told People);
3. before the opening mark in the same sentence (Kim told Vogue: “…” / the source adds: '…');
4. after a later quote of the same sentence (‘…’ and ‘…,’ the source added);
5. from the quote just before, when this one continues it without attribution of its own.

Unnamed sources become "source", or "source (Outlet)" when an outlet is named with them or, for
"the source"/"the insider", was named with the last source before. Passive reporting
("are said to be", "reportedly") gives no speaker.
"""

from __future__ import annotations

import itertools
import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterator
from dataclasses import dataclass

from reader.core.extraction.document import Document, is_common
from reader.core.extraction.lexicons import (
    ADVERBS,
    NAME_PARTICLES,
    NATIONALITY_NOUNS,
    ORG_SPEAKER_NOUNS,
    OUTLETS,
    ROLE_NOUNS,
    SOURCE_NOUNS,
    SPEECH_VERBS,
)
from reader.core.extraction.people import Mention, PeopleIndex
from reader.core.extraction.quotes import QuoteSpan

PERSON, SOURCE, OUTLET, NONE = "person", "source", "outlet", "none"
_MASK = "§"


def _alternation(words: frozenset[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_VERB_FORMS = _alternation(SPEECH_VERBS)
_WORD = re.compile(r"\w+")
_VERB_AT_START = re.compile(rf"(?:{_VERB_FORMS})\b")
_ADVERB_TAIL = re.compile(rf"\s*\b(?:{_alternation(ADVERBS)})\s*$")
_ADVERB_WORDS = _alternation(ADVERBS)
_APPOSITIVE_TAIL = re.compile(r",\s[^,]{1,80},?\s*$")
_ENDS_WITH_NAME = re.compile(r"[A-Z][\w’'.-]*$")
_OF_ORGANISATION = re.compile(r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s+(?:of|at|from|with)\s+$")
_INVERTING_VERBS = frozenset(
    "said says added adds wrote writes asked asks continued continues explained explains replied "
    "recalled noted notes insisted insists concluded".split()
)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+\s+)?$")
_PASSIVE_AFTER = re.compile(r"^\s+to\s+(?:be|have)\b")
_HEARSAY = re.compile(r"\b(?:reportedly|allegedly|rumou?red|supposedly)\b")
_OUTLET = re.compile(rf"(?<![\w])(?:{_alternation(set(OUTLETS))})(?![\w])", re.IGNORECASE)
_OUTLETS_BY_LAST_WORD: dict[str, list[str]] = {}
for _form in sorted(OUTLETS, key=len, reverse=True):
    _OUTLETS_BY_LAST_WORD.setdefault(_form.split()[-1].rstrip("!"), []).append(_form)
_DETERMINER = r"(?i:a|an|the|one|another|this|that|these|those|two|three|several|multiple|many|some|other)"
_SOURCE_NOUN = rf"(?i:{_alternation(SOURCE_NOUNS)})"
_KIN_SOURCE = re.compile(
    rf"\b(?i:my|his|her|their|our)\s+(?:{_alternation(ROLE_NOUNS | SOURCE_NOUNS | {'mom', 'mum', 'dad', 'family', 'publicist'})})s?\b"
)
_SOURCE_FORWARD = re.compile(
    rf"(?P<det>{_DETERMINER}\s+)?(?P<mods>(?:(?!(?:a|an|the|this|that|who|said|says|told)\s)[^\s,;:]+\s+){{0,4}}?)"
    rf"(?P<noun>{_SOURCE_NOUN})\b"
)
_SOURCE_BACKWARD = re.compile(
    rf"(?:\b(?P<det>{_DETERMINER})\s+)?(?P<mods>(?:(?!(?:a|an|the|this|that)\s)[^\s,;:]+\s+){{0,4}})"
    rf"(?P<noun>{_SOURCE_NOUN})(?P<post>\s+(?:who|close|familiar|with|from|at|in|for|to|inside|near)\b[^,;:]{{0,80}})?$"
)
_SOURCE_EVENT = re.compile(r"\b(?i:sources?|insiders?)\b")
_SOURCE_NOUN_WORD = re.compile(rf"\b{_SOURCE_NOUN}\b")
_SOURCE_EVENT_HEAD = re.compile(
    rf"(?:\b(?P<det>{_DETERMINER})\s+)?(?P<mods>(?:(?!(?:a|an|the|this|that)\s)[A-Z][^\s,;:]*[^\s,;:.][ \u00a0]+){{0,3}})$"
)
_OUTLET_AFTER = re.compile(r"\b(?:told|tells|telling|to|with|for|from|by)\s+(?:the\s+)?(?=\S)")
_THE_OUTLET = re.compile(r"^the\s+(?:magazine|outlet|publication|site|paper|newspaper|network|tabloid)\b")
_PARTICLES = _alternation(NAME_PARTICLES)
_NAME_FORWARD = re.compile(rf"[A-Z][\w’'.!-]*(?:\s+(?:[A-Z][\w’'.!-]*|(?:{_PARTICLES})\s+[A-Z][\w’'.!-]*))*")
_NAME_BACKWARD = re.compile(rf"[A-Z][\w’'.!-]*(?:\s+(?:[A-Z][\w’'.!-]*|(?:{_PARTICLES})(?=\s+[A-Z])))*$")
_DESCRIBED_WORDS = ROLE_NOUNS | ORG_SPEAKER_NOUNS | NATIONALITY_NOUNS | {"year-old"}
_DESCRIBED = _alternation(_DESCRIBED_WORDS)
_DESCRIPTION_FORWARD = re.compile(rf"[Tt]he\s+(?:[\w’'-]+\s+){{0,3}}(?P<noun>{_DESCRIBED})\b")
_DESCRIPTION_BACKWARD = re.compile(rf"\b[Tt]he\s+(?:[\w’'-]+\s+){{0,3}}?(?P<noun>{_DESCRIBED})$")
_PRONOUN_FORWARD = re.compile(r"(?P<pronoun>he|she|they|I|we)\b")
_PRONOUN_BACKWARD = re.compile(r"\b(?P<pronoun>[Hh]e|[Ss]he|[Tt]hey|I|[Ww]e)$")
_AFTER_SUBJECT = re.compile(
    rf"(?:\s+(?:who|close|familiar|with|from|at|in|for|to|inside)\b[^,;:]*?)?(?:,\s[^,]{{1,80}},)?\s*"
    rf"(?:(?:{_ADVERB_WORDS})\s+)*(?:{_VERB_FORMS})\b"
)
_NAME_THEN_VERB = re.compile(
    rf"(?:[A-Z][\w’'.&-]*\s+){{0,3}}(?:(?:{_alternation(ROLE_NOUNS)})\s+){{1,3}}"
    rf"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})(?:,\s[^,]{{1,80}},)?\s+"
    rf"(?:(?:{_ADVERB_WORDS})\s+)*(?:{_VERB_FORMS})\b"
)
_EARLIER_ARTICLE = re.compile(
    r"\b(?:an?|the|our)\s+(?:earlier|previous|recent|prior|past)\s+([A-Z][\w!.&’'-]*(?:\s+[A-Z][\w!.&’'-]*)*)"
    r"\s+(?:article|report|story|piece|post|interview)\b"
)
# A sentence ends at . ! ? … before a capital, except after "E!", "Mr.", "U.S." and the like.
_BOUNDARY = re.compile(r"[.!?…][”’\"')\]" + _MASK + r"]*\s+(?=[^a-z\s])|\n")
_NOT_AN_END = ("Mrs", "Mr", "Ms", "Dr", "St", "Hello", "OK", "Yahoo")


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the mark at ``stop`` ends "E!", "Mr." or "U.S." rather than a sentence."""
    if text[stop] == "\n" or not stop or not text[stop - 1].isupper() and not text[stop - 1].isalpha():
        return False
    before = text[max(0, stop - 6) : stop]
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("“‘\"'(")
    return (len(word) == 1 and word.isupper()) or word in _NOT_AN_END or (len(word) > 1 and word[-2] == ".")
_CLAUSE_END = re.compile(r"(?<!\b[A-Z])(?<!\bHello)(?<!\bOK)(?<!\bYahoo)[.;!?\n]")
_FEMININE = frozenset("actress wife mother mom mum sister daughter girlfriend fiancee fiancée widow heroine businesswoman spokeswoman chairwoman congresswoman grandmother aunt niece".split())
_MASCULINE = frozenset("actor husband father dad brother son boyfriend fiance fiancé widower hero businessman spokesman chairman congressman grandfather uncle nephew frontman".split())
_CARRY = "carry"  # "the magazine": the outlet named last


@dataclass(slots=True)
class Subject:
    """Who a clause says is speaking, before it is resolved to a person, source or outlet."""

    kind: str  # pronoun, outlet, source, description, name
    text: str
    offset: int  # absolute position in the article
    outlet: str | None = None
    definite: bool = False


@dataclass(slots=True)
class Attribution:
    kind: str  # PERSON, SOURCE, OUTLET or NONE
    speaker: str | None
    cluster: int | None = None  # the person's cluster, for "quoted"
    direct_after: bool = False  # found right after the closing mark


def outlet_name(written: str) -> str:
    """An outlet as the gold writes it: "PEOPLE Magazine" -> "People", "DailyMail.com" -> "Daily Mail"."""
    written = written.strip()
    known = OUTLETS.get(written.casefold())
    if known:
        return known
    for suffix in (" magazine", " Magazine", ".com", ".co.uk"):
        if written.endswith(suffix):
            return outlet_name(written[: -len(suffix)])
    return written


def _outlet_in(text: str) -> str | None:
    """The first outlet named with a capital in ``text``."""
    for match in _OUTLET.finditer(text):
        if match.group()[:1].isupper():
            return outlet_name(match.group())
    return None


def _outlet_ending(text: str) -> str | None:
    """The outlet name that ``text`` ends with, as written (capitalised), if any."""
    last = text[-40:].split()
    if not last:
        return None
    folded = text[-40:].casefold()
    for form in _OUTLETS_BY_LAST_WORD.get(last[-1].casefold().rstrip("!"), ()):
        if folded.endswith(form) and (len(folded) == len(form) or not folded[-len(form) - 1].isalnum()):
            written = text[len(text) - len(form) :]
            return written if written[:1].isupper() else None
    return None


def _outlet_after(clause: str) -> str | None:
    """An outlet the clause says the words went to: "told People", "who spoke with E! News"."""
    for match in _OUTLET_AFTER.finditer(clause):
        rest = clause[match.end() :]
        if _THE_OUTLET.match(clause[match.end() - 4 :].lstrip()) or _THE_OUTLET.match(rest):
            return _CARRY
        outlet = _OUTLET.match(rest)
        if outlet and outlet.group()[:1].isupper():
            return outlet_name(outlet.group())
    return None


def _source_outlet(mods: str, clause: str) -> str | None:
    if mods.strip():
        outlet = _outlet_in(mods)
        if outlet:
            return outlet
        capitals = [w for w in mods.split() if w[:1].isupper() and not is_common(w) and not w.isdigit()]
        if capitals:
            return outlet_name(" ".join(capitals))
    return _outlet_after(clause)


def _is_definite(determiner: str | None) -> bool:
    return bool(determiner) and determiner.strip().lower() in ("the", "this", "that", "these", "those")


def _forward_subject(text: str, offset: int) -> tuple[Subject, int] | None:
    """The subject at the start of ``text``, and where it ends."""
    if match := _PRONOUN_FORWARD.match(text):
        return Subject("pronoun", match.group("pronoun"), offset), match.end()
    if match := _KIN_SOURCE.match(text):
        return Subject("source", match.group(), offset), match.end()
    outlet = _OUTLET.match(text[4:] if text.startswith("the ") else text)
    if outlet and outlet.group()[:1].isupper():
        skip = 4 if text.startswith("the ") else 0
        return Subject("outlet", outlet_name(outlet.group()), offset), skip + outlet.end()
    if _SOURCE_NOUN_WORD.search(text, 0, 80) and (match := _SOURCE_FORWARD.match(text)):
        clause = _CLAUSE_END.split(text[match.end() :], maxsplit=1)[0]
        outlet = _source_outlet(match.group("mods"), clause[:120])
        return Subject("source", match.group(), offset, outlet, _is_definite(match.group("det"))), match.end()
    if match := _DESCRIPTION_FORWARD.match(text):
        return Subject("description", match.group("noun").lower(), offset), match.end()
    if match := _NAME_FORWARD.match(text):
        return Subject("name", match.group(), offset), match.end()
    return None


def _backward_subject(text: str, offset: int) -> Subject | None:
    """The subject that ends ``text`` (the words just before a speech verb)."""
    head = text.rstrip()
    while True:
        trimmed = _ADVERB_TAIL.sub("", head)
        if trimmed == head:
            break
        head = trimmed.rstrip()
    for _ in range(3):  # "Holloway, D-Ore., who chairs the committee," -> "Holloway"
        appositive = _APPOSITIVE_TAIL.search(head)
        if not appositive or not _ENDS_WITH_NAME.search(head, 0, appositive.start()):
            break
        head = head[: appositive.start()].rstrip()
    head = head.rstrip(" ,")
    window_start = max(0, len(head) - 120)
    window = head[window_start:]
    base = offset + window_start
    tail = window.rsplit(None, 1)[-1] if window.strip() else ""
    if tail.lower() in ("he", "she", "they", "i", "we") and (match := _PRONOUN_BACKWARD.search(window, len(window) - len(tail) - 1)):
        return Subject("pronoun", match.group("pronoun").lower(), base + match.start())
    if match := _KIN_SOURCE.search(window):
        if match.end() == len(window):
            return Subject("source", match.group(), base + match.start())
    if outlet := _outlet_ending(window):
        return Subject("outlet", outlet_name(outlet), base + len(window) - len(outlet))
    if _SOURCE_NOUN_WORD.search(window) and (match := _SOURCE_BACKWARD.search(window)):
        clause = match.group("post") or ""
        outlet = _source_outlet(match.group("mods"), clause)
        return Subject("source", match.group(), base + match.start(), outlet, _is_definite(match.group("det")))
    if tail.lower() in _DESCRIBED_WORDS and (match := _DESCRIPTION_BACKWARD.search(window, max(0, len(window) - 60))):
        return Subject("description", match.group("noun").lower(), base + match.start())
    if tail[:1].isupper() and (match := _NAME_BACKWARD.search(window, max(0, len(window) - 80))):
        holder = _OF_ORGANISATION.search(window, 0, match.start())
        if holder:  # "Morgan Reyes of Wedbush Securities said": the person, not the firm
            return Subject("name", f"{holder.group(1)}|{match.group()}", base + holder.start())
        return Subject("name", match.group(), base + match.start())
    return None


class _Context:
    """One level of quoting: its text with the quotes of that level blanked out, and sentences."""

    def __init__(self, text: str, start: int, end: int, siblings: list[QuoteSpan]) -> None:
        pieces: list[str] = []
        position = start
        for span in sorted(siblings, key=lambda s: s.start):
            content = text[span.start : span.end].rstrip()
            final = content[-1:] if content[-1:] in (".", "!", "?", "…") else ""
            pieces.append(text[position : span.start])
            if final:
                masked = len(content) - 1
                pieces.append(_MASK * masked + final + _MASK * (span.end - span.start - masked - 1))
            else:
                pieces.append(_MASK * (span.end - span.start))
            position = span.end
        pieces.append(text[position:end])
        self.start = start
        self.masked = "".join(pieces)
        masked = self.masked
        ends = [m.end() for m in _BOUNDARY.finditer(masked) if not _is_abbreviation(masked, m.start())]
        self.boundaries = [0, *ends, len(masked)]

    def sentence(self, position: int) -> tuple[int, int]:
        """Absolute start and end of the sentence holding absolute ``position``."""
        relative = position - self.start
        index = bisect_right(self.boundaries, relative) - 1
        start = self.boundaries[max(index, 0)]
        end = self.boundaries[min(index + 1, len(self.boundaries) - 1)]
        return self.start + start, self.start + end

    def between(self, start: int, end: int) -> str:
        return self.masked[start - self.start : end - self.start]


_WINDOW_CHARS = 1000
"""The most of a sentence read on either side of a quote for its attribution (sentences of
prose are far shorter)."""

_LOOKBACK_MENTIONS = 500
"""How many mentions back a pronoun looks for its person: more than any article names before
one quote, and a bound that keeps a page of nothing but names and quotes linear."""


class _Attributor:
    def __init__(self, document: Document, spans: list[QuoteSpan], people: PeopleIndex) -> None:
        self.document = document
        self.text = document.text
        self.spans = spans
        self.people = people
        self.kept = [i for i, span in enumerate(spans) if not span.excluded]
        self.contexts: dict[int | None, _Context] = {}
        self.events = self._source_events()
        self.results: dict[int, Attribution] = {}
        self.hearsay: set[int] = set()
        self.person_speakers: list[tuple[int, int]] = []  # (opener, cluster) in text order
        self._mention_quotes: list[list[int]] | None = None
        self._kept_starts: list[int] | None = None
        self._mention_starts = [m.start for m in people.mentions]  # in text order

    @property
    def mention_quotes(self) -> list[list[int]]:
        """For each mention, the kept quotes it lies in (worked out only if a pronoun needs it)."""
        if self._mention_quotes is None:
            self._mention_quotes = [self._quotes_holding(m.start) for m in self.people.mentions]
        return self._mention_quotes

    def _quotes_holding(self, position: int) -> list[int]:
        """The kept quotes around ``position``: quotes nest, so they are the last quote opened
        before it and that quote's enclosing quotes (a bisection and a short walk, not a pass
        over every quote)."""
        if self._kept_starts is None:
            self._kept_starts = [self.spans[i].start for i in self.kept]
        at = bisect_right(self._kept_starts, position) - 1
        holding: list[int] = []
        index = self.kept[at] if at >= 0 else None
        while index is not None:
            span = self.spans[index]
            if span.start <= position < span.end:
                holding.append(index)
            index = span.parent
        return holding

    # --- contexts and windows -------------------------------------------------------------
    def context(self, parent: int | None) -> _Context:
        if parent not in self.contexts:
            siblings = [self.spans[i] for i in self.kept if self.spans[i].parent == parent]
            if parent is None:
                self.contexts[parent] = _Context(self.text, 0, len(self.text), siblings)
            else:
                outer = self.spans[parent]
                self.contexts[parent] = _Context(self.text, outer.start, outer.end, siblings)
        return self.contexts[parent]

    def windows(self, index: int) -> tuple[str, int, str, int, tuple[int, int]]:
        """(text before the quote in its sentence, its offset, text after, its offset, sentence)."""
        span = self.spans[index]
        context = self.context(span.parent)
        sentence = context.sentence(span.opener)
        after_start = min(span.outer_end, context.start + len(context.masked))
        after_sentence_end = context.sentence(max(after_start - 1, sentence[0]))[1]
        # A run-on "sentence" (a page of quotes with no full stop) is read only near the quote.
        before_start = max(sentence[0], span.opener - _WINDOW_CHARS)
        after_end = min(max(after_sentence_end, after_start), after_start + _WINDOW_CHARS)
        before = context.between(before_start, span.opener)
        after = context.between(after_start, after_end)
        if not after.strip(" ,.;:!?\n" + _MASK) and span.parent is not None:
            parent = self.spans[span.parent]
            if not self.text[span.outer_end : parent.end].strip(" ,.;:!?’”'\""):
                return before, before_start, *self.windows(span.parent)[2:4], sentence
        return before, before_start, after, after_start, sentence

    # --- unnamed sources and their outlets -------------------------------------------------
    def _source_events(self) -> list[tuple[int, str | None, bool]]:
        """Every "a source"/"the insider" in the text: (position, outlet or None, definite)."""
        events = []
        for match in _SOURCE_EVENT.finditer(self.text):
            head = _SOURCE_EVENT_HEAD.search(self.text, max(0, match.start() - 60), match.start())
            determiner, mods = (head.group("det"), head.group("mods")) if head else (None, "")
            clause = _CLAUSE_END.split(self.text[match.end() : match.end() + 140], maxsplit=1)[0]
            events.append((match.start(), _source_outlet(mods, clause), _is_definite(determiner)))
        return events

    def _outlet_before(self, position: int) -> str | None:
        state: str | None = None
        for event_position, outlet, definite in self.events:
            if event_position >= position:
                break
            if outlet and outlet != _CARRY:
                state = outlet
            elif not definite and outlet is None:
                state = None
        return state

    # --- resolving a subject ---------------------------------------------------------------
    def resolve(self, subject: Subject, index: int) -> Attribution | None:
        span = self.spans[index]
        if subject.kind == "outlet":
            return Attribution(OUTLET, subject.text)
        if subject.kind == "source":
            outlet = subject.outlet
            if outlet == _CARRY or (outlet is None and subject.definite):
                outlet = self._outlet_before(subject.offset)
            return Attribution(SOURCE, f"source ({outlet})" if outlet else "source")
        if subject.kind == "pronoun":
            gender = {"he": "m", "she": "f"}.get(subject.text)
            return self._person_by_recency(gender, span, described=False) if gender else None
        if subject.kind == "description":
            if subject.text in ORG_SPEAKER_NOUNS:
                return Attribution(SOURCE, "source")
            gender = "f" if subject.text in _FEMININE else "m" if subject.text in _MASCULINE else "u"
            return self._person_by_recency(gender, span, described=True)
        for written in subject.text.split("|"):
            written = written.replace("’s", "").replace("'s", "")
            tokens = tuple(t.rstrip(".") if len(t.rstrip(".")) > 1 else t for t in written.split())
            cluster = self.people.resolve(tokens, before=span.opener)
            if cluster is not None:
                return Attribution(PERSON, cluster.name, cluster.id)
        subject.text = subject.text.split("|")[-1]
        outlet = _OUTLET.fullmatch(subject.text)
        if outlet:
            return Attribution(OUTLET, outlet_name(subject.text))
        return None

    def _compatible(self, cluster_id: int, gender: str) -> bool:
        known = self.people.clusters[cluster_id].gender
        return gender == "u" or known == "u" or known == gender

    def _visible_from(self, mention: int, span: QuoteSpan) -> bool:
        """A mention outside every quote that does not also hold ``span``."""
        return all(
            self.spans[index].start <= span.opener and span.end <= self.spans[index].end
            for index in self.mention_quotes[mention]
        )

    def _person_by_recency(self, gender: str, span: QuoteSpan, described: bool) -> Attribution | None:
        """The person "he"/"she" or "the forward" refers to.

        A pronoun most often continues with whoever was just quoted; a description ("the
        Portuguese forward") most often introduces the person named just before.
        """
        paragraph = self.document.paragraph_of(span.opener)
        first_paragraph = max(paragraph - 1, 0) if described else paragraph
        paragraph_start = self.document.paragraphs[first_paragraph][0]
        visible = self._visible_before(span, gender)
        latest = next(visible, None)
        if latest is not None and latest.start >= paragraph_start:
            if gender != "u":  # "she" agrees with a known woman before a name of unknown gender
                for mention in itertools.chain((latest,), visible):
                    if mention.start < paragraph_start:
                        break
                    if self.people.clusters[mention.cluster].gender == gender:
                        return self._person(mention.cluster)
            return self._person(latest.cluster)
        for opener, cluster in reversed(self.person_speakers):
            if opener < span.opener and paragraph - self.document.paragraph_of(opener) <= 4:
                if self._compatible(cluster, gender):
                    return self._person(cluster)
                break
        return self._person(latest.cluster) if latest is not None else None

    def _visible_before(self, span: QuoteSpan, gender: str) -> Iterator[Mention]:
        """The mentions a pronoun before ``span`` may refer to, nearest first (walked back from
        the quote, so a pronoun costs the distance to its referent, not every mention)."""
        mentions = self.people.mentions
        last = bisect_left(self._mention_starts, span.opener) - 1
        for number in range(last, max(last - _LOOKBACK_MENTIONS, -1), -1):
            mention = mentions[number]
            if self._compatible(mention.cluster, gender) and self._visible_from(number, span):
                yield mention

    def _person(self, cluster_id: int) -> Attribution:
        return Attribution(PERSON, self.people.clusters[cluster_id].name, cluster_id)

    # --- the steps -------------------------------------------------------------------------
    def _verbs(self, text: str, position: int) -> list[re.Match[str]]:
        """Speech verbs in ``text``; capitalised ones count only in a title-case headline."""
        if self.document.is_titlecase_at(position):
            return [w for w in _WORD.finditer(text) if w.group().lower() in SPEECH_VERBS]
        return [w for w in _WORD.finditer(text) if w.group() in SPEECH_VERBS]

    def _before(self, index: int, before: str, offset: int) -> Attribution | None:
        for verb in reversed(self._verbs(before, offset)):
            if _PASSIVE_BEFORE.search(before[: verb.start()]) or _PASSIVE_AFTER.match(before[verb.end() :]):
                self.hearsay.add(index)
                return None
            if verb.group().endswith("ing"):
                continue  # "…, saying: '…'": the speaker is the subject of the main clause
            subject = _backward_subject(before[: verb.start()], offset)
            if subject is None and verb.group().lower() in _INVERTING_VERBS:
                found = _forward_subject(before[verb.end() :].lstrip(" ,:"), offset + verb.end())
                subject = found[0] if found and found[0].kind != "pronoun" else None
            if subject is not None:
                if subject.kind == "source" and subject.outlet is None:
                    subject.outlet = _outlet_after(before[verb.start() :])  # "the source told People: '…'"
                attribution = self.resolve(subject, index)
                if attribution is not None:
                    return attribution
        if before.rstrip().endswith(":"):
            found = _forward_subject(before.lstrip(" \n\"'“‘"), offset + len(before) - len(before.lstrip(" \n\"'“‘")))
            if found and found[0].kind in ("source", "name", "outlet"):
                return self.resolve(found[0], index)
        if _HEARSAY.search(before):
            self.hearsay.add(index)
        return None

    def _after(self, index: int, after: str, offset: int) -> Attribution | None:
        stripped = after.lstrip(" ,;:—–-\u00a0")
        offset += len(after) - len(stripped)
        if stripped.startswith("according to "):
            found = _forward_subject(stripped[13:], offset + 13)
            return self.resolve(found[0], index) if found else None
        if verb := _VERB_AT_START.match(stripped):
            found = _forward_subject(stripped[verb.end() :].lstrip(), offset + verb.end())
            if found and found[0].kind != "pronoun":
                return self.resolve(found[0], index)
        named = _NAME_THEN_VERB.match(stripped)
        if named:  # "…,” Brightwater chief executive Sandra Kim said
            return self.resolve(Subject("name", named.group("name"), offset + named.start("name")), index)
        found = _forward_subject(stripped, offset)
        if found and _AFTER_SUBJECT.match(stripped, found[1]):
            subject = found[0]
            if subject.kind == "source" and subject.outlet is None:
                clause = _CLAUSE_END.split(stripped[found[1] :], maxsplit=1)[0]
                subject.outlet = _outlet_after(clause[:120])
            return self.resolve(subject, index)
        return None

    def _outlet_quote(self, index: int, before: str, offset: int) -> Attribution | None:
        """A quote holding quoted speech is an outlet's text: "Vanity Fair reports, “…”"."""
        for verb in reversed(self._verbs(before, offset)):
            subject = _backward_subject(before[: verb.start()], offset)
            if subject is None:
                continue
            if subject.kind == "outlet":
                return Attribution(OUTLET, subject.text)
            if subject.kind == "name" and self.people.resolve(tuple(subject.text.split())) is None:
                return Attribution(OUTLET, outlet_name(subject.text))
        sentence_start = self.context(self.spans[index].parent).sentence(self.spans[index].opener)[0]
        earlier = _EARLIER_ARTICLE.search(self.text[sentence_start : self.spans[index].opener])
        if earlier:
            return Attribution(OUTLET, f"{outlet_name(earlier.group(1))} (earlier article)")
        return None

    def run(self) -> dict[int, Attribution]:
        sentences: dict[int, tuple[int, int]] = {}
        for index in self.kept:
            span = self.spans[index]
            before, before_at, after, after_at, sentence = self.windows(index)
            attribution = None
            if any(not self.spans[c].excluded for c in span.children):
                attribution = self._outlet_quote(index, before, before_at)
            if attribution is None:
                attribution = self._after(index, after, after_at)
                if attribution is not None:
                    attribution.direct_after = True
            if attribution is None:
                attribution = self._before(index, before, before_at)
            if attribution is not None:
                self.results[index] = attribution
                if attribution.kind == PERSON and attribution.cluster is not None:
                    self.person_speakers.append((span.opener, attribution.cluster))
            sentences[index] = sentence
        self._fill_gaps(sentences)
        return self.results

    def _fill_gaps(self, sentences: dict[int, tuple[int, int]]) -> None:
        """Steps 4 and 5: share a later attribution of the sentence, or continue the last quote."""
        shared_later = self._next_direct_after()
        for position, index in enumerate(self.kept):
            if index in self.results or index in self.hearsay:
                continue
            span = self.spans[index]
            sentence = sentences[index]
            later = shared_later[position]
            if later is not None and self.spans[later].opener < sentence[1]:
                self.results[index] = self.results[later]
                continue
            # The nearest earlier quote that does not enclose this one (only its own enclosing
            # quotes are skipped, so the walk back is short: linear in the quotes overall).
            previous = next(
                (self.kept[i] for i in range(position - 1, -1, -1) if not self._is_ancestor(self.kept[i], index)),
                None,
            )
            if previous is not None:
                inherited = self._inherit(index, previous)
                if inherited is not None:
                    self.results[index] = inherited

    def _next_direct_after(self) -> list[int | None]:
        """For each kept quote, the next one at the same level attributed right after its
        closing mark ("…,” she said), whose speaker an unattributed quote of the same sentence
        shares. One pass from the end, so a long sentence of quotes stays linear."""
        nearest: dict[int | None, int] = {}
        found: list[int | None] = [None] * len(self.kept)
        for position in range(len(self.kept) - 1, -1, -1):
            index = self.kept[position]
            parent = self.spans[index].parent
            found[position] = nearest.get(parent)
            attribution = self.results.get(index)
            if attribution is not None and attribution.direct_after:
                nearest[parent] = index
        return found

    def _is_ancestor(self, candidate: int, index: int) -> bool:
        """Whether span ``candidate`` encloses span ``index``."""
        parent = self.spans[index].parent
        while parent is not None:
            if parent == candidate:
                return True
            parent = self.spans[parent].parent
        return False

    def _inherit(self, index: int, previous: int) -> Attribution | None:
        """A quote with no attribution of its own continues the quote just before it."""
        earlier = self.results.get(previous)
        if earlier is None or earlier.kind not in (PERSON, SOURCE):
            return None
        span = self.spans[index]
        here = self.document.paragraph_of(span.opener)
        there = self.document.paragraph_of(self.spans[previous].opener)
        starts_paragraph = self.document.paragraphs[here][0] == span.opener
        if span.continued or here == there or (starts_paragraph and here - there == 1):
            return earlier
        return None


def attribute(document: Document, spans: list[QuoteSpan], people: PeopleIndex) -> dict[int, Attribution]:
    """Speaker of every kept span, by index into ``spans``; unattributed spans are absent."""
    return _Attributor(document, spans, people).run()
