"""Outgoing documents the council office issues, rendered to PDF from templates.

Urging letters (công văn đôn đốc) and transfer slips (phiếu chuyển đơn) follow the layout
of Decree 30/2020/NĐ-CP, Appendix I (national motto, issuer and number at the top left,
place and date at the top right, "Kính gửi", recipients and signature at the end). They are
rendered like the digest: Jinja2 with autoescaping, WeasyPrint with the fetcher that serves
only the digest's own fonts.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined

from petitions.digest.render import html_to_pdf

TEMPLATES = Path(__file__).resolve().parent / "templates"


def _day(value: date | None) -> str:
    return "" if value is None else value.strftime("%d/%m/%Y")


def _environment() -> Environment:
    env = Environment(loader=FileSystemLoader(str(TEMPLATES)), autoescape=True,
                      undefined=StrictUndefined, trim_blocks=True, lstrip_blocks=True)
    env.filters["day"] = _day
    return env


def _render(template: str, **values: Any) -> bytes:
    return html_to_pdf(_environment().get_template(template).render(**values))


def render_urging_letter(*, number: str, sign: str, issued_on: date, issuer: str,
                         recipient: str, items: list[dict[str, Any]], note: str = "",
                         signer: str = "") -> bytes:
    """Return the PDF of an urging letter to ``recipient`` listing the overdue ``items``."""
    return _render("urging.html", number=number, sign=sign, issued_on=issued_on,
                   issuer=issuer, recipient=recipient, items=items, note=note, signer=signer)


def render_transfer_slip(*, number: str, sign: str, issued_on: date, issuer: str,
                         recipient: str, code: str, title: str, received_on: date | None,
                         signer: str = "") -> bytes:
    """Return the PDF of the transfer slip sending a đơn to the competent ``recipient``."""
    return _render("transfer.html", number=number, sign=sign, issued_on=issued_on,
                   issuer=issuer, recipient=recipient, code=code, title=title,
                   received_on=received_on, signer=signer)


def render_reply_letter(*, number: str, sign: str, issued_on: date, issuer: str, code: str,
                        title: str, answer: str, signer: str = "") -> bytes:
    """Return the PDF of an agency's reply letter answering the petition ``code`` (the demo's
    agencies send these; the office registers them as incoming documents)."""
    parent, signer_title = _issuer_of(issuer)
    return _render("reply.html", number=number, sign=sign, issued_on=issued_on, issuer=issuer,
                   parent=parent, signer_title=signer_title, code=code, title=title,
                   answer=answer, signer=signer)


def _issuer_of(name: str) -> tuple[str, list[str]]:
    """Return the body above an agency (Decree 30's "tên cơ quan chủ quản") and the lines of
    its signature authority: a People's Committee signs on behalf of itself, a department
    for its director."""
    lowered = name.lower()
    if lowered.startswith(("ubnd", "ủy ban nhân dân", "uỷ ban nhân dân")):
        return "", ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH"]
    if lowered.startswith("công an"):
        return "BỘ CÔNG AN", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    return "UBND THÀNH PHỐ HÀ NỘI", ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
