"""Render a digest's tables as an Excel workbook (openpyxl): one sheet per table.

Counts stay numbers and percentages fractions with a percent format, so an office can
add them up again; the first sheet says which report they belong to (number, date, "Số
liệu tính đến ngày …") so a copied sheet is never taken for another report's.
"""
from __future__ import annotations

import io
from datetime import datetime, time
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter

from petitions.digest.document import Document
from petitions.digest.tables import CHANGE, COUNT, DAY, DECIMAL, PERCENT, TEXT, Table, digest_tables

THIN = Side(style="thin", color="9CA3AF")
BOX = Border(left=THIN, right=THIN, top=THIN, bottom=THIN)
HEAD_FILL = PatternFill("solid", fgColor="E8EEF7")
BOLD = Font(bold=True)
WIDTH = {TEXT: 36, COUNT: 11, PERCENT: 11, CHANGE: 11, DAY: 12, DECIMAL: 11}
FORMAT = {COUNT: "#,##0", PERCENT: "0.0%", CHANGE: "+#,##0;-#,##0;0", DAY: "dd/mm/yyyy",
          DECIMAL: "0.0#"}


def _value(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == PERCENT:
        return round(value / 100.0, 4)
    return value


def _sheet(book: Workbook, t: Table, doc: Document) -> None:
    sheet = book.create_sheet(t.key[:31])
    sheet.append([t.title])
    sheet["A1"].font = Font(bold=True, size=12)
    sheet.append([f"{doc.sign} · {doc.as_of_line}"])
    if t.note:
        sheet.append([t.note])
    sheet.append([])
    header_row = sheet.max_row + 1
    sheet.append([c.header for c in t.columns])
    for cell in sheet[header_row]:
        cell.font, cell.fill, cell.border = BOLD, HEAD_FILL, BOX
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    rows = [(r, False) for r in t.rows] + ([(t.total, True)] if t.total else [])
    for values, is_total in rows:
        sheet.append([_value(c.kind, v) for c, v in zip(t.columns, values)])
        for cell, column in zip(sheet[sheet.max_row], t.columns):
            cell.border = BOX
            if column.kind in FORMAT:
                cell.number_format = FORMAT[column.kind]
            if column.kind == TEXT:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
            if is_total:
                cell.font = BOLD
    for n, column in enumerate(t.columns, 1):
        width = WIDTH[column.kind] if column.header != "STT" else 6
        if column.header == "Trích yếu nội dung":
            width = 60
        sheet.column_dimensions[get_column_letter(n)].width = width
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1)


def render_xlsx(digest: Any, doc: Document) -> bytes:
    """Return the digest's tables as XLSX bytes."""
    book = Workbook()
    cover = book.active
    cover.title = "Thong tin"
    for label, value in [
        ("Cơ quan ban hành", f"{doc.issuer.parent} – {doc.issuer.name}"),
        ("Số, ký hiệu", doc.sign if not doc.draft else f"{doc.sign} (dự thảo, chưa ban hành)"),
        ("Địa danh, ngày", doc.place_date),
        ("Tên loại, trích yếu", f"{doc.type_name} {doc.title}"),
        ("Kỳ họp, phạm vi", doc.subtitle),
        ("Số liệu tính đến ngày", doc.as_of.plain() if hasattr(doc.as_of, "plain")
         else doc.as_of),
        ("Mã kiểm tra", doc.chain),
    ] + ([("Tính đến sự kiện số", doc.as_of.n)] if hasattr(doc.as_of, "n") else []):
        cover.append([label, value])
    cover.cell(row=6, column=2).number_format = FORMAT[DAY]
    for row in cover.iter_rows(min_col=1, max_col=1):
        row[0].font = BOLD
    cover.column_dimensions["A"].width = 24
    cover.column_dimensions["B"].width = 80
    for table in digest_tables(digest):
        _sheet(book, table, doc)
    stamp = datetime.combine(doc.issued_on, time(0, 0))
    book.properties.created = book.properties.modified = stamp
    book.properties.title = doc.sign
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
