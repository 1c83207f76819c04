"""Official documents (văn bản) in the register: number and sign, date, issuer, type, file.

An agency's reply letter, an acceptance or extension decision, a transfer slip or an
urging letter is one document, registered once and linked to the items it concerns;
the items record which document was linked and why (``TrackedItem.link_document``).
Layout of the number and sign follows Decree 30/2020/NĐ-CP (Appendix I: "Số: 12/VP-HĐND").
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actor import Actor
from domain.errors import DomainError, N_
from domain.text import NAME_MAX, TEXT_MAX, FieldCheck

# Types of document (Decree 30/2020, art. 7), the ones a council office handles.
DOCUMENT_TYPES = ("cong_van", "quyet_dinh", "bao_cao", "thong_bao", "bien_ban", "ke_hoach",
                  "to_trinh", "phieu_chuyen", "don", "khac")
DIRECTIONS = ("incoming", "outgoing")
# Why a document is linked to an item (the purpose the item's history shows).
PURPOSES = ("answer", "decision", "acceptance", "extension", "transfer", "urging",
            "result_notice", "scan", "other")
MAX_LINKED = 200
SIGN_MAX = 60


class DocumentError(DomainError):
    """A document the register refuses."""


def document_id(reference: str, issuer: str, issued_on: date) -> UUID:
    """Derive a document's id from its number and sign, issuer and date (registered once)."""
    return uuid5(NAMESPACE_URL, f"petitions:document:{issuer}:{issued_on}:{reference}")


def reference_of(number: str, sign: str) -> str:
    """Return "12/VP-HĐND" from the number and the sign (either may be blank)."""
    return "/".join(part for part in (number.strip(), sign.strip()) if part)


def check_document(data: dict[str, Any], *, today: date) -> dict[str, Any]:
    """Return the document's cleaned facts, or raise InvalidInput naming each bad field."""
    check = FieldCheck()
    facts = {
        "number": check.text("number", data.get("number"), max_length=20),
        "sign": check.text("sign", data.get("sign", ""), max_length=SIGN_MAX, required=False),
        "issuer": check.text("issuer", data.get("issuer"), max_length=NAME_MAX),
        "doc_type": check.choice("doc_type", data.get("doc_type"), DOCUMENT_TYPES),
        "direction": check.choice("direction", data.get("direction"), DIRECTIONS),
        "summary": check.text("summary", data.get("summary"), max_length=TEXT_MAX),
        "signer": check.text("signer", data.get("signer", ""), max_length=NAME_MAX,
                             required=False),
        "recipient": check.text("recipient", data.get("recipient", ""), max_length=NAME_MAX,
                                required=False),
    }
    issued_on = data.get("issued_on")
    if not isinstance(issued_on, date) or isinstance(issued_on, datetime):
        check.add("issued_on", N_("Must be a date."))
    elif issued_on > today:
        check.add("issued_on", N_("The document's date cannot be in the future."))
    elif issued_on.year < 2000:
        check.add("issued_on", N_("The date is too far back: check the year."))
    codes = list(dict.fromkeys(data.get("item_codes") or ()))
    if not codes:
        check.add("item_codes", N_("Name at least one item the document concerns."))
    elif len(codes) > MAX_LINKED:
        check.add("item_codes", N_("At most {max} items per document.").replace(
            "{max}", str(MAX_LINKED)))
    check.raise_if_any()
    facts["issued_on"] = issued_on
    facts["item_codes"] = codes
    facts["reference"] = reference_of(facts["number"], facts["sign"])
    return facts


class OfficialDocument(Aggregate):
    """One document of the register, with its file (by hash) and the items it concerns."""

    @staticmethod
    def create_id(reference: str, issuer: str, issued_on: date, **_: Any) -> UUID:
        """Derive the id from the document's identity, so it is registered only once."""
        return document_id(reference, issuer, issued_on)

    @event("DocumentRegistered")
    def __init__(
        self, reference: str, issuer: str, issued_on: date, number: str, sign: str,
        doc_type: str, direction: str, summary: str, signer: str, recipient: str,
        item_codes: list[str], file: dict[str, Any] | None, personal: bool, at: datetime,
        actor: str, role: str,
    ) -> None:
        self.reference = reference
        self.issuer = issuer
        self.issued_on = issued_on
        self.number = number
        self.sign = sign
        self.doc_type = doc_type
        self.direction = direction
        self.summary = summary
        self.signer = signer
        self.recipient = recipient
        self.item_codes = list(item_codes)
        self.file = file
        self.personal = personal

    @classmethod
    def register(cls, facts: dict[str, Any], *, file: dict[str, Any] | None, personal: bool,
                 by: Actor, at: datetime) -> OfficialDocument:
        """Register a document from facts checked by ``check_document``."""
        return cls(file=file, personal=personal, at=at, **facts, **by.stamp())

    def link(self, codes: list[str], *, by: Actor, at: datetime) -> list[str]:
        """Link the document to more items; return the codes newly linked."""
        new = [c for c in dict.fromkeys(codes) if c not in self.item_codes]
        if len(self.item_codes) + len(new) > MAX_LINKED:
            raise DocumentError(N_("At most {max} items per document."))
        if new:
            self._linked(item_codes=new, at=at, **by.stamp())
        return new

    @event("DocumentItemsLinked")
    def _linked(self, item_codes: list[str], at: datetime, actor: str, role: str) -> None:
        self.item_codes = [*self.item_codes, *item_codes]

    def to_dict(self) -> dict[str, Any]:
        """Return the document as plain data."""
        return {
            "id": self.id, "reference": self.reference, "number": self.number,
            "sign": self.sign, "issuer": self.issuer, "issued_on": self.issued_on,
            "doc_type": self.doc_type, "direction": self.direction, "summary": self.summary,
            "signer": self.signer, "recipient": self.recipient,
            "item_codes": list(self.item_codes), "file": self.file, "personal": self.personal,
            "registered_at": self.created_on,
        }
