"""The digest's tables as plain rows, shared by the Word and Excel renderers.

The PDF's template and these tables read the same ``Digest``; keeping the headers and the
order of rows here means the DOCX and the XLSX print the very numbers of the PDF, with the
same Vietnamese words. Each column has a kind, so each renderer formats it its own way
(Excel keeps numbers as numbers, Word prints them as the PDF does).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

TEXT, COUNT, PERCENT, CHANGE, DAY = "text", "count", "percent", "change", "day"
DECIMAL = "decimal"  # an average with one or two decimals (2,5 ngày; 1,25 vòng)


@dataclass(frozen=True)
class Column:
    """A column: its header and the kind of its values."""

    header: str
    kind: str = COUNT


@dataclass
class Table:
    """One table of the report: a sheet in Excel, a table in Word."""

    key: str                 # the sheet's short name
    title: str
    columns: list[Column]
    rows: list[list[Any]] = field(default_factory=list)
    total: list[Any] | None = None   # the "Tổng cộng" line, when the rows add up to it
    note: str = ""


def _compare_columns(first: str, has_previous: bool) -> list[Column]:
    columns = [Column(first, TEXT), Column("Kỳ này"), Column("Tỷ lệ", PERCENT)]
    if has_previous:
        columns += [Column("Kỳ trước"), Column("Tỷ lệ kỳ trước", PERCENT),
                    Column("Tăng, giảm", CHANGE)]
    return columns


def _compare_row(row: Any, has_previous: bool) -> list[Any]:
    cells = [row.label, row.current, row.current_pct]
    if has_previous:
        cells += [row.previous, row.previous_pct, row.change]
    return cells


BREAKDOWN_COLUMNS = [
    ("Tổng số", "total"), ("Đã trả lời", "answered"), ("Tỷ lệ đúng hạn", "on_time_pct"),
    ("Đã giải quyết xong", "resolved"), ("Tỷ lệ giải quyết", "resolved_pct"),
    ("Quá hạn", "overdue"), ("Quá hạn lộ trình", "past_roadmap"),
]
SUMMED = ("total", "answered", "resolved", "overdue", "past_roadmap", "previous_total")


def _breakdown(key: str, title: str, heading: str, rows: list[Any],
               has_previous: bool) -> Table:
    columns = [Column("STT"), Column(heading, TEXT)] + [
        Column(h, PERCENT if name.endswith("_pct") else COUNT) for h, name in BREAKDOWN_COLUMNS]
    names = [name for _, name in BREAKDOWN_COLUMNS]
    if has_previous:
        columns.append(Column("Tổng số kỳ trước"))
        names.append("previous_total")
    table = Table(key, title, columns)
    for n, row in enumerate(rows, 1):
        table.rows.append([n, row.label] + [getattr(row, name) for name in names])
    if rows:
        table.total = [None, "Tổng cộng"] + [
            sum(getattr(r, name) or 0 for r in rows) if name in SUMMED else None
            for name in names]
    return table


HANDLING_COLUMNS = [
    ("Lượt nhận xử lý", COUNT, "hand_offs"),
    ("Số ngày làm việc giữ bình quân", DECIMAL, "average_held_days"),
    ("Đã trả lời", COUNT, "answered"),
    ("Bị trả lại", COUNT, "returned_items"),
    ("Tỷ lệ bị trả lại", PERCENT, "returned_rate"),
    ("Được chấp nhận", COUNT, "accepted"),
    ("Số lần trả lời bình quân đến khi chấp nhận", DECIMAL, "average_rounds"),
]


def _handling(d: Any) -> Table:
    table = Table("Xu ly", "Thời gian giữ và số lần trả lại theo cơ quan",
                  [Column("STT"), Column("Cơ quan", TEXT)]
                  + [Column(h, kind) for h, kind, _ in HANDLING_COLUMNS],
                  note="Số ngày làm việc cơ quan giữ kiến nghị, đơn thư tính theo từng lượt nhận "
                       "đã kết thúc; bị trả lại: kết quả trả lời bị Văn phòng trả lại ít nhất một lần.")
    for n, row in enumerate(d.handling, 1):
        table.rows.append([n, row.label] + [getattr(row, name) for _, _, name in HANDLING_COLUMNS])
    if d.handling_total is not None:
        table.total = [None, "Tổng cộng"] + [getattr(d.handling_total, name)
                                              for _, _, name in HANDLING_COLUMNS]
    return table


def _items(key: str, title: str, lines: list[Any], columns: list[tuple[str, str,
           Callable[[Any], Any]]], total: int) -> Table:
    table = Table(key, title, [Column("STT")] + [Column(h, kind) for h, kind, _ in columns])
    for n, line in enumerate(lines, 1):
        table.rows.append([n] + [get(line) for _, _, get in columns])
    if total > len(lines):
        table.note = f"… và {total - len(lines):,} kiến nghị, đơn thư khác không in ra.".replace(
            ",", ".")
    return table


def digest_tables(d: Any) -> list[Table]:
    """Return the tables of digest ``d`` in the order the PDF prints them."""
    has_previous = d.previous_code is not None
    tables = []
    headline = Table("Tong hop", "Tổng hợp kết quả giải quyết",
                     _compare_columns("Chỉ tiêu", has_previous),
                     [_compare_row(r, has_previous) for r in d.headline])
    tables.append(headline)
    outcomes = Table("Ket qua", "Kết quả trả lời",
                     _compare_columns("Kết quả trả lời", has_previous),
                     [_compare_row(r, has_previous) for r in d.by_outcome],
                     note="Mỗi kiến nghị thuộc đúng một dòng; các dòng cộng lại bằng tổng số.")
    outcomes.total = ["Tổng cộng", sum(r.current for r in d.by_outcome),
                      100.0 if d.by_outcome and sum(r.current for r in d.by_outcome) else None]
    if has_previous:
        before = sum(r.previous or 0 for r in d.by_outcome)
        outcomes.total += [before, 100.0 if before else None,
                           outcomes.total[1] - before]
    tables.append(outcomes)
    tables.append(_breakdown("Linh vuc", "Theo lĩnh vực", "Lĩnh vực", d.by_field, has_previous))
    tables.append(_breakdown("Co quan", "Theo cơ quan có trách nhiệm giải quyết",
                             "Cơ quan có trách nhiệm giải quyết", d.by_agency, has_previous))
    if d.by_district:
        tables.append(_breakdown("Dia ban", f"Theo {d.area_label.lower()}", d.area_label,
                                 d.by_district, has_previous))
    if d.handling:
        tables.append(_handling(d))
    escalated_columns = [("Mã số", TEXT, lambda i: i.code),
                         ("Trích yếu nội dung", TEXT, lambda i: i.title)]
    if d.scope_kind != "district":
        escalated_columns.append(("Địa bàn", TEXT, lambda i: i.district))
    escalated_columns += [
        ("Cơ quan có trách nhiệm giải quyết", TEXT, lambda i: i.agency),
        ("Hạn xử lý", DAY, lambda i: i.due_date),
        ("Số ngày quá hạn", COUNT, lambda i: i.days_late),
        ("Lần đôn đốc", TEXT, lambda i: f"Lần thứ {i.level} · {i.level_label}"),
    ]
    tables.append(_items("Qua han", "Kiến nghị, đơn thư quá hạn và đã đôn đốc",
                         d.escalated.lines, escalated_columns, d.escalated.total))
    tables.append(_items("Da giai quyet", "Kiến nghị, đơn thư đã giải quyết từ kỳ họp trước",
                         d.resolved.lines, [
                             ("Mã số", TEXT, lambda i: i.code),
                             ("Trích yếu nội dung", TEXT, lambda i: i.title),
                             ("Cơ quan có trách nhiệm giải quyết", TEXT, lambda i: i.agency),
                             ("Kết quả", TEXT, lambda i: i.outcome),
                             ("Ngày kết thúc", DAY, lambda i: i.closed_on)],
                         d.resolved.total))
    return tables


def number(value: int | None) -> str:
    """Format an integer the Vietnamese way (1.234); a dash for None."""
    return "–" if value is None else f"{value:,}".replace(",", ".")


def percent(value: float | None) -> str:
    """Format a percentage with a decimal comma (45,2%); a dash for None."""
    return "–" if value is None else f"{value:.1f}".replace(".", ",") + "%"


def signed(value: int | None) -> str:
    """Format a change with its sign (+3, −2, 0); a dash for None."""
    if value is None:
        return "–"
    return f"+{number(value)}" if value > 0 else f"−{number(-value)}" if value < 0 else "0"


def day(value: date | None) -> str:
    """Format a date as dd/mm/yyyy."""
    return "" if value is None else value.strftime("%d/%m/%Y")


def decimal(value: float | None) -> str:
    """Format an average with a decimal comma (2,5), as printed; a dash for None."""
    if value is None:
        return "–"
    text = f"{value:.2f}"
    return (text[:-1] if text.endswith("0") else text).replace(".", ",")


TEXT_OF = {TEXT: lambda v: "" if v is None else str(v), COUNT: number, PERCENT: percent,
           CHANGE: signed, DAY: day, DECIMAL: decimal}


def as_text(kind: str, value: Any) -> str:
    """Format a cell as the PDF prints it."""
    return TEXT_OF[kind](value)
