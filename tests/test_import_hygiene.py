"""The core must stay usable without a terminal: no module of it may pull in Textual or Rich."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import reader.core


def core_modules() -> list[str]:
    return sorted(
        info.name
        for info in pkgutil.walk_packages(reader.core.__path__, prefix="reader.core.")
    )


def test_there_are_core_modules_to_check() -> None:
    assert "reader.core.loader" in core_modules()


def test_core_imports_neither_textual_nor_rich() -> None:
    modules = core_modules()
    program = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "leaked = sorted(m for m in sys.modules if m.split('.')[0] in ('textual', 'rich'))\n"
        "print(','.join(leaked))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""


def test_opening_the_cli_does_not_import_whoosh_or_textual() -> None:
    program = (
        "import sys\n"
        "import reader.cli\n"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in ('whoosh', 'textual'))))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
