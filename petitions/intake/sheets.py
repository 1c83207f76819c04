"""The spreadsheet format of intake: its sheets and columns, the template, and safe reading.

The format is Vietnamese by definition (ward Fatherland Front committees fill it in), so the
sheet names, headers and list values are written here in Vietnamese; messages are English
msgids the web translates. A file is checked before any parser sees it: its size, that it
is what its name says (a ZIP package for .xlsx, text for .csv), and that its ZIP entries do
not expand past a limit (a zip bomb is refused before it is inflated).
"""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from domain.errors import DomainError, Message, N_
from petitions.files import PackageRefused, ZipLimits, check_package, is_foreign_binary, is_zip

MAX_BYTES = 10 * 1024 * 1024         # an upload; 10,000 rows of the template are ~1.5 MB
MAX_ROWS = 10_000                    # data rows per file: more is refused, split the file
MAX_UNPACKED = 100 * 1024 * 1024     # all ZIP entries of an .xlsx, inflated
MAX_RATIO = 200                      # inflated / compressed size of one entry
MAX_ENTRIES = 2_000
WORKBOOK_ZIP = ZipLimits(MAX_ENTRIES, MAX_UNPACKED, MAX_RATIO)
MAX_COLUMNS = 60


class IntakeFileError(DomainError):
    """A file that cannot be read as an intake spreadsheet: nothing of it is imported."""

    template = N_("This file cannot be imported.")


@dataclass(frozen=True)
class Column:
    """One column of an intake sheet: its field, Vietnamese header, kind and whether needed."""

    field: str
    header: str
    kind: str = "text"          # text | date | code | choice | flag
    required: bool = True
    section: str = ""           # reference section for "code" columns
    width: int = 22
    note: str = ""
    aliases: tuple[str, ...] = ()  # other headers offices write for the same column


@dataclass(frozen=True)
class SheetSpec:
    """One kind of row (voter petition or đơn): its sheet name and columns."""

    kind: str                   # item type: "petition" | "complaint"
    title: str
    columns: tuple[Column, ...]

    def column(self, name: str) -> Column:
        """Return the column of field ``name``."""
        return next(c for c in self.columns if c.field == name)


# Words for the stored codes of the đơn sheet (as the web's Vietnamese catalog says them).
COMPLAINT_KINDS = {"complaint": "Khiếu nại", "denunciation": "Tố cáo",
                   "reflection": "Kiến nghị, phản ánh"}
CHANNELS = {"direct": "Trực tiếp", "post": "Qua bưu điện", "email": "Qua thư điện tử",
            "hotline": "Đường dây nóng", "forwarded": "Do cơ quan khác chuyển đến",
            "portal": "Cổng thông tin trực tuyến"}
YES_NO = {True: "Có", False: "Không"}

