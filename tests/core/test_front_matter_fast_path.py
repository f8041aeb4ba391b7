"""The plain ``key: value`` fast path of front matter gives exactly what YAML and its checks give."""

from __future__ import annotations

from unittest import mock

import yaml
from hypothesis import example, given, settings
from hypothesis import strategies as st

from reader.core import frontmatter_safe
from reader.core.frontmatter_safe import FrontMatter, split_front_matter

# Characters that mean something to YAML or to our checks, and some that mean nothing.
_TRICKY = " \t:#-?,[]{}&*!|>'\"%@`~.\\/\u00a0\u2028\ufeff\x85\x07“’é"
_PLAIN = st.sampled_from("abcxyzABC 09.,")
_GOOD_KEYS = st.sampled_from(["title", "date", "source", "og:image", "Published-At", "a.b", "_x", "y", "null"])
_KEYS = st.one_of(
    _GOOD_KEYS,
    _GOOD_KEYS,
    _GOOD_KEYS,
    st.sampled_from(["<<", "-k", "k k", "1a", "é", "a" * 65]),
    st.text(alphabet="abAB_.-:1 ", min_size=1, max_size=6),
    st.text(alphabet=st.characters(categories=("L", "N", "Pc")), min_size=1, max_size=4).map("k".__add__),
)
# Mostly plain text, so that most blocks take the fast path and some barely miss it.
_VALUES = st.text(alphabet=st.one_of(*[_PLAIN] * 8, st.sampled_from(_TRICKY), st.characters(codec="utf-8", exclude_categories=("Cc", "Cs"))))
_SEPARATORS = st.one_of(st.just(": "), st.just(": "), st.just(": "), st.sampled_from([":", ":  ", ":\t", " : ", ": \t", "", ": *", ": -"]))
_PLAIN_LINE = st.tuples(_KEYS, _SEPARATORS, _VALUES, st.sampled_from(["", "", "", " ", "  ", "\t", ":"]))
# A plain line with at most one odd character put somewhere in its value: the boundary.
_NEAR_PLAIN_LINE = st.builds(
    lambda key, value, at, odd: f"{key}: {value[:at]}{odd}{value[at:]}",
    _GOOD_KEYS,
    st.text(alphabet=_PLAIN, max_size=8),
    st.integers(0, 8),
    st.one_of(st.just(""), st.sampled_from(_TRICKY), st.characters(codec="utf-8")),
)
_LINE = st.one_of(
    _NEAR_PLAIN_LINE,
    _NEAR_PLAIN_LINE,
    _NEAR_PLAIN_LINE,
    _PLAIN_LINE.map("".join),
    st.tuples(st.sampled_from([" ", "- ", "# ", "\t"]), _PLAIN_LINE.map("".join)).map("".join),
    st.sampled_from(["", "  ", "# comment", "...", "---x", "  more: nested", "- item", "%YAML 1.1"]),
)


def _without_fast_path(text: str) -> FrontMatter:
    with mock.patch.object(frontmatter_safe, "_plain_fields", return_value=None):
        return split_front_matter(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=5))
@example(["title: Hello", "date: 2020-09-07", "source: Reuters"])
@example(["title: Doe: no tax rise"])
@example(["title: A # not a comment?", "b: x#y"])
@example(["author:", "url: https://example.com/a?b=c#d"])
@example(["title: R &B *star", "x: &a y"])
def test_any_front_matter_reads_the_same_with_or_without_the_fast_path(lines: list[str]) -> None:
    text = "---\n" + "\n".join(lines) + "\n---\nBody text.\n"
    assert split_front_matter(text) == _without_fast_path(text)


@settings(max_examples=600, deadline=None)
@given(st.lists(_LINE, min_size=1, max_size=5))
def test_what_the_fast_path_accepts_is_what_yaml_reads(lines: list[str]) -> None:
    block = "\n" + "\n".join(lines) + "\n"
    fields = frontmatter_safe._plain_fields(block)
    if fields is not None:
        assert fields == yaml.load(block, Loader=yaml.CBaseLoader)  # noqa: S506 - base loader builds no objects


def test_scraped_front_matter_takes_the_fast_path() -> None:
    block = "\ntitle: Minister’s “plan” for C# & Q&A\ndate: 2022-09-13\nsource: Reuters\nurl: https://x.example/a:b\nauthor:\n"
    assert frontmatter_safe._plain_fields(block) == {
        "title": "Minister’s “plan” for C# & Q&A",
        "date": "2022-09-13",
        "source": "Reuters",
        "url": "https://x.example/a:b",
        "author": "",
    }


def test_anything_else_is_left_to_yaml() -> None:
    for line in ("title: 'quoted'", "tags: [a, b]", "a: x: y", "a: b # note", "  a: b", "a:\tb", "a: *ref", "a: ok:"):
        assert frontmatter_safe._plain_fields(f"\n{line}\n") is None, line
