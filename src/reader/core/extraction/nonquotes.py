"""Quote marks that hold no one's words: labels, nicknames, titles of works, scare quotes.

News puts many things in quote marks besides speech. A label ("so-called ‘cold calls’", what
someone "calls" a thing), a nickname between a first name and a surname, the title of a song or a
film, a single word held at arm's length ("his presidential ‘walk’"): none of them is a quote, and
the side panel must not present them as someone's words. A short phrase the sentence credits to
someone ("described the plan as ‘unacceptable’") is a quote; ``speakers`` decides that later,
once it knows whether the sentence names a speaker.
"""

from __future__ import annotations

import re

from reader.core.extraction.document import Document, is_common
from reader.core.extraction.lexicons import SPEECH_VERBS
from reader.core.extraction.quote_marks import QuoteSpan
from reader.core.structure import reads_as_headline

_VERBS = "|".join(sorted((v for v in SPEECH_VERBS if not v.endswith("ing")), key=len, reverse=True))
_NAME = r"[A-Z][\w’'.-]*(?:\s+[A-Z][\w’'.-]*){0,3}"
_ATTRIBUTED_AFTER = re.compile(
    rf"^[\s,;:—–-]*(?:(?:he|she|they|I|we|{_NAME}|(?:the|a|an)\s+\w+)\s+(?:{_VERBS})\b|(?:{_VERBS})\s)"
)
# Words that name or label rather than quote; "called it" and "branded" with a speaker are speech.
_LABEL_CUE = re.compile(
    r"\b(?:calls|calling|nicknamed?|nicknaming|known\s+as|so-called|aka|a\.k\.a\.|titled|entitled"
    r"|named|the\s+term|the\s+words?|the\s+phrase|the\s+hashtag|the\s+slogan|the\s+motto|the\s+banner"
    r"|the\s+name|the\s+label|referred\s+to\s+as|dubbed)"
    r"(?:\s+(?:her|him|them|it|himself|herself|themselves|me|us|you|this|that))?\s*[,:]?\s*$",
    re.IGNORECASE,
)
_AS_CUE = re.compile(r"\bas\s*$")
# "what the team calls", "what he describes as": the writer's label for someone's term.
_WHAT_CUE = re.compile(
    r"\bwhat\s+(?:[\w’'-]+\s+){0,3}(?:calls?|called|describes?\s+as|described\s+as|dubs|dubbed|terms?|termed"
    r"|refers?\s+to\s+as|referred\s+to\s+as)\s*(?:an?\s+|the\s+)?$",
    re.IGNORECASE,
)
_TITLED_CUE = re.compile(r"\b(?:titled|entitled)\s*,?\s*$", re.IGNORECASE)
_WORK_CUE = re.compile(
    r"\b(?:song|single|track|album|record|EP|mixtape|film|movie|documentary|show|series|sitcom"
    r"|drama|episode|book|novel|memoir|biography|play|musical|opera|poem|podcast|programme|program"
    r"|column|essay|painting|hit|anthem|tour|special|game|newsletter|exhibition|collection|report"
    r"|campaign|study|strategy|plan|scheme|initiative|policy|paper|white\s+paper|slogan|operation"
    r"|app|feature|product|brand|tool|platform|service|magazine|ballad|sculpture|story|headline)"
    r"(?:\s+of)?\s*,?\s*$",
    re.IGNORECASE,
)
_SENTENCE_MARKS = re.compile(r"[.!?;]")
_NAME_BEFORE = re.compile(r"([A-Z][\w’'-]+)\s$")
_NAME_AFTER = re.compile(r"^\s([A-Z][\w’'-]+)")
_WORD = re.compile(r"[^\W_][\w’'-]*")
_TITLE_SMALL_WORDS = frozenset("a an the of in on and to for at by with or but nor from as into".split())
_LABEL_MAX_WORDS = 5
_SCARE_MAX_WORDS = 4
_SENTENCE_PUNCTUATION = re.compile(r"[.!?]")
_CAPTION = re.compile(r"^\s*[A-Z][\w’' -]{0,40}:\s")
_QUOTE_MARK_AROUND = re.compile(r"[\"“”'‘’]\s*$")
_TITLE_MAX_WORDS = 8


