"""Reworded quotes: how each copy of a quote differs, word by word, from its earliest copy.

Outlets retell a statement with other quote marks, dashes, spacing and "[Kim]" insertions; that
is not rewording, so copies are compared on their words (``words_of``). A copy is ``same``,
``shortened`` (a contiguous part of the earlier words: a partial quote), ``extended`` (the
earlier words are a contiguous part of it) or ``changed`` (words inserted, removed or replaced
inside). Its changes are the complete word-level edit script from the earlier words to its own,
each with offsets into the copy's text so a view can mark inserted words and show removed ones;
a change that adds or removes a negation, or changes a number or a name, is ``significant``.

Alignment is Myers' diff (a minimal edit script, i.e. a longest common subsequence) on word keys,
after matching the common start and end. It costs O((N+M)·D) for D edits and copies of one quote
differ by few words, so it is near linear, where a full LCS table costs O(N·M) time and memory
and difflib's SequenceMatcher is not minimal and, on long word lists, treats frequent words
("the") as junk unless told not to. A step budget bounds the cost of pathological pairs: past
it the differing middle is reported as one replacement, still a correct (if coarse) script.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from reader.core.cross_article.normalise import (
    APOSTROPHE_CLASS,
    blank_insertions,
    file_order_key,
    fold_word,
)
from reader.core.cross_article.results import QuoteCluster, QuoteOccurrence
from reader.core.cross_article.word_alignment import INSERT, KEEP, REMOVE, edit_script, slide_to_ends

Wording = Literal["same", "shortened", "extended", "changed"]
Reason = Literal["negation", "number", "name"]

MAX_ALIGNMENT_STEPS = 200_000  # one comparison's work stays well under a second, however long
GRAM = 3  # words per shingle when finding which earlier quotes a copy carries, as clustering does
MIN_CARRIED_SHARE = 0.3  # of the shorter's shingles; fewer shared ones are stock phrases


# A number with separators ("1,000", "3.5m") is one word; otherwise words are quote_words' words,
# contractions ("don't", "Kanye’s") included.
_TOKEN = re.compile(rf"\d+(?:[.,]\d+)+\w*|\w+(?:{APOSTROPHE_CLASS}+\w+)*")
_THOUSANDS = re.compile(r"\d{1,3}(?:,\d{3})+")
_POSSESSIVE = re.compile(rf"{APOSTROPHE_CLASS}s$", re.IGNORECASE)
_NOT_CONTRACTION = re.compile(rf"n{APOSTROPHE_CLASS}t$", re.IGNORECASE)
_SENTENCE_END = frozenset(".!?…:")
_BEFORE_A_WORD = frozenset("\"'“”‘’«»„‹›([{-–—―*")  # what may stand between a sentence's end and its first word

_NEGATIONS = {
    **dict.fromkeys(("not", "cannot"), "not"),
    **{
        word: word
        for word in ("never", "no", "nothing", "nobody", "none", "neither", "nor", "without", "nowhere", "noone")
    },
    # "n't" written without its apostrophe; "cant" and "wont" are words of their own
    **dict.fromkeys(
        (
            "dont", "doesnt", "didnt", "isnt", "arent", "wasnt", "werent", "hasnt", "havent", "hadnt",
            "wouldnt", "shouldnt", "couldnt", "mustnt", "neednt", "aint", "shant", "mightnt",
        ),
        "not",
    ),
}
_UNITS = (
    "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
)
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_ORDINALS = ("first", "second", "third", "fourth", "fifth", "sixth", "seventh", "eighth", "ninth", "tenth")
_NUMBER_WORDS = {
    **{word: str(value) for value, word in enumerate(_UNITS)},
    **{word: str(10 * (index + 2)) for index, word in enumerate(_TENS)},
    **{word: f"#{index + 1}" for index, word in enumerate(_ORDINALS)},
    "hundred": "100", "thousand": "1000", "million": "10^6", "billion": "10^9", "trillion": "10^12",
    "hundreds": "100s", "thousands": "1000s", "millions": "10^6s", "billions": "10^9s",
    "dozen": "12", "dozens": "12s", "half": "1/2", "quarter": "1/4", "twice": "x2", "thrice": "x3",
}
_PRONOUN_I = frozenset(("i", "im", "ive", "ill", "id"))  # "I", "I'm"...: capitalised, never names


@dataclass(frozen=True, slots=True)
class Word:
    """One word of a quote: as written, as compared, and where it stands in the quote's text."""

    text: str
    key: str  # case, apostrophes, compatibility forms and thousands separators folded away
    start: int
    end: int
    sentence_initial: bool  # opens a sentence or the quote: its capital says nothing about a name


