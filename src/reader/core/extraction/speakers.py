"""Who said each quote: the attribution the text gives, or None when it gives none.

Each quote is read in its own context (see ``discourse``). The attribution is looked for, in order:

1. for a quote that itself quotes speech, the outlet or article it comes from ("Vanity Fair
   reports, “…‘…’…”");
2. right after the closing mark ("…,” she said / said chief executive Dana Ruiz / the NFU said);
3. before the opening mark in the same sentence (Kim told Vogue: “…” / The Tories dismissed the
   plan as “desperate”), the speaker being the subject of the speech verb, or of the sentence
   when the verb hangs off it ("…, saying", "arrived late and told reporters:");
4. at the end of the sentence, after other words (“the worst may be over”, he said.);
5. in a headline, the name before the quote ("Brown: ‘…’", "Minister vows ‘…’");
6. from a later quote of the same sentence or one set right after it (‘…’ and ‘…,’ the source
   added; “…a lot.” “If growth…,” he said);
7. from the sentence before, when it reports what someone said, or the quote before, when this
   one carries on a run of quotes.

A short phrase in quote marks that nothing in its sentence credits to anyone is a scare quote or
a label, not a quote. Passive reporting ("are said to be", "reportedly") gives no speaker.
"""

from __future__ import annotations

import re

from reader.core.extraction.discourse import (
    MASK,
    Context,
    sentence_subject,
    strip_opening,
)
from reader.core.extraction.document import Document
from reader.core.extraction.lexicons import ADVERBS, ROLE_NOUNS, SPEECH_VERBS
from reader.core.extraction.name_clusters import PeopleIndex
from reader.core.extraction.nonquotes import is_capitalised_word, is_scare_quote
from reader.core.extraction.outlets import outlet_after, outlet_name
from reader.core.extraction.quote_marks import QuoteSpan
from reader.core.extraction.resolution import (
    NONE,
    OUTLET,
    PERSON,
    SPEAKING_KINDS,
    Attribution,
    Resolver,
)
from reader.core.extraction.subjects import (
    CLAUSE_END,
    DESCRIPTION,
    NAME,
    PRONOUN,
    SOURCE_PHRASE,
    Subject,
    SubjectReader,
    alternation,
)

__all__ = ["NONE", "Attribution", "attribute"]

