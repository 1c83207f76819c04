"""Render a digest to PDF with Jinja2 and WeasyPrint, fetching nothing but our own static files.

WeasyPrint's default fetcher would request http(s) URLs and embed local files named in
``file://`` links or attachments. Item titles are escaped by the template, so they cannot
add markup; the fetcher is the second wall: it serves files from ``static/`` under a
made-up origin and refuses every other URL (other schemes, ``data:``, paths that leave the
folder), whoever wrote it.
"""
from __future__ import annotations

import logging
from pathlib import Path
from collections.abc import Callable
from typing import Any
from urllib.parse import unquote, urlsplit

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup
from weasyprint.urls import URLFetcher, URLFetcherResponse

from petitions.digest.data import Digest
from petitions.digest.document import Document, digest_document
from petitions.digest.tables import day, decimal, number, percent, signed

HERE = Path(__file__).resolve().parent
STATIC = HERE / "static"
TEMPLATES = HERE / "templates"
# ".invalid" can never resolve (RFC 2606); an https origin lets relative URLs resolve, which a
# custom scheme would not.
ASSET_ORIGIN = "https://digest-assets.invalid/"
CONTENT_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".svg": "image/svg+xml",
                 ".png": "image/png"}

log = logging.getLogger(__name__)


class StaticOnlyFetcher(URLFetcher):
    """Serve files of the digest's static folder under ``ASSET_ORIGIN``; refuse anything else."""

    def __init__(self, root: Path = STATIC) -> None:
        # No protocol is allowed for the parent's own fetching: it is never reached.
        super().__init__(allowed_protocols=set(), allow_redirects=False, timeout=1)
        self.root = root.resolve()
        self.refused: list[str] = []

    def fetch(self, url: str, headers: Any = None) -> Any:
        """Return the static file ``url`` names, or raise ValueError for any other URL."""
        path = self.resolve(url)
        if path is None:
            self.refused.append(url)
            log.warning("digest renderer refused to fetch %.200s", url)
            raise ValueError(f"not a digest asset: {url[:200]}")
        return URLFetcherResponse(url, body=path.read_bytes(),
                                  headers={"Content-Type": CONTENT_TYPES[path.suffix]})

    def resolve(self, url: str) -> Path | None:
        """Return the file ``url`` maps to inside the static folder, or None if it is not one."""
        if not url.startswith(ASSET_ORIGIN):
            return None
        parts = urlsplit(url)
        if parts.query or parts.username or parts.password or parts.port:
            return None
        relative = unquote(parts.path).lstrip("/")
        if not relative or "\\" in relative or "\x00" in relative:
            return None
        candidate = (self.root / relative).resolve()
        if not candidate.is_relative_to(self.root) or not candidate.is_file():
            return None
        if candidate.suffix not in CONTENT_TYPES:
            return None
        return candidate


def _css_string(value: Any) -> Markup:
    """Quote ``value`` as a CSS string (for page margin boxes inside a <style> element)."""
    text = str(value)
    escaped = "".join(ch if ch.isalnum() or ch in " .,:;/()-–·+%" else f"\\{ord(ch):06x}"
                      for ch in text)
    # Only letters, digits and a few inert signs stay as they are, so the result cannot close
    # the string or the <style> element: it is safe to emit unescaped.
    return Markup(f'"{escaped}"')


def environment() -> Environment:
    """Return the Jinja2 environment of the digest templates (autoescaping on)."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters.update(number=number, percent=percent, signed=signed, day=day, decimal=decimal,
                       css_string=_css_string)
    return env


def render_html(digest: Digest, doc: Document | None = None) -> str:
    """Return the digest as an HTML document (its assets are relative to ``ASSET_ORIGIN``).

    ``doc`` carries the document's number, date and signer; without it the digest prints
    as a draft dated today.
    """
    return environment().get_template("digest.html").render(
        d=digest, doc=doc or digest_document(digest))


def html_to_pdf(html: str, fetcher: StaticOnlyFetcher | None = None,
                progress: Callable[[int, str], None] | None = None) -> bytes:
    """Render an HTML document to PDF bytes through the restricted fetcher, without attachments."""
    from weasyprint import HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = fetcher or StaticOnlyFetcher()
    fonts = FontConfiguration()
    document = HTML(string=html, base_url=ASSET_ORIGIN, url_fetcher=fetcher,
                    media_type="print").render(font_config=fonts)
    # Digests never carry attachments: drop any (<link>/<a rel="attachment">) before they are
    # fetched and embedded, whatever URL they name.
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    if progress:
        progress(80, "writing")
    return document.write_pdf()


def render_pdf(digest: Digest, doc: Document | None = None,
               progress: Callable[[int, str], None] | None = None) -> bytes:
    """Return the digest as PDF bytes."""
    return html_to_pdf(render_html(digest, doc), progress=progress)