@dataclass(frozen=True, slots=True)
class WordChange:
    """One run of adjacent word edits: earlier words replaced by, or cut for, the copy's words."""

    removed: tuple[str, ...]  # the earlier copy's words, as written there
    inserted: tuple[str, ...]  # this copy's words, as written
    start: int  # offsets into this copy's text: its inserted words, or where removed ones stood
    end: int
    reference_start: int  # removed = the earlier words [reference_start:reference_end]
    reference_end: int
    inside: bool  # False for words only cut from, or only added at, either end of the quote
    reasons: tuple[Reason, ...]  # why it may change the meaning; only inside changes have any

    @property
    def significant(self) -> bool:
        return bool(self.reasons)

    def as_dict(self) -> dict[str, object]:
        """The change as ``{"from": "not", "to": "never", ...}``: empty ``from`` for an insertion."""
        return {
            "from": " ".join(self.removed),
            "to": " ".join(self.inserted),
            "significant": self.significant,
            "reasons": list(self.reasons),
            "inside": self.inside,
            "start": self.start,
            "end": self.end,
        }


@dataclass(frozen=True, slots=True)
class WordingComparison:
    """How one copy's words compare with the earlier copy's, and the edits from those to these."""

    wording: Wording
    changes: tuple[WordChange, ...]  # every edit, cuts at the ends included; none when "same"

    @property
    def significant(self) -> bool:
        """Whether any change may alter the meaning: what a fact-checker looks at first."""
        return any(change.significant for change in self.changes)

    def as_dict(self) -> dict[str, object]:
        """``wording`` and ``significant``, and ``changes`` when the words were changed."""
        found: dict[str, object] = {"wording": self.wording, "significant": self.significant}
        if self.wording == "changed":
            found["changes"] = [change.as_dict() for change in self.changes]
        return found


@dataclass(frozen=True, slots=True)
class MemberWording:
    """A cluster member with the earlier quotes it was compared with and how it compares."""

    member: QuoteOccurrence
    # The earliest copy of these words: quotes of one article, in text order, whose words joined
    # are the ones WordChange.reference_start/end count; the member itself when it is that copy.
    reference: tuple[QuoteOccurrence, ...]
    comparison: WordingComparison


SAME = WordingComparison("same", ())


# ------------------------------------------------------------------ words


def words_of(text: str) -> tuple[Word, ...]:
    """The words of a quote as written, each with its comparison key and its place in ``text``."""
    visible = blank_insertions(text)
    found = []
    for match in _TOKEN.finditer(_marks_as_letters(visible)):
        start, end = match.span()
        written = text[start:end]
        found.append(Word(written, _word_key(written), start, end, _opens_sentence(visible, start)))
    return tuple(found)


def _marks_as_letters(text: str) -> str:
    """``text`` with combining marks standing in as letters, so a decomposed "café" stays one word."""
    if text.isascii():
        return text
    return "".join("a" if unicodedata.category(char).startswith("M") else char for char in text)


def _word_key(written: str) -> str:
    if _THOUSANDS.fullmatch(written):
        written = written.replace(",", "")
    return fold_word(written)


def _opens_sentence(text: str, start: int) -> bool:
    """Whether the word at ``start`` opens the quote or a sentence, skipping marks and spaces."""
    index = start - 1
    while index >= 0 and (text[index].isspace() or text[index] in _BEFORE_A_WORD):
        index -= 1
    return index < 0 or text[index] in _SENTENCE_END


# ------------------------------------------------------------------ comparing


def compare_wording(earliest: str, other: str, names: Iterable[str] = ()) -> WordingComparison:
    """Compare a copy's wording (``other``) with the earliest copy's, on words.

    ``names`` (a speaker, the people an article names) count as names even opening a sentence,
    where a capital alone cannot tell "Kim said" from "Then she said".
    """
    return compare_words(words_of(earliest), words_of(other), names)


def compare_words(
    reference: Sequence[Word], member: Sequence[Word], names: Iterable[str] = ()
) -> WordingComparison:
    """Classify ``member`` against ``reference`` and list the edits from one to the other."""
    return _compare(reference, member, frozenset(key for name in names for key in _name_keys(name)))


