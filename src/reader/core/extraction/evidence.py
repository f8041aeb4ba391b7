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
    ORG_SUFFIXES,
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
    rf"^,\s+(?:(?:the|a|an|his|her|their|its|our)\s+)?(?:[\w’'&-]+\s+){{0,4}}?(?P<role>{_ROLE_WORDS})\b",
    re.IGNORECASE,
)
_DETERMINERS = frozenset("a an the The A An his her their its our my your His Her Their Its Our My Your".split())
_AWARD_WORDS = frozenset({"best", "Best", "worst"})  # "the best actress Oscar": an award, not a role
_ORDINALS = frozenset("first second third fourth fifth sixth seventh eighth ninth tenth last latest next".split())
_ROLE_HEAD = re.compile(r"[\w-]+")
# Words that open a clause or a phrase after a comma, not a description of the name before it.
_NOT_APPOSITIVE = frozenset(
    "with without only once and but or nor yet so as at in on for from by to after before while when "
    "whose which who where although though despite including like unlike not also".split()
)
_NEXT_CAPITAL = re.compile(r"\s+[A-Z]")
_FOLLOWING_WORD = re.compile(r"\s+([a-z][\w-]*)")
# Words that may follow the role noun of an appositive: "the captain of", "a lawyer for", "and".
_AFTER_ROLE_WORDS = frozenset("of for at in to and or with from on who whose which since until".split())
# Roles that come before a firm or a body as often as before a person ("regulator Ofcom", "rival
# Nissan", "analyst Gartner", "parent DaimlerChrysler"): no evidence that one word is a person.
SHARED_ROLES = frozenset(
    "regulator rival analyst parent owner partner investor buyer seller dealer customer leader "
    "champion winner opponent challenger incumbent host trader producer collector nominee maker".split()
)
_MODIFIED_NAME = re.compile(r"\s+[a-z][\w-]*\s+[A-Z]")
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
_JOB_WORD = re.compile(
    r"\b(?:correspondent|editor|reporter|writer|columnist|critic|journalist|at\s+the)\b", re.IGNORECASE
)
_BYLINE_WORDS = 14
_CREDIT_AFTER = re.compile(r"^/[A-Z]")  # "Kevin Winter/Getty Images": a photographer and agency
_CONTRIBUTED = re.compile(r"^(?:\s+and\s+[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*)?\s+(?:contributed|also\s+contributed)\b")
# Group words after a single name: "Coldplay, who were headlining" is a band, not a person.
_GROUP_AFTER = re.compile(r"^,?\s+who\s+(?:were|are|have)\b")
# A plural's verb after "who": "Danes who want", not "Jones who wants" (nor "who will", "who wanted").
_PLURAL_VERB_AFTER = re.compile(
    r"^,?\s+who\s+(?!(?:will|would|could|can|may|might|should|must|had|did|also|then|now|once|never)\b)"
    r"[a-z]+(?<![sd])\b"
)
# A company, not its founder: "shares of Charles Schwab", "Michael Kors owner Capri Holdings",
# "the US blood-testing company Theranos".
_COMPANY_BEFORE = re.compile(r"\b(?:[Ss]hares|stock|stake|owner|maker|makers|unit|subsidiary)\s+(?:of|in)\s+$")
_FIRM_NOUNS = (
    "company firm group business brand label band studio carmaker maker retailer startup start-up chain "
    "airline bank insurer lender operator developer publisher broadcaster club team charity"
).split()
_FIRM_NOUN_SET = frozenset(_FIRM_NOUNS)
_OF_NAME_BEFORE = re.compile(r"\b([A-Z][\w’'-]*)\s+of\s+(?:the\s+)?$")
_COMPANY_AFTER = re.compile(
    r"^(?:['’]s)?\s+(?:shares|stock|owner|brand|-owned)\b|^\s+&\s"
    r"|^['’]\s+(?:Union|Association|Federation|Alliance|Council|Society|League|Party|Guild)\b"  # "Workers' Union"
)
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
    line_start = len(before) - len(line) - 1 if len(line) < len(before) else 0
    credited = ("By" in line or "by " in line or ":" in line) and _CREDIT_BEFORE.search(before, line_start)
    after = text[end : end + 120]
    if (
        credited
        or (after[:1] == "/" and _CREDIT_AFTER.match(after))
        or ("contributed" in after and _CONTRIBUTED.match(after))
    ):
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
        or (before.endswith(("of ", "of the ")) and _in_organisation_name(before))
        or ((after[:1] in "'’" or after[:1].isspace()) and _COMPANY_AFTER.match(after))
        or (
            previous[0][:4] in ("play", "port", "voic")
            and _ROLE_PLAYED_BEFORE.search(text, max(0, run_start - 14), run_start)
        )
        or (run_start == document.words[candidate.first].start and previous[0] in _FIRM_NOUN_SET)
    ):
        candidate.company = True


def _in_organisation_name(before: str) -> bool:
    """"the University of Aberdeen", "the Bank of England": the name after an organisation word
    and "of" is part of the organisation's."""
    match = _OF_NAME_BEFORE.search(before, max(0, len(before) - 40))
    return match is not None and match.group(1) in ORG_SUFFIXES


