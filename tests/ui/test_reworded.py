"""Reworded quotes in the app: the Quotes panel's marker and every copy with its changed words."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from rich.segment import Segment
from textual.color import Color
from textual.content import Content
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widgets import OptionList

from reader.core.cross_article.wording import compare_wording
from reader.ui.corpus_views.quote_sources import QuoteSources
from reader.ui.corpus_views.wording_marks import INSERTED_STYLE, REMOVED_STYLE, marked_quote
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.screenshot_scenes import REWORDED_SAMPLE
from reader.ui.theme_colours import AA_CONTRAST, contrast
from tests.ui.conftest import idle, main_screen, running, until

FIXTURE = Path(__file__).resolve().parents[1] / "fixtures" / "reworded"


@pytest.fixture
def reworded(tmp_path: Path) -> Path:
    return Path(shutil.copytree(FIXTURE, tmp_path / "reworded"))


def styled(content: Content, style: str) -> list[str]:
    """The text of the spans of ``content`` whose style includes ``style``."""
    return [content.plain[span.start : span.end] for span in content.spans if style in str(span.style)]


async def open_article(pilot: Pilot[None], article_id: str) -> QuotesPanel:
    """Open ``article_id`` once the list has it; return the Quotes panel once its marks are in."""
    screen = main_screen(pilot)
    await until(pilot, lambda: screen.article_list.index_of(article_id) is not None)
    screen.article_list.move_to(article_id)
    await pilot.press("enter")
    await idle(pilot)
    panel = screen.query_one(QuotesPanel)
    await until(pilot, lambda: screen.open_id == article_id and bool(panel.spreads))
    return panel


def prompt_of(options: OptionList, index: int) -> Content:
    prompt = options.get_option_at_index(index).prompt
    assert isinstance(prompt, Content)
    return prompt


async def test_the_panel_marks_the_reworded_quote_and_the_sources_view_shows_the_change(reworded: Path) -> None:
    async with running(reworded) as pilot:
        screen = main_screen(pilot)
        panel = await open_article(pilot, "03_herald.md")
        spread = panel.spreads[0]
        assert (spread.others, spread.articles, spread.reworded, spread.significant) == (2, 3, 1, True)
        marker = str(panel.get_option_at_index(0).prompt)
        assert "⚠ reworded in 1 of 3 articles; this copy: not → never (negation)" in marker
        await pilot.press("quotation_mark", "o")
        await idle(pilot)
        sources = pilot.app.screen
        assert isinstance(sources, QuoteSources)
        assert "reworded in 1 of 3" in str(sources.query_one("#sources-dialog").border_title)
        options = sources.query_one("#sources-list", OptionList)
        outlets = [member.outlet for member in sources.occurrences]
        assert outlets == ["Riverton Gazette", "Valley Courier", "Evening Herald"]
        gazette, courier, herald = (prompt_of(options, index) for index in range(3))
        assert "earliest · same" in gazette.plain and "shortened" in courier.plain
        assert "this article · changed ⚠ negation" in herald.plain
        assert styled(herald, REMOVED_STYLE) == ["not"]
        assert styled(herald, INSERTED_STYLE) == ["never"]
        assert "We will not never close" in herald.plain
        assert styled(gazette, REMOVED_STYLE) == styled(gazette, INSERTED_STYLE) == []
        assert options.highlighted == 0  # the first copy in another article: the earliest
        await pilot.press("down", "enter")
        await idle(pilot)
        assert screen.open_id == "02_courier.md"
        assert screen.reading_pane.flash_span == (sources.occurrences[1].start, sources.occurrences[1].end)


async def test_the_earliest_copy_is_marked_as_quoted_elsewhere_in_other_words(reworded: Path) -> None:
    async with running(reworded) as pilot:
        panel = await open_article(pilot, "01_gazette.md")
        marker = str(panel.get_option_at_index(0).prompt)
        assert "reworded in 1 of 3 articles" in marker
        assert "this copy" not in marker


async def test_the_seeds_quotes_carry_no_rewording_marker(corpus: Path) -> None:
    async with running(corpus) as pilot:
        panel = await open_article(pilot, "000_f0edc72787384ae1.txt")
        assert all(spread.reworded == 0 for spread in panel.spreads.values())
        assert not any("reworded" in str(panel.get_option_at_index(i).prompt) for i in range(panel.quote_count))


# ------------------------------------------------------------------ the marks themselves


@pytest.mark.parametrize(
    ("earliest", "copy", "shown", "removed", "inserted"),
    [
        ("We will not close it", "We will never close it", "“We will not never close it”", ["not"], ["never"]),
        ("We will really not close it", "We will not close it", "“We will really not close it”", ["really"], []),
        ("We will not close it", "We will really not close it", "“We will really not close it”", [], ["really"]),
        ("Then we will not close it now", "we will never close it", "“…we will not never close it…”", ["not"], ["never"]),
    ],
)
def test_removed_words_stand_where_they_were_and_inserted_ones_as_the_copy_has_them(
    earliest: str, copy: str, shown: str, removed: list[str], inserted: list[str]
) -> None:
    marked = marked_quote(copy, compare_wording(earliest, copy))
    assert marked.plain == shown
    assert styled(marked, REMOVED_STYLE) == removed
    assert styled(marked, INSERTED_STYLE) == inserted


def test_a_significant_change_is_bold_and_others_are_not() -> None:
    negation = marked_quote("We will never close it", compare_wording("We will not close it", "We will never close it"))
    other = marked_quote("We will shut it", compare_wording("We will close it", "We will shut it"))
    assert all("bold" in str(span.style) for span in negation.spans)
    assert not any("bold" in str(span.style) for span in other.spans)


def test_long_unchanged_stretches_fold_so_the_change_stays_in_view() -> None:
    before = " ".join(["word"] * 60)
    earliest, copy = f"{before} not the end {before}", f"{before} never the end {before}"
    marked = marked_quote(copy, compare_wording(earliest, copy))
    assert styled(marked, INSERTED_STYLE) == ["never"]
    assert marked.plain.startswith("“…") and marked.plain.endswith("…”") and len(marked.plain) < 200


def test_text_from_files_is_shown_literally() -> None:
    copy = "We will [bold]never[/bold] close \x1b[31mit"
    marked = marked_quote(copy, compare_wording("We will not close it", copy))
    assert marked.plain == "“We will [bold]not never[/bold] close ␛[it 31mit”"  # markup is text; ESC a picture
    assert styled(marked, REMOVED_STYLE) == ["not", "it"]
    assert styled(marked, INSERTED_STYLE) == ["never", "31mit"]


def test_the_screenshot_sample_is_the_test_corpus() -> None:
    assert {path.name: path.read_text(encoding="utf-8") for path in FIXTURE.iterdir()} == REWORDED_SAMPLE


# ------------------------------------------------------------------ legible in every theme


def _low_contrast(screen: Screen[object], selector: str, theme: str) -> list[str]:
    """Cells with a letter or digit inside ``selector`` that read under WCAG AA, as readable lines
    (the way tests/ui/test_theme_contrast.py measures the rest of the app)."""
    region = screen.query_one(selector).region
    problems: list[str] = []
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            style = segment.style
            if style is not None and region.contains(x, y) and any(char.isalnum() for char in segment.text):
                fg, bg = style.color, style.bgcolor
                if fg is not None and bg is not None and fg.triplet is not None and bg.triplet is not None:
                    ratio = contrast(Color(*fg.triplet), Color(*bg.triplet))
                    if ratio < AA_CONTRAST:
                        problems.append(f"{theme} {selector} {segment.text.strip()[:24]!r}: {ratio:.2f}")
            x += Segment.get_line_length([segment])
    return problems


async def test_the_marker_and_the_marks_read_at_aa_contrast_in_every_theme(reworded: Path) -> None:
    async with running(reworded, size=(200, 50)) as pilot:
        panel = await open_article(pilot, "03_herald.md")
        themes = sorted(pilot.app.available_themes)
        problems: list[str] = []
        for theme in themes:
            pilot.app.theme = theme
            for highlighted in (None, 0):  # the marker on the panel, then on the cursor row
                panel.highlighted = highlighted
                await idle(pilot)
                problems += _low_contrast(main_screen(pilot), "#quotes", theme)
        await pilot.press("quotation_mark", "o")
        await idle(pilot)
        sources = pilot.app.screen
        assert isinstance(sources, QuoteSources)
        options = sources.query_one("#sources-list", OptionList)
        for theme in themes:
            pilot.app.theme = theme
            for highlighted in (0, 2):  # the reworded copy's marks off, then on, the cursor row
                options.highlighted = highlighted
                await idle(pilot)
                problems += _low_contrast(sources, "#sources-dialog", theme)
        assert not problems, f"{len(problems)} cells under {AA_CONTRAST}:1, e.g.\n" + "\n".join(problems[:30])


def test_the_marks_use_the_apps_readable_colours_only() -> None:
    for style in (REMOVED_STYLE, INSERTED_STYLE, QuotesPanel.REWORDED_STYLE, QuotesPanel.SIGNIFICANT_STYLE):
        colours = [word for word in style.split() if word not in {"on", "bold", "strike", "underline"}]
        assert colours and all(word.startswith("$reader-") for word in colours)