def _compare(reference: Sequence[Word], member: Sequence[Word], known_names: frozenset[str]) -> WordingComparison:
    earlier = [word.key for word in reference]
    later = [word.key for word in member]
    if earlier == later:
        return SAME
    if (at := _find_run(later, earlier)) is not None:
        wording: Wording = "shortened"
        tags = [REMOVE] * at + [KEEP] * len(later) + [REMOVE] * (len(earlier) - at - len(later))
    elif (at := _find_run(earlier, later)) is not None:
        wording = "extended"
        tags = [INSERT] * at + [KEEP] * len(earlier) + [INSERT] * (len(later) - at - len(earlier))
    else:
        wording = "changed"
        tags = slide_to_ends(edit_script(earlier, later, MAX_ALIGNMENT_STEPS), earlier, later)
    proper = _proper_nouns([*reference, *member]) | known_names
    return WordingComparison(
        wording, tuple(_change(reference, member, run, proper) for run in _edit_runs(tags))
    )


def _find_run(needle: Sequence[str], haystack: Sequence[str]) -> int | None:
    """Where ``needle`` stands as a contiguous run of ``haystack`` (a word index), if it does."""
    if not needle:
        return 0
    if len(needle) > len(haystack):
        return None
    joined = "\0" + "\0".join(haystack) + "\0"  # keys are word characters: never "\0"
    found = joined.find("\0" + "\0".join(needle) + "\0")
    return None if found < 0 else joined.count("\0", 0, found)


def _edit_runs(tags: Sequence[str]) -> list[tuple[int, int, int, int]]:
    """The runs of adjacent edits in a script: (reference start, end, member start, end)."""
    runs = []
    earlier = later = 0
    opened: tuple[int, int] | None = None
    for tag in [*tags, KEEP]:  # a closing keep ends the last run
        if tag == KEEP:
            if opened is not None:
                runs.append((opened[0], earlier, opened[1], later))
                opened = None
            earlier, later = earlier + 1, later + 1
            continue
        opened = opened or (earlier, later)
        if tag == REMOVE:
            earlier += 1
        else:
            later += 1
    return runs


def _change(
    reference: Sequence[Word], member: Sequence[Word], run: tuple[int, int, int, int], proper: frozenset[str]
) -> WordChange:
    first, last, member_first, member_last = run
    removed, inserted = reference[first:last], member[member_first:member_last]
    at_an_end = (first == 0 and member_first == 0) or (last == len(reference) and member_last == len(member))
    inside = not (at_an_end and (not removed or not inserted))
    start, end = _place(member, member_first, member_last)
    return WordChange(
        removed=tuple(word.text for word in removed),
        inserted=tuple(word.text for word in inserted),
        start=start,
        end=end,
        reference_start=first,
        reference_end=last,
        inside=inside,
        reasons=_reasons(removed, inserted, proper) if inside else (),
    )


def _place(member: Sequence[Word], first: int, last: int) -> tuple[int, int]:
    """Offsets of the inserted words in the copy's text, or of the point removed words left."""
    if last > first:
        return member[first].start, member[last - 1].end
    if first > 0:
        return member[first - 1].end, member[first - 1].end
    return (member[0].start, member[0].start) if member else (0, 0)


# ------------------------------------------------------------------ significance


def _reasons(removed: Sequence[Word], inserted: Sequence[Word], proper: frozenset[str]) -> tuple[Reason, ...]:
    """Why a change may alter the meaning: the negations, numbers or names on each side differ."""
    features: tuple[tuple[Reason, Callable[[Word], str | None]], ...] = (
        ("negation", _negation),
        ("number", _number),
        ("name", lambda word: _name(word, proper)),
    )
    return tuple(
        reason for reason, feature in features if _tally(removed, feature) != _tally(inserted, feature)
    )


def _tally(words: Iterable[Word], feature: Callable[[Word], str | None]) -> Counter[str]:
    return Counter(found for word in words if (found := feature(word)) is not None)


def _negation(word: Word) -> str | None:
    """The negation a word carries ("n't", "not" and "cannot" alike are "not"), if any."""
    if word.key in _NEGATIONS:
        return _NEGATIONS[word.key]
    return "not" if _NOT_CONTRACTION.search(word.text) else None


def _number(word: Word) -> str | None:
    """The number a word states (digits or a number word; "ten" and "10" alike), if any."""
    if any(char.isdigit() for char in word.key):
        return word.key
    return _NUMBER_WORDS.get(word.key)


