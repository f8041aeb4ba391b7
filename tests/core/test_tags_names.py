"""What a tag may be: validation and case-insensitive identity."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from reader.core.tags import MAX_TAG_LENGTH, TagError, normalise_tag, tag_key
from reader.core.text import visible


@pytest.mark.parametrize(
    ("typed", "stored"),
    [
        ("patience", "patience"),
        ("  Climate   Change ", "Climate Change"),
        ("caf\u0065\u0301", "caf\u00e9"),  # decomposed é is stored composed
        ("non\u00a0breaking", "non breaking"),
        ("👨\u200d👩\u200d👧 family", "👨\u200d👩\u200d👧 family"),
        ("x" * MAX_TAG_LENGTH, "x" * MAX_TAG_LENGTH),
    ],
)
def test_a_valid_tag_keeps_the_users_spelling(typed: str, stored: str) -> None:
    assert normalise_tag(typed) == stored


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("", "a tag cannot be empty"),
        ("   ", "a tag cannot be empty"),
        ("bad\x1b[31mtag", "contains an invisible or control character (U+001B)"),
        ("two\nlines", "contains an invisible or control character (U+000A)"),
        ("tab\there", "(U+0009)"),
        ("evil\u202etxt", "(U+202E)"),
        ("zero\u200bwidth", "(U+200B)"),
        ("x" * (MAX_TAG_LENGTH + 1), f"at most {MAX_TAG_LENGTH} characters; this one has 65"),
    ],
)
def test_an_invalid_tag_is_refused_in_one_line(typed: str, message: str) -> None:
    with pytest.raises(TagError) as raised:
        normalise_tag(typed)
    assert message in str(raised.value)
    assert "\n" not in str(raised.value) and "\x1b" not in str(raised.value)


def test_case_and_compatibility_forms_are_one_tag() -> None:
    assert tag_key("Climate") == tag_key("CLIMATE") == tag_key("climate")
    assert tag_key("Straße") == tag_key("STRASSE")
    assert tag_key("ﬁnance") == tag_key("finance")
    assert tag_key("climate") != tag_key("climates")


@given(st.text(max_size=100))
def test_normalising_is_stable_and_leaves_nothing_invisible(text: str) -> None:
    try:
        tag = normalise_tag(text)
    except TagError:
        return
    assert normalise_tag(tag) == tag
    assert 0 < len(tag) <= MAX_TAG_LENGTH and tag == tag.strip()
    assert visible(tag) == tag  # nothing a terminal would treat as a control
