"""Bucketing articles by date for the timeline: pure, so any set of ids can be drawn."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from reader.core.cross_article.results import Bucket, Timeline, TimelineBucket

BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")


def bucket_start(day: dt.date, bucket: Bucket) -> dt.date:
    if bucket == "day":
        return day
    if bucket == "week":
        return day - dt.timedelta(days=day.weekday())
    return day.replace(day=1)


def _next_start(start: dt.date, bucket: Bucket) -> dt.date:
    if bucket == "day":
        return start + dt.timedelta(days=1)
    if bucket == "week":
        return start + dt.timedelta(days=7)
    return (start.replace(day=28) + dt.timedelta(days=4)).replace(day=1)


def bucket_label(start: dt.date, bucket: Bucket) -> str:
    if bucket == "day":
        return start.isoformat()
    if bucket == "week":
        year, week, _ = start.isocalendar()
        return f"{year}-W{week:02d}"
    return start.strftime("%Y-%m")


def build_timeline(dated: Iterable[tuple[str, dt.date | None]], bucket: Bucket = "day") -> Timeline:
    """Count ``(article id, day)`` pairs per bucket, empty buckets included so bars keep scale."""
    if bucket not in BUCKETS:
        raise ValueError(f"unknown timeline bucket {bucket!r}; choose day, week or month")
    by_start: dict[dt.date, list[str]] = {}
    undated: list[str] = []
    for article_id, day in dated:
        if day is None:
            undated.append(article_id)
        else:
            by_start.setdefault(bucket_start(day, bucket), []).append(article_id)
    buckets: list[TimelineBucket] = []
    if by_start:
        start, last = min(by_start), max(by_start)
        while start <= last:
            ids = tuple(by_start.get(start, ()))
            buckets.append(TimelineBucket(start, bucket_label(start, bucket), ids))
            start = _next_start(start, bucket)
    return Timeline(bucket=bucket, buckets=tuple(buckets), undated_ids=tuple(undated))
