"""What the main screen's controllers share: a screen to run their workers on and post to.

A controller owns one feature's state and work (searching, tagging, the views across articles).
The main screen creates them, routes the messages they and the widgets send to them, and they
update its widgets; the library is only ever called from their thread workers.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from textual.screen import Screen


class Controller:
    def __init__(self, screen: Screen[Any]) -> None:
        self.screen = screen

    def in_thread(self, work: Callable[[], None], group: str, *, exclusive: bool = True) -> None:
        """Run ``work`` in a thread worker of the screen; with ``exclusive`` a newer worker of
        the same group cancels the one before."""
        self.screen.run_worker(work, group=group, exclusive=exclusive, thread=True)
