"""The footer: the keys of the pane in use, and ``? Keys`` beside the palette at every width.

Textual's footer lists keys left to right and cuts what does not fit, which at 80 columns was
the help key, the one a new user needs. Here it sits on the right with the palette's key.
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import HorizontalGroup
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

HELP_ACTION = "help"


class ReaderFooter(Footer):
    DEFAULT_CSS = """
    ReaderFooter #footer-right { dock: right; width: auto; background: $footer-background; }
    ReaderFooter #footer-right FooterKey.-command-palette { dock: none; }
    """

    def compose(self) -> ComposeResult:
        keys = list(super().compose())
        right = [
            key
            for key in keys
            if isinstance(key, FooterKey) and (key.action == HELP_ACTION or key.has_class("-command-palette"))
        ]
        yield from (key for key in keys if key not in right)
        if right:
            yield HorizontalGroup(*right, id="footer-right")
