"""Decoding and clean-up of file text: every printable character kept, every control defused."""

from __future__ import annotations

import codecs

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reader.core.text import clean_text, decode, fingerprint_text, fold_spaces, is_clean_utf8, visible


def test_utf8_without_bom_is_taken_as_is() -> None:
    assert decode("Café “quoted”".encode())[:2] == ("Café “quoted”", None)


def test_utf8_bom_is_dropped_silently() -> None:
    assert decode(codecs.BOM_UTF8 + b"---\ntitle: x\n---\n")[:2] == ("---\ntitle: x\n---\n", None)


def test_stray_bytes_after_a_utf8_bom_are_replaced_and_noted() -> None:
    assert decode(codecs.BOM_UTF8 + b"caf\xe9")[:2] == ("caf\ufffd", "invalid UTF-8 bytes replaced")


@pytest.mark.parametrize("codec, bom", [("utf-16-le", codecs.BOM_UTF16_LE), ("utf-16-be", codecs.BOM_UTF16_BE)])
def test_utf16_with_bom_is_decoded_and_noted(codec: str, bom: bytes) -> None:
    assert decode(bom + "£ “x”".encode(codec))[:2] == ("£ “x”", "decoded as UTF-16")


@pytest.mark.parametrize("codec", ["cp1252", "latin-1"])
def test_a_pound_sign_in_a_western_single_byte_file_is_read_as_cp1252(codec: str) -> None:
    assert decode("It cost £40.".encode(codec))[:2] == ("It cost £40.", "not UTF-8; decoded as cp1252")


def test_cp1252_curly_quotes_and_accents_survive() -> None:
    text = "“Café crème”, she said – it’s £5."
    assert decode(text.encode("cp1252"))[0] == text


def test_cyrillic_single_byte_text_is_not_forced_into_cp1252() -> None:
    text = "Привет мир, как дела? Это новости дня."
    decoded, note, _ = decode(text.encode("cp1251"))
    assert decoded == text
    assert note == "not UTF-8; decoded as cp1251"


def test_crlf_and_lone_cr_become_newlines() -> None:
    assert clean_text("a\r\nb\rc\n") == ("a\nb\nc\n", [])


def test_unicode_line_and_paragraph_separators_become_newlines() -> None:
    assert clean_text("a\u2028b\u2029c")[0] == "a\nb\nc"


def test_non_breaking_spaces_and_every_quote_mark_are_kept_exactly() -> None:
    text = "He said\u00a0“no” and ‘maybe’, it’s \"plain\" 'too' «this» „that“."
    assert clean_text(text) == (text, [])


def test_escape_sequences_become_visible_pictures() -> None:
    cleaned, notes = clean_text("a\x1b]0;title\x07b\x1b[2Jc")
    assert cleaned == "a\u241b]0;title\u2407b\u241b[2Jc"
    assert notes == ["control characters shown as symbols"]


def test_nul_del_and_c1_controls_are_defused() -> None:
    cleaned, _ = clean_text("a\x00b\x7fc\x9bd\x85e")
    assert cleaned == "a\u2400b\u2421c\ufffdd\ne"  # NEL is a line end; CSI (0x9b) is replaced


def test_tabs_and_newlines_are_kept() -> None:
    assert clean_text("a\tb\nc") == ("a\tb\nc", [])


def test_bidi_overrides_and_isolates_are_removed() -> None:
    cleaned, notes = clean_text("abc\u202edef\u2066ghi\u2069\u200f")
    assert cleaned == "abcdefghi"
    assert notes == ["removed bidirectional-override characters"]


def test_lone_surrogates_are_replaced() -> None:
    assert clean_text("a\udcffb") == ("a\ufffdb", ["invalid characters replaced"])


def test_visible_puts_any_outside_string_on_one_safe_line() -> None:
    assert visible("name\x1b[31m\nnext\u202e\udcff\tend") == "name\u241b[31m next\ufffd end"


def test_visible_truncates_long_strings_with_an_ellipsis() -> None:
    assert visible("x" * 10, limit=5) == "xxxx…"
    assert visible("x" * 10, limit=None) == "x" * 10


def test_fold_spaces_collapses_nbsp_and_tabs() -> None:
    assert fold_spaces(" a\u00a0\u00a0b\t c ") == "a b c"


def test_fingerprint_text_ignores_case_spacing_and_unicode_form() -> None:
    assert fingerprint_text("Café\u00a0 NEWS\n\nToday") == fingerprint_text("cafe\u0301 news today")


_CLEANING_EDGES = st.sampled_from("a \t\n\r\x1b\x7f\x80\x85\x9f\xa0£“”\u2028\u2029\u061c\u200e\u202e\u2069\u2070")


@settings(max_examples=1000)
@given(st.text(alphabet=st.one_of(_CLEANING_EDGES, st.characters(codec="utf-8", exclude_categories=("Cs",)))))
def test_clean_utf8_is_told_from_the_bytes_exactly(text: str) -> None:
    assert is_clean_utf8(text.encode()) is (clean_text(text) == (text, []))
