"""PDF digests printed before council sessions: data from the read models, rendered by WeasyPrint.

``data`` assembles plain data from projection queries, ``render`` turns it into a PDF with a
URL fetcher that serves only this package's static files. ``make_digest`` ties both to a
runtime, for the CLI and the web.
"""
from __future__ import annotations

from typing import Any

from petitions.digest.data import Digest, DigestRequest, DigestUnavailable

__all__ = ["Digest", "DigestRequest", "DigestUnavailable", "make_digest", "filename"]


def make_digest(runtime: Any, request: DigestRequest) -> tuple[Digest, bytes]:
    """Render the digest for ``request`` from the runtime's views as of the tracker's clock.

    Return the digest's data (its ``position`` says which events it reflects) and the PDF.
    """
    from petitions.digest.data import build_digest
    from petitions.digest.render import render_pdf

    tracker = runtime.tracker
    digest = build_digest(runtime.views, tracker.reference(), request,
                          now=tracker.now(), zone=tracker.zone, policy=tracker.policy)
    return digest, render_pdf(digest)


def filename(request: DigestRequest) -> str:
    """Return a file name for the digest ("bao-cao-XVI-20-ba-dinh.pdf")."""
    parts = ["bao-cao", request.session, request.district or request.deputy_group or "thanh-pho"]
    if request.as_of:
        parts.append(request.as_of.isoformat())
    return "-".join(parts) + ".pdf"
