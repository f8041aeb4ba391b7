"""Reworded quotes: how each copy of a quote differs, word by word, from its earliest copy.

Outlets retell a statement with other quote marks, dashes, spacing and "[Kim]" insertions; that
is not rewording, so copies are compared on their words (``words_of``, in ``word_tokens``). A
copy is ``same``, ``shortened`` (a contiguous part of the earlier words: a partial quote),
``extended`` (the earlier words are a contiguous part of it) or ``changed`` (words inserted,
removed or replaced inside). Its changes are the complete word-level edit script from the earlier words to its own,
each with offsets into the copy's text so a view can mark inserted words and show removed ones;
a change that adds or removes a negation, or changes a number or a name, is ``significant``
(``significance``). ``wording_store`` keeps each clustered quote's comparison beside it.

Alignment is Myers' diff (a minimal edit script, i.e. a longest common subsequence) on word keys,
after matching the common start and end. It costs O((N+M)·D) for D edits and copies of one quote
differ by few words, so it is near linear, where a full LCS table costs O(N·M) time and memory
and difflib's SequenceMatcher is not minimal and, on long word lists, treats frequent words
("the") as junk unless told not to. A step budget bounds the cost of pathological pairs: past
it the differing middle is reported as one replacement, still a correct (if coarse) script.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from reader.core.cross_article.normalise import file_order_key
from reader.core.cross_article.results import QuoteCluster, QuoteOccurrence
from reader.core.cross_article.significance import Reason, name_keys, proper_nouns, reasons
from reader.core.cross_article.word_alignment import INSERT, KEEP, REMOVE, edit_script, slide_to_ends
from reader.core.cross_article.word_tokens import Word, keys_of, words_of

__all__ = [
    "SAME",
    "MemberWording",
    "Reason",
    "Word",
    "WordChange",
    "Wording",
    "WordingComparison",
    "appearance_key",
    "cluster_wording",
    "compare_wording",
    "compare_words",
    "earliest_member",
    "words_of",
]

Wording = Literal["same", "shortened", "extended", "changed"]

MAX_ALIGNMENT_STEPS = 200_000  # one comparison's work stays well under a second, however long
GRAM = 3  # words per shingle when finding which earlier quotes a copy carries, as clustering does
MIN_CARRIED_SHARE = 0.3  # of the shorter's shingles; fewer shared ones are stock phrases


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

    def as_text(self) -> str:
        """The change for people: "not → never", "+ really", "− very", its reasons after it."""
        removed, inserted = " ".join(self.removed), " ".join(self.inserted)
        said = f"{removed} → {inserted}" if removed and inserted else f"+ {inserted}" if inserted else f"− {removed}"
        return f"{said} ({', '.join(self.reasons)})" if self.reasons else said


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

    def changes_text(self) -> str:
        """The changes inside the quote for people: "not → never (negation); + really"."""
        return "; ".join(change.as_text() for change in self.changes if change.inside)

    def as_text(self) -> str:
        """The wording for people: "same", "shortened", or "changed: not → never (negation)"."""
        inside = self.changes_text()
        return f"{self.wording}: {inside}" if inside else self.wording


@dataclass(frozen=True, slots=True)
class MemberWording:
    """A cluster member with the earlier quotes it was compared with and how it compares."""

    member: QuoteOccurrence
    # The earliest copy of these words: quotes of one article, in text order, whose words joined
    # are the ones WordChange.reference_start/end count; the member itself when it is that copy.
    reference: tuple[QuoteOccurrence, ...]
    comparison: WordingComparison


SAME = WordingComparison("same", ())


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
    return _compare(reference, member, frozenset(key for name in names for key in name_keys(name)))


def _compare(
    reference: Sequence[Word], member: Sequence[Word], known_names: frozenset[str]
) -> WordingComparison:
    edits = _classify([word.key for word in reference], [word.key for word in member])
    if edits is None:
        return SAME
    wording, tags = edits
    # Only changes inside a quote have reasons, and only a "changed" quote has such changes.
    proper = known_names | proper_nouns([*reference, *member]) if wording == "changed" else known_names
    return _comparison(wording, tags, reference, member, proper)


def _classify(earlier: Sequence[str], later: Sequence[str]) -> tuple[Wording, list[str]] | None:
    """The wording class of ``later`` against ``earlier`` and the edit script, or None when the same."""
    if list(earlier) == list(later):
        return None
    if (at := _find_run(later, earlier)) is not None:
        return "shortened", [REMOVE] * at + [KEEP] * len(later) + [REMOVE] * (len(earlier) - at - len(later))
    if (at := _find_run(earlier, later)) is not None:
        return "extended", [INSERT] * at + [KEEP] * len(earlier) + [INSERT] * (len(later) - at - len(earlier))
    return "changed", slide_to_ends(edit_script(earlier, later, MAX_ALIGNMENT_STEPS), earlier, later)


def _comparison(
    wording: Wording, tags: Sequence[str], reference: Sequence[Word], member: Sequence[Word], proper: frozenset[str]
) -> WordingComparison:
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
        reasons=reasons(removed, inserted, proper) if inside else (),
    )


def _place(member: Sequence[Word], first: int, last: int) -> tuple[int, int]:
    """Offsets of the inserted words in the copy's text, or of the point removed words left."""
    if last > first:
        return member[first].start, member[last - 1].end
    if first > 0:
        return member[first - 1].end, member[first - 1].end
    return (member[0].start, member[0].start) if member else (0, 0)


# ------------------------------------------------------------------ clusters


