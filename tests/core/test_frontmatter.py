"""Front matter: found only when it is really there, refused before YAML when it is an attack."""

from __future__ import annotations

from reader.core.frontmatter_safe import MAX_FRONT_MATTER_CHARS, split_front_matter


def test_a_mapping_between_rules_is_front_matter() -> None:
    front = split_front_matter("---\ntitle: Hello\ntags: [a, b]\n---\nBody.\n")
    assert front.metadata == {"title": "Hello", "tags": ["a", "b"]}
    assert front.content == "Body.\n"
    assert front.warning is None


def test_text_without_an_opening_rule_has_no_front_matter() -> None:
    front = split_front_matter("title: Hello\n---\nBody")
    assert (front.metadata, front.content) == ({}, "title: Hello\n---\nBody")


def test_yaml_1_1_booleans_and_octals_stay_the_strings_written() -> None:
    front = split_front_matter("---\ncountry: NO\nzip: 012345\nflag: yes\nratio: 1e3\nnull_word: null\n---\nx")
    assert front.metadata == {"country": "NO", "zip": "012345", "flag": "yes", "ratio": "1e3", "null_word": "null"}


def test_dates_stay_text_for_the_date_parser() -> None:
    assert split_front_matter("---\ndate: 2020-09-07\n---\nx").metadata == {"date": "2020-09-07"}


def test_malformed_yaml_keeps_the_whole_text_with_a_warning() -> None:
    text = "---\ntitle: [unclosed\n---\nBody.\n"
    front = split_front_matter(text)
    assert front.metadata == {}
    assert front.content == text
    assert front.warning == "malformed front matter at line 3; shown as text"
    assert front.after_rejected_block == "Body.\n"


def test_a_leading_horizontal_rule_is_not_front_matter_and_loses_no_text() -> None:
    text = "---\n\nUpdate: the minister resigned.\n\n---\n\nThe rest.\n"
    front = split_front_matter(text)
    assert (front.metadata, front.content, front.warning) == ({}, text, None)


def test_a_block_of_prose_between_rules_is_body() -> None:
    text = "---\nThe minister said: no.\n---\nThe rest.\n"
    assert split_front_matter(text).content == text


def test_a_list_or_scalar_block_is_body_text() -> None:
    for text in ("---\n- one\n- two\n---\nBody", "---\nJust words.\n---\nBody"):
        front = split_front_matter(text)
        assert (front.metadata, front.content, front.warning) == ({}, text, None)


def test_an_opening_rule_without_a_closing_one_is_body() -> None:
    text = "---\ntitle: x\nBody without a closing rule"
    assert split_front_matter(text).content == text


def test_deep_nesting_is_refused_before_yaml_sees_it() -> None:
    text = "---\nkey: " + "[" * 50_000 + "]" * 50_000 + "\n---\nBody.\n"
    front = split_front_matter(text)
    assert front.metadata == {}
    assert front.content == text
    assert front.warning is not None and front.warning.endswith("shown as text")


def test_nesting_just_past_the_limit_is_refused_by_depth() -> None:
    front = split_front_matter("---\nkey: " + "[" * 40 + "]" * 40 + "\n---\nBody.")
    assert front.warning == "front matter nested deeper than 32 levels; shown as text"


def test_indentation_nesting_is_refused_by_depth() -> None:
    block = "".join(" " * (2 * level) + f"k{level}:\n" for level in range(40))
    assert split_front_matter(f"---\n{block}---\nBody.").warning == (
        "front matter nested deeper than 32 levels; shown as text"
    )


def test_an_alias_bomb_is_refused() -> None:
    text = "---\na: &a [x, x, x]\nb: &b [*a, *a, *a]\nc: [*b, *b, *b]\n---\nBody."
    front = split_front_matter(text)
    assert front.metadata == {}
    assert front.warning == "front matter uses YAML aliases; shown as text"


def test_huge_front_matter_is_refused() -> None:
    block = "k: " + "v" * MAX_FRONT_MATTER_CHARS
    front = split_front_matter(f"---\n{block}\n---\nBody.")
    assert front.warning == f"front matter larger than {MAX_FRONT_MATTER_CHARS:,} characters; shown as text"


def test_python_tags_build_nothing_and_their_field_is_dropped_and_named() -> None:
    front = split_front_matter("---\ntitle: !!python/object/apply:os.system ['echo hi']\nn: 1\n---\nx")
    assert front.metadata == {"n": "1"}
    assert front.refused_fields == ("title",)
    assert front.field_warnings == (
        "front matter field 'title' has the YAML tag !!python/object/apply:os.system, which is not allowed; ignored",
    )


def test_an_asterisk_in_a_value_is_not_an_alias() -> None:
    front = split_front_matter("---\ntitle: 5 * 3 & more\n---\nx")
    assert front.metadata == {"title": "5 * 3 & more"}
