"""The programs an article is handed to: the editor, the pager, the clipboard and the browser.

Each is found the way terminal tools have always found them (``$VISUAL``, ``$EDITOR``,
``$PAGER``, ``$BROWSER``), with a sensible default where one is installed. Nothing here knows
Textual; ``handoff_controller`` gives them the terminal.
"""

from __future__ import annotations

import base64
import os
import shlex
import shutil
import subprocess
import sys
import webbrowser
from pathlib import Path

CLIPBOARD_SECONDS = 3
"""How long a system clipboard tool may take before it is given up on."""

_FALLBACK_EDITORS = ("nano", "vi")


def _command(variable: str) -> list[str] | None:
    """The command an environment variable names, split as a shell would; None when unset."""
    value = os.environ.get(variable, "").strip()
    if not value:
        return None
    try:
        return shlex.split(value) or None
    except ValueError:  # an unclosed quote: take the words as they are
        return value.split() or None


def editor_command(path: Path) -> list[str] | None:
    """``$VISUAL``, else ``$EDITOR``, else nano or vi where installed, with the file to edit."""
    command = _command("VISUAL") or _command("EDITOR")
    if command is None:
        found = next((name for name in _FALLBACK_EDITORS if shutil.which(name)), None)
        command = [found] if found else None
    return None if command is None else [*command, str(path)]


def pager_command() -> list[str] | None:
    """``$PAGER``, else ``less -R`` where installed, else ``more``; None when there is none."""
    command = _command("PAGER")
    if command is not None:
        return command
    if shutil.which("less"):
        return ["less", "-R"]
    return ["more"] if shutil.which("more") else None


def pager_shows_colour(command: list[str]) -> bool:
    """Whether the pager passes ANSI colours through (``less -R``), so bold and dim may be sent."""
    if Path(command[0]).name != "less":
        return False
    flags = [arg for arg in command[1:] if arg.startswith("-") and not arg.startswith("--")]
    return any("R" in flag or "r" in flag for flag in flags) or "R" in os.environ.get("LESS", "")


def osc52_sequences(text: str) -> list[str]:
    """The OSC 52 escapes that put ``text`` on the clipboard of the terminal the user sits at.

    Over ssh this is the only way to reach the user's own clipboard. Inside tmux or GNU screen
    the escape is also sent wrapped for passthrough, which reaches the outer terminal when the
    multiplexer does not forward OSC 52 itself (tmux ``set-clipboard off``).
    """
    payload = base64.b64encode(text.encode("utf-8")).decode("ascii")
    plain = f"\x1b]52;c;{payload}\a"
    sequences = [plain]
    if os.environ.get("TMUX"):
        sequences.append("\x1bPtmux;" + plain.replace("\x1b", "\x1b\x1b") + "\x1b\\")
    elif os.environ.get("STY"):
        sequences.append(f"\x1bP{plain}\x1b\\")
    return sequences


def _clipboard_tools() -> list[list[str]]:
    """Clipboard programs that can be reached from here, best first."""
    tools: list[list[str]] = []
    if sys.platform == "darwin":
        tools.append(["pbcopy"])
    if os.environ.get("WAYLAND_DISPLAY"):
        tools.append(["wl-copy"])
    if os.environ.get("DISPLAY"):
        tools += [["xclip", "-selection", "clipboard"], ["xsel", "--clipboard", "--input"]]
    if sys.platform == "win32" or "WSL_DISTRO_NAME" in os.environ:
        tools.append(["clip.exe"])
    return [tool for tool in tools if shutil.which(tool[0])]


def copy_to_system_clipboard(text: str) -> str | None:
    """Put ``text`` on the system clipboard where one is reachable; the tool used, or None."""
    for tool in _clipboard_tools():
        try:
            done = subprocess.run(  # noqa: S603 - a clipboard tool found on PATH, the text on its input
                tool,
                input=text.encode("utf-8"),
                stdout=subprocess.DEVNULL,  # xclip stays behind to serve the selection
                stderr=subprocess.DEVNULL,
                timeout=CLIPBOARD_SECONDS,
                check=False,
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if done.returncode == 0:
            return tool[0]
    return None


def graphical_session() -> bool:
    """Whether a browser opens in a window of its own (else it may take over this terminal)."""
    return sys.platform in ("darwin", "win32") or bool(os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY"))


def open_in_browser(url: str) -> bool:
    """Open ``url`` with the ``webbrowser`` module (``$BROWSER`` first); False when none ran."""
    try:
        return webbrowser.open(url)
    except webbrowser.Error:
        return False
