"""Write the intake template: a guide, one sheet per kind of row, and the lists they pick from."""
from __future__ import annotations

import io
from datetime import date
from typing import Any

from domain.reference import display_name, entries_on
from petitions.intake.sheets import (
    CHOICES, GUIDE_SHEET, LISTS_SHEET, MAX_ROWS, SPECS, YES_NO, Column, SheetSpec,
)

LIST_SECTIONS = {"units": "Đơn vị", "deputy_groups": "Tổ đại biểu",
                 "council_sessions": "Kỳ họp", "fields": "Lĩnh vực"}
VALIDATED_ROWS = 10_001  # the lists and date checks reach as far as a file may go

GUIDE = (
    "Mẫu nhập kiến nghị cử tri và đơn thư từ bảng tính",
    "",
    "1. Mỗi dòng là một kiến nghị (trang “Kiến nghị cử tri”) hoặc một đơn (trang “Đơn thư”). "
    "Không đổi tên trang và dòng tên cột; cột có dấu * là bắt buộc.",
    "2. Ngày ghi theo dạng dd/mm/yyyy (ví dụ 05/07/2025).",
    "3. Đơn vị, tổ đại biểu, kỳ họp và lĩnh vực chọn trong danh sách (trang “Danh mục”) hoặc "
    "ghi mã. Chúng phải có hiệu lực vào ngày tiếp xúc cử tri (với đơn: ngày nhận đơn): từ "
    "01/07/2025 là phường, xã mới; trước đó là quận, huyện, thị xã.",
    "4. Không gộp ô. Dòng trống được bỏ qua.",
    f"5. Mỗi lần nhập tối đa {MAX_ROWS:,} dòng.".replace(",", "."),
    "6. Nhập lại cùng một tệp không tạo thêm kiến nghị, đơn nào: dòng đã nhập được nhận ra "
    "và bỏ qua. Dòng có lỗi không được nhập; sửa rồi nhập lại tệp.",
)


def write_template(reference: dict[str, dict[str, dict[str, Any]]], today: date) -> bytes:
    """Return the template workbook (.xlsx) with the lists in force on ``today``."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    book = Workbook()
    guide = book.active
    guide.title = GUIDE_SHEET
    for line in GUIDE:
        guide.append([line])
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 120
    lists = book.create_sheet(LISTS_SHEET)
    ranges = _write_lists(lists, reference, today)
    header_fill = PatternFill("solid", fgColor="DDEBF7")
    for spec in SPECS:
        ws = book.create_sheet(spec.title, index=book.sheetnames.index(LISTS_SHEET))
        ws.append([c.header + (" *" if c.required else "") for c in spec.columns])
        for index, column in enumerate(spec.columns, start=1):
            cell = ws.cell(row=1, column=index)
            cell.font = Font(bold=True)
            cell.fill = header_fill
            cell.alignment = Alignment(wrap_text=True, vertical="top")
            letter = cell.column_letter
            ws.column_dimensions[letter].width = column.width
            _validate(ws, column, letter, ranges)
        ws.freeze_panes = "A2"
        ws.row_dimensions[1].height = 32
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _write_lists(ws: Any, reference: dict[str, dict[str, dict[str, Any]]],
                 today: date) -> dict[str, str]:
    """Write the lists side by side (name, then code); return each list's cell range."""
    columns: list[tuple[str, list[tuple[str, str]]]] = []
    for section, title in LIST_SECTIONS.items():
        entries = entries_on(reference.get(section, {}), today)
        columns.append((section, [(display_name(e, code), code) for code, e in entries.items()]))
    for name, words in CHOICES.items():
        columns.append((name, [(word, code) for code, word in words.items()]))
    columns.append(("flag", [(word, str(value)) for value, word in YES_NO.items()]))
    titles = {**LIST_SECTIONS, "kind": "Loại đơn", "channel": "Nguồn đơn", "flag": "Có / Không"}
    ranges = {}
    from openpyxl.utils import get_column_letter

    for position, (name, values) in enumerate(columns):
        col = position * 2 + 1
        ws.cell(row=1, column=col, value=titles[name])
        ws.cell(row=1, column=col + 1, value="Mã")
        for row, (word, code) in enumerate(values, start=2):
            ws.cell(row=row, column=col, value=word)
            ws.cell(row=row, column=col + 1, value=code)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = 36
        ranges[name] = f"'{LISTS_SHEET}'!${letter}$2:${letter}${max(2, len(values) + 1)}"
    return ranges


