"""Attached files: what is accepted (checked from the content, never the name) and previews.

A file is accepted only if its bytes are a PDF, a JPEG or PNG image, or a DOCX/XLSX
document, within the size limit. A PDF that runs JavaScript or acts on opening is refused
(the office opens these on its own machines); a DOCX/XLSX is a zip, refused when it
unpacks to far more than it weighs (a zip bomb) or holds too many entries.
"""
from __future__ import annotations

import hashlib
import io
import re
import subprocess
import tempfile
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import filetype

from domain.errors import InvalidInput, Message, N_

PDF = "application/pdf"
JPEG = "image/jpeg"
PNG = "image/png"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ACCEPTED = {PDF: "pdf", JPEG: "jpg", PNG: "png", DOCX: "docx", XLSX: "xlsx"}
# What an Office Open XML zip must hold to be that document: its main part.
OOXML_MAIN_PART = {DOCX: "word/document.xml", XLSX: "xl/workbook.xml"}

# A DOCX/XLSX unpacks to a few times its size; a zip bomb to thousands of times.
ZIP_MAX_RATIO = 100
ZIP_MAX_ENTRIES = 2000
ZIP_MAX_UNPACKED = 200 * 1024 * 1024
# PDF names that run code or act without the reader asking (ISO 32000-1, 12.6 and 7.11).
PDF_ACTIVE_NAMES = (b"/JavaScript", b"/JS", b"/OpenAction", b"/AA", b"/Launch",
                    b"/EmbeddedFile", b"/RichMedia", b"/XFA", b"/SubmitForm", b"/ImportData")
