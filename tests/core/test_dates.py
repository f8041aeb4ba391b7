"""Dates as they are written in real files: parsed when possible, kept as text otherwise."""

from __future__ import annotations

import datetime as dt

import pytest

from reader.core.dates import parse_date


@pytest.mark.parametrize(
    "written, expected",
    [
        ("2020-09-07", dt.date(2020, 9, 7)),
        ("2020-09-07T20:19:33", dt.datetime(2020, 9, 7, 20, 19, 33)),
        ("2020-09-07T20:19:33Z", dt.datetime(2020, 9, 7, 20, 19, 33)),
        ("2020-09-07T20:19:33+02:00", dt.datetime(2020, 9, 7, 20, 19, 33)),
        ("2020-09-07 20:19", dt.datetime(2020, 9, 7, 20, 19)),
        ("Mon, 07 Sep 2020 20:19:33 +0000", dt.datetime(2020, 9, 7, 20, 19, 33)),
        ("Mon, 07 Sep 2020 20:19:33 GMT", dt.datetime(2020, 9, 7, 20, 19, 33)),
        ("2020-09-07-20-19-33", dt.datetime(2020, 9, 7, 20, 19, 33)),  # seed 002
        ("2020/09/07", dt.date(2020, 9, 7)),
        ("September 7, 2020", dt.date(2020, 9, 7)),
        ("7 September 2020", dt.date(2020, 9, 7)),
        ("Sep. 07, 2020", dt.date(2020, 9, 7)),
        ("  2020-09-07  ", dt.date(2020, 9, 7)),
    ],
)
def test_written_dates_are_parsed(written: str, expected: dt.date) -> None:
    assert parse_date(written) == (expected, None)


def test_date_and_datetime_objects_pass_through_without_zone() -> None:
    zoned = dt.datetime(2020, 9, 7, 20, 0, tzinfo=dt.timezone(dt.timedelta(hours=5)))
    assert parse_date(dt.date(2020, 9, 7)) == (dt.date(2020, 9, 7), None)
    assert parse_date(zoned) == (dt.datetime(2020, 9, 7, 20, 0), None)


@pytest.mark.parametrize("written", ["yesterday", "2020-13-45", "2020-02-30-10-00-00", "Mon, 99 Foo 2020", "12/31/99x"])
def test_unparseable_dates_are_kept_as_text(written: str) -> None:
    assert parse_date(written) == (None, written)


@pytest.mark.parametrize("empty", [None, "", "   "])
def test_no_date_is_no_date(empty: str | None) -> None:
    assert parse_date(empty) == (None, None)


def test_a_yaml_looking_list_is_text_not_a_crash() -> None:
    assert parse_date(["2020-09-07"]) == (None, "['2020-09-07']")


# --- dates found in the text, the URL or the path ------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from reader.core.dates import date_in_address, date_in_text, date_source_label, find_date  # noqa: E402

SEPT_7 = dt.date(2020, 9, 7)


@pytest.mark.parametrize(
    "top, source",
    [
        ("Published 7 September 2020", "published"),
        ("Published: 23:14, 7 September 2020 | Updated: 08:02, 8 September 2020", "published"),
        ("**Published:** 2020-09-07", "published"),
        ("First published on Mon 7 Sep 2020 14.32 BST", "published"),
        ("Posted on September 7th, 2020 by admin", "published"),
        ("By Jane Doe | Updated Sept. 7, 2020 at 10:00 a.m.", "updated"),
        ("By Alexis Romero | Sep. 7, 2020", "byline"),
        ("By Jane Doe · 7 September 2020 · 5 min read", "byline"),
        ("WASHINGTON, Sept. 7, 2020 (Reuters) - Lawmakers said", "dateline"),
        ("PRAGUE, Sept 7, 2020 (AFP) - The junior partner", "dateline"),
        ("Monday 7 September 2020 14:32 BST", "dateline"),
        ("September 7, 2020", "dateline"),
    ],
)
def test_a_date_at_the_top_of_the_text_is_found_with_its_source(top: str, source: str) -> None:
    text = f"Headline of the story\n\n{top}\n\nThe story begins here and goes on for a while."
    assert date_in_text(text) == (SEPT_7, source)


def test_a_published_line_wins_over_an_updated_line_above_it() -> None:
    text = "Updated: September 9, 2020\nPublished: September 7, 2020\n\nBody."
    assert date_in_text(text) == (SEPT_7, "published")


@pytest.mark.parametrize(
    "text",
    [
        "The trial date is set for March 3, 2021.",  # a date in a sentence is no dateline
        "OSLO, March 4 (Reuters) - Shares fell.",  # no year: the year cannot be guessed
        "LONDON (Reuters) - Sept 7, 2020 was the day when everything changed for them.",
        "In the 2019-2020 season he scored 30 goals.",
        "Published 31 September 2020",  # no such day
        "Published 7 September 1850",  # not a year of news files
        "The council met on 7 September 2020 to vote, the minutes show.",
    ],
)
def test_dates_in_sentences_or_incomplete_dates_are_not_taken(text: str) -> None:
    assert date_in_text(text) is None


def test_only_the_top_of_the_text_is_searched() -> None:
    text = "Headline\n\n" + "Words and more words.\n\n" * 400 + "Published 7 September 2020"
    assert date_in_text(text) is None


@pytest.mark.parametrize(
    "address",
    [
        "https://www.example.com/news/2020/09/07/kim-and-kanye/",
        "https://www.theguardian.com/music/2020/sep/07/kanye",
        "https://example.com/2020-09-07-kim-and-kanye.html",
        "archive/2020/09/07/story.txt",
        "2020-09-07-kim-and-kanye.md",
        "scraped/20200907_people_kim.txt",
    ],
)
def test_a_full_date_in_a_url_or_path_is_found(address: str) -> None:
    assert date_in_address(address) == SEPT_7


@pytest.mark.parametrize(
    "address",
    ["000_f0edc72787384ae1.txt", "2020/13/07/x.txt", "news/2020/09/story.txt", "id-12020090712.txt", "v2020.09.txt"],
)
def test_no_date_is_made_up_from_ids_hashes_or_months(address: str) -> None:
    assert date_in_address(address) is None


def test_find_date_tries_the_text_then_the_url_then_the_path() -> None:
    dated_text = "Headline\n\nPublished 8 September 2020\n\nBody."
    plain = "Headline\n\nBody."
    url = "https://example.com/2020/09/07/story"
    assert find_date(dated_text, url=url, path="2020-09-06-x.txt") == (dt.date(2020, 9, 8), "published")
    assert find_date(plain, url=url, path="2020-09-06-x.txt") == (SEPT_7, "url")
    assert find_date(plain, url=None, path="2020-09-06-x.txt") == (dt.date(2020, 9, 6), "path")
    assert find_date(plain, url=None, path="x.txt") is None


def test_sources_are_said_in_words() -> None:
    assert date_source_label("url") == "from the URL"
    assert date_source_label("published") == "from a 'Published' line"
    assert date_source_label("front-matter") == ""


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_finding_dates_never_raises(text: str) -> None:
    found = find_date(text, url=text, path=text)
    assert found is None or isinstance(found[0], dt.date)