def _words(text: str) -> list[str]:
    return _WORD.findall(text)


def _titlecase(words: list[str]) -> bool:
    return bool(words) and words[0][:1].isupper() and all(
        w[:1].isupper() for w in words if len(w.strip(".,;:!?")) >= 4
    )


def _between_names(before: str, after: str) -> bool:
    """Dwayne “The Rock” Johnson: marks set between two name words hold a nickname."""
    first = _NAME_BEFORE.search(before)
    last = _NAME_AFTER.match(after)
    if first is None or last is None:
        return False
    return not (is_common(first.group(1)) or is_common(last.group(1)))


def _reads_as_work_title(content: str, words: list[str], in_headline: bool, after: str) -> bool:
    """“The Salt Year” in running prose: every word capitalised, no sentence, nobody speaking."""
    return (
        not in_headline
        and 2 <= len(words) <= _TITLE_MAX_WORDS
        and _titlecase(words)
        and all(w[:1].isupper() or w in _TITLE_SMALL_WORDS for w in words)
        and not _SENTENCE_MARKS.search(content.rstrip(",."))
        and not _ATTRIBUTED_AFTER.match(after)
    )


def _why_not_a_quote(document: Document, span: QuoteSpan) -> str | None:
    text = document.text
    content = text[span.start : span.end]
    words = _words(content)
    before = text[max(0, span.opener - 40) : span.opener]
    after = text[span.outer_end : span.outer_end + 80]
    if not words:
        return "empty"
    if _TITLED_CUE.search(before) or _WHAT_CUE.search(before):
        return "label"
    if len(words) <= _LABEL_MAX_WORDS and _LABEL_CUE.search(before):
        return "label"
    if len(words) <= 4 and content[:1].isupper() and _AS_CUE.search(before):
        return "label"
    if len(words) <= _TITLE_MAX_WORDS and _titlecase(words) and _WORK_CUE.search(before):
        return "title"
    if len(words) <= 3 and content[:1].isupper() and _between_names(before, after):
        return "nickname"
    if _reads_as_work_title(content, words, document.is_titlecase_at(span.opener), after):
        return "title"
    return None


def exclude_non_quotes(document: Document, spans: list[QuoteSpan]) -> None:
    """Mark the spans whose marks hold no speech (``span.excluded`` says why).

    A single word in marks is a quote only if its sentence credits it to someone ("called the
    timing “insulting”", "“No,” she said"); it is marked ``tentative`` for ``speakers`` to decide.
    """
    text = document.text
    for span in spans:
        span.excluded = _why_not_a_quote(document, span)
        if span.excluded is None and len(_words(text[span.start : span.end])) == 1:
            span.tentative = not _ATTRIBUTED_AFTER.match(text[span.outer_end : span.outer_end + 80])


def is_capitalised_word(document: Document, span: QuoteSpan) -> bool:
    """“Ironwood.”, “Gorilla.”: a lone capitalised word in quote marks names a work or a thing."""
    return document.text[span.start : span.start + 1].isupper() and not document.is_titlecase_at(span.opener)


def is_scare_quote(document: Document, span: QuoteSpan, sentence: str, credited: bool) -> bool:
    """A short phrase that nothing in its sentence credits to anyone: a scare quote or a label
    ("a Labour “dirty tricks” campaign", "were “gender neutral”"). Headlines, captions
    ("Making it work: Kim ‘incredibly patient’"), quote paragraphs and lists keep theirs.

    ``sentence`` is the quote's sentence with the quotes of its level blanked; ``credited`` says
    whether it holds a speech verb.
    """
    content = document.text[span.start : span.end]
    if credited or len(content.split()) > _SCARE_MAX_WORDS or _SENTENCE_PUNCTUATION.search(content.rstrip(" ,")):
        return False
    paragraph = document.paragraph_of(span.opener)
    start, end = document.paragraphs[paragraph]
    if document.is_titlecase_at(span.opener) or span.opener == start:
        return False
    if paragraph == 0 and reads_as_headline(document.text[start:end]):
        return False
    if _QUOTE_MARK_AROUND.search(document.text[max(0, span.opener - 3) : span.opener]):
        return False  # one of a list of quotes ("“…”, “…” and “…”")
    return not _CAPTION.match(sentence)
