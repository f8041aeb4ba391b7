"""Turning bytes and strings from files into text that is safe to keep, index and show.

Two jobs, kept apart on purpose:
- ``decode`` and ``clean_text`` run once when a file is loaded. They keep every printable
  character exactly (curly quotes and apostrophes carry meaning for quote extraction) and make
  control characters harmless, so an article's text can never drive the terminal.
- ``visible`` is the one gate for any other string that came from outside (tag names,
  snippets, error messages) on its way to a screen or a terminal; ``visible_name`` is its
  twin for file names and paths, which spells odd characters as escapes (``\n``) instead.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from typing import NamedTuple

# Bidi embeddings, overrides and isolates (and the invisible marks) reorder what a reader sees.
_BIDI_CONTROLS = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
_BIDI_RE = re.compile(f"[{_BIDI_CONTROLS}]")
# C0 controls but tab and newline, DEL, and C1 controls.
_CONTROL_RE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_NEWLINES_RE = re.compile("\r\n?|[\u2028\u2029\x85]")
_SURROGATE_RE = re.compile("[\ud800-\udfff]")
_SPACES_RE = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000]+")
_NON_ASCII_RE = re.compile("[^\x00-\x7f]")
_NOT_ASCII_LETTERS = bytes(code for code in range(128) if not chr(code).isalpha())
_MAX_ACCENTED_SHARE = 3  # more than one letter in three accented is not a Western language
# Latin-1 letters (not × ÷) and the punctuation and letters cp1252 adds: what a Western file holds.
_WESTERN_CHARS = frozenset(
    [chr(code) for code in range(0xC0, 0x100) if code not in (0xD7, 0xF7)]
    + list("\u00a0£€¥¢©®°±–—‘’‚“”„…•·§¶«»¿¡´¨¸ªº™‰‹›†‡ˆ˜ŒœŠšŽžŸƒ")
)
# Anything ``clean_text`` would change; most files have none, and one scan proves it.
_NEEDS_CLEANING_RE = re.compile(
    f"[\r\u2028\u2029\x00-\x08\x0b-\x1f\x7f-\x9f{_BIDI_CONTROLS}\ud800-\udfff]"
)
# The same characters in strictly decoded UTF-8 (no surrogates there): control bytes, and the
# multi-byte ones by lead byte and the bytes that follow it.
def _by_lead_byte(chars: str) -> dict[bytes, frozenset[bytes]]:
    """Each character's UTF-8 encoding, grouped by its first byte: the bytes that follow it."""
    grouped: dict[bytes, set[bytes]] = {}
    for char in chars:
        encoded = char.encode()
        grouped.setdefault(encoded[:1], set()).add(encoded[1:])
    return {lead: frozenset(tails) for lead, tails in grouped.items()}


_UNSAFE_TAILS = _by_lead_byte("\u2028\u2029" + _BIDI_CONTROLS + "".join(map(chr, range(0x80, 0xA0))))
_UNSAFE_LEADS = b"".join(_UNSAFE_TAILS)
_SAFE_BYTES = bytes(code for code in range(256) if code in (9, 10) or 0x20 <= code < 0x7F or code >= 0x80)
_SAFE_BYTES = _SAFE_BYTES.translate(None, _UNSAFE_LEADS)

# ESC (0x1b) is shown as its picture so an escape sequence in a file reads as text, not a command.
_CONTROL_PICTURES = {code: chr(0x2400 + code) for code in range(0x20)} | {0x7F: "\u2421"}
# In a file name every control (tab and newline too), line separator, bidi control and byte that
# was not UTF-8 is spelled out, so a name prints on one line and two names never look alike.
_NAME_UNSAFE_RE = re.compile(f"[\x00-\x1f\x7f-\x9f\u2028\u2029{_BIDI_CONTROLS}\ud800-\udfff]")
_NAME_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_WESTERN_CODECS = frozenset({"cp1252", "latin_1", "iso8859_15"})
_CLOSE_CHAOS = 0.02  # charset-normalizer's mess ratios this close are a tie



