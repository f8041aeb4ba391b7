"""Handing an article to other programs: ``e`` the editor, ``v`` the pager, ``y`` the clipboard,
``O`` the browser.

The editor and the pager get the terminal: the app suspends while they run and resumes after.
A file changed in the editor is read and indexed again at once. The clipboard is reached
through the terminal (OSC 52, which also works over ssh and in tmux) and through the system
clipboard tool where one is reachable.
"""

from __future__ import annotations

import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from textual.app import App, SuspendNotSupported
from textual.binding import Binding
from textual.screen import Screen

from reader.core.library import Library
from reader.core.models import Article, ArticleSummary, LoadIssue
from reader.core.presentation import MAX_TEXT_WIDTH, as_text, quote_citation
from reader.core.text import visible
from reader.ui.controller import Controller
from reader.ui.handoffs import programs
from reader.ui.messages import FileEdited
from reader.ui.reading.quotes_panel import QuotesPanel

if TYPE_CHECKING:
    from reader.core.extraction import Extraction

HANDOFF_BINDINGS = [
    Binding("e", "edit_file", "Edit in $EDITOR", show=False, id="edit_file"),
    Binding("v", "page_article", "Read in $PAGER", show=False, id="page_article"),
    Binding("y", "copy", "Copy quote or path", show=False, id="copy"),
    Binding("O", "open_url", "Open web page", show=False, id="open_url"),
]
"""Bound on the main screen (see ``HandoffActions``)."""

NO_ADDRESS = "This article has no web address: no url in its front matter and no canonical link in its text."


class HandoffHost(Protocol):
    """What the hand-offs need of the screen they serve."""

    library: Library

    @property
    def summaries(self) -> dict[str, ArticleSummary]: ...

    @property
    def open_article(self) -> Article | None: ...

    @property
    def extraction(self) -> Extraction | None: ...

    def target_article(self) -> str | None: ...


@contextmanager
def terminal_handed_over(app: App[Any]) -> Iterator[None]:
    """The terminal belongs to another program inside the block: the app suspends, then
    resumes. Headless (tests, screenshots) there is no terminal to give, and the block just runs."""
    if app.is_headless:
        yield
        return
    with app.suspend():
        yield


def _stamp(path: Path) -> tuple[int, int] | None:
    """Size and modification time: what tells an edited file from an untouched one."""
    try:
        info = path.stat()
    except OSError:
        return None
    return info.st_size, info.st_mtime_ns


