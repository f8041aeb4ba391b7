"""What the words around a possible name say about it.

Evidence that a run of capitals names a person: a title or role noun before it ("coach Pep
Guardiola"), an age ("Kanye, 43,"), "who", a speech verb ("said Kim"), an appositive (", the
company's chief executive,"), a byline or credit, or a place among children ("daughter
Chicago"). Evidence that it does not: a company context ("shares of Charles Schwab"), a character
played, a band ("Coldplay, who were"), a place preposition ("in Ann Arbor").
"""

from __future__ import annotations

import re

from reader.core.extraction.candidates import Candidate
from reader.core.extraction.document import Document
from reader.core.extraction.lexicons import (
    ADVERBS,
    FAMILY_NOUNS,
    GIVEN_NAMES,
    ROLE_NOUNS,
    ROYAL_TITLES,
    SPEECH_VERBS,
)

_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    "|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
)
_AGE_AFTER = re.compile(
    rf"^,\s*(?:\d{{1,3}}|(?:{_NUMBER_WORDS})(?:-(?:one|two|three|four|five|six|seven|eight|nine))?)"
    r"\s*(?:,|;|\)|\.(?!\d)|\band\b|$)",
    re.IGNORECASE,
)
_WHO_AFTER = re.compile(r"^,?\s+who(?:se)?\b")
FINITE_VERBS = frozenset(v for v in SPEECH_VERBS if not v.endswith("ing"))
_NEXT_TWO_WORDS = re.compile(r"(?:,\s*\d{1,3},)?\s+(\w+)(?:\s+(\w+))?")
_ROLE_WORDS = "|".join(sorted((re.escape(r) for r in ROLE_NOUNS), key=len, reverse=True))
_APPOSITIVE_AFTER = re.compile(
    rf"^,\s+(?:(?:the|a|an|his|her|their|its|our)\s+)?(?:[\w’'&-]+\s+){{0,4}}?(?:{_ROLE_WORDS})\b",
    re.IGNORECASE,
)
_FAMILY_WORDS = "|".join(sorted(FAMILY_NOUNS, key=len, reverse=True))
_FAMILY_NOUN = re.compile(rf"\b(?:{_FAMILY_WORDS})\b")
_FAMILY_LIST_TAIL = re.compile(
    rf"[\s\-–—:,()]*(?:(?:[A-Z][\w’'-]*|\d{{1,2}}|{_NUMBER_WORDS}|and|aged?)[\s\-–—:,()]*)*"
)
_BIRTH_WORDS = ("birth to", "welcomed", "brought")
_INTO_THE_WORLD = re.compile(r"^\s+into\s+the\s+world\b")
_PLACE_PREPOSITIONS = frozenset("in at near outside inside across around throughout".split())
_PARTY_AFTER = re.compile(r"^\s*\((?:[RDI]|Dem|Rep|Lab|Con)[-–,]")
# A byline or credit ("By Jane Doe and", "Reporting by Max Cherney in San Francisco; Editing by"),
# possibly with earlier names of the same list between the cue and this name.
_CREDIT_BEFORE = re.compile(
    r"(?:(?:^|\n)[ \t(\[]*By|\b(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Pp]hotos?|[Pp]hotograph|[Pp]ictures?)\s+by"
    r"|\b(?:Photo|Photograph|Picture|Image|Credit)s?:)"
    r"\s+(?:[A-Z][\w'’.\-]*[,;]?\s+|(?:in|and)\s+)*$"
)
_BYLINE_PARAGRAPHS = 3
_JOB_WORD = re.compile(r"\b(?:correspondent|editor|reporter|writer|columnist|critic|journalist|at\s+the)\b", re.IGNORECASE)
_BYLINE_WORDS = 14
_CREDIT_AFTER = re.compile(r"^/[A-Z]")  # "Kevin Winter/Getty Images": a photographer and agency
_CONTRIBUTED = re.compile(r"^(?:\s+and\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?\s+(?:contributed|also\s+contributed)\b")
# Group words after a single name: "Coldplay, who were headlining" is a band, not a person.
_GROUP_AFTER = re.compile(r"^,?\s+who\s+(?:were|are|have)\b")
# A company, not its founder: "shares of Charles Schwab", "Michael Kors owner Capri Holdings",
# "the US blood-testing company Theranos".
_COMPANY_BEFORE = re.compile(r"\b(?:[Ss]hares|stock|stake|owner|maker|makers|unit|subsidiary)\s+(?:of|in)\s+$")
_FIRM_NOUNS = (
    "company firm group business brand label band studio carmaker maker retailer startup start-up chain "
    "airline bank insurer lender operator developer publisher broadcaster club team charity"
).split()
_FIRM_NOUN_SET = frozenset(_FIRM_NOUNS)
_COMPANY_AFTER = re.compile(r"^(?:['’]s)?\s+(?:shares|stock|owner|brand|-owned)\b|^\s+&\s")
# A character someone plays: "best known for playing Inspector Gideon Frost".
_ROLE_PLAYED_BEFORE = re.compile(r"\b(?:plays|playing|played|portrays|portraying|portrayed|voices|voicing)\s+$")


def _title_evidence(candidate: Candidate) -> None:
    if candidate.title in ROYAL_TITLES:
        candidate.evidence.add("royal")
    elif candidate.title:
        candidate.evidence.add("title")


