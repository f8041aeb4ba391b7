"""Sentences around the quotes, and who each sentence is about.

Attribution reads one level of quoting at a time: the article for a top-level quote, the
enclosing quote's words for a nested one, with the other quotes of that level blanked out so
their words cannot pass for attribution. A sentence's subject is the person it opens with
("Ms Okafor said…", "Striker Ana Ruiz, 24, scored…"): the one a later "she said" most often
means, rather than whoever was named last.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right

from reader.core.extraction.lexicons import ROLE_NOUNS, TITLE_MODIFIERS, TITLES
from reader.core.extraction.name_clusters import Mention
from reader.core.extraction.quote_marks import QuoteSpan
from reader.core.structure import ends_abbreviation

MASK = "§"
# A sentence ends at . ! ? … before a capital, except after "E!", "Mr.", "U.S." and the like, or
# at a line break. One leading character class lets the engine skip to candidates quickly.
_BOUNDARY = re.compile(r"[.!?…\n](?:(?<=\n)|[”’\"')\]" + MASK + r"]*\s+(?=[^a-z\s]))")
_NOT_AN_END = ("Mrs", "Mr", "Ms", "Dr", "St", "Hello", "OK", "Yahoo")
# What may stand before a sentence's subject: an opening phrase up to a comma ("On Monday,",
# "Speaking to reporters,"), then titles, offices and determiners ("Former striker", "The").
_OPENING_PHRASE = re.compile(
    r"^(?:[A-Z][a-z]+(?:ing|ed)|[Ii]n|[Oo]n|[Aa]t|At|After|Before|During|Since|Following|Despite|Under|Outside|Inside"
    r"|With|Without|For|From|As|When|While|Although|Though|If|Once|Last|This|Earlier|Later|Meanwhile"
    r"|However|Afterwards|Separately|Elsewhere|Yesterday|Today|Tonight|Among|Like|Unlike|Amid|Through"
    r"|Throughout|Over|By|Back|Instead|Asked)\b[^,.;:]{0,60},\s+"
)
_PRE_SUBJECT_WORDS = frozenset(
    {w.lower() for w in TITLES | TITLE_MODIFIERS}
    | ROLE_NOUNS
    | {"the", "a", "an", "and", "but", "so", "then", "meanwhile", "however", "now", "also", "former", "new", "ex"}
    | {"member", "council", "board", "committee", "party", "state", "city", "county", "district", "federal"}
    | {"local", "national", "senior", "junior", "deputy", "assistant", "acting", "interim", "shadow", "its"}
)
_PRE_WORD = re.compile(r"[\w’'-]+")
_LEADING_ADVERB = re.compile(
    r"^(?:Afterwards|Later|Earlier|Meanwhile|However|Then|Now|Also|Yesterday|Today|Tonight|Separately"
    r"|Still|Instead|Nonetheless|Nevertheless|Finally|Eventually|Previously|Recently|Subsequently|But|And|Yet|So)"
    r",?\s+(?=[A-Za-z])"
)
_LEADING_PRONOUN = re.compile(r"(He|She)\b")
_PRONOUN_AFTER_APPOSITIVE = re.compile(r"[^,.;:]{0,20},\s+(he|she)\s")


def _is_abbreviation(text: str, stop: int) -> bool:
    """Whether the mark at ``stop`` ends "E!", "Mr." or "U.S." rather than a sentence."""
    if text[stop] == "\n" or not stop or not text[stop - 1].isalpha():
        return False
    if text[stop - 1].islower() and stop > 3 and text[stop - 4 : stop].isalpha():
        return text[stop] == "." and ends_abbreviation(text, stop)  # a word of four letters or more: "Prof."
    before = text[max(0, stop - 6) : stop]
    word = before.rsplit(None, 1)[-1] if before.strip() else ""
    word = word.lstrip("“‘\"'(")
    if text[stop] == "." and ends_abbreviation(text, stop):
        return True  # "Sen. Dale Whitcombe", "U.S. officials"
    return (len(word) == 1 and word.isupper()) or word in _NOT_AN_END or (len(word) > 1 and word[-2] == ".")


def _masked(text: str, start: int, end: int, siblings: list[QuoteSpan]) -> str:
    """``text[start:end]`` with the siblings' words blanked, keeping a final full stop so that
    sentence ends inside a quote still count."""
    pieces: list[str] = []
    position = start
    for span in sorted(siblings, key=lambda s: s.start):
        content = text[span.start : span.end].rstrip()
        final = content[-1:] if content[-1:] in (".", "!", "?", "…") else ""
        pieces.append(text[position : span.start])
        if final:
            masked = len(content) - 1
            pieces.append(MASK * masked + final + MASK * (span.end - span.start - masked - 1))
        else:
            pieces.append(MASK * (span.end - span.start))
        position = span.end
    pieces.append(text[position:end])
    return "".join(pieces)


MAX_SENTENCE = 1000
"""Characters of a sentence at most: a longer run without a full stop (a page of quotes, a list,
minified script) is read in pieces of this length, so what is read around each quote stays
short and attribution linear in the text."""


def _capped(boundaries: list[int], text: str) -> list[int]:
    """``boundaries`` with more added (at a space, if one is near) wherever two are further
    apart than ``MAX_SENTENCE``."""
    capped = [boundaries[0]]
    for end in boundaries[1:]:
        while end - capped[-1] > MAX_SENTENCE:
            limit = capped[-1] + MAX_SENTENCE
            space = text.rfind(" ", capped[-1] + MAX_SENTENCE // 2, limit)
            capped.append(space + 1 if space >= 0 else limit)
        capped.append(end)
    return capped


class Context:
    """One level of quoting: its text with the quotes of that level blanked out, and sentences.

    Sentence ends are found where they are asked for: the marks that may end one are listed in
    one pass, but whether a full stop ends "Mr." or a sentence is decided only for the marks
    around the quotes read (most of an article's are never asked about)."""

    def __init__(self, text: str, start: int, end: int, siblings: list[QuoteSpan]) -> None:
        self.start = start
        self.masked = _masked(text, start, end, siblings)
        marks = [(m.start(), m.end()) for m in _BOUNDARY.finditer(self.masked)]
        self._mark_starts = [mark for mark, _ in marks]
        self._mark_ends = [after for _, after in marks]
        self._ends: dict[int, bool] = {}  # mark index → whether it ends a sentence

    def _ends_sentence(self, index: int) -> bool:
        known = self._ends.get(index)
        if known is None:
            mark, masked = self._mark_starts[index], self.masked
            known = self._ends[index] = masked[mark] == "\n" or not _is_abbreviation(masked, mark)
        return known

    def sentence(self, position: int) -> tuple[int, int]:
        """Absolute start and end of the sentence holding absolute ``position``."""
        relative, length = position - self.start, len(self.masked)
        if relative < 0 or relative >= length:
            edge = 0 if relative < 0 else length
            return self.start + edge, self.start + edge
        start, end = self._between_ends(relative)
        pieces = _capped([start, end], self.masked)
        index = bisect_right(pieces, relative) - 1
        return self.start + pieces[index], self.start + pieces[index + 1]

    def _between_ends(self, relative: int) -> tuple[int, int]:
        """The sentence ends on either side of ``relative`` (the text's edges where none is)."""
        ends = self._mark_ends
        after = bisect_right(ends, relative)
        before = after - 1
        while before >= 0 and not self._ends_sentence(before):
            before -= 1
        while after < len(ends) and not self._ends_sentence(after):
            after += 1
        return (ends[before] if before >= 0 else 0), (ends[after] if after < len(ends) else len(self.masked))

    def previous_sentence(self, position: int) -> tuple[int, int] | None:
        """The sentence before the one holding ``position``, if this level has one."""
        start, _ = self.sentence(position)
        if start <= self.start:
            return None
        return self.sentence(start - 1)

    def between(self, start: int, end: int) -> str:
        return self.masked[start - self.start : end - self.start]

    def is_masked(self, position: int) -> bool:
        relative = position - self.start
        return 0 <= relative < len(self.masked) and self.masked[relative] == MASK


def _opens_with(prefix: str) -> bool:
    """Whether only an opening phrase, titles, offices and determiners come before a name."""
    prefix = strip_opening(prefix)
    for word in _PRE_WORD.findall(prefix):
        if word[:1].isupper() or word.lower() in _PRE_SUBJECT_WORDS or word.endswith("year-old"):
            continue
        if word.isdigit():
            continue
        return False
    return MASK not in prefix


def strip_opening(prefix: str) -> str:
    """A sentence without its opening phrase ("On Monday, ", "Afterwards ")."""
    prefix = prefix.lstrip(" \n\"'“‘(*-•")
    for _ in range(2):  # "But on Monday, …", "Earlier on the red carpet, …"
        if "," in prefix:
            prefix = _OPENING_PHRASE.sub("", prefix)
        prefix = _LEADING_ADVERB.sub("", prefix)
    return prefix


def sentence_subject(
    context: Context, mentions: list[Mention], starts: list[int], sentence: tuple[int, int]
) -> Mention | str | None:
    """What a sentence opens with: a person (outside any quote), "he"/"she", or None."""
    opening = _LEADING_PRONOUN.match(strip_opening(context.between(*sentence)))
    if opening:
        return opening.group(1).lower()
    first = bisect_left(starts, sentence[0])
    for mention in mentions[first:]:
        if mention.start >= sentence[1]:
            return None
        if context.is_masked(mention.start):
            continue
        prefix = context.between(sentence[0], mention.start)
        following = context.between(mention.end, min(mention.end + 2, sentence[1]))
        if not _opens_with(prefix) and not (prefix.rstrip().endswith(",") and following.startswith(",")):
            return None  # "Her editor for three decades, Samuel Ortiz, called…" opens with him too
        later = _PRONOUN_AFTER_APPOSITIVE.match(context.between(mention.end, sentence[1]))
        return later.group(1).lower() if later else mention  # "…the barrister, Kiran Bhattacharya KC, she admitted"
    return None