_VERB_FORMS = alternation(SPEECH_VERBS)
_WORD = re.compile(r"\w+")
_VERB_AT_START = re.compile(rf"(?:{_VERB_FORMS})\b")
_ADVERB_WORDS = alternation(ADVERBS)
_INVERTING_VERBS = frozenset(
    "said says added adds wrote writes continued continues explained explains replied "
    "recalled noted notes insisted insists concluded warned warns argued argues".split()
)
_PASSIVE_BEFORE = re.compile(r"\b(?:is|are|was|were|be|been|being)\s+(?:\w+ly\s+)?$")  # not "is to tell"
_PASSIVE_AFTER = re.compile(r"^\s+to\s+(?:be|have)\b")
_QUOTED_AS = re.compile(
    r"\s+(?:was|were|is|are|has\s+been|had\s+been)\s+(?:also\s+)?quoted\s+(?:[^,.;:“\"]{0,40}?\s+)?as\s+$"
)
_HEARSAY = re.compile(r"\b(?:reportedly|allegedly|rumou?red|supposedly)\b")
_ADDRESSING_VERBS = frozenset("told tells telling tell asked asks".split())
_AFTER_SUBJECT = re.compile(
    rf"(?:\s+(?:who|close|familiar|with|from|at|in|for|to|inside|of)\b[^,;:]*?)?(?:,\s[^,]{{1,130}}?,?)?\s*"
    rf"(?:(?:{_ADVERB_WORDS})\s+)*(?:{_VERB_FORMS})\b"
)
# "…,” Brightwater chief executive Sandra Kim said; "…," Music Choice marketing manager Simon Lee said
_NAME_THEN_VERB = re.compile(
    rf"(?:[A-Z][\w’'.&-]*\s+){{0,3}}(?:[a-z][\w’'-]*\s+){{0,4}}?(?:(?:{alternation(ROLE_NOUNS)})\s+){{1,3}}"
    rf"(?P<name>[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){{0,3}})(?:,\s[^,]{{1,80}},)?\s+"
    rf"(?:(?:{_ADVERB_WORDS})\s+)*(?:{_VERB_FORMS})\b"
)
_EARLIER_ARTICLE = re.compile(
    r"\b(?:an?|the|our)\s+(?:earlier|previous|recent|prior|past)\s+([A-Z][\w!.&’'-]*(?:\s+[A-Z][\w!.&’'-]*)*)"
    r"\s+(?:article|report|story|piece|post|interview)\b"
)
_ENDS_CLAUSE = re.compile(r"(?:,\s[^,]{1,80},)?[\s,:.]*(?:in\s+a\s+statement[\s,:.]*|on\s+\w+[\s,:.]*)?$")
_FOLLOWED_BY_VERB = re.compile(
    r"\s*(?:,|$|(?:has|have|had|was|is|were|are|will|would|could|can|did|does|also|then|later|previously"
    r"|himself|herself|itself|themselves|meanwhile|however"
    r"|once|again|told|said|says|[a-z]+ed|[a-z]+s)\b)"
)
_WHO_CLAUSE = re.compile(r",\s+(?:who|which)\b[^,;:]*$")
_LINE_SPEAKER = re.compile(r"^[\s*•-]*(?P<name>[A-Z][\w’'.-]*(?:\s+[\w’'.-]+){0,5})\s*:\s")
_BY_AGENT = re.compile(r"(?:\s+[\w’'-]+){0,3}?\s+by\s+")
_CLAUSE = re.compile(r",\s+([^,]+?)(?=,|$)")
_TAIL_CLAUSE_WORDS = 7
_BY_AFTER = re.compile(r"^[\s,]*by\s+")
_SAID_NAME_BEFORE_ING = re.compile(r"\b(?:said|says|added|adds|insisted|admitted)\s+(?P<name>[^,]{2,60}),\s*$")
_SUBJECTLESS = re.compile(
    rf"^\s*(?:And|But|Then|He|She|They|It)?\s*(?:(?:{_ADVERB_WORDS})\s+)*(?:{_VERB_FORMS})\s*:\s*$"
)
_HANGING_VERB = re.compile(r"(?:\b(?:and|but|then|before|after|while|when|as)|,)\s*$")
# A noun phrase's own words before the marks: "a “super union”", "the “less painful” option".
_RUN_PARAGRAPHS = 2
_LOOKAHEAD_QUOTES = 50  # later quotes of one sentence read for a shared speaker
_LOOKBACK_QUOTES = 200  # earlier quotes looked at for the one a run continues


