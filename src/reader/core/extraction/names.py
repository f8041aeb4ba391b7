"""Candidate person names: runs of capitalised words, trimmed, classified, with evidence.

A run is a stretch of capitalised words ("President Joe Biden", "Vanity Fair", "North Carolina").
Leading titles and sentence-opening words are trimmed off; what remains is either a non-person
(a place, an organisation, an outlet: known from the lexicons or from a suffix such as "Inc" or
"United") or a possible name, together with the evidence its context gives: a title or role noun
before it ("coach Pep Guardiola"), an age ("Kanye, 43,"), "who", a speech verb ("said Kim"), an
appositive (", the company's chief executive,"), or a place among children ("daughter Chicago").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from reader.core.extraction.document import Document, Word, is_common
from reader.core.extraction.lexicons import (
    ADVERBS,
    DAYS,
    DEMONYMS,
    FAMILY_NOUNS,
    GIVEN_NAMES,
    HOLIDAYS,
    HONORIFICS,
    MONTHS,
    NAME_PARTICLES,
    NAME_SUFFIXES,
    ORG_SUFFIXES,
    ORGANISATIONS,
    OUTLETS,
    PLACES,
    ROLE_NOUNS,
    ROYAL_TITLES,
    SPEECH_VERBS,
    TITLE_MODIFIERS,
    TITLES,
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
_NEXT_WORD = re.compile(r" (\w+)")
_FINITE_VERB_SET = frozenset(v for v in SPEECH_VERBS if not v.endswith("ing"))
_NEXT_TWO_WORDS = re.compile(r"(?:,\s*\d{1,3},)?\s+(\w+)(?:\s+(\w+))?")
_ROLE_WORDS = "|".join(sorted((re.escape(r) for r in ROLE_NOUNS), key=len, reverse=True))
_APPOSITIVE_AFTER = re.compile(
    rf"^,\s+(?:the|a|an|his|her|their|its|our)\s+(?:[\w’'-]+\s+){{0,4}}?(?:{_ROLE_WORDS})\b",
    re.IGNORECASE,
)
_FAMILY_WORDS = "|".join(sorted(FAMILY_NOUNS, key=len, reverse=True))
_FAMILY_NOUN = re.compile(rf"\b(?:{_FAMILY_WORDS})\b")
_FAMILY_LIST_TAIL = re.compile(
    rf"[\s\-–—:,()]*(?:(?:[A-Z][\w’'-]*|\d{{1,2}}|{_NUMBER_WORDS}|and|aged?)[\s\-–—:,()]*)*"
)
_BIRTH_WORDS = ("birth to", "welcomed", "brought")
_INTO_THE_WORLD = re.compile(r"^\s+into\s+the\s+world\b")
_CAMEL_NAME = re.compile(r"^([A-Z][a-z]{2,})([A-Z][a-z]{2,})$")
_PLACE_PREPOSITIONS = frozenset("in at near outside inside across around throughout".split())
_PARTY_AFTER = re.compile(r"^\s*\((?:[RDI]|Dem|Rep|Lab|Con)[-–,]")
# A byline or credit ("By Jane Doe and", "Reporting by Max Cherney in San Francisco; Editing by"),
# possibly with earlier names of the same list between the cue and this name.
_CREDIT_BEFORE = re.compile(
    r"(?:(?:^|\n)[ \t(\[]*By|\b(?:[Rr]eporting|[Ee]diting|[Ww]riting|[Pp]hotos?|[Pp]hotograph|[Pp]ictures?)\s+by"
    r"|\b(?:Photo|Photograph|Picture|Image|Credit)s?:)"
    r"\s+(?:[A-Z][\w'’.\-]*[,;]?\s+|(?:in|and)\s+)*$"
)
_CREDIT_AFTER = re.compile(r"^/[A-Z]")  # "Kevin Winter/Getty Images": a photographer and agency
# Group words after a single name: "Coldplay, who were headlining" is a band, not a person.
_GROUP_AFTER = re.compile(r"^,?\s+who\s+(?:were|are|have)\b")
# A company, not its founder: "shares of Charles Schwab", "Michael Kors owner Capri Holdings".
_COMPANY_BEFORE = re.compile(r"\b(?:[Ss]hares|stock|stake|owner|maker|makers|unit|subsidiary)\s+(?:of|in)\s+$")
_COMPANY_AFTER = re.compile(r"^(?:['’]s)?\s+(?:shares|stock|owner|brand|-owned)\b|^\s+&\s")
# A character someone plays: "best known for playing Inspector Gideon Frost".
_ROLE_PLAYED_BEFORE = re.compile(r"\b(?:plays|playing|played|portrays|portraying|portrayed|voices|voicing)\s+$")

PLACE_WORDS = frozenset(p for p in PLACES if " " not in p)
_NON_PERSON_PHRASES: dict[str, list[tuple[str, ...]]] = {}
for _phrase in sorted(PLACES | ORGANISATIONS | {name for name in OUTLETS.values()}, key=len, reverse=True):
    _tokens = tuple(_phrase.split())
    _NON_PERSON_PHRASES.setdefault(_tokens[0], []).append(_tokens)
_OUTLET_WORDS = frozenset(form for form in OUTLETS if " " not in form)


@dataclass(slots=True)
class Candidate:
    """A trimmed run of capitalised words that may name a person, with what its context says."""

    first: int  # index of the first name word in ``Document.words``
    last: int  # index of the last name word (inclusive)
    tokens: tuple[str, ...]
    title: str | None = None  # a royal or honorific title written just before
    run_first: int = 0  # index of the run's first word, before titles were trimmed
    evidence: set[str] = field(default_factory=set)
    loose: bool = False  # the first word's capital is conventional (sentence start, headline)
    titlecase: bool = False
    nonperson: bool = False
    place: bool = False  # a single word that is also a place (North, Chicago)
    camel: bool = False  # an author box's run-together name ("RaquelHarris")
    company: bool = False  # a firm or character named like a person; its words are no mention


def _joined(previous: Word, word: Word, text: str) -> bool:
    """Whether ``word`` continues the run that ``previous`` is in (nothing but a space between)."""
    if previous.possessive or previous.paragraph != word.paragraph:
        return False
    gap = text[previous.end : word.start]
    if gap in (" ", "\u00a0"):
        return True
    abbreviation = len(previous.text) == 1 or previous.text in TITLES or previous.text in NAME_SUFFIXES
    return abbreviation and gap in (". ", ".\u00a0", ".")


def _leaves_capitals(words: list[Word], first: int, end: int) -> bool:
    """Whether ``words[end]`` is Title Case after two or more ALL-CAPS words of the run."""
    if end - first < 2 or words[end].text.isupper():
        return False
    return all(len(w.stem) > 1 and w.stem.isupper() for w in words[end - 2 : end])


def runs(document: Document) -> list[tuple[int, int]]:
    """Maximal stretches ``[first, last)`` of capitalised words, with name particles inside."""
    words = document.words
    text = document.text
    found: list[tuple[int, int]] = []
    index = 0
    while index < len(words):
        if not words[index].capitalised:
            index += 1
            continue
        end = index + 1
        while end < len(words):
            word = words[end]
            if _leaves_capitals(words, index, end):
                break  # "DAVID KWAN Associated Press": a capitals byline, then the agency
            if word.capitalised and _joined(words[end - 1], word, text):
                end += 1
            elif word.text in NAME_PARTICLES and _joined(words[end - 1], word, text):
                after = end + 1  # "van Persie", "van der Merwe", "de la Cruz": up to three particles
                while after < len(words) and after - end < 3 and words[after].text in NAME_PARTICLES and _joined(words[after - 1], words[after], text):
                    after += 1
                if after < len(words) and words[after].capitalised and _joined(words[after - 1], words[after], text):
                    end = after + 1
                else:
                    break
            else:
                break
        found.append((index, end))
        index = end
    return found


def phrase_at(tokens: tuple[str, ...], position: int) -> int:
    """Length of the longest place/organisation/outlet name starting at ``position`` (0 if none)."""
    for phrase in _NON_PERSON_PHRASES.get(tokens[position], ()):
        if tokens[position : position + len(phrase)] == phrase:
            return len(phrase)
    return 0


def is_non_person_word(token: str) -> bool:
    """A single word that names no person: a place, organisation, outlet, month, day or people."""
    return (
        token in PLACE_WORDS
        or token in ORGANISATIONS
        or token.casefold() in _OUTLET_WORDS
        or token in MONTHS
        or token in DAYS
        or token in HOLIDAYS
        or token in DEMONYMS
        or token in ORG_SUFFIXES
    )


def _opens_line(text: str, start: int) -> bool:
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip()


def _next_word(text: str, end: int) -> str:
    """The word right after ``end`` (one space between), or ""."""
    match = _NEXT_WORD.match(text, end)
    return match.group(1) if match else ""


def _is_initial(token: str) -> bool:
    return len(token) == 1 and token.isupper()


def _trim(document: Document, first: int, end: int) -> Candidate | None:
    """Drop leading titles, sentence-opening words and organisation prefixes from a run."""
    words = document.words
    text = document.text
    tokens = tuple(w.stem for w in words[first:end])
    position = 0
    title: str | None = None
    role = False
    for index in range(len(tokens) - 2, 0, -1):
        if tokens[index] in HONORIFICS or tokens[index].rstrip(".") in HONORIFICS or tokens[index] in ROYAL_TITLES:
            position = index  # "U.S. District Judge Miriam Osei": all before the title is office
            break
    while position < len(tokens):
        token = tokens[position]
        rest = len(tokens) - position - 1
        if token in ROYAL_TITLES or token in HONORIFICS or token.rstrip(".") in HONORIFICS:
            title = token  # the title nearest the name is the one that counts
            position += 1
            continue
        if token in TITLE_MODIFIERS or token.lower() in ROLE_NOUNS:
            role = role or token.lower() in ROLE_NOUNS  # "Analyst Morgan Reyes", "Coach Keller"
            position += 1
            continue
        if rest and token not in GIVEN_NAMES:
            length = phrase_at(tokens, position)
            if length and position + length < len(tokens):
                position += length
                continue
        word_end = words[first + position].end
        if position == 0 and token in ("Q", "A") and text[word_end : word_end + 1] in (".", ":") and _opens_line(text, words[first].start):
            position += 1  # "Q. Paula beat you…": an interview's question, not an initial
            continue
        if _is_initial(token) and text[word_end : word_end + 1] == "." and position + 1 < len(tokens) and words[first + position + 1].start == word_end + 1:
            while position < len(tokens) and _is_initial(tokens[position]):
                position += 1  # "U.S.", "U.K.": an abbreviation, not initials
            continue
        if _is_initial(token) and not (token in ("A", "I") and text[word_end : word_end + 1] != "."):
            following = position
            while following < len(tokens) and _is_initial(tokens[following]):
                following += 1
            if following < len(tokens) and (tokens[following] in TITLES or is_common(tokens[following])):
                position = following
                continue
            break
        if rest and (is_common(token) or token in DEMONYMS or token in MONTHS or token in DAYS):
            following = tokens[position + 1] if rest else ""
            keeps = (
                token in GIVEN_NAMES
                and following
                and not is_common(following)
                and following not in GIVEN_NAMES
                and not (words[first + position].loose and following in TITLES)
            )
            if not keeps:
                position += 1
                title = None
                role = False
                continue
        if token.isupper() and len(token) > 1 and token not in NAME_SUFFIXES:
            position += 1  # an acronym: CEO, FBI, US
            continue
        break
    if position >= len(tokens):
        return None
    last = len(tokens)
    while last - position > 1 and tokens[last - 1] in HONORIFICS and tokens[last - 1] not in GIVEN_NAMES:
        last -= 1  # "senior Tory MP": a title after a word ends no name
    if last - position > 2 and (is_common(tokens[last - 1]) or tokens[last - 1] in TITLE_MODIFIERS):
        if _next_word(text, words[first + last - 1].end) in ROLE_NOUNS:
            last -= 1  # "Hannah Wyatt Political correspondent": the job's first word, not a surname
    kept = tokens[position:last]
    candidate = Candidate(first + position, first + last - 1, kept, title=title, run_first=first)
    if role:
        candidate.evidence.add("role")
    head = words[first + position]
    candidate.loose = head.loose
    candidate.titlecase = head.titlecase
    whole = " ".join(kept)
    last = kept[-1]
    if len(kept) == 1 and last in PLACE_WORDS:
        candidate.place = True  # a place, unless the context shows a person (North, Chicago)
    elif (
        whole in PLACES
        or whole in ORGANISATIONS
        or whole.casefold() in OUTLETS
        or (last in ORG_SUFFIXES and (len(kept) > 1 or last not in GIVEN_NAMES))
        or (len(kept) > 1 and last.endswith("s") and last in ORGANISATIONS)
        or (len(kept) > 1 and phrase_at(kept, 0) == len(kept))
    ):
        candidate.nonperson = True
    elif len(kept) == 1:
        camel = _CAMEL_NAME.match(last)
        if camel and camel.group(1) in GIVEN_NAMES:
            candidate.camel = True
            candidate.tokens = (camel.group(1), camel.group(2))
        elif is_common(last) and last not in GIVEN_NAMES:
            candidate.place = True
        elif is_non_person_word(last):
            candidate.nonperson = True
    return candidate


def _gather_evidence(document: Document, candidate: Candidate) -> None:
    text = document.text
    words = document.words
    start = words[candidate.first].start
    end = words[candidate.last].end
    before = text[max(0, start - 160) : start]
    after = "" if words[candidate.last].possessive else text[end : end + 90]
    evidence = candidate.evidence
    if candidate.title in ROYAL_TITLES:
        evidence.add("royal")
    elif candidate.title:
        evidence.add("title")
    # the substring tests are cheap guards: most names have no credit or company cue near them
    is_job = candidate.tokens[-1].lower() in ROLE_NOUNS  # "By Eleanor Pike, Political Editor"
    credited = ("y " in before or ":" in before) and _CREDIT_BEFORE.search(before)
    if not is_job and (credited or _CREDIT_AFTER.match(text, end)):
        evidence.add("credit")
    run_start = words[candidate.run_first].start
    if (
        (before.endswith(("of ", "in ")) and _COMPANY_BEFORE.search(before, len(before) - 30))
        or _COMPANY_AFTER.match(after)
        or _ROLE_PLAYED_BEFORE.search(text, max(0, run_start - 14), run_start)
    ):
        candidate.company = True
    previous_words = before[-40:].split()
    if before[-1:] in (" ", "\t") and previous_words:  # the same line: a job ending the line above is no cue
        previous = previous_words[-1]
        if previous in ROLE_NOUNS or (previous.endswith(",") and previous[:-1] in ROLE_NOUNS):
            evidence.add("role")  # "coach Pep Guardiola", "the finance chief, Yvonne Teller"
        if previous in _FINITE_VERB_SET:
            evidence.add("speech")
    if after:
        if _AGE_AFTER.match(after):
            evidence.add("age")
        if _GROUP_AFTER.match(after):
            evidence.add("group")
        elif _WHO_AFTER.match(after):
            evidence.add("who")
        following = _NEXT_TWO_WORDS.match(after)
        if following and (
            following.group(1) in _FINITE_VERB_SET
            or (following.group(1) in ADVERBS and following.group(2) in _FINITE_VERB_SET)
        ):
            evidence.add("speech")
        if _APPOSITIVE_AFTER.match(after) or _PARTY_AFTER.match(after):
            evidence.add("role")
    if len(candidate.tokens) == 1 and _is_family_member(before, after):
        evidence.add("family")
    if previous_words and previous_words[-1] in _PLACE_PREPOSITIONS and before[-1:].isspace():
        evidence.add("place")  # "in Ann Arbor", "near Savannah": where, not who


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


def find_candidates(document: Document, run_ranges: list[tuple[int, int]]) -> list[Candidate]:
    """Every run of capitalised words, trimmed, with its evidence, in text order."""
    candidates: list[Candidate] = []
    words = document.words
    for first, end in run_ranges:
        if end - first == 1:
            word = words[first]
            if not word.capitalised or (word.loose and is_common(word.stem) and word.stem not in GIVEN_NAMES):
                continue  # "The", "However": a sentence opens, nothing is named
        candidate = _trim(document, first, end)
        if candidate is None:
            continue
        if not candidate.nonperson:
            _gather_evidence(document, candidate)
        candidates.append(candidate)
    return candidates
