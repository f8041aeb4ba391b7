"""Words found on bytes are the words the regular expression finds in the case-folded text."""

from __future__ import annotations

import re

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.core.cross_article.word_bytes import text_words

# ASCII with its separators, the Latin letters and marks of news, and characters the byte path
# must leave to the regular expression or fold with care: ß (two letters), İ (a letter and a
# mark), ǅ (a fold that folds again?), marks, ligatures, digits beyond ASCII, lone surrogates.
_ALPHABET = st.one_of(
    st.sampled_from("aZ_09 .,'\n\t\x0b\x0c\r\x00\x1c\x1f\x7f–—‘’“”£€ØøÉéÜŒœŸĲ"),
    st.sampled_from("\x85\xa0\u2028\u200b…ﬁßΣσςİıſµªº²½\u0301\u0308ǅǄΐᾈKÅ\ud800"),
    st.characters(min_codepoint=0x80, max_codepoint=0x24F),
    st.characters(codec="utf-8"),
)


def _through_the_regex(text: str) -> list[bytes]:
    return [word.encode("utf-8", "surrogatepass") for word in re.findall(r"\w+", text.casefold())]


@settings(max_examples=500)
@given(st.text(alphabet=_ALPHABET, max_size=40))
@example("Minister’s “Plan” — SAID she – ØRSTED, Müller's 2ºC")
@example("STRASSE Straße ΣΊΣΥΦΟΣ ﬁnal İstanbul")
def test_words_are_the_regular_expressions(text: str) -> None:
    assert text_words(text) == _through_the_regex(text)


def test_accented_capitals_fold_to_their_small_letters() -> None:
    assert text_words("ØRSTED “said” Élan") == ["ørsted".encode(), b"said", "élan".encode()]
