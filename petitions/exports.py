"""Write lists of items as spreadsheets an office opens (XLSX) and as CSV for machines.

Both are formula-safe. In CSV every field is quoted, a cell that starts like a formula gets
an apostrophe, and so does a part after a ``;`` or ``,`` that starts with ``=``, ``+`` or
``@``: Excel with a Vietnamese list separator (``;``) splits an unquoted line there, and a
title containing ``;=HYPERLINK(…)`` would become a live formula (OWASP "CSV injection").
In XLSX a text cell is written as text, never as a formula, whatever it starts with.
"""
from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from typing import Any

FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
_AFTER_SEPARATOR = re.compile(r"([;,]\s*)([=+@])")


def safe_text(value: str) -> str:
    """Return ``value`` so that no spreadsheet runs it (or a part of it) as a formula."""
    text = _AFTER_SEPARATOR.sub(r"\1'\2", value)
    return "'" + text if text[:1] in FORMULA_START else text


def capital(text: str) -> str:
    """Return a label with its first letter in capitals, as a spreadsheet cell starts."""
    return text[:1].upper() + text[1:]


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Return a CSV text (with a BOM for spreadsheet programs), every field quoted and safe."""
    out = io.StringIO()
    out.write("\ufeff")
    writer = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    writer.writerow([safe_text(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return out.getvalue()


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, (date, datetime)):
        return value.isoformat()
    return safe_text(str(value))


def xlsx_bytes(sheet_title: str, header: Sequence[str], rows: Iterable[Sequence[Any]], *,
               widths: Sequence[int] = (), note: str = "") -> bytes:
    """Return a one-sheet workbook: a bold frozen header, dates shown as dd/mm/yyyy.

    ``note`` (e.g. "only the first 10,000 rows") goes on the last row when given.
    """
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    book = Workbook(write_only=False)
    ws = book.active
    ws.title = sheet_title[:31]
    ws.append(list(header))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append([_xlsx_value(v) for v in row])
        for cell in ws[ws.max_row]:
            if cell.data_type == "f":  # openpyxl takes "=…" text for a formula: keep it text
                cell.data_type = "s"
            elif isinstance(cell.value, (date, datetime)):
                cell.number_format = "DD/MM/YYYY"
    if note:
        ws.append([note])
        ws.cell(row=ws.max_row, column=1).data_type = "s"
    for index, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(index)].width = width
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = ws.dimensions
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _xlsx_value(value: Any) -> Any:
    if isinstance(value, str):
        # Control characters other than line breaks are refused by the XLSX format.
        return re.sub(r"[\x00-\x08\x0b\x0c\x0e-\x1f]", "", value)
    if isinstance(value, datetime):
        return value.replace(tzinfo=None)
    return value
