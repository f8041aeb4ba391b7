"""The shape of an article's text: paragraphs, headline, sub-headings and page furniture.

Scraped pages carry boilerplate (share prompts, "Leave a Reply", disclaimers, teasers for other
stories). It is marked as furniture so views can dim or fold it; it is never deleted, because a
wrong guess must not cost the reader any article text.
"""

from __future__ import annotations

import re

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
_DISCLAIMER_WORDS = tuple(word for _, word in _DISCLAIMERS)
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

# A sentence ends at . ! ? or … (closing quotes and brackets go with it) before a space and a
# capital, a digit or an opening quote; not after an initial or a common abbreviation.
_SENTENCE_STOP = re.compile(r"[.!?…]+[\"'”’)\]]*(\s+)(?=[\"'“‘(\[]?\w)")
_ABBREVIATION_BEFORE = re.compile(r"(?<![^\W\d_])([^\W\d_]{1,4})\.$")
_SHORT_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr prof gov sen rep gen col lt sgt capt det mt ft no vs etc inc corp co ltd rev hon".split()
)

MAX_HEADLINE_CHARS = 200
MAX_HEADING_WORDS = 12
DERIVED_TITLE_CHARS = 80


def split_paragraphs(text: str, offset: int = 0) -> list[tuple[int, int]]:
    """Spans of the paragraphs of ``text`` (blank-line separated), trimmed of outer spaces."""
    spans: list[tuple[int, int]] = []
    position = 0
    for match in [*_PARAGRAPH_BREAK.finditer(text), None]:
        end = match.start() if match else len(text)
        chunk = text[position:end]
        stripped = chunk.strip()
        if stripped:
            start = position + chunk.index(stripped[0])
            spans.append((offset + start, offset + start + len(stripped)))
        if match:
            position = match.end()
    return spans


def sentence_spans(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """The sentences of ``text[start:end]`` (a paragraph) as spans of ``text``, trimmed of spaces.

    Linear in the length, and every character that is not a space belongs to one sentence, so a
    paragraph without a full stop (a heading, one huge unbroken token) is one sentence.
    """
    end = len(text) if end is None else end
    spans: list[tuple[int, int]] = []
    position = start
    for match in _SENTENCE_STOP.finditer(text, start, end):
        after = match.end()
        if not _opens_sentence_at(text, after) or _after_abbreviation(text, position, match.start() + 1):
            continue
        _add_trimmed(text, position, match.start(1), spans)
        position = after
    _add_trimmed(text, position, end, spans)
    return spans


def _opens_sentence_at(text: str, position: int) -> bool:
    """A capital or a digit, perhaps after an opening quote or bracket, starts a new sentence."""
    if text[position] in "\"'“‘([" and position + 1 < len(text):
        position += 1
    return text[position].isupper() or text[position].isdigit()


def _after_abbreviation(text: str, sentence_start: int, stop_end: int) -> bool:
    """"Dr. Smith", "J. K. Rowling", "U.S. officials": the full stop ends a short word, not a sentence."""
    if text[stop_end - 1] != ".":
        return False
    found = _ABBREVIATION_BEFORE.search(text, max(sentence_start, stop_end - 6), stop_end)
    if found is None:
        return False
    word = found.group(1)
    return len(word) == 1 or word.casefold() in _SHORT_ABBREVIATIONS


def _add_trimmed(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start < end:
        spans.append((start, end))


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
    if not any(word in window for word in _DISCLAIMER_WORDS):
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


def classify(text: str, spans: list[tuple[int, int]], has_headline: bool) -> list[Paragraph]:
    """Give each paragraph span a kind: headline, heading, body or furniture."""
    pieces = [text[start:end] for start, end in spans]
    kinds = [ParagraphKind.BODY] * len(spans)
    if has_headline and spans:
        kinds[0] = ParagraphKind.TITLE
    first_body = 1 if has_headline else 0
    _mark_furniture_and_headings(pieces, kinds, first_body)
    _mark_trailer(pieces, kinds, first_body)
    _mark_teasers(pieces, kinds, first_body)
    return [Paragraph(start, end, kind) for (start, end), kind in zip(spans, kinds, strict=True)]


def _mark_furniture_and_headings(pieces: list[str], kinds: list[ParagraphKind], first_body: int) -> None:
    """Embedded posts (from their start marker to their end) and boilerplate lines are
    furniture; short title-like lines are headings."""
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


def _mark_trailer(pieces: list[str], kinds: list[ParagraphKind], first_body: int) -> None:
    """A trailer marker in the second half starts the page's tail: all of it is furniture."""
    for index in range(max(first_body + 1, len(pieces) // 2), len(pieces)):
        if _TRAILER_START.match(pieces[index].strip()):
            for tail in range(index, len(pieces)):
                kinds[tail] = ParagraphKind.FURNITURE
            return


def _mark_teasers(pieces: list[str], kinds: list[ParagraphKind], first_body: int) -> None:
    """A teaser that repeats the start of a later paragraph (cut off mid-sentence) is furniture."""
    for index in range(first_body, min(len(pieces), first_body + 3)):
        piece = pieces[index].strip()
        if len(piece) >= 40 and any(
            later.startswith(piece) and len(later) > len(piece) for later in pieces[index + 1 :]
        ):
            kinds[index] = ParagraphKind.FURNITURE