def _credit_evidence(text: str, candidate: Candidate, before: str, end: int) -> None:
    """Bylines, credits and "contributed to this report" lines name people."""
    if candidate.tokens[-1].lower() in ROLE_NOUNS:  # "By Eleanor Pike, Political Editor"
        return
    line = before[before.rfind("\n") + 1 :]  # credits are lines of their own
    # the substring tests are cheap guards: most names have no credit cue near them
    credited = ("By" in line or "by " in line or ":" in line) and _CREDIT_BEFORE.search(before, len(before) - len(line) - 1 if len(line) < len(before) else 0)
    after = text[end : end + 120]
    if credited or after[:1] == "/" and _CREDIT_AFTER.match(after) or "contributed" in after and _CONTRIBUTED.match(after):
        candidate.evidence.add("credit")


def _byline_evidence(document: Document, candidate: Candidate) -> None:
    """"Helena Brookfield Rural affairs correspondent", "Alasdair Grant, Science Correspondent"
    on the short line under the headline: a byline without "By"."""
    words = document.words
    paragraph = words[candidate.first].paragraph
    if not 1 <= paragraph <= _BYLINE_PARAGRAPHS or len(candidate.tokens) > 3:
        return
    start, end = document.paragraphs[paragraph]
    line_end = document.text.find("\n", start, end)
    line = document.text[start : line_end if line_end > 0 else end]
    if words[candidate.first].start != start or len(line.split()) > _BYLINE_WORDS:
        return
    rest = line[words[candidate.last].end - start :]
    if candidate.tokens[0] in GIVEN_NAMES or _JOB_WORD.search(rest):
        candidate.evidence.add("credit")


def _company_context(document: Document, candidate: Candidate, before: str, after: str) -> None:
    text = document.text
    run_start = document.words[candidate.run_first].start
    previous = text[max(0, run_start - 16) : run_start].split()[-1:] or [""]
    if (
        (before.endswith(("of ", "in ")) and _COMPANY_BEFORE.search(before, len(before) - 30))
        or _COMPANY_AFTER.match(after)
        or (previous[0][:4] in ("play", "port", "voic") and _ROLE_PLAYED_BEFORE.search(text, max(0, run_start - 14), run_start))
        or (run_start == document.words[candidate.first].start and previous[0] in _FIRM_NOUN_SET)
    ):
        candidate.company = True


def _word_before_evidence(candidate: Candidate, before: str) -> None:
    previous_words = before[-40:].split()
    if not previous_words:
        return
    previous = previous_words[-1]
    if before[-1:] in (" ", "\t"):  # the same line: a job ending the line above is no cue
        if previous in ROLE_NOUNS or (previous.endswith(",") and previous[:-1] in ROLE_NOUNS):
            candidate.evidence.add("role")  # "coach Pep Guardiola", "the finance chief, Yvonne Teller"
        if previous in FINITE_VERBS:
            candidate.evidence.add("speech")
    if previous in _PLACE_PREPOSITIONS and before[-1:].isspace():
        candidate.evidence.add("place")  # "in Ann Arbor", "near Savannah": where, not who


def _after_evidence(candidate: Candidate, after: str) -> None:
    if not after:
        return
    evidence = candidate.evidence
    comma = after[:1] == ","  # cheap guards: most of these need a comma or "who" right after
    if comma and _AGE_AFTER.match(after):
        evidence.add("age")
    if "who" in after[:8]:
        evidence.add("group" if _GROUP_AFTER.match(after) else "who" if _WHO_AFTER.match(after) else "")
        evidence.discard("")
    following = _NEXT_TWO_WORDS.match(after)
    if following and (
        following.group(1) in FINITE_VERBS or (following.group(1) in ADVERBS and following.group(2) in FINITE_VERBS)
    ):
        evidence.add("speech")
    if (comma and _APPOSITIVE_AFTER.match(after)) or ("(" in after[:3] and _PARTY_AFTER.match(after)):
        evidence.add("role")


def _is_family_member(before: str, after: str) -> bool:
    """"their first child, North", "children - North, seven, Saint, ...", "brought North into the world"."""
    if before.rstrip().endswith(_BIRTH_WORDS) and (_INTO_THE_WORLD.match(after) or "brought" not in before[-10:]):
        return True
    sentence_start = max(before.rfind(". "), before.rfind("\n"))
    window = before[sentence_start + 1 :]
    if not any(noun in window for noun in ("child", "kid", "son", "daughter", "bab", "twin", "offspring")):
        return False
    nouns = list(_FAMILY_NOUN.finditer(window))
    if not nouns:
        return False
    tail = window[nouns[-1].end() :]
    return bool(tail) and _FAMILY_LIST_TAIL.fullmatch(tail) is not None


def gather_evidence(document: Document, candidate: Candidate) -> None:
    """Fill in ``candidate.evidence`` (and ``company``) from the words around it."""
    text = document.text
    words = document.words
    start = words[candidate.first].start
    end = words[candidate.last].end
    before = text[max(0, start - 160) : start]
    after = "" if words[candidate.last].possessive else text[end : end + 90]
    _title_evidence(candidate)
    _credit_evidence(text, candidate, before, end)
    _byline_evidence(document, candidate)
    _company_context(document, candidate, before, after)
    _word_before_evidence(candidate, before)
    _after_evidence(candidate, after)
    if len(candidate.tokens) == 1 and _is_family_member(before, after):
        candidate.evidence.add("family")
