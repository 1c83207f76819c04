"""The parts of a digest that make it a state document (Decree 30/2020/NĐ-CP on clerical work).

Appendix I of the decree lays out an administrative document's components, each in its
box on the first page: the national name and motto (1), the issuing body under its parent
body (2), the number and reference sign (3), the place and date (4), the type and title
(5a), the content (6), the signer's authority, position and name (7a-7c), and the
recipients (9a, 9b). Numbers run from 01 on 1 January to 31 December each year; day and
month below 10 (and months 1-2) take a leading zero.
Summaries: https://lawnet.vn/thong-tin-phap-luat/en/hanh-chinh/vietnam-how-to-draft-a-standard-administrative-documents-according-to-decree-30-149058.html
and https://www.vietnam.vn/en/huong-dan-cach-viet-ngay-thang-nam-trong-van-ban-dung-chuan-nghi-dinh-30

A draft (not yet issued) prints the same layout with a blank number ("Số:     /BC-VP") and
is marked as a draft; an issued report prints the number its register gave it.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

NATIONAL_NAME = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
PLACE = "Hà Nội"
REPORT_TYPE = "BC"          # Appendix III: báo cáo → BC
REPORT_TYPE_NAME = "BÁO CÁO"


@dataclass(frozen=True)
class Issuer:
    """A body that issues reports: its names (box 2), reference sign and signer's titles."""

    code: str
    parent: str          # the superior body, printed above the issuer's own name
    name: str
    sign: str            # the abbreviation after the type: 12/BC-<sign>
    authority: str       # 7a: TM. (on behalf of a collective) / TL. / KT. …
    position: str        # 7a: the signer's position
    label: str           # how forms name it


ISSUERS = {
    "van-phong": Issuer(
        "van-phong", "ĐOÀN ĐBQH VÀ HĐND THÀNH PHỐ HÀ NỘI", "VĂN PHÒNG", "VP",
        "", "CHÁNH VĂN PHÒNG", "Văn phòng Đoàn ĐBQH và HĐND Thành phố"),
    "thuong-truc": Issuer(
        "thuong-truc", "HĐND THÀNH PHỐ HÀ NỘI", "THƯỜNG TRỰC HĐND", "HĐND",
        "TM. THƯỜNG TRỰC HĐND", "CHỦ TỊCH", "Thường trực HĐND Thành phố"),
}
DEFAULT_ISSUER = "van-phong"

RECIPIENTS = (
    "Thường trực HĐND Thành phố",
    "Các Ban HĐND Thành phố",
    "Các Tổ đại biểu HĐND Thành phố",
    "UBND Thành phố",
)
FILED = "Lưu: VT"


@dataclass(frozen=True)
class Document:
    """What the first and last page print around the figures."""

    issuer: Issuer
    number: int | None           # None: a draft
    year: int
    issued_on: date
    as_of: date
    title: str
    subtitle: str
    recipients: tuple[str, ...]
    signer: str = ""
    chain: str = ""              # the event position and hash the figures were read at
    extra: dict[str, Any] = field(default_factory=dict)

    national_name: str = NATIONAL_NAME
    motto: str = MOTTO
    type_name: str = REPORT_TYPE_NAME

    @property
    def draft(self) -> bool:
        """Tell whether the report has no number yet."""
        return self.number is None

    @property
    def reference(self) -> str:
        """Return box 3: "Số: 12/BC-VP" (a blank number on a draft)."""
        number = "\u00a0" * 6 if self.number is None else f"{self.number:02d}"
        return f"Số: {number}/{REPORT_TYPE}-{self.issuer.sign}"

    @property
    def sign(self) -> str:
        """Return the number and sign alone ("12/BC-VP"; "…/BC-VP" for a draft)."""
        number = "…" if self.number is None else f"{self.number:02d}"
        return f"{number}/{REPORT_TYPE}-{self.issuer.sign}"

    @property
    def place_date(self) -> str:
        """Return box 4: "Hà Nội, ngày 05 tháng 01 năm 2026"."""
        d = self.issued_on
        return f"{PLACE}, ngày {d.day:02d} tháng {d.month:02d} năm {d.year}"

    @property
    def as_of_line(self) -> str:
        """Return the line that dates the figures (and the event, when read just after one)."""
        n = getattr(self.as_of, "n", None)
        if n is not None:
            return (f"Số liệu tính đến sự kiện số {n:,} (ngày {self.as_of:%d/%m/%Y})"
                    .replace(",", "."))
        return f"Số liệu tính đến ngày {self.as_of:%d/%m/%Y}"


def digest_document(digest: Any, *, issuer: str = DEFAULT_ISSUER, number: int | None = None,
                    issued_on: date | None = None, signer: str = "") -> Document:
    """Return the document parts of ``digest`` (a draft unless ``number`` is given)."""
    as_of = getattr(digest, "as_of", None) or digest.today
    issued_on = issued_on or digest.today
    recipients = list(RECIPIENTS)
    if digest.scope_kind == "district":
        recipients.append(f"HĐND, UBND {digest.scope_label}")
    elif digest.scope_kind == "group":
        recipients.append(digest.scope_label)
    chain = digest.chain
    return Document(
        issuer=ISSUERS[issuer], number=number, year=issued_on.year, issued_on=issued_on,
        as_of=as_of,
        title="Tình hình giải quyết kiến nghị cử tri và đơn thư",
        subtitle=f"{digest.session_name} – {digest.scope_label}",
        recipients=(*recipients, FILED), signer=signer,
        chain=f"sự kiện {chain.position:,}".replace(",", ".") + f", mã băm {chain.short}",
    )