PDF_MAX_INFLATED = 200 * 1024 * 1024
IMAGE_MAX_PIXELS = 60_000_000   # a 600 dpi A3 scan is ~70 MP in colour at most; more is hostile
PREVIEW_WIDTH = 900
MB = 1024 * 1024
# Content that is surely no text and no Office zip: Windows, Linux and macOS programs, the
# old Office format (an OLE compound file) and PDF.
FOREIGN_SIGNATURES = (b"MZ", b"\x7fELF", b"\xcf\xfa\xed\xfe",
                      b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", b"%PDF-")


@dataclass(frozen=True)
class CheckedFile:
    """An accepted file: its bytes, SHA-256, type from the content, size and a safe name."""

    data: bytes
    sha256: str
    media_type: str
    size: int
    filename: str

    def facts(self) -> dict[str, Any]:
        """Return what an event records of the file (never its bytes)."""
        return {"sha256": self.sha256, "media_type": self.media_type, "size": self.size,
                "filename": self.filename}


def refuse(message: str, **values: Any) -> InvalidInput:
    """Return the form error for the ``file`` field."""
    return InvalidInput({"file": [Message(message, **values)]})


def check_file(data: bytes, filename: str, *, max_mb: int) -> CheckedFile:
    """Accept ``data`` as an attachment or raise InvalidInput naming what is wrong with it."""
    if not data:
        raise refuse(N_("The file is empty."))
    if len(data) > max_mb * MB:
        raise refuse(N_("The file is larger than {max} MB."), max=max_mb)
    media_type = sniff(data)
    if media_type is None:
        raise refuse(N_("Only PDF, JPEG or PNG images, DOCX and XLSX files can be attached "
                        "(the file's content is none of these, whatever its name)."))
    if media_type == PDF:
        _check_pdf(data)
    elif media_type in (JPEG, PNG):
        _check_image(data)
    else:
        _check_ooxml(data, media_type)
    return CheckedFile(data, hashlib.sha256(data).hexdigest(), media_type, len(data),
                       safe_name(filename, media_type))


def sniff(data: bytes) -> str | None:
    """Return the accepted media type the content is, or None (the name plays no part)."""
    kind = filetype.guess(data[:8192])
    mime = kind.mime if kind else None
    if mime == "application/zip" or (mime is None and is_zip(data)) \
            or mime in (DOCX, XLSX):
        return _ooxml_type(data)
    return mime if mime in (PDF, JPEG, PNG) else None


def is_zip(data: bytes) -> bool:
    """Return whether ``data`` starts as a zip package (every DOCX/XLSX does)."""
    return data[:4] == b"PK\x03\x04"


def is_foreign_binary(data: bytes) -> bool:
    """Return whether ``data`` starts as a program, an old Office file or a PDF."""
    return data.startswith(FOREIGN_SIGNATURES)


def _ooxml_type(data: bytes) -> str | None:
    try:
        names = set(zipfile.ZipFile(io.BytesIO(data)).namelist())
    except (zipfile.BadZipFile, ValueError, OSError):
        return None
    if "[Content_Types].xml" not in names:
        return None
    return next((t for t, part in OOXML_MAIN_PART.items() if part in names), None)


@dataclass(frozen=True)
class ZipLimits:
    """How far an Office zip may unpack: entries, inflated bytes, inflated/compressed ratio."""

    max_entries: int
    max_unpacked: int
    max_ratio: int
    # Below this size an entry is not held to the ratio (small XML parts compress 1000×).
    ratio_from: int = MB


ATTACHMENT_ZIP = ZipLimits(ZIP_MAX_ENTRIES, ZIP_MAX_UNPACKED, ZIP_MAX_RATIO)


class PackageRefused(Exception):
    """Why a zip package is refused; each caller words ``reason`` in its own message."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason    # damaged | too_many_entries | not_ooxml | encrypted | bomb


def check_package(data: bytes, limits: ZipLimits, *, main_part: str | None = None,
                  unpack: bool = False) -> None:
    """Refuse a zip that is not an Office document or unpacks past ``limits``.

    The sizes the directory declares are checked before anything is inflated. ``unpack``
    also inflates every entry with a cap, for files that leave the server: Word or Excel
    on a user's machine does not stop at a declared size that lies, zipfile does.
    """
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        entries = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError):
        raise PackageRefused("damaged") from None
    if len(entries) > limits.max_entries:
        raise PackageRefused("too_many_entries")
    names = {e.filename for e in entries}
    if "[Content_Types].xml" not in names or (main_part and main_part not in names):
        raise PackageRefused("not_ooxml")
    if any(e.flag_bits & 0x1 for e in entries):
        raise PackageRefused("encrypted")
    declared = 0
    for entry in entries:
        declared += entry.file_size
        ratio = entry.file_size / max(entry.compress_size, 1)
        if declared > limits.max_unpacked \
                or (entry.file_size > limits.ratio_from and ratio > limits.max_ratio):
            raise PackageRefused("bomb")
    if declared > limits.max_ratio * max(len(data), 1):
        raise PackageRefused("bomb")
    if not unpack:
        return
    # The declared sizes may lie: unpack each entry with a cap on what it may yield.
    total = 0
    for entry in entries:
        try:
            with archive.open(entry) as stream:
                while chunk := stream.read(MB):
                    total += len(chunk)
                    if total > limits.max_unpacked or total > limits.max_ratio * len(data):
                        raise PackageRefused("bomb")
        except (zipfile.BadZipFile, zlib.error, NotImplementedError, RuntimeError,
                EOFError, OSError):
            raise PackageRefused("damaged") from None


def _check_ooxml(data: bytes, media_type: str) -> None:
    """Refuse a DOCX/XLSX that unpacks to too much, by its declared sizes and by unpacking."""
    try:
        check_package(data, ATTACHMENT_ZIP, main_part=OOXML_MAIN_PART[media_type],
                      unpack=True)
    except PackageRefused as refused:
        if refused.reason in ("damaged", "encrypted", "not_ooxml"):
            raise refuse(N_("The document is damaged; save it again from Word or Excel.")) \
                from None
        raise refuse(N_("The document unpacks to far more than its size (a zip bomb?); "
                        "save it again from Word or Excel.")) from None


_NAME_ESCAPE = re.compile(rb"#([0-9A-Fa-f]{2})")
_STREAM = re.compile(rb"stream\r?\n(.*?)endstream", re.S)


def _check_pdf(data: bytes) -> None:
    """Refuse a PDF with JavaScript or automatic actions, also inside compressed streams."""
    for chunk in _pdf_texts(data):
        # Names may be written with #xx escapes (/J#61vaScript is /JavaScript).
        plain = _NAME_ESCAPE.sub(lambda m: bytes([int(m.group(1), 16)]), chunk)
        for name in PDF_ACTIVE_NAMES:
            if re.search(re.escape(name) + rb"(?![A-Za-z0-9])", plain):
                raise refuse(N_("The PDF contains scripts or automatic actions (JavaScript, "
                                "OpenAction…) and is refused; print it to PDF again or scan "
                                "the paper."))


def _pdf_texts(data: bytes) -> list[bytes]:
    """Return the PDF's bytes and every Flate stream inflated (object streams hide names)."""
    texts, inflated = [data], 0
    for match in _STREAM.finditer(data):
        body = match.group(1)
        try:
            out = zlib.decompressobj().decompress(body, PDF_MAX_INFLATED - inflated)
        except zlib.error:
            continue
        inflated += len(out)
        texts.append(out)
        if inflated >= PDF_MAX_INFLATED:
            raise refuse(N_("The PDF unpacks to far more than its size and is refused."))
    return texts


def _check_image(data: bytes) -> None:
    from PIL import Image

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
            if width * height > IMAGE_MAX_PIXELS:
                raise refuse(N_("The image is too large ({pixels} megapixels); scan it at "
                                "300 dpi."), pixels=width * height // 1_000_000)
            image.verify()
    except InvalidInput:
        raise
    except Exception:  # Pillow raises many kinds for a broken or hostile image
        raise refuse(N_("The image is damaged and cannot be read.")) from None


_UNSAFE = re.compile(r"[\x00-\x1f\x7f/\\:*?\"<>|]+")


def safe_name(filename: str, media_type: str) -> str:
    """Return the shown name: the file's own (no path, no control characters), right suffix."""
    base = Path((filename or "").replace("\\", "/")).name
    stem = _UNSAFE.sub("_", base.rsplit(".", 1)[0] if "." in base else base).strip(" ._")
    return f"{stem[:120] or 'tep'}.{ACCEPTED[media_type]}"


def preview_png(data: bytes, media_type: str) -> bytes | None:
    """Return a PNG of the first page (PDF) or the image downscaled; None for DOCX/XLSX."""
    if media_type == PDF:
        with tempfile.TemporaryDirectory(prefix="petitions-preview-") as folder:
            source = Path(folder) / "in.pdf"
            source.write_bytes(data)
            try:
                subprocess.run(
                    ["pdftoppm", "-png", "-f", "1", "-l", "1", "-singlefile",
                     "-scale-to-x", str(PREVIEW_WIDTH), "-scale-to-y", "-1",
                     str(source), str(Path(folder) / "page")],
                    check=True, capture_output=True, timeout=30)
            except (OSError, subprocess.SubprocessError):
                return None
            page = Path(folder) / "page.png"
            return page.read_bytes() if page.exists() else None
    if media_type in (JPEG, PNG):
        from PIL import Image

        with Image.open(io.BytesIO(data)) as image:
            image.thumbnail((PREVIEW_WIDTH, PREVIEW_WIDTH * 2))
            out = io.BytesIO()
            image.convert("RGB").save(out, "PNG")
            return out.getvalue()
    return None
