"""Every theme readable: the list, its snippets, speaker names, people's counts, the status line and
the reading pane's byline reach WCAG AA (4.5:1) against what they are drawn on, cursor rows too.

The app is rendered in each registered theme and every character cell with a letter or a digit
in those regions is measured, with its real foreground and background. The ANSI themes use the
terminal's own palette, which cannot be measured: for them the test checks that the stylesheet
loads and that no text is dimmed.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from rich.color import Color as RichColor
from rich.segment import Segment
from textual.color import Color

from reader.core.tags import TagStore
from reader.ui.reading.highlights_panel import HighlightsPanel
from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.theme_colours import AA_CONTRAST, contrast, reader_variables
from tests.ui.conftest import idle, main_screen, running, until

PANELS = {"quotes": QuotesPanel, "highlights": HighlightsPanel, "people": PeoplePanel}
MEASURED = ("#articles", "#quotes", "#highlights", "#people", "#status", "#reader")


def _colour(colour: RichColor | None) -> Color | None:
    if colour is None or colour.triplet is None:
        return None  # the terminal's default or a palette colour: not measurable here
    red, green, blue = colour.triplet
    return Color(red, green, blue)


def _low_contrast(pilot, theme: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Cells of the measured regions whose text reads at less than AA, as readable lines."""
    screen = pilot.app.screen
    regions = [(name, screen.query_one(name).region) for name in MEASURED]
    problems: list[str] = []
    for y, strip in enumerate(screen._compositor.render_strips()):
        x = 0
        for segment in strip:
            text, style = segment.text, segment.style
            width = Segment.get_line_length([segment])
            where = next((name for name, region in regions if region.contains(x, y)), None)
            fg, bg = (_colour(style.color), _colour(style.bgcolor)) if style else (None, None)
            if where and fg and bg and any(char.isalnum() for char in text):
                if style is not None and style.dim:
                    fg = bg.blend(fg, 0.5)  # what a terminal does to faint text
                ratio = contrast(fg, bg)
                if ratio < AA_CONTRAST:
                    problems.append(f"{theme} {where} {text.strip()[:24]!r}: {ratio:.2f}")
            x += width
    return problems


async def test_every_theme_reads_at_aa_contrast(corpus: Path) -> None:
    async with running(corpus, size=(200, 50)) as pilot:
        screen = main_screen(pilot)
        await pilot.press("slash", *"kanye", "enter")
        await until(pilot, lambda: screen.result is not None and screen.result.query == "kanye")
        await pilot.press("down", "enter")
        await idle(pilot)
        annotate(screen)  # highlights in the text, notes and an orphaned one in the panel
        await pilot.press("escape")  # back to the list: its cursor row focused, snippets shown
        await pilot.press("escape", "enter")  # the article again, with its highlights
        await until(pilot, lambda: len(screen.annotating.placed) == 3)
        screen.focus_pane("articles")
        await idle(pilot)
        themes = sorted(pilot.app.available_themes)
        assert len(themes) >= 20 and "solarized-light" in themes
        problems: list[str] = []
        for focus in ("articles", "quotes", "highlights", "people", "reader"):
            screen.focus_pane(focus)
            if focus in PANELS:
                screen.query_one(f"#{focus}", PANELS[focus]).highlighted = 1
            for theme in themes:
                pilot.app.theme = theme
                await idle(pilot)
                assert pilot.app.theme == theme
                problems += _low_contrast(pilot, theme)
        assert not problems, f"{len(problems)} cells under {AA_CONTRAST}:1, e.g.\n" + "\n".join(problems[:30])


def annotate(screen) -> None:  # type: ignore[no-untyped-def]
    """Two highlights (one with a note) on the open article, a note on it, and one orphaned."""
    article = screen.open_article
    library = screen.library
    first = article.text.index(". ") + 2
    library.add_highlight(article.id, first, first + 60, note="a note on it")
    library.add_highlight(article.id, first + 80, first + 140)
    library.set_article_note(article.id, "the article's note")
    with TagStore() as store:  # a highlight of a passage the text no longer has
        store.annotations.add_highlight(replace(article, text=article.text + " Gone since."), len(article.text) + 1, len(article.text) + 12)


def test_the_ansi_themes_dim_nothing_and_keep_every_variable(corpus: Path) -> None:
    from textual.app import App

    app = App()
    for name in ("ansi-dark", "ansi-light"):
        theme = app.get_theme(name)
        assert theme is not None
        variables = theme.to_color_system().generate()
        readable = reader_variables(variables)
        assert readable["reader-muted"] == readable["reader-text"] == "ansi_default"
        measured = reader_variables(app.get_theme("textual-dark").to_color_system().generate())
        assert set(readable) == {name for name in measured if name.startswith("reader-")}
