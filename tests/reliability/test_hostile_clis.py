"""Every command over the hostile folder: no crash, no hang, nothing unsafe on the terminal."""

from __future__ import annotations

from pathlib import Path

import pytest
from hostile_cases import build

from reader.cli import COMMANDS as CLI_COMMANDS
from reliability_helpers import assert_terminal_safe, run_reader

@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, int]:
    root = tmp_path_factory.mktemp("hostile-cli")
    return root, len(build(root)) + 5


# Each command, with {root} standing for the hostile folder.
COMMANDS = [
    "index {root}",
    "index {root} --json",
    "search body --path {root}",
    "search quit|OR|PWNED|OR|evil --path {root} --json",
    "search [/]|[@click=app.quit] --path {root}",
    "tag add {root}/markup_title.md [/]x [@click=app.quit]",
    "tag list {root}",
    "tag list {root} --json",
    "tags export",
    "quotes --path {root}",
    "people --path {root} --json",
    "clusters --path {root}",
    "extract {root}/escape_title.md",
    "extract {root}/markup_title.md --json",
    "highlight add {root}/markup_title.md --quote Body|with --note [/]x|[@click=app.quit]",
    "highlight add {root}/escape_title.md --quote Body --note \x1b]0;PWNED\x07",
    "highlight list {root}",
    "highlight list {root}/escape_title.md --json",
    "highlight list",
    "highlights export --path {root}",
    "highlights export --format json",
]


@pytest.mark.parametrize("command", COMMANDS)
def test_a_command_survives_the_hostile_folder(folder: tuple[Path, int], private_home: Path, command: str) -> None:
    root, files = folder
    # "|" joins the words of one argument, so a query with spaces stays one argument.
    args = [word.replace("|", " ").format(root=root) for word in command.split()]
    if args[0] not in CLI_COMMANDS:
        pytest.skip(f"reader {args[0]} does not exist yet")
    result = run_reader(*args, files=files, home=private_home)
    stderr = assert_terminal_safe(result.stderr)
    assert_terminal_safe(result.stdout)
    assert result.returncode in (0, 1), stderr
    assert "internal error" not in stderr and "Traceback" not in stderr
