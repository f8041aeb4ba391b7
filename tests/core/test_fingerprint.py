"""The fingerprint made on bytes for Latin text is the one made through Unicode folding."""

from __future__ import annotations

import hashlib

from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.core.fingerprint import fingerprint
from reader.core.text import fingerprint_text

# The marks the byte path takes, and characters next to them that it must leave to Unicode:
# str-only spaces, NFKC-changed ones (ellipsis, ligature, no-break space), cased non-ASCII.
_ALPHABET = st.one_of(
    st.sampled_from("aZ 09.\n\t\x0b\x0c\r\x00\x1b\x7f–—‘’“”£€ØøÉéÜŒœŸĲ"),
    st.sampled_from("\x1c\x1d\x1e\x1f\x85\xa0\u2028\u200b\u2000…ﬁßΣİſµªº²½\u0301\u0308\u2012\u201a\u201e\ud800"),
    st.characters(min_codepoint=0xA0, max_codepoint=0x24F),
    st.characters(min_codepoint=0x2000, max_codepoint=0x20CF),
    st.characters(codec="utf-8"),
)


def _through_unicode(text: str) -> str:
    return hashlib.sha256(fingerprint_text(text).encode("utf-8", "surrogatepass")).hexdigest()


@settings(max_examples=500)
@given(st.text(alphabet=_ALPHABET, max_size=40))
@example("Minister’s  “Plan” —\n\nSAID  she – ")
@example("A\x1cB")
@example("Café ÉTÉ ØRSTED Œuvre")
@example("Cafe\u0301 ÉTE\u0301")
def test_the_fingerprint_is_the_same_whichever_way_it_is_made(text: str) -> None:
    assert fingerprint(text) == _through_unicode(text)


def test_texts_differing_in_case_and_spacing_share_a_fingerprint() -> None:
    assert fingerprint("The  “Plan”\n\nsaid") == fingerprint("the “plan” SAID ") != fingerprint("the plan said")
