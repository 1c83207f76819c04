"""Render a digest as a Word document (python-docx), for offices to edit before signing.

The layout follows the PDF's first page (Decree 30/2020/NĐ-CP, Appendix I): Times New Roman,
A4 portrait, margins top and bottom 20 mm, left 30 mm, right 15 mm; the masthead as a
borderless two-column table; then the tables of ``petitions.digest.tables`` and the
recipients and signature block.
"""
from __future__ import annotations

import io
from datetime import datetime, time
from typing import Any

from docx import Document as new_document
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt

from petitions.digest.document import Document
from petitions.digest.tables import (
    CHANGE, COUNT, DECIMAL, PERCENT, TEXT, Table, as_text, digest_tables,
)

FONT = "Times New Roman"
BODY_PT = 13
TABLE_PT = 10
CENTER, RIGHT, LEFT = WD_ALIGN_PARAGRAPH.CENTER, WD_ALIGN_PARAGRAPH.RIGHT, WD_ALIGN_PARAGRAPH.LEFT


def _paragraph(container: Any, text: str = "", *, bold: bool = False, italic: bool = False,
               size: float = BODY_PT, align: Any = CENTER, after: float = 0) -> Any:
    paragraph = container.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(after)
    paragraph.paragraph_format.space_before = Pt(0)
    if text:
        run = paragraph.add_run(text)
        run.bold, run.italic, run.font.size = bold, italic, Pt(size)
    return paragraph


def _cell_paragraphs(cell: Any) -> Any:
    """Return the cell's first (empty) paragraph to write into."""
    return cell.paragraphs[0]


def _no_borders(table: Any) -> None:
    borders = OxmlElement("w:tblBorders")
    for edge in ("top", "left", "bottom", "right", "insideH", "insideV"):
        element = OxmlElement(f"w:{edge}")
        element.set(qn("w:val"), "nil")
        borders.append(element)
    table._tbl.tblPr.append(borders)


def _write(cell: Any, text: str, *, bold: bool = False, italic: bool = False,
           size: float = TABLE_PT, align: Any = LEFT, underline: bool = False) -> None:
    paragraph = cell.paragraphs[0] if not cell.paragraphs[0].text else cell.add_paragraph()
    paragraph.alignment = align
    paragraph.paragraph_format.space_after = Pt(0)
    run = paragraph.add_run(text)
    run.bold, run.italic, run.underline, run.font.size = bold, italic, underline, Pt(size)


def _masthead(doc: Any, d: Document) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    left.width, right.width = Mm(70), Mm(95)
    _write(left, d.issuer.parent, size=12, align=CENTER)
    _write(left, d.issuer.name, bold=True, size=12, align=CENTER, underline=True)
    _write(left, d.reference, size=13, align=CENTER)
    _write(right, d.national_name, bold=True, size=12, align=CENTER)
    _write(right, d.motto, bold=True, size=13, align=CENTER, underline=True)
    _write(right, d.place_date, italic=True, size=13, align=CENTER)


ALIGN = {TEXT: LEFT, COUNT: RIGHT, PERCENT: RIGHT, CHANGE: RIGHT, DECIMAL: RIGHT}


def _table(doc: Any, t: Table, number: int) -> None:
    _paragraph(doc, f"{number}. {t.title}", bold=True, align=LEFT, after=4)
    if t.note:
        _paragraph(doc, t.note, italic=True, size=11, align=LEFT, after=4)
    if not t.rows:
        _paragraph(doc, "Không có.", size=11, align=LEFT, after=8)
        return
    table = doc.add_table(rows=1, cols=len(t.columns))
    table.style = "Table Grid"
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    for cell, column in zip(table.rows[0].cells, t.columns):
        _write(cell, column.header, bold=True, align=CENTER)
    # The header row repeats on every page, as in the PDF.
    header = table.rows[0]._tr.get_or_add_trPr()
    repeat = OxmlElement("w:tblHeader")
    repeat.set(qn("w:val"), "true")
    header.append(repeat)
    for values in t.rows:
        cells = table.add_row().cells
        for cell, column, value in zip(cells, t.columns, values):
            _write(cell, as_text(column.kind, value), align=ALIGN.get(column.kind, CENTER))
    if t.total:
        cells = table.add_row().cells
        for cell, column, value in zip(cells, t.columns, t.total):
            text = "" if value is None else as_text(column.kind, value)
            _write(cell, text, bold=True, align=ALIGN.get(column.kind, CENTER))
    _paragraph(doc, "", after=6)


def _closing(doc: Any, d: Document) -> None:
    table = doc.add_table(rows=1, cols=2)
    _no_borders(table)
    left, right = table.rows[0].cells
    _write(left, "Nơi nhận:", bold=True, italic=True, size=12)
    for n, recipient in enumerate(d.recipients):
        _write(left, f"- {recipient}{'.' if n == len(d.recipients) - 1 else ';'}", size=11)
    if d.issuer.authority:
        _write(right, d.issuer.authority, bold=True, size=13, align=CENTER)
    _write(right, d.issuer.position, bold=True, size=13, align=CENTER)
    for _ in range(4):  # room for the signature and the seal
        _write(right, " ", size=13, align=CENTER)
    _write(right, d.signer or " ", bold=True, size=13, align=CENTER)


def render_docx(digest: Any, doc: Document) -> bytes:
    """Return the digest as DOCX bytes."""
    word = new_document()
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin = section.bottom_margin = Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    style = word.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_PT)
    # East Asian fallback font name too, or Word substitutes its own for Vietnamese marks.
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)
    props = word.core_properties
    props.title = f"{doc.title} – {digest.scope_label} – {digest.session_name}"
    props.subject = doc.sign
    props.author = doc.issuer.name.title()
    stamp = datetime.combine(doc.issued_on, time(0, 0))
    props.created = props.modified = stamp
    props.last_modified_by = ""
    props.revision = 1

    _masthead(word, doc)
    if doc.draft:
        _paragraph(word, "DỰ THẢO – chưa ban hành, chưa có số", bold=True, size=11, after=6)
    _paragraph(word, doc.type_name, bold=True, size=14)
    _paragraph(word, doc.title, bold=True, size=14)
    _paragraph(word, doc.subtitle, size=13)
    _paragraph(word, doc.as_of_line, bold=True, size=13, after=12)
    for number, table in enumerate(digest_tables(digest), 1):
        _table(word, table, number)
    _closing(word, doc)
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()
