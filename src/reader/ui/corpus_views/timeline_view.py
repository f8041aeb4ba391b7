"""Articles by date (all, or the current search): a bar per day, week or month, and the undated.

Where each date came from is said (the front matter, a Published line, the URL, …), and the
articles without one get a row of their own, which lists them (``date:none``) like any bar.
"""

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
from reader.core.dates import DATE_SOURCES
from reader.core.models import DateSources
from reader.core.text import visible

BAR_CELLS = 48
EIGHTHS = " ▏▎▍▌▋▊▉"
BUCKETS: tuple[Bucket, ...] = ("day", "week", "month")
MOST_DAYS = 62
"""Spans of up to two months are shown by day on "auto"; up to two years by week; else by month."""
MOST_WEEKS = 104
UNDATED_TERM = "date:none"
NO_DATE = "no date in their front matter, text, URL or path"


def sources_line(timeline: Timeline, sources: DateSources | None) -> str:
    """``5 dated, by day: 3 from the front matter, 2 from the URL · 4 undated: no date in …``."""
    line = f"{timeline.dated:,} dated, by {timeline.bucket}"
    if sources is not None and sources.by_source:
        ranked = sorted(sources.by_source.items(), key=lambda item: (-item[1], item[0]))
        line += ": " + ", ".join(f"{count:,} from {DATE_SOURCES.get(name, name)}" for name, count in ranked)
    line += f" · {timeline.undated:,} undated"
    return f"{line}: {undated_note(sources)}" if timeline.undated else line


def undated_note(sources: DateSources | None) -> str:
    """Why the undated have no date: none was found, or the one written could not be read."""
    if sources is not None and sources.unreadable:
        return f"{NO_DATE}; {sources.unreadable:,} with a date that could not be read"
    return NO_DATE


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
        def __init__(self, timeline: Timeline, sources: DateSources | None) -> None:
            self.timeline = timeline
            self.sources = sources
            super().__init__()

    def __init__(
        self,
        scope: str,
        make_timeline: Callable[[Bucket], Timeline],
        date_sources: Callable[[], DateSources] | None = None,
    ) -> None:
        """Both callables are slow on a large corpus: they run in this view's worker."""
        super().__init__()
        self.scope = scope
        self._make_timeline = make_timeline
        self._date_sources = date_sources
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
        sources = self._date_sources() if self._date_sources is not None else None
        if not get_current_worker().is_cancelled:
            self.post_message(self.Counted(timeline, sources))

    def on_timeline_view_counted(self, message: Counted) -> None:
        self.show_timeline(message.timeline, message.sources)

    def show_timeline(self, timeline: Timeline, sources: DateSources | None = None) -> None:
        self.timeline = timeline
        self.query_one("#timeline-summary", Static).update(Content(sources_line(timeline, sources)))
        bars = self.query_one("#timeline-bars", OptionList)
        bars.loading = False
        bars.focus()  # not before: a loading widget cannot take focus
        bars.clear_options()
        most = max([bucket.count for bucket in timeline.buckets] + [timeline.undated])
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
        if timeline.undated:
            bars.add_option(
                Option(
                    Content.assemble(
                        (f"{'undated':<11}", "bold"),
                        (f"{bar(timeline.undated, most):<{BAR_CELLS}}", "$reader-muted"),
                        (f" {timeline.undated:>6,}  ", ""),
                        (UNDATED_TERM, "$reader-muted"),
                    )
                )
            )
        if timeline.buckets:
            bars.highlighted = max(range(len(timeline.buckets)), key=lambda index: timeline.buckets[index].count)
        elif timeline.undated:
            bars.highlighted = 0
        else:
            bars.add_option(Option(Content("No articles"), disabled=True))

    def action_cycle_bucket(self) -> None:
        current = self.timeline.bucket if self.timeline is not None else "day"
        self.query_one("#timeline-bars", OptionList).loading = True
        self._count(BUCKETS[(BUCKETS.index(current) + 1) % len(BUCKETS)])

    @on(OptionList.OptionSelected, "#timeline-bars")
    def _bucket_chosen(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if self.timeline is None:
            return
        if event.option_index < len(self.timeline.buckets):
            self.dismiss(date_term(self.timeline.buckets[event.option_index], self.timeline.bucket))
        elif self.timeline.undated:
            self.dismiss(UNDATED_TERM)