class HandoffController(Controller):
    """``e`` ``v`` ``y`` ``O``: the target article (the open one, or the one under the cursor)."""

    def __init__(self, screen: Screen[Any], host: HandoffHost) -> None:
        super().__init__(screen)
        self.host = host

    # -- which article ----------------------------------------------------------------------

    def _target_path(self) -> tuple[str, Path] | None:
        article_id = self.host.target_article()
        if article_id is None:
            self.screen.notify("No article chosen.", severity="warning", timeout=2)
            return None
        article = self.host.open_article
        if article is not None and article.id == article_id:
            return article_id, article.path
        summary = self.host.summaries.get(article_id)
        return (article_id, summary.path) if summary is not None else None

    def _with_article(self, then: Callable[[Article], None]) -> None:
        """Call ``then`` with the target article: the open one at once, another one once read."""
        article_id = self.host.target_article()
        article = self.host.open_article
        if article_id is None:
            self.screen.notify("No article chosen.", severity="warning", timeout=2)
        elif article is not None and article.id == article_id:
            then(article)
        else:
            self.in_thread(partial(self._read_then, article_id, then), "handoff")

    def _read_then(self, article_id: str, then: Callable[[Article], None]) -> None:
        loaded = self.host.library.article(article_id)
        if isinstance(loaded, LoadIssue):
            message = visible(f"This article could not be opened: {loaded.reason}", 300)
            self.screen.app.call_from_thread(self.screen.notify, message, severity="error", markup=False)
        else:
            self.screen.app.call_from_thread(then, loaded)

    def _run(self, command: list[str], text: str | None = None) -> int | None:
        """Run ``command`` in the terminal (``text`` on its input); its exit status, or None
        after saying why it could not run."""
        try:
            with terminal_handed_over(self.screen.app):
                done = subprocess.run(command, input=text, encoding="utf-8", check=False)  # noqa: S603 - the user's own programs
        except SuspendNotSupported:
            self.screen.notify("This terminal cannot be handed to another program.", severity="error")
            return None
        except OSError as error:
            why = visible(f"{command[0]} could not be started: {error.strerror or error}", 300)
            self.screen.notify(why, severity="error", markup=False)
            return None
        return done.returncode

    # -- e: the editor ----------------------------------------------------------------------

    def edit(self) -> None:
        target = self._target_path()
        if target is None:
            return
        article_id, path = target
        command = programs.editor_command(path)
        if command is None:
            self.screen.notify("No editor found: set $VISUAL or $EDITOR.", severity="warning")
            return
        before = _stamp(path)
        status = self._run(command)
        if status is None:
            return
        if status != 0:
            self.screen.notify(f"The editor ended with status {status}.", severity="warning", timeout=3)
        if _stamp(path) == before:
            self.screen.notify("The file was not changed.", timeout=2)
            return
        self.in_thread(partial(self._reindex, article_id, path), "edited")

    def file_edited(self, message: FileEdited) -> bool:
        """Say how indexing the edited file went; True when the screen should show it anew."""
        if message.error is not None:
            failed = visible(f"The edited file could not be indexed: {message.error}", 300)
            self.screen.notify(failed, severity="error", markup=False)
            return False
        self.screen.notify("The edited file was read and indexed again.", timeout=2)
        return True

    def _reindex(self, article_id: str, path: Path) -> None:
        try:
            self.host.library.sync(paths=[path])
        except Exception as error:  # noqa: BLE001 - shown in one line; the app keeps running
            self.screen.post_message(FileEdited(article_id, f"{type(error).__name__}: {error}"))
            return
        self.screen.post_message(FileEdited(article_id))

    # -- v: the pager -----------------------------------------------------------------------

    def page(self) -> None:
        self._with_article(self._page)

    def _page(self, article: Article) -> None:
        command = programs.pager_command()
        if command is None:
            self.screen.notify("No pager found: set $PAGER.", severity="warning")
            return
        summary = self.host.summaries.get(article.id)
        width = min(self.screen.app.size.width, MAX_TEXT_WIDTH)
        text = as_text(
            article,
            user_tags=summary.tags if summary is not None else (),
            width=width,
            styled=programs.pager_shows_colour(command),
        )
        self._run(command, text)

    # -- y: the clipboard -------------------------------------------------------------------

    def _quote_in_focus(self) -> str | None:
        """The highlighted quote with its speaker and source line, when the Quotes panel has
        the keyboard."""
        panel = self.screen.focused
        article, extraction = self.host.open_article, self.host.extraction
        if not isinstance(panel, QuotesPanel) or article is None or extraction is None:
            return None
        index = panel.highlighted
        if index is None or index >= min(panel.quote_count, len(extraction.quotes)):
            return None
        return quote_citation(extraction.quotes[index], article)

    def copy(self) -> None:
        quote = self._quote_in_focus()
        if quote is not None:
            self.copy_text(quote, "the quote")
            return
        target = self._target_path()
        if target is not None:
            self.copy_text(str(target[1]), "the path")

    def copy_text(self, text: str, what: str) -> None:
        """Through the terminal (OSC 52) now, and the system clipboard in a worker."""
        app = self.screen.app
        sequences = programs.osc52_sequences(text)
        app.copy_to_clipboard(text)  # the plain OSC 52, and the app's own clipboard for pasting
        driver = app._driver  # the passthrough form has no public way out
        for sequence in sequences[1:]:
            if driver is not None:
                driver.write(sequence)
        self.in_thread(partial(self._copy_to_system, text, what), "clipboard")

    def _copy_to_system(self, text: str, what: str) -> None:
        tool = programs.copy_to_system_clipboard(text)
        where = f"the terminal and {tool}" if tool else "the terminal (OSC 52)"
        shown = visible(text.splitlines()[0] if text else "", 80)
        message = f"Copied {what} through {where}: {shown}"
        self.screen.app.call_from_thread(self.screen.notify, message, timeout=3, markup=False)

    # -- O: the browser ---------------------------------------------------------------------

    def open_url(self) -> None:
        self._with_article(self._open_url)

    def _open_url(self, article: Article) -> None:
        url = article.url
        if not url:
            self.screen.notify(NO_ADDRESS, severity="warning", timeout=4)
            return
        if programs.graphical_session():
            self.in_thread(partial(self._browse_in_worker, url), "browser")
            return
        try:  # a console browser (lynx, w3m) takes the terminal
            with terminal_handed_over(self.screen.app):
                opened = programs.open_in_browser(url)
        except SuspendNotSupported:
            opened = False
        self.browsed(url, opened)

    def _browse_in_worker(self, url: str) -> None:
        opened = programs.open_in_browser(url)
        self.screen.app.call_from_thread(self.browsed, url, opened)

    def browsed(self, url: str, opened: bool) -> None:
        if opened:
            self.screen.notify(visible(f"Opened {url}", 300), timeout=3, markup=False)
            return
        self.copy_text(url, "the address")
        message = visible(f"No browser could be started here ($BROWSER is not set?): {url}", 300)
        self.screen.notify(message, severity="warning", timeout=6, markup=False)


class HandoffActions:
    """The main screen's ``e`` ``v`` ``y`` ``O`` actions (bound there), kept with what they do."""

    handoffs: HandoffController

    def action_edit_file(self) -> None:
        self.handoffs.edit()

    def action_page_article(self) -> None:
        self.handoffs.page()

    def action_copy(self) -> None:
        self.handoffs.copy()

    def action_open_url(self) -> None:
        self.handoffs.open_url()
