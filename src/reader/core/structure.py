"""The shape of an article's text: paragraphs, headline, sub-headings and page furniture.

Scraped pages carry boilerplate (share prompts, "Leave a Reply", disclaimers, teasers for other
stories). It is marked as furniture so views can dim or fold it; it is never deleted, because a
wrong guess must not cost the reader any article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import NamedTuple

from reader.core.models import Paragraph, ParagraphKind

_PARAGRAPH_BREAK = re.compile(r"\n[ \t\u00a0]*\n+")
_SENTENCE_END = re.compile(r"(?<=[.!?…])[\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")

# A paragraph that is boilerplate wherever it stands.
_FURNITURE_LINE = re.compile(
    r"""^(?:
        view\ this\ (?:post|photo|video)\ on\ (?:instagram|facebook|twitter|tiktok|youtube)
      | a\ (?:post|photo|video)\ shared\ by\ .*
      | (?:share|tweet|pin|email)\ (?:this|on\ \w+|it)\b.{0,40}
      | click\ to\ (?:share|email|print)\b.*
      | (?:featured\ )?(?:image|photo|picture)s?\ (?:used\ )?(?:courtesy|credits?)\b.*
      | (?:photo|image)\ (?:credit|source)s?\s*:.*
      | advertisement | sponsored(?:\ content)? | subscribe(?:\ now)?\b.{0,60}
      | sign\ up\ for\ (?:our|the)\ .{0,60}newsletter.*
      | (?:all\ rights\ reserved|copyright\ ©|©\ ?\d{4}).*
    )$""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
# Site disclaimers count when they start within the first 80 characters of a paragraph. Each
# phrase comes with a word it always contains, a cheap test before the pattern runs: a leading
# ``.{0,80}`` in one big case-blind pattern made every paragraph of every file slow.
_DISCLAIMERS = (
    (r"does not provide (?:trading|investment|investing|financial)", "provide"),
    (r"by using this website", "website"),
    (r"terms and conditions", "conditions"),
    (r"privacy policy", "policy"),
    (r"affiliate links?", "affiliate"),
    (r"we may earn a commission", "commission"),
    (r"readers? [-–—] you can get", "you can get"),
)
_DISCLAIMER = re.compile(r"\b(?:" + "|".join(phrase for phrase, _ in _DISCLAIMERS) + r")\b")
_DISCLAIMER_WORD = re.compile("|".join(re.escape(word) for _, word in _DISCLAIMERS))
_DISCLAIMER_REACH = 80
_DISCLAIMER_WINDOW = 160  # reach plus the longest phrase plus the character after it
# A paragraph after which everything is the page around the article, not the article.
_TRAILER_START = re.compile(
    r"""^(?:
        leave\ a\ (?:reply|comment) | (?:\d+\ )?comments?
      | check\ also | related(?:\ (?:posts|articles|stories|news|content))?:?
      | you\ (?:may|might)\ (?:also\ )?like | read\ (?:more|next)(?:\ stories)?:?
      | recommended(?:\ for\ you)? | more\ (?:from|stories|news)\b.{0,40}
      | top\ stories | trending(?:\ now)? | popular\ (?:posts|stories)
      | top\ tweets\ about\ the\ story
      | about\ (?:the\ )?author | about\ [A-Z][\w.'’-]+(?:\ [A-Z][\w.'’-]+){0,3}
    )$""",
    re.IGNORECASE | re.VERBOSE,
)
_EMBED_START = re.compile(r"^view this (?:post|photo|video) on \w+$", re.IGNORECASE)
_EMBED_END = re.compile(r"^a (?:post|photo|video) shared by\b", re.IGNORECASE)
_ABOUT_AUTHOR = re.compile(r"^[Aa]bout\s+(?!the\b)([A-Z][\w.'’-]+(?:\s[A-Z][\w.'’-]+){0,3})$")
_CAMEL_NAME = re.compile(r"^([A-Z][a-z]+)([A-Z][a-z]+)$")

MAX_HEADLINE_CHARS = 200
MAX_HEADING_WORDS = 12
DERIVED_TITLE_CHARS = 80


