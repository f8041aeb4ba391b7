"""Colours every theme can be read in: the theme's own, moved just far enough for WCAG AA.

Textual's muted and accent text colours are made for dark themes; on solarized-light and other
light themes speaker names, people's counts and list snippets came out at about 2:1. The app's
stylesheet uses these variables instead (``$reader-muted``, ``$reader-success``, …): each is a
colour of the theme, darkened or lightened until it has at least 4.5:1 contrast (WCAG AA)
on every background it is drawn on. Cursor rows are tinted rather than filled, and drawn
wholly in the text colour, which reads on them too.

The ANSI themes take their colours from the terminal's own palette, which the app cannot
measure: there every text is the terminal's, undimmed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from textual.color import Color, ColorParseError

AA_CONTRAST = 4.5
_TARGET = 4.6  # a little over AA, so rounding to whole RGB values never lands below it
_STEPS = 20
_WHITE = Color(255, 255, 255)
_BLACK = Color(0, 0, 0)


def luminance(color: Color) -> float:
    """WCAG relative luminance of an opaque colour."""

    def channel(value: int) -> float:
        scaled = value / 255
        return scaled / 12.92 if scaled <= 0.03928 else ((scaled + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(color.r) + 0.7152 * channel(color.g) + 0.0722 * channel(color.b)


def contrast(first: Color, second: Color) -> float:
    """WCAG contrast ratio of two opaque colours, 1 to 21."""
    light, dark = sorted((luminance(first), luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def readable(color: Color, backgrounds: Iterable[Color]) -> Color:
    """``color``, or the nearest mix of it with black or white that reads on every background."""
    grounds = list(backgrounds)

    def worst(candidate: Color) -> float:
        return min(contrast(candidate, ground) for ground in grounds)

    if worst(color) >= _TARGET:
        return color
    dark_grounds = sum(luminance(ground) for ground in grounds) / len(grounds) < 0.18
    extreme = _WHITE if dark_grounds else _BLACK
    for step in range(1, _STEPS + 1):
        candidate = color.blend(extreme, step / _STEPS)
        if worst(candidate) >= _TARGET:
            return candidate
    return extreme


def _over(color: Color, alpha: float, ground: Color) -> Color:
    return ground.blend(color, alpha)


def _tint(color: Color, alpha: float, ground: Color) -> Color:
    """``color`` laid over ``ground`` at ``alpha``, or fainter, so that text of the ground's
    side (white on a dark ground, black on a light one) keeps 7:1 on it: room enough for muted
    and coloured text to reach AA there too (a light pink cursor on a dark theme, say)."""
    text = _WHITE if luminance(ground) < 0.18 else _BLACK
    while alpha > 0.05 and contrast(text, ground.blend(color, alpha)) < 7:
        alpha -= 0.05
    return ground.blend(color, max(alpha, 0.05))


def reader_variables(variables: Mapping[str, str]) -> dict[str, str]:
    """The ``$reader-*`` colours for a theme, from its generated variables."""
    try:
        parsed = {
            name: Color.parse(variables[name])
            for name in ("background", "surface", "panel", "foreground", "primary", "secondary",
                         "accent", "success", "warning", "error")
        }
    except (KeyError, ColorParseError):
        return _terminal_palette(variables)
    if any(color.a < 1 for color in parsed.values()):
        return _terminal_palette(variables)
    surface, background, foreground = parsed["surface"], parsed["background"], parsed["foreground"]
    cursor = _tint(parsed["primary"], 0.45, surface)
    blurred = _tint(parsed["primary"], 0.22, surface)
    match = _tint(parsed["warning"], 0.35, surface)
    quote = _tint(parsed["success"], 0.25, background)
    # Reworded quotes: removed words, inserted words, the panel's marker (``wording_marks``).
    removed = _tint(parsed["error"], 0.35, surface)
    inserted = _tint(parsed["success"], 0.35, surface)
    reworded = _tint(parsed["warning"], 0.3, surface)
    highlight = _tint(parsed["primary"], 0.3, background)  # the user's highlights, apart from quotes
    selection = _tint(parsed["primary"], 0.6, background)  # a highlight being made: stronger
    reading_cursor = _tint(foreground, 0.12, background)  # the sentence ``h`` highlights
    focused_panel = _over(foreground, 0.05, surface)  # OptionList's focus tint
    # Cursor rows are drawn all in the text colour (ArticleList, ReadableOptionList), so only
    # the text colour has to read on them; the muted and coloured ones keep their distance.
    grounds = [background, surface, parsed["panel"], focused_panel]
    colours = {
        "reader-text": readable(
            foreground,
            [*grounds, cursor, blurred, match, quote, removed, inserted, reworded,
             highlight, selection, reading_cursor],
        ),
        "reader-muted": readable(_over(foreground, 0.7, surface), grounds),
        "reader-secondary": readable(parsed["secondary"], grounds),
        "reader-accent": readable(parsed["accent"], grounds),
        "reader-primary": readable(parsed["primary"], grounds),
        "reader-success": readable(parsed["success"], grounds),
        "reader-warning": readable(parsed["warning"], grounds),
        "reader-error": readable(parsed["error"], grounds),
        "reader-cursor": cursor,
        "reader-cursor-blurred": blurred,
        "reader-match": match,
        "reader-quote": quote,
        "reader-removed": removed,
        "reader-inserted": inserted,
        "reader-reworded": reworded,
        "reader-highlight": highlight,
        "reader-selection": selection,
        "reader-reading-cursor": reading_cursor,
    }
    colours.update(_chrome(variables, parsed))
    return {name: colour.hex for name, colour in colours.items()}


def _chrome(variables: Mapping[str, str], parsed: Mapping[str, Color]) -> dict[str, Color]:
    """Textual's own footer colours, made readable on the footer's background."""
    try:
        ground = parsed["background"] + Color.parse(variables["footer-background"])
        keys = ground + Color.parse(variables["footer-key-foreground"])
        words = ground + Color.parse(variables["footer-description-foreground"])
    except (KeyError, ColorParseError):
        return {}
    return {
        "footer-key-foreground": readable(keys, [ground]),
        "footer-description-foreground": readable(words, [ground]),
    }


def _terminal_palette(variables: Mapping[str, str]) -> dict[str, str]:
    """ANSI themes: the terminal's own colours, and no dimmed text."""
    return {
        "reader-text": "ansi_default",
        "reader-muted": "ansi_default",
        "reader-secondary": variables.get("secondary", "ansi_cyan"),
        "reader-accent": variables.get("accent", "ansi_green"),
        "reader-primary": variables.get("primary", "ansi_blue"),
        "reader-success": variables.get("success", "ansi_green"),
        "reader-warning": variables.get("warning", "ansi_yellow"),
        "reader-error": variables.get("error", "ansi_red"),
        "reader-cursor": variables.get("block-cursor-background", "ansi_blue"),
        "reader-cursor-blurred": variables.get("block-cursor-blurred-background", "ansi_default"),
        "reader-match": variables.get("warning-muted", "ansi_yellow"),
        "reader-quote": variables.get("success-muted", "ansi_green"),
        "reader-removed": variables.get("error-muted", "ansi_red"),
        "reader-inserted": variables.get("success-muted", "ansi_green"),
        "reader-reworded": variables.get("warning-muted", "ansi_yellow"),
        "reader-highlight": variables.get("primary-muted", "ansi_blue"),
        "reader-selection": variables.get("block-cursor-background", "ansi_blue"),
        "reader-reading-cursor": "ansi_bright_black",
    }
