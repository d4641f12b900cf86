"""Tables as downloads: CSV for Excel in a Dutch locale, and XLSX (openpyxl).

Text that a spreadsheet would run as a formula (a cell starting with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return; OWASP "CSV injection") is written with a leading apostrophe, so it
shows as the text it is. The names in a table can come from outside (a social-map import, an
ad), and a downloaded table is opened by people who trust it. Numbers stay numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

__all__ = ["as_csv", "as_xlsx", "defused"]


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def defused(value: object) -> object:
    """The cell as a spreadsheet must show it: text that would start a formula gets a ``'``."""
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def as_csv(rows: Iterable[list]) -> bytes:
    """Semicolon-separated with a byte-order mark: what Excel in a Dutch locale opens as-is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow([defused(value) for value in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: Iterable[list], title: str) -> bytes:
    # Imported here: openpyxl takes 0.21 s to import (measured) and only XLSX downloads need it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append([defused(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
