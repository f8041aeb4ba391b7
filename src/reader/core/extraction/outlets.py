"""News outlets in the words around a quote: "told People", "a DailyMail.com source", "the magazine".

Outlets are matched against the list in ``data/outlets.txt`` (case-blind, written with a capital
in the text) and shown under the name the list gives ("PEOPLE Magazine" -> "People").
"""

from __future__ import annotations

import re

from reader.core.extraction.lexicons import OUTLETS

CARRY = "carry"  # "the magazine": the outlet named last


def _alternation(words: set[str]) -> str:
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


OUTLET_PATTERN = re.compile(rf"(?<![\w])(?:{_alternation(set(OUTLETS))})(?![\w])", re.IGNORECASE)
_OUTLETS_BY_LAST_WORD: dict[str, list[str]] = {}
for _form in sorted(OUTLETS, key=len, reverse=True):
    _OUTLETS_BY_LAST_WORD.setdefault(_form.split()[-1].rstrip("!"), []).append(_form)
_OUTLET_AFTER = re.compile(r"\b(?:told|tells|telling|to|with|for|from|by)\s+(?:the\s+)?(?=\S)")
_TOLD_NAME = re.compile(r"[A-Z][\w’'&.-]*(?:\s+[A-Z][\w’'&.-]*){0,3}(?=[\s.,;:]|$)")
_THEOUTLET_PATTERN = re.compile(r"^the\s+(?:magazine|outlet|publication|site|paper|newspaper|network|tabloid)\b")


def outlet_name(written: str) -> str:
    """An outlet as the gold writes it: "PEOPLE Magazine" -> "People", "DailyMail.com" -> "Daily Mail"."""
    written = written.strip()
    known = OUTLETS.get(written.casefold())
    if known:
        return known
    for suffix in (" magazine", " Magazine", ".com", ".co.uk"):
        if written.endswith(suffix):
            return outlet_name(written[: -len(suffix)])
    return written


def is_outlet(written: str) -> bool:
    return OUTLET_PATTERN.fullmatch(written) is not None


def outlet_in(text: str) -> str | None:
    """The first outlet named with a capital in ``text``."""
    for match in OUTLET_PATTERN.finditer(text):
        if match.group()[:1].isupper():
            return outlet_name(match.group())
    return None


def outlet_ending(text: str) -> str | None:
    """The outlet name that ``text`` ends with, as written (capitalised), if any."""
    last = text[-40:].split()
    if not last:
        return None
    folded = text[-40:].casefold()
    for form in _OUTLETS_BY_LAST_WORD.get(last[-1].casefold().rstrip("!"), ()):
        if folded.endswith(form) and (len(folded) == len(form) or not folded[-len(form) - 1].isalnum()):
            written = text[len(text) - len(form) :]
            return written if written[:1].isupper() else None
    return None


def outlet_after(clause: str) -> str | None:
    """An outlet the clause says the words went to: "told People", "who spoke with E! News"."""
    for match in _OUTLET_AFTER.finditer(clause):
        rest = clause[match.end() :]
        if _THEOUTLET_PATTERN.match(clause[match.end() - 4 :].lstrip()) or _THEOUTLET_PATTERN.match(rest):
            return CARRY
        outlet = OUTLET_PATTERN.match(rest)
        if outlet and outlet.group()[:1].isupper():
            return outlet_name(outlet.group())
        if match.group().startswith("told") and (named := _TOLD_NAME.match(rest)):
            return named.group()  # "told the Gazette", "told The Post": a paper the list lacks
    return None
