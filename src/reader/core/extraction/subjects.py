"""Who a clause says is speaking: the words just before or just after a speech verb.

A subject is read, not yet resolved: a pronoun ("she", "it"), a name ("Dana Ruiz", "the NFU"),
an unnamed source ("a spokesman for the ministry", "a source told People"), an organisation by
its kind ("the federation"), a description ("the Portuguese forward") or an outlet. ``speakers``
turns it into a person, a source, an organisation or an outlet.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from reader.core.extraction.document import is_common
from reader.core.extraction.lexicons import (
    ADVERBS,
    DEMONYMS,
    DOCUMENT_NOUNS,
    NAME_PARTICLES,
    NATIONALITY_NOUNS,
    ORG_NOUNS,
    ORG_SUFFIXES,
    PLACE_SUFFIXES,
    ROLE_NOUNS,
    SOURCE_NOUNS,
)
from reader.core.extraction.outlets import (
    OUTLET_PATTERN,
    outlet_after,
    outlet_ending,
    outlet_in,
    outlet_name,
)

PRONOUN, NAME, SOURCE_PHRASE, ORG_NOUN, DESCRIPTION, OUTLET_NAME = (
    "pronoun",
    "name",
    "source",
    "orgnoun",
    "description",
    "outlet",
)
_FORWARD_REACH = 240  # characters after a verb that a subject can take
_BACKWARD_REACH = 400  # characters before a verb that a subject (with appositives) can take


def alternation(words: frozenset[str] | set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


@dataclass(slots=True)
class Subject:
    """Who a clause says is speaking, before it is resolved to a person, source or outlet."""

    kind: str  # one of the constants above
    text: str
    offset: int  # absolute position in the article
    outlet: str | None = None  # for a source: the outlet or organisation named with it
    definite: bool = False  # "the source" (one met before) rather than "a source"
    organisation_noun: str | None = None  # for a source: "for the ministry" -> "ministry"


_ADVERB_WORDS = alternation(ADVERBS)
_TIME_TAIL = re.compile(
    r"\s*\b(?:(?:last|this|next|on|earlier|later)\s+(?:week|month|year|night|weekend|morning|evening|\w+day)"
    r"|yesterday|today|tonight|on\s+\w+day)\s*$",
    re.IGNORECASE,
)
_APPOSITIVE_TAIL = re.compile(r"(?:,\s[^,]{1,130},|\s[-–—]\s[^-–—]{1,130}\s[-–—])\s*$")
_ABBREVIATION_TAIL = re.compile(r"\s*\([A-Z][A-Za-z&]{1,9}\)$")
_RELATIVE_TAIL = re.compile(r"(?<=[\w.])\s*,?\s+(?:who|which)\s*$")
_AGE_TAIL = re.compile(r",\s*\d{1,3}$")
_ENDS_WITH_NAME = re.compile(r"[A-Z][\w’'.-]*$")
_OF_ORGANISATION = re.compile(
    r"([A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*)*)\s+(?:of|at|from|with)\s+(?:the\s+)?(?:[a-z][\w-]*\s+){0,3}$"
)
_HOLDER_WORDS = frozenset({"of", "at", "from", "with"})
_DETERMINER = r"(?i:a|an|the|one|another|this|that|these|those|two|three|several|multiple|many|some|other)"
_SOURCE_NOUN = rf"(?i:{alternation(SOURCE_NOUNS)})"
_KIN_SOURCE = re.compile(
    rf"\b(?i:my|his|her|their|our)\s+(?:[a-z][\w-]*\s+){{0,3}}?"
    rf"(?:{alternation(ROLE_NOUNS | SOURCE_NOUNS | {'mom', 'mum', 'dad', 'family', 'publicist'})})s?\b"
)
_SOURCE_FORWARD = re.compile(
    rf"(?P<det>{_DETERMINER}\s+)?(?P<mods>(?:(?!(?:a|an|the|this|that|who|said|says|told)\s)[^\s,;:]+\s+){{0,4}}?)"
    rf"(?P<noun>{_SOURCE_NOUN})\b"
)
# Read right to left from the last source noun: its determiner and modifiers, then what follows it.
_SOURCE_HEAD = re.compile(
    rf"(?:\b(?P<det>{_DETERMINER})\s+)?(?P<mods>(?:(?!(?:a|an|the|this|that)\s)[^\s,;:]+\s+){{0,4}})$"
)
_SOURCE_POST = re.compile(r"\s+(?:who|close|familiar|with|from|at|in|for|to|inside|near|of)\b[^,;:]{0,80}")
_SOURCE_WORDS = frozenset(w.lower() for w in SOURCE_NOUNS) | SOURCE_NOUNS
_PLAIN_WORD = re.compile(r"[A-Za-z][\w-]*")
_ROLE_AFTER = re.compile(rf"\s+(?:[a-z][\w-]*\s+)?(?:{alternation(ROLE_NOUNS)})\b")  # "Independent analyst"
_ORG_NOUN = alternation(ORG_NOUNS)
_FOR_ORGANISATION = re.compile(
    rf"^\s*(?:for|at|from|of|with|in)\s+(?:the\s+)?"
    rf"(?:(?:[a-z][\w-]*\s+){{0,2}}?(?P<org>[A-Z][\w'’&.-]*(?:\s+(?:[A-Z][\w'’&.-]*|of|for|and|&)){{0,6}})|(?P<noun>{_ORG_NOUN})\b)"
)
# Those who speak for a body ("a spokesman for the ministry"); analysts or jurors "at" one do not.
_SPOKESPERSON = re.compile(r"\b(?:spokes\w+|representatives?|officials?)\b", re.IGNORECASE)
_BRACKETED = re.compile(r"\(([A-Z][A-Za-z&]{1,9})\)")
_SMALL_TAIL = re.compile(r"(?:\s+(?:of|for|and|&))+$")
_PARTICLES = alternation(NAME_PARTICLES)
_NAME_WORD = r"[A-Z][\w’'.!&-]*"
_NAME_FORWARD = re.compile(rf"{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|(?:{_PARTICLES})\s+{_NAME_WORD}))*")
_NAME_BACKWARD = re.compile(rf"{_NAME_WORD}(?:\s+(?:&\s+)?(?:{_NAME_WORD}|(?:{_PARTICLES})(?=\s+[A-Z])))*$")
_ROLE_WORDS = alternation(ROLE_NOUNS)
_OFFICE_WORDS = ROLE_NOUNS | ORG_NOUNS
# "chief executive Dana Ruiz", "the economy minister, Pavel Novak": lower-case office words first.
_ROLE_THEN_NAME = re.compile(
    rf"(?:(?:the|its|his|her|their)\s+)?(?:[A-Z][\w’'-]*\s+(?=[a-z]))?(?:[\w’'&-]+\s+){{0,4}}?(?:{_ROLE_WORDS}|{alternation(ORG_NOUNS)}),?\s+"
    rf"(?P<name>{_NAME_WORD}(?:\s+(?:{_NAME_WORD}|(?:{_PARTICLES})\s+{_NAME_WORD}))*)"
)
PARTY_NOUNS = frozenset("Republican Democrat Conservative Tory Liberal Socialist Independent Labourite".split())
# "one fund manager who holds the stock", "a lawyer for the family": someone left unnamed.
_SOMEONE = (
    r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome)\s+(?:[\w’'-]+\s+){0,3}?"
    rf"(?:{alternation(ROLE_NOUNS)})s?"
)
_SOMEONE_FORWARD = re.compile(rf"{_SOMEONE}\b(?:\s+(?:who|for|at|from|with|of)\b[^,;:]{{0,80}})?")
_SOMEONE_HEAD = re.compile(r"\b(?:[Aa]n?|[Oo]ne|[Aa]nother|[Tt]wo|[Tt]hree|[Ss]everal|[Ss]ome)\s+(?:[\w’'-]+\s+){0,3}$")
_SOMEONE_POST = re.compile(r"\s+(?:who|for|at|from|with|of)\b[^,;:]{0,80}")
_DESCRIBED_WORDS = ROLE_NOUNS | NATIONALITY_NOUNS | PARTY_NOUNS | {"year-old"}
_DESCRIBED = alternation(_DESCRIBED_WORDS)
_DESCRIPTION_FORWARD = re.compile(rf"[Tt]he\s+(?:[\w’'-]+\s+){{0,3}}(?P<noun>{_DESCRIBED})\b")
_DESCRIPTION_BACKWARD = re.compile(
    rf"\b[Tt]he\s+(?:[\w’'-]+\s+){{0,3}}?(?P<noun>{_DESCRIBED})$|\b[Tt]he\s+\d+-year-old(?:\s+[\w-]+){{0,2}}$"
)
_ORG_FORWARD = re.compile(rf"(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[\w’'-]+\s+){{0,2}}?(?P<noun>{_ORG_NOUN})\b")
_ORG_BACKWARD = re.compile(rf"\b(?:[Tt]he|[Ii]ts|[Tt]heir)\s+(?:[a-z][\w’'-]*\s+){{0,2}}?(?P<noun>{_ORG_NOUN})s?$")
_DOCUMENT_BACKWARD = re.compile(
    rf"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+(?:[\w’'-]+,?\s+){{0,3}}?(?:{alternation(DOCUMENT_NOUNS)})$"
)
_ENDS_WITH_NOUN = re.compile(
    r"\b(?:[Tt]he|[Aa]n?|[Ii]ts|[Tt]heir|[Hh]is|[Hh]er)\s+(?:[\w’'-]+\s+){0,3}?"
    rf"(?:{alternation(DOCUMENT_NOUNS | ORG_NOUNS | ROLE_NOUNS)})$"
)
_BARE_NAME = re.compile(r",\s*[A-Z][^\W\d_][\w’'-]*(?:\s+(?:(?:"+_PARTICLES+r")\s+)?[A-Z][^\W\d_][\w’'-]*)+,?\s*$")
_ORGANISATION_BACKWARD = re.compile(
    rf"(?:{_NAME_WORD}\s+)*(?:{alternation(ORG_SUFFIXES - PLACE_SUFFIXES)})\s+(?:of|for|on)\s+(?:the\s+)?{_NAME_WORD}"
    rf"(?:,?\s+(?:(?:and|&)\s+)?{_NAME_WORD})*$"
)
_APPOSITIVE_NAME = re.compile(rf",\s+(?P<name>{_NAME_WORD}(?:\s+(?:{_PARTICLES}\s+)?{_NAME_WORD})+)(?=\s*[,.;:]|\s*$)")
_PRONOUN_FORWARD = re.compile(r"(?P<pronoun>he|she|they|it|I|we)\b")
_PRONOUN_BACKWARD = re.compile(r"\b(?P<pronoun>[Hh]e|[Ss]he|[Tt]hey|[Ii]t|I|[Ww]e)$")
_PRONOUNS = frozenset({"he", "she", "they", "it", "i", "we"})
CLAUSE_END = re.compile(r"(?<!\b[A-Z])(?<!\bHello)(?<!\bOK)(?<!\bYahoo)[.;!?\n]")


def source_outlet(subject: Subject, mods: str, clause: str) -> None:
    """Fill in the outlet or organisation a source speaks for or to, from its modifiers
    ("a Downing Street spokeswoman") or the words after it ("for the ministry", "told People")."""
    if mods.strip():
        outlet = outlet_in(mods)
        if outlet:
            subject.outlet = outlet
            return
        if abbreviation := _BRACKETED.search(mods):  # "A Department for …, Food and Rural Affairs (Defra) spokesperson"
            subject.outlet = abbreviation.group(1)
            return
        capitals = [
            w for w in mods.split() if w[:1].isupper() and not is_common(w) and not w.isdigit() and w not in DEMONYMS
        ]
        if capitals:
            subject.outlet = outlet_name(" ".join(capitals))
            return
    speaks_for = _SPOKESPERSON.search(subject.text) is not None
    organisation = _FOR_ORGANISATION.match(clause) if speaks_for else None
    if organisation and organisation.group("org") and OUTLET_PATTERN.fullmatch(organisation.group("org")) is None:
        subject.outlet = _SMALL_TAIL.sub("", organisation.group("org").rstrip(".,"))
        return
    if organisation and organisation.group("noun"):
        subject.organisation_noun = organisation.group("noun")
        return
    subject.outlet = outlet_after(clause)


def _is_definite(determiner: str | None) -> bool:
    return bool(determiner) and (determiner or "").strip().lower() in ("the", "this", "that", "these", "those")


def _source_forward(text: str, offset: int) -> tuple[Subject, int] | None:
    match = _SOURCE_FORWARD.match(text)
    if match is None:
        return None
    if match.group("noun")[:1].isupper() and text[match.end() : match.end() + 2].strip()[:1].isupper():
        return None  # "Police Chief Darnell Whitaker": an office before a name
    subject = Subject(SOURCE_PHRASE, match.group(), offset, definite=_is_definite(match.group("det")))
    clause = CLAUSE_END.split(text[match.end() :], maxsplit=1)[0]
    source_outlet(subject, match.group("mods"), clause[:120])
    return subject, match.end()


def _moved(subject: Subject, by: int) -> Subject:
    """A copy of ``subject`` read ``by`` characters further on (a parse is shared, its copies not)."""
    return Subject(
        subject.kind, subject.text, subject.offset + by, subject.outlet, subject.definite, subject.organisation_noun
    )


class SubjectReader:
    """``forward_subject`` and ``backward_subject`` for one article, remembering each parse:
    attribution reads the same words around neighbouring quotes several times."""

    def __init__(self) -> None:
        self._forward: dict[str, tuple[Subject, int] | None] = {}
        self._backward: dict[str, Subject | None] = {}

    def forward(self, text: str, offset: int) -> tuple[Subject, int] | None:
        key = text[:_FORWARD_REACH]
        if key not in self._forward:
            self._forward[key] = _forward(key)
        found = self._forward[key]
        return None if found is None else (_moved(found[0], offset), found[1])

    def backward(self, text: str, offset: int) -> Subject | None:
        cut = max(0, len(text) - _BACKWARD_REACH)
        key = text[cut:]
        if key not in self._backward:
            self._backward[key] = _backward(key)
        found = self._backward[key]
        return None if found is None else _moved(found, offset + cut)


def forward_subject(text: str, offset: int) -> tuple[Subject, int] | None:
    """The subject at the start of ``text`` (after a speech verb), and where it ends."""
    found = _forward(text[:_FORWARD_REACH])
    if found is None:
        return None
    return _moved(found[0], offset), found[1]


def _forward(text: str) -> tuple[Subject, int] | None:
    """``forward_subject`` at offset 0."""
    offset = 0
    if match := _PRONOUN_FORWARD.match(text):
        return Subject(PRONOUN, match.group("pronoun").lower(), offset), match.end()
    if match := _KIN_SOURCE.match(text):
        if named := _APPOSITIVE_NAME.match(text, match.end()):  # "his race engineer, Gaëtan Morel,"
            return Subject(NAME, named.group("name"), offset + named.start("name")), named.end()
        return Subject(SOURCE_PHRASE, match.group(), offset), match.end()
    skip = 4 if text.startswith("the ") else 0
    outlet = OUTLET_PATTERN.match(text, skip)
    if outlet and outlet.group()[:1].isupper() and not _ROLE_AFTER.match(text, outlet.end()):
        return Subject(OUTLET_NAME, outlet_name(outlet.group()), offset), outlet.end()
    opening = _words_of(text[:80])
    if not opening.isdisjoint(_OFFICE_WORDS) and (match := _ROLE_THEN_NAME.match(text)):
        return Subject(NAME, match.group("name"), offset + match.start("name")), match.end()
    if not opening.isdisjoint(_SOURCE_WORDS) and (found := _source_forward(text, offset)):
        return found
    if not opening.isdisjoint(ROLE_NOUNS) and (match := _SOMEONE_FORWARD.match(text)):
        someone = Subject(SOURCE_PHRASE, match.group(), offset)
        someone.outlet = outlet_after(CLAUSE_END.split(text[match.end() :], maxsplit=1)[0][:120])
        return someone, match.end()
    if match := _DESCRIPTION_FORWARD.match(text):
        return Subject(DESCRIPTION, match.group("noun").lower(), offset), match.end()
    if match := _ORG_FORWARD.match(text):
        return Subject(ORG_NOUN, match.group("noun").lower(), offset), match.end()
    if match := _NAME_FORWARD.match(text, skip):
        return Subject(NAME, match.group(), offset + skip), match.end()
    return None


def _without_adverbs(text: str) -> str:
    """The words before a verb without adverbs and times ("also", "last week", "on Monday")."""
    head = text.rstrip()
    while True:
        last = head.rsplit(None, 1)[-1] if head else ""
        if last in ADVERBS:
            head = head[: len(head) - len(last)].rstrip()
            continue
        time = _TIME_TAIL.search(head, max(0, len(head) - 30))
        if time is None:
            return head
        head = head[: time.start()].rstrip()


def _without_appositives(head: str) -> str:
    """Drop appositives (", the head of X,", ", D-Ore., who chairs the committee,") after a name
    or a noun ("The letter, organised by …, warns")."""
    for _ in range(3):
        appositive = _APPOSITIVE_TAIL.search(head, max(0, len(head) - 140))
        if not appositive:
            break
        before = _AGE_TAIL.sub("", head[: appositive.start()])  # "Mrs Holbrook, 52, from Solihull,"
        content = appositive.group().strip(" ,")
        if (
            _BARE_NAME.match(appositive.group())
            or _ROLE_THEN_NAME.fullmatch(content)
            or not (
                _ENDS_WITH_NAME.search(before, max(0, len(before) - 40))
                or _ENDS_WITH_NOUN.search(before, max(0, len(before) - 80))
            )
        ):
            break  # "Its chair, Margaret Dunn, told…": the appositive is the name
        head = before.rstrip() + ","  # the comma that opened it closes the one before
    return head.rstrip(" ,")


def _last_word(words: frozenset[str], text: str, start: int) -> re.Match[str] | None:
    """The last word of ``text[start:]`` that is in ``words`` (any case, or as a plural)."""
    found = None
    for match in _PLAIN_WORD.finditer(text, start):
        word = match.group()
        folded = word.lower()
        if word in words or folded in words or (folded.endswith("s") and folded[:-1] in words):
            found = match
    return found


def _words_of(text: str) -> set[str]:
    """The lower-cased words of ``text`` and their singulars: a cheap test before a long pattern."""
    words = {w.lower() for w in _PLAIN_WORD.findall(text)}
    return words | {w[:-1] for w in words if w.endswith("s")}


def _source_backward(window: str, base: int) -> Subject | None:
    noun = _last_word(_SOURCE_WORDS, window, max(0, len(window) - 100))
    if noun is None:
        return None
    post = window[noun.end() :]
    if post and not _SOURCE_POST.fullmatch(post):
        return None
    head = _SOURCE_HEAD.search(window, max(0, noun.start() - 70), noun.start())
    if head is None:
        return None
    mods = head.group("mods").split()
    if noun.group()[:1].isupper() and mods and mods[-1][:1].isupper():
        return None  # "Essex Police", "Royal Mail Workers": a name, not an unnamed source
    definite = _is_definite(head.group("det"))
    subject = Subject(SOURCE_PHRASE, window[head.start() :], base + head.start(), definite=definite)
    source_outlet(subject, head.group("mods"), post)
    return subject


def _someone_backward(window: str, base: int) -> Subject | None:
    """"one fund manager who holds the stock": an unnamed person by role, ending the window."""
    noun = _last_word(ROLE_NOUNS, window, max(0, len(window) - 120))
    if noun is None:
        return None
    post = window[noun.end() :]
    if post and not _SOMEONE_POST.fullmatch(post):
        return None
    head = _SOMEONE_HEAD.search(window, max(0, noun.start() - 50), noun.start())
    if head is None:
        return None
    return Subject(SOURCE_PHRASE, window[head.start() :], base + head.start())


def _name_backward(window: str, base: int) -> Subject | None:
    match = _NAME_BACKWARD.search(window, max(0, len(window) - 80))
    if match is None:
        return None
    reach = window[max(0, match.start() - 60) : match.end()].split()
    longer = None
    if "of" in reach or "for" in reach or "on" in reach:  # what the pattern needs, looked up first
        longer = _ORGANISATION_BACKWARD.search(window, max(0, match.start() - 60), match.end())
    if longer is not None:  # "the Royal College of Nursing said": the whole name, not "Nursing"
        return Subject(NAME, longer.group(), base + longer.start())
    holder = None
    if not _HOLDER_WORDS.isdisjoint(window[: match.start()].split()[-5:]):
        holder = _OF_ORGANISATION.search(window, 0, match.start())
    if holder:  # "Morgan Reyes of Wedbush Securities said": the person, not the firm
        return Subject(NAME, f"{holder.group(1)}|{match.group()}", base + holder.start())
    return Subject(NAME, match.group(), base + match.start())


def backward_subject(text: str, offset: int) -> Subject | None:
    """The subject that ends ``text`` (the words just before a speech verb)."""
    cut = max(0, len(text) - _BACKWARD_REACH)
    found = _backward(text[cut:])
    return None if found is None else _moved(found, offset + cut)


def _backward(text: str) -> Subject | None:
    """``backward_subject`` at offset 0."""
    offset = 0
    head = _without_adverbs(text)
    tail = head.rsplit(None, 1)[-1] if head.strip() else ""
    if tail.lower() in _PRONOUNS and (match := _PRONOUN_BACKWARD.search(head, len(head) - len(tail) - 1)):
        return Subject(PRONOUN, match.group("pronoun").lower(), offset + match.start())
    if relative := _RELATIVE_TAIL.search(head, max(0, len(head) - 12)):  # "according to Dr. Aaltonen, who called…"
        head = _AGE_TAIL.sub("", head[: relative.start()])  # "says King, 30, who describes…"
    if head.endswith(")"):
        head = _ABBREVIATION_TAIL.sub("", head)  # "The Rugby Football Union (RFU) said"
    head = _without_appositives(head)
    window_start = max(0, len(head) - 120)
    window = head[window_start:]
    base = offset + window_start
    tail = window.rsplit(None, 1)[-1] if window.strip() else ""
    if (match := _KIN_SOURCE.search(window, max(0, len(window) - 60))) and match.end() == len(window):
        return Subject(SOURCE_PHRASE, match.group(), base + match.start())
    if outlet := outlet_ending(window):
        return Subject(OUTLET_NAME, outlet_name(outlet), base + len(window) - len(outlet))
    if source := _source_backward(window, base):
        return source
    if someone := _someone_backward(window, base):
        return someone
    return _noun_or_name_backward(window, tail, base)


def _noun_or_name_backward(window: str, tail: str, base: int) -> Subject | None:
    folded = tail.lower()
    match = _DESCRIPTION_BACKWARD.search(window, max(0, len(window) - 60))
    described = folded in _DESCRIBED_WORDS or tail in NATIONALITY_NOUNS or tail in PARTY_NOUNS
    if match and (described or not match.group("noun")):
        return Subject(DESCRIPTION, (match.group("noun") or "year-old").lower(), base + match.start())
    if folded.rstrip("s") in ORG_NOUNS and (match := _ORG_BACKWARD.search(window, max(0, len(window) - 60))):
        return Subject(ORG_NOUN, match.group("noun").lower(), base + match.start())
    if folded in DOCUMENT_NOUNS and (match := _DOCUMENT_BACKWARD.search(window, max(0, len(window) - 60))):
        return Subject(SOURCE_PHRASE, match.group(), base + match.start())
    if tail[:1].isupper():
        return _name_backward(window, base)
    return None