PETITIONS = SheetSpec("petition", "Kiến nghị cử tri", (
    Column("meeting_date", "Ngày tiếp xúc cử tri", "date", width=14,
           note="dd/mm/yyyy; đơn vị, tổ đại biểu và kỳ họp phải có hiệu lực vào ngày này"),
    Column("meeting_place", "Địa điểm tiếp xúc", width=28),
    Column("district", "Đơn vị (phường, xã)", "code", section="units", width=24,
           note="Tên hoặc mã đơn vị, ví dụ Phường Ba Đình hoặc 00004"),
    Column("deputy_group", "Tổ đại biểu", "code", section="deputy_groups", width=30),
    Column("session", "Kỳ họp", "code", section="council_sessions", width=16,
           note="Mã kỳ họp, ví dụ XVII-03"),
    Column("field", "Lĩnh vực", "code", section="fields", width=22),
    Column("title", "Trích yếu nội dung", width=40, note="Tối đa 300 ký tự",
           aliases=("Tiêu đề",)),
    Column("content", "Nội dung kiến nghị", width=60),
    Column("voters", "Cử tri kiến nghị", required=False, width=28),
    Column("received_on", "Ngày nhận", "date", required=False, width=14,
           note="dd/mm/yyyy; để trống: ngày tiếp xúc cử tri"),
))
COMPLAINTS = SheetSpec("complaint", "Đơn thư", (
    Column("received_on", "Ngày nhận đơn", "date", width=14, note="dd/mm/yyyy"),
    Column("kind", "Loại đơn", "choice", width=20),
    Column("channel", "Nguồn đơn", "choice", width=24),
    Column("district", "Đơn vị (phường, xã)", "code", section="units", width=24),
    Column("field", "Lĩnh vực", "code", section="fields", width=22),
    Column("title", "Trích yếu nội dung", width=40, note="Tối đa 300 ký tự",
           aliases=("Tiêu đề",)),
    Column("content", "Nội dung đơn", width=60),
    Column("subject", "Người, cơ quan bị khiếu nại, tố cáo", required=False, width=28),
    Column("anonymous", "Đơn nặc danh", "flag", required=False, width=12, note="Có / Không"),
    Column("petitioner_name", "Họ và tên người gửi", required=False, width=24),
    Column("petitioner_address", "Địa chỉ người gửi", required=False, width=30),
    Column("petitioner_phone", "Điện thoại", required=False, width=14),
    Column("petitioner_id_number", "Số định danh cá nhân/CCCD", required=False, width=16),
    Column("learned_on", "Ngày biết quyết định, hành vi", "date", required=False, width=14,
           note="Khiếu nại: để tính thời hiệu 90 ngày"),
))
SPECS = (PETITIONS, COMPLAINTS)
CHOICES = {"kind": COMPLAINT_KINDS, "channel": CHANNELS}
GUIDE_SHEET = "Hướng dẫn"
LISTS_SHEET = "Danh mục"


def fold(text: Any) -> str:
    """Fold a header or list value for matching: NFC, case-folded, spaces collapsed, no '*'."""
    value = unicodedata.normalize("NFC", str(text or "")).replace("*", " ").casefold()
    return re.sub(r"\s+", " ", value).strip()


# -- reading -----------------------------------------------------------------------------------
@dataclass
class Sheet:
    """The rows of one sheet as read: values by field, with their spreadsheet row numbers."""

    spec: SheetSpec
    name: str
    rows: list[tuple[int, dict[str, Any]]] = field(default_factory=list)
    ignored_headers: list[str] = field(default_factory=list)
    blank_rows: int = 0


