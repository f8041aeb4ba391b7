"""CSV that a spreadsheet opens as data, never as formulas; and the exact way back for import.

Excel, LibreOffice and Google Sheets run a cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return as a formula, so a quote such as ``=HYPERLINK("http://…","x")`` in an export
would become a live link (OWASP, "CSV Injection"). Every such cell gets a leading ``'``, which
spreadsheets read as "this is text" and do not show.

The rule is a bijection, so an import restores every cell exactly: a cell is neutralised when it
is any number of ``'`` followed by a trigger character (so a cell that really begins with ``'=``
gets one more ``'``), and ``restore`` takes one ``'`` off exactly those cells. Every other cell,
``'tis`` included, is written and read unchanged.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence

FORMULA_TRIGGERS = "=+-@\t\r"
_NEEDS_PREFIX = re.compile(f"'*[{re.escape(FORMULA_TRIGGERS)}]")
_PREFIXED = re.compile(f"'+[{re.escape(FORMULA_TRIGGERS)}]")


def neutralise(cell: str) -> str:
    """The cell as written to a CSV file: text a spreadsheet will not evaluate."""
    return "'" + cell if _NEEDS_PREFIX.match(cell) else cell


def restore(cell: str) -> str:
    """The inverse of ``neutralise``: the cell as it was before it was written."""
    return cell[1:] if _PREFIXED.match(cell) else cell


def _text(value: object) -> str:
    return "" if value is None else str(value)


def write_csv(header: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    """An RFC 4180 table (CRLF line ends, quoting where needed) with every cell neutralised.

    ``None`` is an empty cell; other values are written as ``str(value)``.
    """
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer)
    writer.writerow([neutralise(name) for name in header])
    writer.writerows([neutralise(_text(value)) for value in row] for row in rows)
    return buffer.getvalue()
