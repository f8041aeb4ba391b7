"""The article cut into words, paragraphs and sentences, once, for every extraction step to share.

Capitalisation is the main evidence for names, so each word records whether its capital letter
means anything: a word that opens a sentence, a quote or a paragraph, or stands in a title-case
headline, is capitalised by convention, not because it names something.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from reader.core.extraction.lexicons import COMMON_WORDS, NAME_PARTICLES, TITLES
from reader.core.structure import paragraph_views

_PARTICLE_WORDS = "|".join(sorted(NAME_PARTICLES, key=len, reverse=True))
# A capitalised word (Latin capitals, as news names are written) or a lower-case name particle.
_NAME_WORD = re.compile(
    rf"(?<![\w\-])(?<!\w['’])(?:[A-ZÀ-ÖØ-ÞĀ-ſ](?:[\w]|['’\-](?=[^\W_]))*|(?:{_PARTICLE_WORDS})(?![\w’'\-]))"
)
_WORD_BEFORE = re.compile(r"[^\W_]+$")
_SPACES = frozenset(" \t\u00a0")
_CLOSING_MARKS = frozenset("”’\"')]")
_POSSESSIVE_ENDINGS = ("'s", "’s", "'S", "’S")
_SENTENCE_PUNCTUATION = frozenset(".!?…:\n")
_OPENING_MARKS = frozenset("“‘\"'([")
_BULLETS = frozenset("-–—•*·")
_ABBREVIATIONS = frozenset(
    t.rstrip(".").casefold() for t in TITLES if len(t.rstrip(".")) <= 5
) | frozenset("st jr sr inc corp co ltd vs etc no gov sen rep gen col lt sgt capt det mt ft".split())
_HEADING_MAX_WORDS = 14
_CAPTION_LOWER_WORDS = 3
# Bylines and credits: the capitals after them are names, however short the line.
_CREDIT_LINE = re.compile(
    r"^[(\[]?(?:By|Photo(?:graph)?s?|Pictures?|Image|Credit|(?:Additional\s+)?Reporting\s+by|Editing\s+by)\b[\s:]",
    re.IGNORECASE,
)
_SENTENCE_INSIDE = re.compile(r"[a-z][.!?][”’\"']?\s+[“‘\"']?[A-Z]")


@dataclass(slots=True)
class Word:
    """A capitalised word (or a name particle). ``stem`` drops a possessive "'s"."""

    start: int
    end: int
    text: str
    stem: str
    possessive: bool
    capitalised: bool
    loose: bool  # opens a sentence, a quote or a paragraph, or stands in a title-case line
    titlecase: bool  # inside a headline-like paragraph where capitals cannot be trusted
    paragraph: int


@dataclass(slots=True)
class Document:
    text: str
    words: list[Word]
    paragraphs: list[tuple[int, int]]
    titlecase: list[bool]  # per paragraph: a headline or heading whose capitals mean little
    paragraph_starts: list[int]

    def paragraph_of(self, offset: int) -> int:
        return max(bisect_right(self.paragraph_starts, offset) - 1, 0)

    def is_titlecase_at(self, offset: int) -> bool:
        return bool(self.titlecase) and self.titlecase[self.paragraph_of(offset)]


def _is_titlecase(paragraph: str) -> bool:
    """A headline or heading: one line, not a sentence, most of its longer words capitalised."""
    stripped = paragraph.strip().rstrip("\u00a0 ”’\"'")
    if "\n" in stripped or stripped.endswith((".", ",", ";", ":")) or _SENTENCE_INSIDE.search(stripped):
        return False
    if _CREDIT_LINE.match(stripped):
        return False  # "By Hannah Cole", "Picture: Dean Lewins/AAP": names, not a headline
    words = [w for w in stripped.split() if w[:1].isalpha()]
    long_words = [w for w in words if len(w) >= 4]
    capitals = sum(1 for w in long_words if w[0].isupper())
    if len(long_words) - capitals >= _CAPTION_LOWER_WORDS:
        return False  # a caption or sentence with names in it; title case leaves few words low
    if len(long_words) >= 3:
        return capitals >= 0.6 * len(long_words)
    return bool(long_words) and len(words) <= _HEADING_MAX_WORDS and capitals == len(long_words)


def _is_bullet(text: str, position: int, paragraph_start: int) -> bool:
    """A dash or bullet that opens a line: a list item begins after it."""
    return text[position] in _BULLETS and (position == paragraph_start or text[position - 1] == "\n")


def _opens_sentence(text: str, start: int, paragraph_start: int) -> bool:
    """Whether the word at ``start`` opens a sentence or a quote (so its capital means nothing)."""
    position = start - 1
    while position >= paragraph_start and text[position] in _SPACES:
        position -= 1
    if position < paragraph_start:
        return True
    mark = text[position]
    if mark == "\n" or (mark in _OPENING_MARKS and position == start - 1):
        return True  # a new line, “Kim and …
    if _is_bullet(text, position, paragraph_start):
        return True  # "- Licensees or employers who …": a list item
    if position == start - 1:
        return False  # "U.S": no space after the full stop, so no new sentence
    while position >= paragraph_start and text[position] in _CLOSING_MARKS:
        position -= 1
    if position < paragraph_start or text[position] not in _SENTENCE_PUNCTUATION:
        return False
    if text[position] != "." or position != start - 2:
        return True
    # "Dr. Smith", "J. K. Rowling", "U.S. officials": a full stop after an abbreviation
    previous = _WORD_BEFORE.search(text, max(paragraph_start, position - 12), position)
    if previous is None:
        return True
    word = previous.group()
    return not (len(word) == 1 or word.casefold() in _ABBREVIATIONS or (word.isupper() and len(word) <= 3))


def analyse(text: str) -> Document:
    """Cut ``text`` into paragraphs and name-like words, marking where capitals carry no meaning.

    Only capitalised words and the small words that can sit inside a name ("van", "de") are
    kept: names are made of nothing else, and skipping the rest keeps this step cheap.
    """
    paragraphs = paragraph_views(text)
    titlecase = [_is_titlecase(text[start:end]) for start, end in paragraphs]
    starts = [start for start, _ in paragraphs]
    next_starts = starts[1:] + [len(text) + 1]
    paragraph = 0
    next_start, paragraph_start, in_titlecase = next_starts[0], 0, False
    if starts:
        paragraph_start, in_titlecase = starts[0], titlecase[0]
    words: list[Word] = []
    for match in _NAME_WORD.finditer(text):
        token = match.group()
        start, end = match.span()
        if start >= next_start:  # into a later paragraph
            while start >= next_starts[paragraph]:
                paragraph += 1
            next_start, paragraph_start, in_titlecase = next_starts[paragraph], starts[paragraph], titlecase[paragraph]
        if token in NAME_PARTICLES:
            words.append(Word(start, end, token, token, False, False, False, False, paragraph))
            continue
        if not token[0].isupper():
            continue
        possessive = len(token) > 2 and token.endswith(_POSSESSIVE_ENDINGS)
        loose = in_titlecase or _opens_sentence(text, start, paragraph_start)
        stem = token[:-2] if possessive else token
        words.append(Word(start, end, token, stem, possessive, True, loose, in_titlecase, paragraph))
    return Document(text, words, paragraphs, titlecase, starts)


def is_common(word: str) -> bool:
    """An everyday word (any case) that says nothing about names when capitalised."""
    return word.casefold() in COMMON_WORDS
