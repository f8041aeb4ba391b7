"""Start-up stays light: opening the app does not pay for Whoosh or for extraction."""

from __future__ import annotations

import subprocess
import sys


def test_importing_the_app_leaves_whoosh_and_extraction_for_later() -> None:
    program = (
        "import sys\n"
        "import reader.ui.app\n"
        "heavy = ('whoosh', 'reader.core.extraction', 'reader.core.index.search')\n"
        "print(','.join(sorted(m for m in sys.modules if m.startswith(heavy))))\n"
    )
    result = subprocess.run([sys.executable, "-c", program], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == ""
