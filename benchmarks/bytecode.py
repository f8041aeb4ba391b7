"""The reader's modules byte-compiled before a benchmark starts processes, as on a user's machine.

Python writes a module's bytecode (``__pycache__``) the first time it imports it, so a user's
every later start, and every build worker, loads compiled modules. A machine that sets
``PYTHONDONTWRITEBYTECODE`` (this one does) would instead compile all ~190 of the reader's
modules in every process the benchmark starts: ~80 ms of a re-open at 100k that no user pays.
Installed packages (Textual, Whoosh) were compiled by pip already.
"""

from __future__ import annotations

import compileall
import os
from pathlib import Path


def byte_compile_reader() -> str:
    """Compile the reader's package where it is imported from; a line saying what was done."""
    import reader

    package = Path(reader.__file__).resolve().parent
    compileall.compile_dir(package, quiet=1)
    setting = "set" if os.environ.get("PYTHONDONTWRITEBYTECODE") else "not set"
    return f"reader's modules byte-compiled in {package} (PYTHONDONTWRITEBYTECODE {setting})"