def appearance_key(member: QuoteOccurrence) -> tuple[bool, str, str, int]:
    """The order the corpus analysis lists members in: dated first, by date, then by file and place."""
    date = member.date.isoformat() if member.date is not None else ""
    return (member.date is None, date, file_order_key(member.article_id), member.start)


def earliest_member(cluster: QuoteCluster) -> QuoteOccurrence:
    """The copy the others are compared with: the earliest dated, else the first in file order."""
    return min(cluster.members, key=appearance_key)


class _Text:
    """One wording of the statement, read once however many members quote it so: its word keys
    at once (enough to tell the same words), its words and their places only when compared."""

    __slots__ = ("_words", "grams", "keys", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self.keys = keys_of(text)
        self.grams = frozenset(zip(*(self.keys[index:] for index in range(GRAM)), strict=False))
        self._words: tuple[Word, ...] | None = None

    @property
    def words(self) -> tuple[Word, ...]:
        if self._words is None:
            self._words = words_of(self.text)
        return self._words


@dataclass(frozen=True, slots=True)
class _Copy:
    occurrence: QuoteOccurrence
    text: _Text


@dataclass(frozen=True, slots=True)
class _Carrier:
    """The earliest copy of one wording's words: where it stands and how the wording compares."""

    article_id: str
    window: tuple[_Copy, ...]
    comparison: WordingComparison


class _Cluster:
    """A cluster's copies in order of appearance, grouped by article, and what was found of them."""

    def __init__(self, cluster: QuoteCluster) -> None:
        self.texts: dict[str, _Text] = {}
        for member in cluster.members:
            if member.text not in self.texts:
                self.texts[member.text] = _Text(member.text)
        self.copies = [_Copy(member, self.texts[member.text]) for member in cluster.members]
        self.speakers = {member.speaker for member in cluster.members if member.speaker}
        self.by_article: dict[str, list[_Copy]] = {}
        for copy in sorted(self.copies, key=_appearance_order()):  # its pieces in text order too
            self.by_article.setdefault(copy.occurrence.article_id, []).append(copy)
        self.carriers: dict[str, _Carrier | None] = {}  # by wording
        self._names: frozenset[str] | None = None

    @property
    def names(self) -> frozenset[str]:
        """Every name the copies show or the speakers have: needed only for a "changed" copy."""
        if self._names is None:
            shown = proper_nouns(word for text in self.texts.values() for word in text.words)
            self._names = shown | {key for speaker in self.speakers for key in name_keys(speaker)}
        return self._names


def _appearance_order() -> Callable[[_Copy], tuple[tuple[bool, str, str], int]]:
    """``appearance_key`` of copies, its per-article part worked out once per article."""
    of_article: dict[str, tuple[bool, str, str]] = {}

    def key(copy: _Copy) -> tuple[tuple[bool, str, str], int]:
        member = copy.occurrence
        if member.article_id not in of_article:
            of_article[member.article_id] = appearance_key(member)[:3]
        return of_article[member.article_id], member.start

    return key


def cluster_wording(cluster: QuoteCluster) -> tuple[MemberWording, ...]:
    """Every member of ``cluster`` (in its order) compared with the earliest copy of its words.

    That copy is the earliest article's wording of the statement (its quotes of the cluster in
    text order, as outlets split one statement at "she said"), narrowed to the quotes the member
    carries; a member carrying only words the earliest article never quoted is compared with the
    earliest article that did, and is its own reference when no earlier article did.

    Syndicated copies repeat one wording many times: each wording is read, and its earliest copy
    found and compared with, once.
    """
    found = _Cluster(cluster)
    return tuple(_member_wording(copy, found) for copy in found.copies)


def _member_wording(copy: _Copy, cluster: _Cluster) -> MemberWording:
    text = copy.text
    if text.text not in cluster.carriers:
        cluster.carriers[text.text] = _earliest_carrier(text, cluster)
    carrier = cluster.carriers[text.text]
    if carrier is None or carrier.article_id == copy.occurrence.article_id:
        return MemberWording(copy.occurrence, (copy.occurrence,), SAME)
    return MemberWording(copy.occurrence, tuple(piece.occurrence for piece in carrier.window), carrier.comparison)


def _earliest_carrier(text: _Text, cluster: _Cluster) -> _Carrier | None:
    """The first article (in order of appearance) that carries the words, and the comparison with
    its quotes of them; the wording's own first article is found at the latest (an empty one never)."""
    for article_id, pieces in cluster.by_article.items():
        carried = [index for index, piece in enumerate(pieces) if _carries(piece.text, text)]
        if carried:
            window = tuple(pieces[carried[0] : carried[-1] + 1])
            return _Carrier(article_id, window, _compare_with_window(window, text, cluster))
    return None


def _compare_with_window(window: Sequence[_Copy], text: _Text, cluster: _Cluster) -> WordingComparison:
    edits = _classify([key for piece in window for key in piece.text.keys], text.keys)
    if edits is None:
        return SAME
    wording, tags = edits
    reference = [word for piece in window for word in piece.text.words]
    proper = cluster.names if wording == "changed" else frozenset()
    return _comparison(wording, tags, reference, text.words, proper)


def _carries(piece: _Text, copy: _Text) -> bool:
    """Whether two quotes share words beyond a stock phrase: enough of the shorter one's shingles."""
    if not piece.grams or not copy.grams:  # under GRAM words: it must stand whole in the other
        shorter, longer = sorted((piece.keys, copy.keys), key=len)
        return bool(shorter) and _find_run(shorter, longer) is not None
    shared = len(piece.grams & copy.grams)
    return shared > 0 and shared >= MIN_CARRIED_SHARE * min(len(piece.grams), len(copy.grams))
