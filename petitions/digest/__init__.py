"""Digests printed before council sessions: data from the read models, rendered as documents.

``data`` assembles plain data from projection queries; ``document`` adds what makes it a
state document (issuer, number, date, recipients, signer); ``render`` turns it into a PDF
with a URL fetcher that serves only this package's static files, ``word`` into a DOCX and
``excel`` its tables into an XLSX. ``make_digest`` ties them to a runtime, for the CLI, the
web's background jobs and the report register.
"""
from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import date
from typing import Any

from petitions.digest.data import Digest, DigestRequest, DigestUnavailable

__all__ = ["Digest", "DigestRequest", "DigestUnavailable", "FORMATS", "build", "render_document",
           "make_digest", "filename"]

# format → (media type, what the web's buttons say)
FORMATS = {
    "pdf": ("application/pdf", "PDF"),
    "docx": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "Word"),
    "xlsx": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "Excel"),
}


def _renderer(fmt: str) -> Callable[..., bytes]:
    # Imported here: WeasyPrint, python-docx and openpyxl load only in a process that renders.
    if fmt == "pdf":
        from petitions.digest.render import render_pdf
        return render_pdf
    if fmt == "docx":
        from petitions.digest.word import render_docx
        return render_docx
    from petitions.digest.excel import render_xlsx
    return render_xlsx


def build(runtime: Any, request: DigestRequest, *, as_of: date | None = None) -> Digest:
    """Read the digest's data for ``request`` from the runtime's views (as of ``as_of``)."""
    from petitions.digest.data import build_digest

    tracker = runtime.tracker
    if as_of is not None:
        request = dataclasses.replace(request, as_of=as_of)
    from projections.positions import AtPosition, PositionMoved

    for _ in range(5):
        try:
            return build_digest(runtime.views, tracker.reference(), request,
                                now=tracker.now(), zone=tracker.zone, policy=tracker.policy)
        except PositionMoved:  # new events were projected while it read: prepare, read again
            runtime.at_position(request.as_of.n)
    raise PositionMoved("the views kept moving while the digest was read")


Progress = Callable[[int, str], None]   # (percent done, what is happening) → None


def _quiet(percent: int, step: str) -> None:
    """Ignore progress."""


def render_document(digest: Digest, fmt: str = "pdf", doc: Any = None,
           progress: Progress = _quiet) -> bytes:
    """Return ``digest`` in format ``fmt`` (pdf, docx or xlsx); a draft unless ``doc`` is given."""
    from petitions.digest.document import digest_document

    doc = doc or digest_document(digest)
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}")
    renderer = _renderer(fmt)
    progress(40, "layout")
    if fmt == "pdf":
        return renderer(digest, doc, progress=progress)
    return renderer(digest, doc)


def make_digest(runtime: Any, request: DigestRequest, fmt: str = "pdf", *,
                as_of: date | None = None,
                progress: Progress = _quiet) -> tuple[Digest, bytes]:
    """Render the draft digest for ``request`` from the runtime's views as of the tracker's clock.

    Return the digest's data (its ``position`` says which events it reflects) and the file;
    ``progress`` hears how far it got (percent, step: figures, layout, writing, done).
    """
    progress(5, "figures")
    digest = build(runtime, request, as_of=as_of)
    data = render_document(digest, fmt, progress=progress)
    progress(100, "done")
    return digest, data


def filename(request: DigestRequest, fmt: str = "pdf", *, sign: str = "") -> str:
    """Return a file name for the digest ("bao-cao-XVI-20-ba-dinh.pdf", "12-BC-VP-….docx")."""
    parts = ["bao-cao", request.session, request.district or request.deputy_group or "thanh-pho"]
    if request.as_of:
        n = getattr(request.as_of, "n", None)
        parts.append(f"su-kien-{n}" if n is not None else request.as_of.isoformat())
    if sign:
        parts.insert(0, sign.replace("/", "-").replace("Đ", "D"))
    return "-".join(parts) + "." + fmt
