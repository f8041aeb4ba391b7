"""Every theme readable: the list, its snippets, speaker names, people's counts, the status line and
the reading pane's byline reach WCAG AA (4.5:1) against what they are drawn on, cursor rows too.

The app is rendered in each registered theme and every character cell with a letter or a digit
in those regions is measured, with its real foreground and background. The ANSI themes use the
terminal's own palette, which cannot be measured: for them the test checks that the stylesheet
loads and that no text is dimmed.
"""

from __future__ import annotations

from pathlib import Path

from rich.color import Color as RichColor
from rich.segment import Segment
from textual.color import Color

from reader.ui.reading.people_panel import PeoplePanel
from reader.ui.reading.quotes_panel import QuotesPanel
from reader.ui.theme_colours import AA_CONTRAST, contrast, reader_variables
from tests.ui.conftest import idle, main_screen, running, until

MEASURED = ("#articles", "#quotes", "#people", "#status", "#reader")


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
        await pilot.press("escape")  # back to the list: its cursor row focused, snippets shown
        await idle(pilot)
        themes = sorted(pilot.app.available_themes)
        assert len(themes) >= 20 and "solarized-light" in themes
        problems: list[str] = []
        for focus in ("articles", "quotes", "people"):
            screen.focus_pane(focus)
            if focus != "articles":
                screen.query_one(f"#{focus}", QuotesPanel if focus == "quotes" else PeoplePanel).highlighted = 1
            for theme in themes:
                pilot.app.theme = theme
                await idle(pilot)
                assert pilot.app.theme == theme
                problems += _low_contrast(pilot, theme)
        assert not problems, f"{len(problems)} cells under {AA_CONTRAST}:1, e.g.\n" + "\n".join(problems[:30])


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