def _name(word: Word, proper: frozenset[str]) -> str | None:
    """The name a word is: capitalised inside a sentence, or where the quotes use it so."""
    if not _capitalised(word):
        return None
    form = _name_form(word)
    return form if not word.sentence_initial or form in proper else None


def _proper_nouns(words: Iterable[Word]) -> frozenset[str]:
    """Names the quotes themselves show as names: capitalised where no sentence starts."""
    return frozenset(_name_form(word) for word in words if _capitalised(word) and not word.sentence_initial)


def _name_keys(name: str) -> list[str]:
    """The words of a person's name as ``_name`` keys them: "Kim Kardashian's" gives kim, kardashian."""
    return [_name_form(word) for word in words_of(name)]


def _capitalised(word: Word) -> bool:
    return word.text[:1].isupper() and not (word.text[0] == "I" and word.key in _PRONOUN_I)


def _name_form(word: Word) -> str:
    return fold_word(_POSSESSIVE.sub("", word.text))


# ------------------------------------------------------------------ clusters


def appearance_key(member: QuoteOccurrence) -> tuple[bool, str, str, int]:
    """The order the corpus analysis lists members in: dated first, by date, then by file and place."""
    date = member.date.isoformat() if member.date is not None else ""
    return (member.date is None, date, file_order_key(member.article_id), member.start)


def earliest_member(cluster: QuoteCluster) -> QuoteOccurrence:
    """The copy the others are compared with: the earliest dated, else the first in file order."""
    return min(cluster.members, key=appearance_key)


@dataclass(frozen=True, slots=True)
class _Copy:
    occurrence: QuoteOccurrence
    words: tuple[Word, ...]
    keys: tuple[str, ...]
    grams: frozenset[tuple[str, ...]]


def _copy_of(occurrence: QuoteOccurrence) -> _Copy:
    words = words_of(occurrence.text)
    keys = tuple(word.key for word in words)
    return _Copy(occurrence, words, keys, frozenset(zip(*(keys[index:] for index in range(GRAM)), strict=False)))


def cluster_wording(cluster: QuoteCluster) -> tuple[MemberWording, ...]:
    """Every member of ``cluster`` (in its order) compared with the earliest copy of its words.

    That copy is the earliest article's wording of the statement (its quotes of the cluster in
    text order, as outlets split one statement at "she said"), narrowed to the quotes the member
    carries; a member carrying only words the earliest article never quoted is compared with the
    earliest article that did, and is its own reference when no earlier article did.
    """
    copies = [_copy_of(member) for member in cluster.members]
    by_article: dict[str, list[_Copy]] = {}
    for copy in sorted(copies, key=lambda copy: appearance_key(copy.occurrence)):
        by_article.setdefault(copy.occurrence.article_id, []).append(copy)
    for pieces in by_article.values():
        pieces.sort(key=lambda piece: piece.occurrence.start)
    names = _proper_nouns(word for copy in copies for word in copy.words) | {
        key for member in cluster.members if member.speaker for key in _name_keys(member.speaker)
    }
    return tuple(_member_wording(copy, by_article, names) for copy in copies)


def _member_wording(
    copy: _Copy, by_article: Mapping[str, Sequence[_Copy]], names: frozenset[str]
) -> MemberWording:
    for article_id, pieces in by_article.items():  # in order of appearance
        if article_id == copy.occurrence.article_id:
            break
        carried = [index for index, piece in enumerate(pieces) if _carries(piece, copy)]
        if carried:
            window = pieces[carried[0] : carried[-1] + 1]
            reference = tuple(word for piece in window for word in piece.words)
            return MemberWording(
                copy.occurrence,
                tuple(piece.occurrence for piece in window),
                _compare(reference, copy.words, names),
            )
    return MemberWording(copy.occurrence, (copy.occurrence,), SAME)


def _carries(piece: _Copy, copy: _Copy) -> bool:
    """Whether two quotes share words beyond a stock phrase: enough of the shorter one's shingles."""
    if not piece.grams or not copy.grams:  # under GRAM words: it must stand whole in the other
        shorter, longer = sorted((piece.keys, copy.keys), key=len)
        return bool(shorter) and _find_run(shorter, longer) is not None
    shared = len(piece.grams & copy.grams)
    return shared > 0 and shared >= MIN_CARRIED_SHARE * min(len(piece.grams), len(copy.grams))
