"""A text's words as UTF-8 bytes, as ``re.findall(r"\\w+", text.casefold())`` finds them, cheaply.

Near-duplicate signatures hash every word of every article. News is mostly ASCII with a few
letters and marks beyond it (accents, curly quotes, dashes), so the words are found on the
text's bytes: each non-ASCII character is replaced by its case folding when that is all word
characters, or by a space when it has none; ASCII is folded and its other characters made
spaces in one ``bytes.translate``, and ``bytes.split`` cuts the words. ``str.casefold`` folds
each character on its own (no context), so folding character by character is folding the text.
A character that fits neither (a fold mixing word and other characters, or a fold that folds
again) sends the text through the regular expression.
"""

from __future__ import annotations

import re

_WORD = re.compile(r"\w+")
_ASCII = bytes(range(128))
# ASCII capitals to small letters, every other ASCII non-word byte to a space; bytes from 128
# up (the UTF-8 of the word characters kept) are left as they are.
_FOLD_ASCII = bytes(
    code + 32 if 65 <= code <= 90 else code if code >= 128 or chr(code).isalnum() or code == 95 else 32
    for code in range(256)
)
_KNOWN_LIMIT = 20_000  # distinct non-ASCII characters remembered per process
_REPLACEMENTS: dict[str, bytes | None] = {}  # character -> what stands for it, None: not here


def text_words(text: str) -> list[bytes]:
    """The words of ``text`` case folded, each as UTF-8 (lone surrogates passed through)."""
    data = text.encode("utf-8", "surrogatepass")
    others = data.translate(None, _ASCII)
    if others:
        for char in set(others.decode("utf-8", "surrogatepass")):
            replacement = _replacement(char)
            if replacement is None:
                return [word.encode("utf-8", "surrogatepass") for word in _WORD.findall(text.casefold())]
            written = char.encode("utf-8", "surrogatepass")
            if replacement != written:
                data = data.replace(written, replacement)
    return data.translate(_FOLD_ASCII).split()


def _replacement(char: str) -> bytes | None:
    """The bytes standing for a non-ASCII character: its folding, a space, or None (neither)."""
    if char in _REPLACEMENTS:
        return _REPLACEMENTS[char]
    folded = char.casefold()
    replacement: bytes | None = None
    if _WORD.fullmatch(folded) and folded.casefold() == folded:
        replacement = folded.encode("utf-8", "surrogatepass")
    elif not _WORD.search(folded):
        replacement = b" "
    if len(_REPLACEMENTS) < _KNOWN_LIMIT:
        _REPLACEMENTS[char] = replacement
    return replacement