def _picture(match: re.Match[str]) -> str:
    code = ord(match.group())
    return _CONTROL_PICTURES.get(code, "\ufffd")


def reads_as_western(text: str) -> bool:
    """True when the non-ASCII characters are Western letters or punctuation, and few of the letters.

    Such text is what a cp1252 file of an English or Western European article decodes to.
    Statistical detectors get short samples of it wrong ("£40" became "｣40" as cp932), while
    Cyrillic or Greek bytes read as cp1252 give accented letters only, or implausible symbols.
    """
    foreign: list[str] = _NON_ASCII_RE.findall(text)
    if not _WESTERN_CHARS.issuperset(foreign):
        return False
    accented = sum(char.isalpha() for char in foreign)
    plain = len(text.encode("ascii", "ignore").translate(None, _NOT_ASCII_LETTERS))
    return accented * _MAX_ACCENTED_SHARE <= accented + plain


class Decoded(NamedTuple):
    text: str
    note: str | None  # how the bytes were read, when that was not plain UTF-8
    encoding: str  # the codec used: utf-8, utf-16, cp1252, cp1250, ...


def decode(data: bytes) -> Decoded:
    """Decode file bytes into text, saying which encoding was used and, when it was not plain
    UTF-8, a note for the user.

    UTF-8 (with or without BOM) and UTF-16 with a BOM are taken as they are; mostly-English text
    that is not UTF-8 is cp1252 (a superset of Latin-1 for printable text); anything else is
    handed to charset-normalizer, and cp1252 (which maps almost every byte) is the last resort.
    """
    if data.startswith(codecs.BOM_UTF8):
        try:
            return Decoded(data[len(codecs.BOM_UTF8) :].decode("utf-8"), None, "utf-8")
        except UnicodeDecodeError:
            # The BOM says UTF-8, so a stray byte is damage, not another encoding.
            text = data[len(codecs.BOM_UTF8) :].decode("utf-8", "replace")
            return Decoded(text, "invalid UTF-8 bytes replaced", "utf-8")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return Decoded(data.decode("utf-16", "replace"), "decoded as UTF-16", "utf-16")
    try:
        return Decoded(data.decode("utf-8"), None, "utf-8")
    except UnicodeDecodeError:
        pass
    try:
        western = data.decode("cp1252")
    except UnicodeDecodeError:
        western = None
    if western is not None and reads_as_western(western):
        return Decoded(western, "not UTF-8; decoded as cp1252", "cp1252")
    encoding = _detected(data)
    try:
        text = data.decode(encoding, "replace")
    except LookupError:
        encoding = "cp1252"
        text = data.decode(encoding, "replace")
    return Decoded(text, f"not UTF-8; decoded as {encoding}", encoding)


def _accented_letters(text: str) -> int:
    return sum(char.isalpha() for char in _NON_ASCII_RE.findall(text))


def _detected(data: bytes) -> str:
    """charset-normalizer's guess, but a Western code page when one reads as well.

    Latin-1 text often ties with cp1250 ("Señor Muñoz" or "Seńor Muńoz"), and the detector's
    order then decides. A Western candidate as little messy as the best, whose reading has at
    least as many accented letters (cp1250 read as cp1252 turns ł and ą into ³ and ¹), wins.
    """
    from charset_normalizer import from_bytes  # slow to import; only needed for odd files

    results = from_bytes(data[:200_000])
    best = results.best()
    if best is None:
        return "cp1252"
    if best.encoding in _WESTERN_CODECS:
        return str(best.encoding)
    letters = _accented_letters(str(best))
    for match in results:
        if (
            match.encoding in _WESTERN_CODECS
            and match.chaos <= best.chaos + _CLOSE_CHAOS
            and _accented_letters(str(match)) >= letters
        ):
            return str(match.encoding)
    return str(best.encoding)