def _validate(ws: Any, column: Column, letter: str, ranges: dict[str, str]) -> None:
    from openpyxl.worksheet.datavalidation import DataValidation

    area = f"{letter}2:{letter}{VALIDATED_ROWS}"
    key = column.section or (column.field if column.kind == "choice" else
                             "flag" if column.kind == "flag" else "")
    if key in ranges:
        # A typed code is as good as a picked name, so the list only warns.
        rule = DataValidation(type="list", formula1=f"={ranges[key]}", allow_blank=True,
                              errorStyle="warning", showErrorMessage=True,
                              error="Chọn trong danh sách hoặc ghi mã.",
                              errorTitle=column.header)
    elif column.kind == "date":
        # A column style, not styled cells: empty styled cells would count as rows.
        ws.column_dimensions[letter].number_format = "DD/MM/YYYY"
        rule = DataValidation(type="date", operator="greaterThan", formula1="36526",
                              allow_blank=True, errorStyle="warning", showErrorMessage=True,
                              error="Ghi ngày dạng dd/mm/yyyy.", errorTitle=column.header)
    else:
        if not column.note:
            return
        rule = DataValidation(allow_blank=True)
    if column.note:
        rule.prompt, rule.promptTitle, rule.showInputMessage = column.note, column.header, True
    rule.add(area)
    ws.add_data_validation(rule)


def spec_headers(spec: SheetSpec) -> list[str]:
    """Return the header row of a sheet as the template writes it."""
    return [c.header + (" *" if c.required else "") for c in spec.columns]


STATUS_WORDS = {"valid": "Hợp lệ, chưa nhập", "invalid": "Có lỗi, không nhập",
                "imported": "Đã nhập", "already": "Đã nhập từ trước",
                "repeated": "Trùng dòng trước trong tệp, bỏ qua"}


def write_result(report: Any, translate: Any = str) -> bytes:
    """Return the result workbook: every row as read, what became of it, and its errors.

    ``translate`` turns a message template into the reader's language (the web passes its
    catalog; the command line prints the English text).
    """
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill

    from petitions.intake.sheets import SPECS, to_text

    book = Workbook()
    summary = book.active
    summary.title = "Kết quả"
    counts = report.summary()
    summary.append(["Tệp", report.filename])
    for status, word in STATUS_WORDS.items():
        summary.append([word, counts[status]])
    summary.append(["Dòng trống bỏ qua", counts["blank"]])
    summary.column_dimensions["A"].width = 36
    summary.column_dimensions["B"].width = 40
    red = PatternFill("solid", fgColor="F8D7DA")
    for spec in SPECS:
        rows = [r for r in report.rows if r.kind == spec.kind]
        if not rows:
            continue
        ws = book.create_sheet(spec.title)
        ws.append(["Dòng", "Kết quả", "Mã", "Lỗi"] + [c.header for c in spec.columns])
        for cell in ws[1]:
            cell.font = Font(bold=True)
        for r in rows:
            problems = "; ".join(
                f"{spec.column(name).header if name in {c.field for c in spec.columns} else name}:"
                f" {translate(m)}" for name, messages in r.errors.items() for m in messages)
            if r.status == "repeated":
                problems = f"Dòng {r.repeats}"
            ws.append([r.row, STATUS_WORDS[r.status], r.code, problems]
                      + [r.cells.get(c.field) for c in spec.columns])
            for cell in ws[ws.max_row]:
                if cell.data_type == "f":  # text typed as "=…" stays text
                    cell.data_type = "s"
            if r.status == "invalid":
                for cell in ws[ws.max_row][:4]:
                    cell.fill = red
        for letter, width in zip("ABCD", (7, 22, 16, 60)):
            ws.column_dimensions[letter].width = width
        for row in ws.iter_rows(min_row=2, min_col=4, max_col=4):
            row[0].alignment = Alignment(wrap_text=True, vertical="top")
        ws.freeze_panes = "B2"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()

