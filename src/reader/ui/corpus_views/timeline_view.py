"""Articles by date (all, or the current search): a bar per day, week or month, undated apart."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from reader.core.cross_article import Bucket, Timeline, TimelineBucket
from reader.core.text import visible

BAR_CELLS = 48
EIGHTHS = " ▏▎▍▌▋▊▉"
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")
MOST_DAYS = 62
"""Spans of up to two months are shown by day on "auto"; up to two years by week; else by month."""
MOST_WEEKS = 104


def bar(count: int, most: int, cells: int = BAR_CELLS) -> str:
    """A horizontal bar of ``count`` out of ``most`` in ``cells`` cells, to an eighth of a cell."""
    if most <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / most * cells * 8))
    full, rest = divmod(eighths, 8)
    return "█" * full + (EIGHTHS[rest] if rest else "")


def auto_bucket(day_timeline: Timeline) -> Bucket:
    """The bucket that keeps the bars few enough to read."""
    if not day_timeline.buckets:
        return "day"
    days = (day_timeline.buckets[-1].start - day_timeline.buckets[0].start).days + 1
    if days <= MOST_DAYS:
        return "day"
    return "week" if days <= MOST_WEEKS * 7 else "month"


def date_term(bucket: TimelineBucket, size: Bucket) -> str:
    """The search term for the bucket's dates, in the query language's date syntax."""
    if size == "week":
        last = bucket.start + dt.timedelta(days=6)
        return f"date:{bucket.start.isoformat()}..{last.isoformat()}"
    if size == "month":
        return f"date:{bucket.start.strftime('%Y-%m')}"
    return f"date:{bucket.start.isoformat()}"


class TimelineView(ModalScreen[str | None]):
    """Enter on a bar closes with its date term (``date:2020-09``); b switches day/week/month."""

    BINDINGS = [
        Binding("escape,q", "dismiss(None)", "Close", id="timeline.close"),
        Binding("b", "cycle_bucket", "Day/week/month", id="timeline.bucket"),
    ]

    class Counted(Message):
        def __init__(self, timeline: Timeline) -> None:
            self.timeline = timeline
            super().__init__()

    def __init__(self, scope: str, make_timeline: Callable[[Bucket], Timeline]) -> None:
        """``make_timeline`` is slow on a large corpus: it runs in this view's worker."""
        super().__init__()
        self.scope = scope
        self._make_timeline = make_timeline
        self.timeline: Timeline | None = None

    def compose(self) -> ComposeResult:
        with Vertical(id="timeline-dialog", classes="corpus-view-dialog") as dialog:
            dialog.border_title = f"Timeline of {visible(self.scope, 80)}"
            dialog.border_subtitle = "enter list those articles · b day/week/month · esc close"
            yield Static(Content("Counting…"), id="timeline-summary")
            bars = OptionList(id="timeline-bars")
            bars.loading = True
            yield bars

    def on_mount(self) -> None:
        self._count(None)

    @work(thread=True, exclusive=True, group="timeline")
    def _count(self, size: Bucket | None) -> None:
        """Count by ``size``; None picks the size from the span of dates."""
        timeline = self._make_timeline("day")
        if size is None:
            size = auto_bucket(timeline)
        if size != "day":
            timeline = self._make_timeline(size)
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(timeline))

    def on_timeline_view_counted(self, message: Counted) -> None:
        self.show_timeline(message.timeline)

    def show_timeline(self, timeline: Timeline) -> None:
        self.timeline = timeline
        summary = f"{timeline.dated:,} dated by {timeline.bucket} · {timeline.undated:,} undated (not shown)"
        self.query_one("#timeline-summary", Static).update(Content(summary))
        bars = self.query_one("#timeline-bars", OptionList)
        bars.loading = False
        bars.focus()  # not before: a loading widget cannot take focus
        bars.clear_options()
        if not timeline.buckets:
            bars.add_option(Option(Content("No dated articles"), disabled=True))
            return
        most = max(bucket.count for bucket in timeline.buckets)
        bars.add_options(
            Option(
                Content.assemble(
                    (f"{bucket.label:<11}", "bold"),
                    (f"{bar(bucket.count, most):<{BAR_CELLS}}", "$accent"),
                    (f" {bucket.count:>6,}", ""),
                )
            )
            for bucket in timeline.buckets
        )
        bars.highlighted = max(range(len(timeline.buckets)), key=lambda index: timeline.buckets[index].count)

    def action_cycle_bucket(self) -> None:
        current = self.timeline.bucket if self.timeline is not None else "day"
        self.query_one("#timeline-bars", OptionList).loading = True
        self._count(BUCKETS[(BUCKETS.index(current) + 1) % len(BUCKETS)])

    @on(OptionList.OptionSelected, "#timeline-bars")
    def _bucket_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.timeline is not None and event.option_index < len(self.timeline.buckets):
            self.dismiss(date_term(self.timeline.buckets[event.option_index], self.timeline.bucket))
