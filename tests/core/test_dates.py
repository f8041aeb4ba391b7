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