def split_paragraphs(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of the paragraphs of ``text`` (blank-line separated), trimmed of outer spaces."""
    return list(iter_paragraphs(text, offset))


def iter_paragraphs(text: str, offset: int = 0) -> Iterator[tuple[int, int]]:
    """``split_paragraphs`` one at a time: a title needs only the first few."""
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.lstrip()
        if stripped:
            start = offset + position + len(chunk) - len(stripped)
            yield start, start + len(stripped.rstrip())
        if match:
            position = match.end()


# --- flattened paragraphs ------------------------------------------------------------------
# Scraped corpora often join an article's paragraphs into one line. News paragraphs are short,
# so a very long one of many sentences is several; and the typographic rule for a quote running
# over paragraphs (no closing mark until the last, a new opening mark at each) leaves a proof of
# each lost break: an opening mark after a full stop while a quote is still open.
FLAT_MIN_CHARS = 700
FLAT_MIN_SENTENCES = 5
VIEW_TARGET_CHARS = 200  # a recovered paragraph grows to about this before it is cut
_SENTENCE_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[]?[A-Z0-9])")
_NOT_SENTENCE_END = frozenset(
    "mr mrs ms dr st prof gen sen rep gov lt col sgt capt cllr jr sr inc corp co ltd vs mt ft rev hon".split()
)
_NUMBER_ABBREVIATIONS = frozenset({"no", "nos", "vol", "pt", "art"})  # "No. 10", "Vol. 3"
_WORD_END = re.compile(r"[\w.]+$")
_DOUBLE_MARKS = frozenset('"“”')
_SINGLE_MARKS = frozenset("'‘’")
# A sentence break (``_SENTENCE_BREAK``) before a sentence that opens with a quote mark.
_QUOTE_AFTER_BREAK = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘][A-Z0-9])")
_REOPEN_SHAPE = re.compile(r"[.!?…]\s+[\"'“‘]")
_QUOTE_MARK = re.compile("[\"'“”‘’]")
_ELISION = re.compile(r"(?:em|n|til|cause|tis|twas|bout|cos|\d)", re.IGNORECASE)


def ends_abbreviation(text: str, stop: int) -> bool:
    """Whether the full stop at ``stop`` ends "Mr.", "U.S." or an initial, not a sentence."""
    if text[stop] != ".":
        return False
    word = _WORD_END.search(text, max(0, stop - 12), stop)
    if word is None:
        return False
    token = word.group()
    if token.casefold() in _NUMBER_ABBREVIATIONS:
        return text[stop + 1 : stop + 3].strip()[:1].isdigit()
    return (len(token) == 1 and token.isupper()) or "." in token or token.casefold() in _NOT_SENTENCE_END


def sentence_starts(text: str, start: int, end: int) -> list[int]:
    """Where the sentences of ``text[start:end]`` begin (at an opening quote mark, if any)."""
    starts = [start]
    for match in _SENTENCE_BREAK.finditer(text, start, end):
        if not ends_abbreviation(text, match.start()):
            starts.append(match.end())
    return starts


def _mark_kind(mark: str) -> str:
    return "double" if mark in _DOUBLE_MARKS else "single"


def _opens(text: str, index: int) -> bool:
    """A mark shaped like an opening quote: after a space or bracket, before a word."""
    mark = text[index]
    if mark in "”’":
        return False
    before = text[index - 1] if index else " "
    after = text[index + 1 : index + 2]
    if not after or after.isspace():
        return False
    if mark in "'‘" and (before.isalnum() or _ELISION.match(text, index + 1)):
        return False  # an apostrophe: don't, 'em, '90s
    return mark in "“‘" or not before.isalnum()


def _closes(text: str, index: int) -> bool:
    """A mark shaped like a closing quote: after a word or punctuation, not inside a word."""
    mark = text[index]
    if mark in "“‘":
        return False
    before = text[index - 1] if index else " "
    after = text[index + 1 : index + 2] or " "
    return not before.isspace() and not after.isalnum()


class _Mark(NamedTuple):  # a tuple: made for every quote mark, so made cheaply
    at: int  # offset of the mark in the text
    kind: str
    opens: bool
    closes: bool


def _marks(text: str, start: int, end: int) -> list[_Mark]:
    """The quote marks of ``text[start:end]``, each read once: its kind and its shape."""
    return [
        _Mark(m.start(), _mark_kind(m.group()), _opens(text, m.start()), _closes(text, m.start()))
        for m in _QUOTE_MARK.finditer(text, start, end)
        if not _inside_word(text, m.start())
    ]


def _inside_word(text: str, index: int) -> bool:
    """An apostrophe between letters (don't, Bank's) is no quote mark."""
    return text[index] in "'’" and 0 < index < len(text) - 1 and text[index - 1].isalnum() and text[index + 1].isalnum()


def _quote_cues(marks: list[_Mark], starts: set[int]) -> tuple[list[int], list[int]]:
    """Sentence starts that prove a lost break (a quote re-opened while open) and those where a
    quote opens while none is (where news starts a paragraph), in text order."""
    reopened: list[int] = []
    opening: list[int] = []
    open_kind: str | None = None
    for mark in marks:
        if open_kind is None:
            if mark.opens:
                open_kind = mark.kind
                if mark.at in starts:
                    opening.append(mark.at)
        elif mark.kind == open_kind:
            if mark.opens and mark.at in starts:
                reopened.append(mark.at)  # "…26 weeks. “We are going…": the quote went on
            elif mark.closes:
                open_kind = None
    return reopened, opening


def _outside_quotes(marks: list[_Mark], starts: list[int], reopened: set[int]) -> tuple[set[int], set[int]]:
    """The sentence starts that lie outside every quote, and those of them right after a
    sentence that closed a quote (where news usually ends a quote's paragraph)."""
    outside: set[int] = set()
    after_quote: set[int] = set()
    open_kind: str | None = None
    closed = False
    position = 0
    for sentence in starts:
        while position < len(marks) and marks[position].at < sentence:
            mark = marks[position]
            if open_kind is None and mark.opens:
                open_kind = mark.kind
            elif open_kind == mark.kind and mark.at not in reopened and mark.closes:
                open_kind = None
                closed = True
            position += 1
        if open_kind is None:
            outside.add(sentence)
            if closed:
                after_quote.add(sentence)
        closed = False
    return outside, after_quote


def _may_reopen(text: str, start: int, end: int) -> bool:
    """Whether a quote may be re-opened in ``text[start:end]`` (``_quote_cues``): that takes a
    sentence (one past the first) opening with a quote mark after another quote mark. Checked
    before the sentences are told from abbreviations, the costly part of finding them."""
    first_mark = _QUOTE_MARK.search(text, start, end)
    return first_mark is not None and any(
        opening.end() > first_mark.start() for opening in _QUOTE_AFTER_BREAK.finditer(text, start, end)
    )


def _is_flattened(text: str, start: int, end: int, starts: list[int], reopened: list[int]) -> bool:
    return bool(reopened) or (end - start >= FLAT_MIN_CHARS and len(starts) >= FLAT_MIN_SENTENCES)


def _cuts(text: str, start: int, end: int) -> list[int]:
    """Where a flattened paragraph lost its breaks: at each re-opened quote, where a quote opens
    or has just closed a sentence, and otherwise between sentences outside quotes every few
    hundred characters."""
    if end - start < FLAT_MIN_CHARS and not (_REOPEN_SHAPE.search(text, start, end) and _may_reopen(text, start, end)):
        return []  # a short paragraph with no quote re-opened after a full stop: as written
    starts = sentence_starts(text, start, end)
    marks = _marks(text, start, end)
    reopened, opening = _quote_cues(marks, set(starts))
    if not _is_flattened(text, start, end, starts, reopened):
        return []
    outside, after_quote = _outside_quotes(marks, starts, set(reopened))
    certain = set(reopened) | set(opening) | after_quote
    cuts: list[int] = []
    piece_start = start
    for sentence in starts[1:]:
        if sentence in certain or (sentence in outside and sentence - piece_start >= VIEW_TARGET_CHARS):
            cuts.append(sentence)
            piece_start = sentence
    return cuts


_recent_cuts: tuple[str, dict[tuple[int, int], list[int]]] = ("", {})
"""The last text's cuts by span: the loader classifies an article's paragraphs and extraction
reads the same text (the same ``str`` object) right after, so its long paragraphs are cut once."""


def _cuts_of_recent(text: str, start: int, end: int) -> list[int]:
    """``_cuts``, remembered for the last text seen (by identity: equal objects, equal cuts)."""
    global _recent_cuts
    recent = _recent_cuts
    if recent[0] is not text:
        recent = _recent_cuts = (text, {})
    known = recent[1].get((start, end))
    if known is None:
        known = recent[1][start, end] = _cuts(text, start, end)
    return known


def recover_paragraphs(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The paragraphs a reader should see: each span, cut where a flattened text lost its breaks.

    Every view is a span of the unchanged ``text``; the spaces that stood for a break fall
    between two views.
    """
    views: list[tuple[int, int]] = []
    for start, end in spans:
        position = start
        for cut in _cuts_of_recent(text, start, end):
            views.append((position, len(text[position:cut].rstrip()) + position))
            position = cut
        views.append((position, end))
    return views


def paragraph_views(text: str) -> list[tuple[int, int]]:
    """``split_paragraphs`` then ``recover_paragraphs``: what extraction reads as paragraphs."""
    return recover_paragraphs(text, split_paragraphs(text))


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (a paragraph) as spans of ``text``, trimmed of spaces:
    the sentences ``sentence_starts`` finds. Linear in the length, and every character that is not
    a space belongs to one sentence, so a paragraph without a full stop (a heading, one huge
    unbroken token) is one sentence."""
    end = len(text) if end is None else end
    starts = sentence_starts(text, start, end)
    spans: list[tuple[int, int]] = []
    for first, following in zip(starts, [*starts[1:], end], strict=True):
        while first < following and text[first].isspace():
            first += 1
        while following > first and text[following - 1].isspace():
            following -= 1
        if first < following:
            spans.append((first, following))
    return spans




def _words(text: str) -> int:
    return len(text.split())


def reads_as_headline(text: str) -> bool:
    """A first paragraph that is one short line not ending like a sentence is a headline."""
    if "\n" in text or len(text) > MAX_HEADLINE_CHARS:
        return False
    words = _words(text)
    if words == 0 or words > 30:
        return False
    ends_like_prose = text.rstrip("\u00a0 ").endswith((".", ",", ";", ":"))
    return not (ends_like_prose and words > 8)


def _reads_as_heading(text: str) -> bool:
    stripped = text.rstrip("\u00a0 ")
    return (
        stripped[:1].isupper()
        and not stripped.endswith((".", ",", ";", ":", "”", '"', "’", "'", "…"))
        and "\n" not in stripped
        and len(stripped.split(None, MAX_HEADING_WORDS)) <= MAX_HEADING_WORDS
    )


def _is_furniture(piece: str) -> bool:
    if _FURNITURE_LINE.match(piece):
        return True
    window = piece[:_DISCLAIMER_WINDOW].lower()
    if not _DISCLAIMER_WORD.search(window):
        return False
    disclaimer = _DISCLAIMER.search(window)
    return disclaimer is not None and disclaimer.start() <= _DISCLAIMER_REACH


def derive_title(text: str) -> str:
    """A short readable title from prose: its first sentence, cut on a word boundary."""
    flat = " ".join(text.split())
    sentence = _SENTENCE_END.split(flat, maxsplit=1)[0].rstrip(" .")
    if len(sentence) <= DERIVED_TITLE_CHARS:
        return sentence
    cut = sentence[:DERIVED_TITLE_CHARS].rsplit(" ", 1)[0].rstrip(",;:–—- ")
    return cut + "…"


def author_from_box(text: str) -> str | None:
    """The name in an author box ("About RaquelHarris" → "Raquel Harris"), if it is one."""
    match = _ABOUT_AUTHOR.match(text.strip())
    if not match:
        return None
    name = match.group(1)
    if camel := _CAMEL_NAME.match(name):
        name = f"{camel.group(1)} {camel.group(2)}"
    return name


def _kinds_by_content(pieces: list[str], first_body: int) -> list[ParagraphKind]:
    """Furniture (boilerplate, embeds) and headings, judged one paragraph at a time."""
    kinds = [ParagraphKind.BODY] * len(pieces)
    in_embed = False
    for index in range(first_body, len(pieces)):
        piece = pieces[index].strip()
        if _EMBED_START.match(piece):
            in_embed = True
        if in_embed or _is_furniture(piece):
            kinds[index] = ParagraphKind.FURNITURE
        elif _reads_as_heading(piece):
            kinds[index] = ParagraphKind.HEADING
        if in_embed and _EMBED_END.match(piece):
            in_embed = False
    return kinds


def _mark_trailer(pieces: list[str], kinds: list[ParagraphKind], first_body: int) -> None:
    """A trailer marker in the second half starts the page's tail: all of it is furniture."""
    for index in range(max(first_body + 1, len(pieces) // 2), len(pieces)):
        if _TRAILER_START.match(pieces[index].strip()):
            kinds[index:] = [ParagraphKind.FURNITURE] * (len(pieces) - index)
            return


def _mark_teasers(pieces: list[str], kinds: list[ParagraphKind], first_body: int) -> None:
    """A teaser that repeats the start of a later paragraph (cut off mid-sentence) is furniture."""
    for index in range(first_body, min(len(pieces), first_body + 3)):
        piece = pieces[index].strip()
        if len(piece) >= 40 and any(
            later.startswith(piece) and len(later) > len(piece) for later in pieces[index + 1 :]
        ):
            kinds[index] = ParagraphKind.FURNITURE


def classify(text: str, spans: list[tuple[int, int]], has_headline: bool) -> list[Paragraph]:
    """Give each paragraph span a kind: headline, heading, body or furniture.

    A body paragraph that is really several paragraphs run together (see ``recover_paragraphs``)
    comes back as several body paragraphs, each a view over the unchanged text.
    """
    pieces = [text[start:end] for start, end in spans]
    first_body = 1 if has_headline else 0
    kinds = _kinds_by_content(pieces, first_body)
    if has_headline and spans:
        kinds[0] = ParagraphKind.TITLE
    _mark_trailer(pieces, kinds, first_body)
    _mark_teasers(pieces, kinds, first_body)
    paragraphs: list[Paragraph] = []
    for span, kind in zip(spans, kinds, strict=True):
        views = recover_paragraphs(text, [span]) if kind is ParagraphKind.BODY else [span]
        paragraphs.extend(Paragraph(start, end, kind) for start, end in views)
    return paragraphs


# A page's own address, as scrapers leave it in the text: an HTML canonical link, or a line
# that names it ("Canonical URL: …", "Originally published at …"). A bare "Source:" is not one:
# it as often credits a photo or a wire.
_CANONICAL_LINK = re.compile(
    r"""<link\b[^>]*\brel=["']?canonical["']?[^>]*\bhref=["'](?P<html>https?://[^"'\s>]+)"""
    r"""|^[ \t*_>]*(?:canonical(?:\ (?:url|link))?|original(?:\ (?:url|link|article))?|source\ url|permalink|url"""
    r"""|(?:originally\ )?published\ (?:at|on)|read\ (?:the\ original|more)\ at)[ \t*_]*:?[ \t*_]*<?"""
    r"""(?P<line>https?://[^\s<>"')\]]+)""",
    re.IGNORECASE | re.MULTILINE | re.VERBOSE,
)
_CANONICAL_REACH = 4_000  # characters searched, at the top and at the end of the text


def canonical_link(text: str) -> str | None:
    """The article's own web address when its text states it, else None."""
    parts = (text,) if len(text) <= 2 * _CANONICAL_REACH else (text[:_CANONICAL_REACH], text[-_CANONICAL_REACH:])
    for part in parts:
        if "http" not in part:  # most articles: no address at all, and no pattern to run
            continue
        match = _CANONICAL_LINK.search(part)
        if match is not None:
            return (match["html"] or match["line"]).rstrip(".,;:")
    return None