class _Attributor:
    def __init__(self, document: Document, spans: list[QuoteSpan], people: PeopleIndex) -> None:
        self.document = document
        self.text = document.text
        self.spans = spans
        self.people = people
        self.kept = [i for i, span in enumerate(spans) if not span.excluded]
        self.contexts: dict[int | None, Context] = {}
        self.reader = SubjectReader()
        self._windows: dict[int, tuple[str, int, str, int]] = {}
        self.resolver = Resolver(document, spans, people, self.context)
        self.resolver.reported_before = self._reported_before
        self.results: dict[int, Attribution] = {}
        self.hearsay: set[int] = set()
        self._levels: dict[int | None, list[QuoteSpan]] = {}  # the kept quotes of each level
        for i in self.kept:
            self._levels.setdefault(spans[i].parent, []).append(spans[i])
        self._after_found: dict[int, Attribution | None] = {}

    # --- contexts and windows -------------------------------------------------------------
    def context(self, parent: int | None) -> Context:
        if parent not in self.contexts:
            siblings = self._levels.get(parent, [])
            if parent is None:
                self.contexts[parent] = Context(self.text, 0, len(self.text), siblings)
            else:
                outer = self.spans[parent]
                self.contexts[parent] = Context(self.text, outer.start, outer.end, siblings)
        return self.contexts[parent]

    def windows(self, index: int) -> tuple[str, int, str, int]:
        """(text before the quote in its sentence, its offset, text after in the sentence, its offset)."""
        if index not in self._windows:
            self._windows[index] = self._read_windows(index)
        return self._windows[index]

    def _read_windows(self, index: int) -> tuple[str, int, str, int]:
        span = self.spans[index]
        context = self.context(span.parent)
        sentence = context.sentence(span.opener)
        after_start = min(span.outer_end, context.start + len(context.masked))
        after_sentence_end = context.sentence(max(after_start - 1, sentence[0]))[1]
        before = context.between(sentence[0], span.opener)
        after = context.between(after_start, max(after_sentence_end, after_start))
        if not after.strip(" ,.;:!?\n" + MASK) and span.parent is not None:
            parent = self.spans[span.parent]
            if not self.text[span.outer_end : parent.end].strip(" ,.;:!?’”'\""):
                return before, sentence[0], *self.windows(span.parent)[2:4]
        return before, sentence[0], after, after_start

    def _verbs(self, text: str, position: int) -> list[re.Match[str]]:
        """Speech verbs in ``text``; capitalised ones count only in a title-case headline."""
        if self.document.is_titlecase_at(position):
            return [w for w in _WORD.finditer(text) if w.group().lower() in SPEECH_VERBS]
        return [w for w in _WORD.finditer(text) if w.group() in SPEECH_VERBS]

    # --- step 3: before the quote ----------------------------------------------------------
    def _subject_of_verb(self, before: str, verb: re.Match[str], offset: int) -> Subject | None:
        head = before[: verb.start()]
        if quoted := _QUOTED_AS.search(head):  # "Ms Ruiz was quoted as saying: “…”"
            return self.reader.backward(head[: quoted.start()], offset)
        if verb.group().endswith("ing"):  # "…, saying: '…'": the subject of the main clause
            said = _SAID_NAME_BEFORE_ING.search(head)  # "…," said Roddick, adding that …
            if said is not None and (found := self.reader.forward(said.group("name"), offset + said.start("name"))):
                return found[0]
            return self._relative_subject(head, offset) or self._opening_subject(before, offset)
        subject = self.reader.backward(head, offset)
        if subject is None and verb.group().lower() in _INVERTING_VERBS:
            subject = self._inverted_subject(before, verb, offset)
        if subject is None and _HANGING_VERB.search(head):
            subject = self._opening_subject(before, offset)
        if (
            subject is not None
            and subject.kind == SOURCE_PHRASE
            and subject.outlet is None
            and subject.organisation_noun is None
        ):
            subject.outlet = outlet_after(before[verb.start() :])  # "the source told People: '…'"
        return subject

    def _inverted_subject(self, before: str, verb: re.Match[str], offset: int) -> Subject | None:
        """"said chief executive Dana Ruiz: “…”": a subject after the verb, right before the quote."""
        rest = before[verb.end() :].lstrip(" ,:")
        found = self.reader.forward(rest, offset + len(before) - len(rest))
        if found is None or found[0].kind == PRONOUN or not _ENDS_CLAUSE.match(rest, found[1]):
            return None
        return found[0]

    def _opening_subject(self, before: str, offset: int) -> Subject | None:
        """The subject a sentence opens with ("Marta Lindqvist arrived late and told…"), after an
        opening phrase ("Speaking in the Commons, she said … and insisted")."""
        stripped = strip_opening(before)
        found = self.reader.forward(stripped, offset + len(before) - len(stripped))
        if found is None:
            return None
        if (
            found[0].kind == NAME
            and not _FOLLOWED_BY_VERB.match(stripped, found[1])
            and self.people.resolve(tuple(found[0].text.split())) is None
        ):
            return None  # "Fake gas engineer branded…": a capital that is no name
        return found[0]

    def _relative_subject(self, head: str, offset: int) -> Subject | None:
        """"Mayor Yolanda Ruiz, who was elected after promising to “…”": the name the clause is about."""
        relative = _WHO_CLAUSE.search(head)
        if relative is None:
            return None
        return self.reader.backward(head[: relative.start()], offset)

    def _before(self, index: int, before: str, offset: int) -> Attribution | None:
        verbs = self._verbs(before, offset)
        for verb in reversed(verbs):
            if _PASSIVE_AFTER.match(before[verb.end() :]) or (
                _PASSIVE_BEFORE.search(before[: verb.start()]) and not _QUOTED_AS.search(before[: verb.start()])
            ):
                return self._agent(index, before, verb, offset)
            subject = self._subject_of_verb(before, verb, offset)
            if subject is not None and (attribution := self.resolver.resolve(subject, index)):
                return attribution
        if verbs or before.rstrip().endswith(":"):
            subject = self._opening_subject(before, offset)
            if subject is not None and subject.kind != DESCRIPTION:
                return self.resolver.resolve(subject, index)
        if _HEARSAY.search(before):
            self.hearsay.add(index)
        return None

    def _agent(self, index: int, before: str, verb: re.Match[str], offset: int) -> Attribution | None:
        """Passive speech: "was told by the on-call nurse that he was “…”" names the speaker
        after "by"; "are said to be “…”" names nobody."""
        agent = _BY_AGENT.match(before, verb.end())
        if agent is not None:
            found = self.reader.forward(before[agent.end() :], offset + agent.end())
            if found is not None and found[0].kind != PRONOUN:
                return self.resolver.resolve(found[0], index)
        _, _, after, after_at = self.windows(index)
        by = _BY_AFTER.match(after)  # "branded “deeply irresponsible” by the Liberal Democrats"
        if by is not None:
            found = self.reader.forward(after[by.end() :], after_at + by.end())
            if found is not None and found[0].kind != PRONOUN:
                return self.resolver.resolve(found[0], index)
        self.hearsay.add(index)
        return None

    # --- steps 2 and 4: after the quote ---------------------------------------------------
    def _after(self, index: int, after: str, offset: int) -> Attribution | None:
        stripped = after.lstrip(" ,;:—–-\u00a0")
        offset += len(after) - len(stripped)
        if stripped.startswith("according to "):
            found = self.reader.forward(stripped[13:], offset + 13)
            return self.resolver.resolve(found[0], index) if found else None
        verb = _VERB_AT_START.match(stripped)
        if verb and verb.group() not in _ADDRESSING_VERBS:  # "…," told reporters: no subject there
            found = self.reader.forward(stripped[verb.end() :].lstrip(), offset + verb.end() + 1)
            if found and found[0].kind != PRONOUN:
                return self.resolver.resolve(found[0], index)
        # "…,” Brightwater chief executive Sandra Kim said" (a role noun among the first eight words
        # is what the pattern needs: a set lookup before its long alternation is tried)
        role_near = not ROLE_NOUNS.isdisjoint(stripped.split(None, 8)[:8])
        if role_near and (named := _NAME_THEN_VERB.match(stripped)):
            return self.resolver.resolve(Subject(NAME, named.group("name"), offset + named.start("name")), index)
        found = self.reader.forward(stripped, offset)
        if found and _AFTER_SUBJECT.match(stripped, found[1]):
            return self.resolver.resolve(self._with_outlet(found[0], stripped[found[1] :]), index)
        return None

    @staticmethod
    def _with_outlet(subject: Subject, rest: str) -> Subject:
        if subject.kind == SOURCE_PHRASE and subject.outlet is None and subject.organisation_noun is None:
            clause = CLAUSE_END.split(rest, maxsplit=1)[0]
            subject.outlet = outlet_after(clause[:120])
        return subject

    def _tail(self, index: int, after: str, offset: int) -> Attribution | None:
        """“…the worst may be over”, he said: a later clause of the sentence that is nothing but
        an attribution ("he said", "said Ms Ruiz") names the speaker."""
        body = after.rstrip(" .!?\n”’\"'")
        for clause in _CLAUSE.finditer(body):
            words = clause.group(1)
            if MASK in words or len(words.split()) > _TAIL_CLAUSE_WORDS:
                continue
            attribution = self._after(index, words + ".", offset + clause.start(1))
            if attribution is not None:
                return attribution
        return None

    # --- steps 1 and 5: outlets and headlines ----------------------------------------------
    def _outlet_quote(self, index: int, before: str, offset: int) -> Attribution | None:
        """A quote holding quoted speech is an outlet's text: "Vanity Fair reports, “…”"."""
        for verb in reversed(self._verbs(before, offset)):
            subject = self.reader.backward(before[: verb.start()], offset)
            if subject is None:
                continue
            if subject.kind == "outlet":
                return Attribution(OUTLET, subject.text)
            if subject.kind == NAME and self.people.resolve(tuple(subject.text.split())) is None:
                return Attribution(OUTLET, outlet_name(subject.text))
        earlier = _EARLIER_ARTICLE.search(before)
        if earlier:
            return Attribution(OUTLET, f"{outlet_name(earlier.group(1))} (earlier article)")
        return None

    def _headline(self, index: int, before: str, offset: int) -> Attribution | None:
        """"Okafor: NHS ‘on its knees’" (a headline or key-event line), "Minister Okafor ‘to
        quit’" (a headline): the line names its speaker first."""
        span = self.spans[index]
        if span.parent is not None:
            return None
        line = _LINE_SPEAKER.match(before)
        if line is not None:  # "Okafor: …", "- Blackburn boss Mark Hughes: …"
            subject = self.reader.backward(line.group("name"), offset + line.start("name"))
            attribution = self.resolver.resolve(subject, index) if subject is not None else None
            if attribution is not None:
                return attribution
        if self.document.paragraph_of(span.opener) != 0:
            return None
        subject = self.reader.backward(before.rstrip(" :\u00a0"), offset)
        if subject is None or subject.kind != NAME:
            return None
        attribution = self.resolver.resolve(subject, index)
        return attribution if attribution is not None and attribution.kind == PERSON else None

    # --- one quote ---------------------------------------------------------------------------
    def _own(self, index: int) -> Attribution | None:
        """The attribution the quote's own sentence gives (steps 1 to 5)."""
        span = self.spans[index]
        before, before_at, after, after_at = self.windows(index)
        nests_quotes = any(not self.spans[c].excluded and not self.spans[c].tentative for c in span.children)
        if nests_quotes and (attribution := self._outlet_quote(index, before, before_at)):
            return attribution
        if attribution := self._after(index, after, after_at):
            attribution.direct_after = True
            return attribution
        return (
            self._before(index, before, before_at)
            or (None if index in self.hearsay else self._tail(index, after, after_at))
            or self._headline(index, before, before_at)
        )

    def run(self) -> dict[int, Attribution]:
        for position, index in enumerate(self.kept):
            attribution = self._own(index)
            uncredited = attribution is None or is_capitalised_word(self.document, self.spans[index])
            if self.spans[index].tentative and uncredited:
                self.spans[index].excluded = "word"  # a single word nobody is credited with, or a name
                continue
            if attribution is None and index not in self.hearsay:
                attribution = self._shared_later(position)
            if attribution is None and index not in self.hearsay:
                if self._is_scare_quote(index):
                    self.spans[index].excluded = "scare"
                    continue
                attribution = self._inherit(position)
            if attribution is not None:
                self.results[index] = attribution
                self.resolver.spoke(index, attribution)
        return self.results

    # --- steps 6 and 7 -----------------------------------------------------------------------
    def _shared_later(self, position: int) -> Attribution | None:
        """A later quote of the same sentence, or one right after this, names the speaker."""
        index = self.kept[position]
        span = self.spans[index]
        context = self.context(span.parent)
        sentence_end = context.sentence(span.opener)[1]
        previous_end = span.outer_end
        for other in self.kept[position + 1 : position + 1 + _LOOKAHEAD_QUOTES]:
            later = self.spans[other]
            gap = self.text[previous_end : later.opener]
            adjacent = not gap.strip() and "\n" not in gap
            if later.parent != span.parent or (later.opener >= sentence_end and not adjacent):
                break
            if other not in self._after_found:  # each quote's own attribution is read once
                _, _, after, after_at = self.windows(other)
                self._after_found[other] = self._after(other, after, after_at)
            if (attribution := self._after_found[other]) is not None:
                return attribution
            previous_end = later.outer_end
        return None

    def _is_scare_quote(self, index: int) -> bool:
        span = self.spans[index]
        context = self.context(span.parent)
        sentence = context.between(*context.sentence(span.opener))
        return is_scare_quote(self.document, span, sentence, bool(self._verbs(sentence, span.opener)))

    def _inherit(self, position: int) -> Attribution | None:
        """A quote with no attribution of its own: what the sentence before reports someone
        saying, or the quote before, when this one carries on a run."""
        index = self.kept[position]
        span = self.spans[index]
        context = self.context(span.parent)
        sentence = context.sentence(span.opener)
        prefix = _SUBJECTLESS.sub("", context.between(sentence[0], span.opener))  # "And continued: “…”"
        if prefix.strip(" \n\"'“‘([" + MASK):
            return None  # the quote sits inside a sentence that names nobody
        previous = context.previous_sentence(span.opener)
        if previous is not None and MASK in context.between(*previous):  # the last quote's own sentence
            return self._run_speaker(position) or self._reported_before(index)
        return (
            self._reported_before(index)
            or self._introduced(index, previous)
            or self._about(index, previous)
            or self._run_speaker(position)
        )

    def _about(self, index: int, previous: tuple[int, int] | None) -> Attribution | None:
        """A quote that opens a sentence right after one about a person ("Collins was sixth in
        Athens but hopes for better. “This will be a big year…”") is most often theirs."""
        if previous is None or not self._near(previous[1] - 1, self.spans[index].opener):
            return None
        context = self.context(self.spans[index].parent)
        opener = sentence_subject(context, self.people.mentions, self.resolver.mention_starts, previous)
        if opener is None or isinstance(opener, str):
            return None
        return self.resolver.person(opener.cluster)

    def _introduced(self, index: int, previous: tuple[int, int] | None) -> Attribution | None:
        """"…has been in touch with her take:" then the quote: who the colon introduces."""
        if previous is None:
            return None
        text = self.context(self.spans[index].parent).between(*previous)
        if not text.rstrip(" \n*").endswith(":") or not self._near(previous[1] - 1, self.spans[index].opener):
            return None
        subject = self._opening_subject(text, previous[0])
        return self.resolver.resolve(subject, index) if subject is not None else None

    def _reported_before(self, index: int) -> Attribution | None:
        """Who the sentence before quote ``index`` reports saying something, if it does."""
        span = self.spans[index]
        context = self.context(span.parent)
        previous = context.previous_sentence(span.opener)
        if previous is None or not self._near(max(previous[1] - 1, previous[0]), span.opener):
            return None
        text = context.between(*previous)
        for verb in reversed(self._verbs(text, previous[0])):
            if _PASSIVE_BEFORE.search(text[: verb.start()]):
                return None
            subject = self._subject_of_verb(text, verb, previous[0])
            if subject is not None:
                attribution = self.resolver.resolve(subject, index)
                if attribution is not None and attribution.kind in SPEAKING_KINDS:
                    return attribution
        return None

    def _near(self, earlier: int, later: int) -> bool:
        """Same paragraph, or ``later`` opens the paragraph right after ``earlier``'s."""
        here = self.document.paragraph_of(later)
        there = self.document.paragraph_of(earlier)
        return here == there or (here - there == 1 and self.document.paragraphs[here][0] == later)

    def _run_speaker(self, position: int) -> Attribution | None:
        index = self.kept[position]
        span = self.spans[index]
        earlier = next(
            (
                i
                for i in reversed(self.kept[max(0, position - _LOOKBACK_QUOTES) : position])
                if self.spans[i].parent == span.parent and not self.spans[i].excluded
            ),
            None,
        )
        if earlier is None or (previous := self.results.get(earlier)) is None:
            return None
        if previous.kind not in SPEAKING_KINDS:
            return None
        here = self.document.paragraph_of(span.opener)
        there = self.document.paragraph_of(self.spans[earlier].opener)
        starts_paragraph = self.document.paragraphs[here][0] == span.opener
        if here == there or (starts_paragraph and here - there <= _RUN_PARAGRAPHS):
            return previous
        return None


def attribute(document: Document, spans: list[QuoteSpan], people: PeopleIndex) -> dict[int, Attribution]:
    """Speaker of every kept span, by index into ``spans``; unattributed spans are absent.

    Spans found to be scare quotes on the way are marked ``excluded = "scare"``.
    """
    return _Attributor(document, spans, people).run()