def sniff(content: bytes, filename: str) -> str:
    """Return "xlsx" or "csv" from the content (the name only breaks a tie), or refuse."""
    name = filename.lower()
    if len(content) > MAX_BYTES:
        raise IntakeFileError(N_("The file is larger than {max} MB: split it into several "
                                 "files."), max=MAX_BYTES // (1024 * 1024))
    if not content.strip():
        raise IntakeFileError(N_("The file is empty."))
    if is_zip(content):
        return "xlsx"
    if is_foreign_binary(content):
        raise IntakeFileError(N_("This file is not a spreadsheet (its content is of another "
                                 "type, whatever its name). Save it as .xlsx or .csv."))
    if name.endswith((".xlsx", ".xlsm", ".xls")):
        raise IntakeFileError(N_("This file is not a spreadsheet (its content is of another "
                                 "type, whatever its name). Save it as .xlsx or .csv."))
    try:
        content.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise IntakeFileError(N_("This file is neither an .xlsx workbook nor a CSV file in "
                                 "UTF-8.")) from None
    if b"\x00" in content:
        raise IntakeFileError(N_("This file is not a spreadsheet (its content is of another "
                                 "type, whatever its name). Save it as .xlsx or .csv."))
    return "csv"


def check_workbook(content: bytes) -> None:
    """Refuse a ZIP package that is not a workbook or would inflate past the limits."""
    # openpyxl reads through zipfile, which stops at the declared sizes: checking those
    # before anything is inflated is enough here.
    try:
        check_package(content, WORKBOOK_ZIP, main_part="xl/workbook.xml")
    except PackageRefused as refused:
        if refused.reason == "damaged":
            raise IntakeFileError(N_("The workbook is damaged and cannot be opened.")) from None
        if refused.reason in ("too_many_entries", "not_ooxml"):
            raise IntakeFileError(N_("This file is not an Excel workbook (.xlsx).")) from None
        if refused.reason == "encrypted":
            raise IntakeFileError(N_("The workbook is protected by a password: save it "
                                     "without one.")) from None
        raise IntakeFileError(N_("The workbook expands to far more data than a "
                                 "spreadsheet of petitions holds: it is refused.")) from None


def read(content: bytes, filename: str) -> list[Sheet]:
    """Read the intake sheets of an .xlsx or .csv file, or raise IntakeFileError."""
    kind = sniff(content, filename)
    sheets = _read_xlsx(content) if kind == "xlsx" else [_read_csv(content)]
    total = sum(len(s.rows) for s in sheets)
    if total > MAX_ROWS:
        raise IntakeFileError(N_("The file has {count} rows; at most {max} can be imported at "
                                 "once: split it into several files."),
                              count=f"{total:,}".replace(",", "."),
                              max=f"{MAX_ROWS:,}".replace(",", "."))
    if total == 0:
        raise IntakeFileError(N_("The file has headers but no rows to import."))
    return sheets


def _read_xlsx(content: bytes) -> list[Sheet]:
    check_workbook(content)
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(content), data_only=True)
    except Exception:  # openpyxl raises many kinds on a damaged package
        raise IntakeFileError(N_("The workbook is damaged and cannot be opened.")) from None
    by_name = {fold(ws.title): ws for ws in book.worksheets}
    found = []
    for spec in SPECS:
        ws = by_name.get(fold(spec.title))
        if ws is not None:
            found.append((spec, ws))
    if not found:
        # A workbook saved with other sheet names: one sheet whose headers fit is taken.
        for ws in book.worksheets:
            first = next(ws.iter_rows(min_row=1, max_row=1, values_only=True), ())
            spec = _spec_for_headers(first)
            if spec is not None:
                found.append((spec, ws))
                break
    if not found:
        raise IntakeFileError(
            N_("No sheet named “{expected}” was found (the workbook has: {found}). Use the "
               "template's sheets."),
            expected="”, “".join(s.title for s in SPECS),
            found=", ".join(f"“{ws.title}”" for ws in book.worksheets))
    sheets = []
    for spec, ws in found:
        _refuse_merged(ws)
        if ws.max_column and ws.max_column > MAX_COLUMNS:
            raise IntakeFileError(N_("The sheet “{sheet}” has {count} columns; the template "
                                     "has {max}."), sheet=ws.title, count=ws.max_column,
                                  max=len(spec.columns))
        rows = ws.iter_rows(values_only=True)
        sheets.append(_table(spec, ws.title, rows))
    return sheets


def _refuse_merged(ws: Any) -> None:
    merged = [str(r) for r in ws.merged_cells.ranges]
    if merged:
        raise IntakeFileError(
            N_("The sheet “{sheet}” has merged cells ({cells}): a merged cell belongs to one "
               "row only. Unmerge them and fill in every row."),
            sheet=ws.title, cells=", ".join(merged[:5]) + (" …" if len(merged) > 5 else ""))