def _word_before_evidence(candidate: Candidate, before: str) -> None:
    previous_words = before[-40:].split()
    if not previous_words:
        return
    previous = previous_words[-1]
    if before[-1:] in (" ", "\t"):  # the same line: a job ending the line above is no cue
        role = previous.removesuffix(",")
        if role in ROLE_NOUNS and not (len(previous_words) > 1 and previous_words[-2] in _AWARD_WORDS):
            # "coach Pep Guardiola", "the finance chief, Yvonne Teller"; but "regulator Ofcom",
            # "rival Nissan": before one word, some roles are a firm's as often as a person's
            shared = len(candidate.tokens) == 1 and role in SHARED_ROLES and not previous.endswith(",")
            candidate.evidence.add("shared-role" if shared else "role")
        if previous in FINITE_VERBS:
            candidate.evidence.add("speech")
        if len(candidate.tokens) == 1 and _after_determiner(previous_words):
            candidate.evidence.add("determiner")  # "the Aviator", "his second Oscar": no one's name
    if previous in _PLACE_PREPOSITIONS and before[-1:].isspace():
        candidate.evidence.add("place")  # "in Ann Arbor", "near Savannah": where, not who


def _after_determiner(previous_words: list[str]) -> bool:
    """"the Aviator", "a Picasso", "his second Oscar": a determiner just before, or with only an
    ordinal between ("his son Oscar", "the question Sal would ask" name people)."""
    previous = previous_words[-1]
    if previous in _DETERMINERS:
        return True
    return len(previous_words) > 1 and previous in _ORDINALS and previous_words[-2] in _DETERMINERS


def _who_evidence(candidate: Candidate, after: str) -> None:
    """"Kim, who …" is a person; "Coldplay, who were …" and "Danes who want …" are groups."""
    plural = candidate.tokens[-1].endswith("s") and _PLURAL_VERB_AFTER.match(after)
    if plural or _GROUP_AFTER.match(after):
        candidate.evidence.add("group")
    elif _WHO_AFTER.match(after):
        candidate.evidence.add("who")


def _next_words_evidence(candidate: Candidate, after: str, following: re.Match[str], comma: bool) -> None:
    """A speech verb next ("Kim said"), or a role noun and another name ("Oscar nominee Alan
    Alda", "Microsoft chief Bill Gates": the name is a modifier of someone else)."""
    first, second = following.group(1), following.group(2)
    if first in FINITE_VERBS or (first in ADVERBS and second in FINITE_VERBS):
        candidate.evidence.add("speech")
    if not comma and first in ROLE_NOUNS and _MODIFIED_NAME.match(after):
        candidate.evidence.add("modifier")


def _after_evidence(candidate: Candidate, after: str) -> None:
    if not after:
        return
    evidence = candidate.evidence
    comma = after[:1] == ","  # cheap guards: most of these need a comma or "who" right after
    if comma and _AGE_AFTER.match(after):
        evidence.add("age")
    if "who" in after[:8]:
        _who_evidence(candidate, after)
    following = _NEXT_TWO_WORDS.match(after) if comma or after[:1].isspace() else None
    if following:
        _next_words_evidence(candidate, after, following, comma)
    role = _appositive_role(after) if comma and _role_within_reach(after) else None
    if role is not None:
        # before one word, "Russia's fourth-biggest oil producer" describes a firm as often
        evidence.add("shared-role" if len(candidate.tokens) == 1 and role in SHARED_ROLES else "role")
    elif "(" in after[:3] and _PARTY_AFTER.match(after):
        evidence.add("role")


def _appositive_role(after: str) -> str | None:
    """The role noun of ", the company's chief executive," after a name: a role that describes
    it. Not ", with the Irish captain", ", once the owner of", ", comedian Reeves" (the role of
    the next name) nor ", Scotland's premier whisky firm" (a role word used as an adjective)."""
    match = _APPOSITIVE_AFTER.match(after)
    if match is None:
        return None
    first = after[1:].split(None, 1)[0].lower()
    if first in _NOT_APPOSITIVE or _NEXT_CAPITAL.match(after, match.end()):
        return None
    role, position = match.group("role").lower(), match.end()
    for _ in range(3):  # "chief market strategist": the role goes on to the last role noun
        following = _FOLLOWING_WORD.match(after, position)
        if following is None or following.group(1) in _AFTER_ROLE_WORDS:
            return role
        if following.group(1) in ROLE_NOUNS:
            role = following.group(1)
        elif _FOLLOWING_WORD.match(after, following.end()) is None:
            return None  # "Scotland's premier whisky firm": a role word used as an adjective
        position = following.end()
    return role


def _role_within_reach(after: str) -> bool:
    """Whether a role noun opens one of the six words after the comma: what ``_APPOSITIVE_AFTER``
    needs, checked with a few set lookups before its long alternation is tried."""
    for token in after[1:].lower().split(None, 6)[:6]:
        head = _ROLE_HEAD.match(token)
        if head is None:
            continue
        parts = head.group().split("-")
        if any("-".join(parts[:count]) in ROLE_NOUNS for count in range(1, len(parts) + 1)):
            return True
    return False


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
