"""Files for attachment tests: good ones of every accepted type and the bad inputs of issue 17."""
from __future__ import annotations

import io
import zipfile
import zlib

MB = 1024 * 1024


def letter_pdf(text: str = "Công văn số 45/SXD-QLHT ngày 10/03/2025") -> bytes:
    """Return a real one-page PDF with ``text`` (rendered like the digests)."""
    from petitions.digest.render import html_to_pdf

    return html_to_pdf(f"<html><body><h1>Sở Xây dựng</h1><p>{text}</p></body></html>")


def _pdf(objects: list[bytes]) -> bytes:
    """Return a small hand-written PDF made of ``objects`` (1 0 obj is the catalog)."""
    out = io.BytesIO()
    out.write(b"%PDF-1.7\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n" % number + body + b"\nendobj\n")
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n"
              % (len(objects) + 1, xref))
    return out.getvalue()


def pdf_with_javascript() -> bytes:
    """Return a PDF that runs JavaScript when opened (OpenAction)."""
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R /OpenAction 3 0 R >>",
                 b"<< /Type /Pages /Kids [] /Count 0 >>",
                 b"<< /S /JavaScript /JS (app.alert('x')) >>"])


def pdf_with_hidden_javascript() -> bytes:
    """Return a PDF whose JavaScript action hides in a compressed object stream, name escaped."""
    hidden = zlib.compress(b"3 0 obj << /S /J#61vaScript /J#53 (app.alert(1)) >> endobj")
    return _pdf([b"<< /Type /Catalog /Pages 2 0 R >>",
                 b"<< /Type /Pages /Kids [] /Count 0 >>",
                 b"<< /Type /ObjStm /Filter /FlateDecode /Length %d >>\nstream\n" % len(hidden)
                 + hidden + b"\nendstream"])


def renamed_executable() -> bytes:
    """Return the start of an ELF executable (a test names it ``scan.pdf``)."""
    return b"\x7fELF\x02\x01\x01\x00" + b"\x00" * 8 + b"\x02\x00\x3e\x00" + b"\x00" * 200


def windows_executable() -> bytes:
    """Return the start of a Windows executable (MZ header)."""
    return b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 200


def png_image(width: int = 40, height: int = 30) -> bytes:
    """Return a small PNG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (width, height), (200, 30, 30)).save(out, "PNG")
    return out.getvalue()


def jpeg_image() -> bytes:
    """Return a small JPEG."""
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (64, 48), (30, 120, 30)).save(out, "JPEG")
    return out.getvalue()


def xlsx_file() -> bytes:
    """Return a real XLSX made by openpyxl."""
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["Mã số", "Nội dung"])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def docx_like() -> bytes:
    """Return a minimal Office Open XML word document (the parts a DOCX must have)."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document>Công văn</w:document>")
    return out.getvalue()


def zip_bomb_xlsx(unpacked_mb: int = 150) -> bytes:
    """Return an "XLSX" whose sheet unpacks from a few hundred KB to ``unpacked_mb`` MB."""
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as sheet:
            block = b"\x00" * MB
            for _ in range(unpacked_mb):
                sheet.write(block)
    return out.getvalue()


def big_scan(megabytes: int = 200) -> bytes:
    """Return ``megabytes`` MB that start like a PDF (a huge scan)."""
    return b"%PDF-1.4\n" + bytes(megabytes * MB)