def _read_csv(content: bytes) -> Sheet:
    text = content.decode("utf-8-sig")
    sample = text[:4096]
    try:
        dialect: Any = csv.Sniffer().sniff(sample, delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = csv.reader(io.StringIO(text), dialect)
    try:
        first = next(rows)
    except (StopIteration, csv.Error):
        raise IntakeFileError(N_("The file is empty.")) from None
    spec = _spec_for_headers(first)
    if spec is None:
        raise _missing_headers(PETITIONS, first)
    try:
        return _table(spec, "CSV", iter([first, *rows]))
    except csv.Error:
        raise IntakeFileError(N_("The CSV file is malformed (an unclosed quote?).")) from None


def _has(column: Column, folded: set[str]) -> bool:
    return any(fold(h) in folded for h in (column.header, *column.aliases))


def _spec_for_headers(headers: Iterable[Any]) -> SheetSpec | None:
    folded = {fold(h) for h in headers if h is not None}
    best = max(SPECS, key=lambda s: sum(_has(c, folded) for c in s.columns))
    hits = sum(_has(c, folded) for c in best.columns)
    return best if hits >= 3 else None


def _missing_headers(spec: SheetSpec, headers: Iterable[Any]) -> IntakeFileError:
    folded = {fold(h) for h in headers if h is not None}
    missing = [c.header for c in spec.columns if c.required and not _has(c, folded)]
    return IntakeFileError(
        N_("The first row must hold the template's headers; missing: {columns}."),
        columns=", ".join(f"“{m}”" for m in missing))


def _table(spec: SheetSpec, name: str, rows: Iterable[tuple[Any, ...] | list[Any]]) -> Sheet:
    iterator = iter(rows)
    headers = list(next(iterator, ()) or ())
    positions: dict[str, int] = {}
    by_header = {fold(h): c for c in spec.columns for h in (c.header, *c.aliases)}
    ignored = []
    for index, header in enumerate(headers):
        column = by_header.get(fold(header))
        if column is not None and column.field not in positions:
            positions[column.field] = index
        elif header not in (None, ""):
            ignored.append(str(header))
    if any(c.required and c.field not in positions for c in spec.columns):
        raise _missing_headers(spec, headers)
    sheet = Sheet(spec, name, ignored_headers=ignored)
    blanks = 0  # blank rows are counted only when a row follows them (not the sheet's tail)
    for number, values in enumerate(iterator, start=2):
        if number - 1 > MAX_ROWS + 1:
            sheet.rows.append((number, {}))  # counted, never checked: the file is refused
            continue
        cells = {f: values[i] if i < len(values) else None for f, i in positions.items()}
        if all(v is None or (isinstance(v, str) and not v.strip()) for v in cells.values()):
            blanks += 1
            continue
        sheet.blank_rows, blanks = sheet.blank_rows + blanks, 0
        sheet.rows.append((number, cells))
    return sheet


# -- cell values -------------------------------------------------------------------------------
EXCEL_EPOCH = date(1899, 12, 30)
_DATE_TEXT = re.compile(r"^\s*(\d{1,2})[/.\-](\d{1,2})[/.\-](\d{4})\s*$")
_ISO_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][\d:.]+)?\s*$")
BAD_DATE = N_("Not a date: write it as dd/mm/yyyy.")


def to_date(value: Any) -> date | str | None:
    """Return a date from a cell (date, Excel serial, dd/mm/yyyy or ISO text), or a message.

    None for an empty cell; the message template when the cell is not a date.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # An Excel serial date (a cell formatted as a number, or a CSV saved by Excel).
        if 20_000 <= value <= 80_000:
            return EXCEL_EPOCH + timedelta(days=int(value))
        return BAD_DATE
    text = str(value).strip()
    if text.isdigit() and 20_000 <= int(text) <= 80_000:
        return EXCEL_EPOCH + timedelta(days=int(text))
    match = _DATE_TEXT.match(text)
    parts = None
    if match:
        parts = (int(match.group(3)), int(match.group(2)), int(match.group(1)))
    else:
        match = _ISO_TEXT.match(text)
        if match:
            parts = (int(match.group(1)), int(match.group(2)), int(match.group(3)))
    if parts is None:
        return BAD_DATE
    try:
        return date(*parts)
    except ValueError:
        return Message(N_("No such date: {value}."), value=text)


def to_text(value: Any) -> str:
    """Return a cell as text (numbers without a trailing .0, dates as dd/mm/yyyy)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def to_flag(value: Any) -> bool | str:
    """Return a yes/no cell as a bool (empty is no), or a message."""
    folded = fold(to_text(value))
    if folded in ("", "không", "khong", "no", "0", "false", "sai"):
        return False
    if folded in ("có", "co", "x", "yes", "1", "true", "đúng"):
        return True
    return N_("Write “Có” or “Không”.")
