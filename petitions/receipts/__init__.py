"""The citizen's receipt (giấy biên nhận) as a PDF: code, date, lookup address and key."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from petitions.digest.render import html_to_pdf

TEMPLATES = Path(__file__).resolve().parent / "templates"


def render_receipt(facts: dict[str, Any]) -> bytes:
    """Render the receipt; ``facts`` holds code, kind, dates, unit, lookup URL and key."""
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined)
    return html_to_pdf(env.get_template("receipt.html").render(r=facts))
