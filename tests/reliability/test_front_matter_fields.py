"""Front matter that is refused, wrongly typed or hand-written with a stray colon: every field is
kept, coerced or dropped, and each decision is named in one warning for that field."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from reader.core.loader import load_article
from reader.core.models import Article


def load(folder: Path, name: str, text: str) -> Article:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    article = load_article(path, folder)
    assert isinstance(article, Article)
    return article


# --- YAML tags: refused, named, and the title taken from the file name ----------------------------


def test_a_python_tag_on_the_title_is_named_and_the_title_comes_from_the_file_name(tmp_path: Path) -> None:
    article = load(
        tmp_path, "budget-vote.md",
        "---\ntitle: !!python/object/apply:os.system ['touch PWNED']\ndate: 2021-03-04\n---\n"
        "The council voted on the budget on Monday night.\n",
    )
    assert article.title == "budget-vote"
    assert article.title_derived
    assert article.date == dt.date(2021, 3, 4)  # the rest of the front matter still counts
    assert article.warnings == (
        "front matter field 'title' has the YAML tag !!python/object/apply:os.system, which is not allowed; ignored",
    )
    assert "touch PWNED" not in article.text and not (tmp_path / "PWNED").exists()


def test_a_tag_with_no_value_still_gives_the_title_from_the_file_name(tmp_path: Path) -> None:
    article = load(tmp_path, "storm.md", "---\ntitle: !!python/name:os.system\n---\nA body line of prose here.\n")
    assert (article.title, len(article.warnings)) == ("storm", 1)
    assert "!!python/name:os.system" in article.warnings[0]


def test_a_tag_on_another_field_drops_only_that_field(tmp_path: Path) -> None:
    article = load(
        tmp_path, "a.md",
        "---\ntitle: Fine Title\nauthor: !custom {name: x}\noutlet: Gazette\n---\nBody.\n",
    )
    assert (article.title, article.author, article.outlet) == ("Fine Title", None, "Gazette")
    assert article.warnings == ("front matter field 'author' has the YAML tag !custom, which is not allowed; ignored",)


@pytest.mark.parametrize(
    "text",
    [
        "--- !!python/object/apply:os.system\ntitle: X\n---\nBody text here.\n",  # on the opening line
        "---\n!!python/object/new:os.system\ntitle: X\n---\nBody text here.\n",  # on the whole mapping
    ],
)
def test_a_tag_on_the_whole_block_refuses_it_and_keeps_the_text(tmp_path: Path, text: str) -> None:
    article = load(tmp_path, "whole.md", text)
    assert article.title == "whole"
    assert len(article.warnings) == 1 and "!!python/object/" in article.warnings[0]
    assert "title: X" in article.text and "Body text here." in article.text  # nothing lost


# --- wrong types: coerced or dropped, one warning per field ---------------------------------------


def test_each_wrongly_typed_field_is_coerced_or_dropped_with_one_warning(tmp_path: Path) -> None:
    article = load(
        tmp_path, "typed.md",
        "---\ntitle: [Budget, Vote]\ntags: 5\ndate: 2020-02-31\nauthor: [Ann Lee, Bo Chan]\n"
        "outlet: {name: Gazette}\ncategories: {a: b}\n---\nBody.\n",
    )
    assert article.title == "Budget, Vote"
    assert article.tags == ("5",)
    assert (article.date, article.date_text) == (None, "2020-02-31")
    assert (article.author, article.outlet) == ("Ann Lee, Bo Chan", "Gazette")  # usual shapes: no warning
    assert article.warnings == (
        "front matter field 'title' is a list, not text; its items joined",
        "front matter field 'tags' is a number, not a list of tags; read as the tag '5'",
        "front matter field 'categories' is a mapping, not a list of tags; ignored",
        "date '2020-02-31' is not a real date; kept as text",
    )


@pytest.mark.parametrize(
    ("front", "field", "expected"),
    [
        ("title: {text: x}", "title", "front matter field 'title' is a mapping, not text; ignored"),
        ("date: [2020-01-01, 2021-01-01]", "date", "front matter field 'date' is a list, not a date; ignored"),
        ("url: [https://a.example/1, https://b.example/2]", "url",
         "front matter field 'url' is a list, not text; its first item kept"),
        ("tags: [a, [b, c], d]", "tags", "front matter field 'tags' holds lists or mappings; those items ignored"),
        ("headline: [[a], {b: c}]", "headline", "front matter field 'headline' is a list with no text in it; ignored"),
        ("author: {role: editor}", "author", "front matter field 'author' is a mapping without a name; ignored"),
    ],
)
def test_one_warning_names_the_field_and_what_was_done(tmp_path: Path, front: str, field: str, expected: str) -> None:
    article = load(tmp_path, "a.md", f"---\n{front}\n---\nA body line of prose here.\n")
    assert article.warnings == (expected,)


def test_well_typed_front_matter_has_no_warning(tmp_path: Path) -> None:
    article = load(
        tmp_path, "a.md",
        "---\ntitle: A Title\ntags: [x, y]\ncategories: politics, economy\ndate: 2021-01-02\n"
        "authors: [A, B]\nurl: https://example.com/a\n---\nBody.\n",
    )
    assert article.warnings == ()
    assert article.tags == ("x", "y", "politics", "economy")


# --- an unquoted colon: simple key: value lines recovered ------------------------------------------


def test_an_unquoted_colon_in_a_value_is_recovered_with_a_warning(tmp_path: Path) -> None:
    article = load(
        tmp_path, "doe.md",
        "---\ntitle: Doe: no tax rise\ndate: 2021-03-04\noutlet: Daily Planet\ntags: [budget, tax]\n---\n"
        "The chancellor ruled out a rise.\n",
    )
    assert (article.title, article.date, article.outlet, article.tags) == (
        "Doe: no tax rise", dt.date(2021, 3, 4), "Daily Planet", ("budget", "tax"),
    )
    assert article.warnings == (
        "front matter line 2 has an unquoted ':' in a value; read as simple 'key: value' lines",
    )
    assert article.text == "Doe: no tax rise\n\nThe chancellor ruled out a rise.\n"


@pytest.mark.parametrize(
    "block",
    [
        "title: [unclosed\nauthor: : :",  # not a colon problem
        "title: Doe: no tax rise\nnested:\n  key: value",  # not simple lines
        "title: Doe: no\n- a list item",
    ],
)
def test_front_matter_that_is_not_simple_lines_stays_malformed(tmp_path: Path, block: str) -> None:
    article = load(tmp_path, "a.md", f"---\n{block}\n---\nBody after bad YAML.\n")
    assert len(article.warnings) == 1 and article.warnings[0].startswith("malformed front matter at line")
    assert block in article.text