def is_clean_utf8(data: bytes) -> bool:
    """Whether the text decoded strictly from UTF-8 ``data`` has nothing ``clean_text`` would
    change, told from the bytes: a few C-speed passes where the scan of the text takes most of
    the cost of cleaning a file that needs none."""
    odd = data.translate(None, _SAFE_BYTES)
    if not odd:
        return True
    if odd.translate(None, _UNSAFE_LEADS):
        return False  # a control character
    for lead, tails in _UNSAFE_TAILS.items():
        if lead in odd:
            width = len(next(iter(tails)))
            if any(piece[:width] in tails for piece in data.split(lead)[1:]):
                return False
    return True


def clean_text(text: str) -> tuple[str, list[str]]:
    """Normalise line ends and defuse control characters; return the text and what was done.

    Printable characters, including non-breaking spaces and every kind of quote mark, are kept
    exactly. Control characters become visible pictures (ESC shows as ␛), bidi controls are
    removed, and lone surrogates become U+FFFD.
    """
    notes: list[str] = []
    if not _NEEDS_CLEANING_RE.search(text):
        return text, notes
    text = _NEWLINES_RE.sub("\n", text)
    if _BIDI_RE.search(text):
        text = _BIDI_RE.sub("", text)
        notes.append("removed bidirectional-override characters")
    if _CONTROL_RE.search(text):
        text = _CONTROL_RE.sub(_picture, text)
        notes.append("control characters shown as symbols")
    if _SURROGATE_RE.search(text):
        text = _SURROGATE_RE.sub("\ufffd", text)
        notes.append("invalid characters replaced")
    return text, notes


def visible(value: object, limit: int | None = 500) -> str:
    """Any outside string made safe to print: no controls, no bidi tricks, bounded length.

    Tabs and newlines become spaces because the result is meant for one line of a list, a
    message or a title bar.
    """
    text = str(value)
    text = _NEWLINES_RE.sub(" ", text).replace("\n", " ").replace("\t", " ")
    text = _BIDI_RE.sub("", text)
    text = _CONTROL_RE.sub(_picture, text)
    text = _SURROGATE_RE.sub("\ufffd", text)
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def _name_escape(match: re.Match[str]) -> str:
    char = match.group()
    code = ord(char)
    if char in _NAME_ESCAPES:
        return _NAME_ESCAPES[char]
    if 0xDC80 <= code <= 0xDCFF:  # a byte that was not UTF-8, as os.fsdecode keeps it
        return f"\\x{code - 0xDC00:02x}"
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible_name(value: object, limit: int | None = 500) -> str:
    """A file name or path made safe to print on one line, every odd character spelled out.

    Controls (a newline too), bidi controls and bytes that were not UTF-8 become escapes such
    as ``\\n``, ``\\x1b``, ``\\u202e`` and ``\\xff``: unlike ``visible``, which is for prose, a name
    must not turn into another name that looks the same (``a\\nb`` is not ``a b``).
    """
    text = _NAME_UNSAFE_RE.sub(_name_escape, str(value))
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    return text


def without_accents(text: str) -> str:
    """``text`` with its accents taken off ("Adèle" -> "Adele"); letters that carry none to take
    off ("ø", "Đ") stay as they are."""
    if text.isascii():
        return text
    return "".join(char for char in unicodedata.normalize("NFKD", text) if not unicodedata.combining(char))


def fold_spaces(text: str) -> str:
    """Collapse runs of spaces, tabs and non-breaking spaces into one plain space."""
    return _SPACES_RE.sub(" ", text).strip()


def fingerprint_text(text: str) -> str:
    """Text reduced to what identifies an article: folded case, spaces and Unicode forms.

    ``str.split`` folds every kind of space at C speed; NFKC has already turned the
    non-breaking and typographic spaces into plain ones, and zero-width spaces count as spaces.
    """
    folded = unicodedata.normalize("NFKC", text).casefold().replace("\u200b", " ")
    return " ".join(folded.split())
