"""Addresses of the mailboxes the escalation ladder tells (agency, head, offices, committee)."""
from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from domain.deadline import (
    AGENCY, AGENCY_HEAD, CITY_OFFICE, DISTRICT_OFFICE, STANDING_COMMITTEE,
)
from domain.reference import valid_on

CITY_OFFICE_EMAIL = "van-phong@hdnd.hanoi.invalid"
STANDING_COMMITTEE_EMAIL = "thuong-truc@hdnd.hanoi.invalid"
RECIPIENTS_FILE = "notification_recipients.json"
# Who may be named in the admin's recipients page (issue 18), and the code each needs.
MAILBOX_KINDS = {"city_office": None, "standing_committee": None, "agency": "agencies",
                 "agency_head": "agencies", "district_office": "units"}


@dataclass
class RecipientDirectory:
    """Addresses per mailbox, from reference data with demo defaults (``.invalid``).

    An agency entry may carry ``email`` and ``head_email``; a file
    ``<instance>/notification_recipients.json`` may override ``city_office``,
    ``standing_committee``, ``agencies`` ({code: {email, head_email}}) and ``district_offices``
    ({unit: email}).
    """

    agencies: dict[str, dict[str, Any]] = field(default_factory=dict)
    city_office: str = CITY_OFFICE_EMAIL
    standing_committee: str = STANDING_COMMITTEE_EMAIL
    district_offices: dict[str, str] = field(default_factory=dict)
    # The units with their validity: a unit's office is told only while the unit exists.
    units: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def load(cls, reference_agencies: dict[str, dict[str, Any]],
             instance: Path | None = None,
             units: dict[str, dict[str, Any]] | None = None,
             engine: Any = None) -> RecipientDirectory:
        """Build the directory from the reference agencies and units, the older override
        file, then the addresses the admin set (``engine``: the views database), which win."""
        directory = cls(agencies={k: dict(v) for k, v in reference_agencies.items()},
                        units=dict(units or {}))

        path = instance / RECIPIENTS_FILE if instance else None
        if path and path.exists():
            data = json.loads(path.read_text("utf-8"))
            directory.city_office = data.get("city_office", directory.city_office)
            directory.standing_committee = data.get(
                "standing_committee", directory.standing_committee)
            directory.district_offices.update(data.get("district_offices", {}))
            for code, entry in data.get("agencies", {}).items():
                directory.agencies.setdefault(code, {}).update(entry)
        if engine is not None:
            directory.apply(ladder_addresses(engine))
        return directory

    def apply(self, rows: Iterable[dict[str, Any]]) -> None:
        """Take the admin's addresses (rows of ``ladder_recipients``)."""
        for row in rows:
            kind, code, email = row["kind"], row["code"], row["email"]
            if kind == "city_office":
                self.city_office = email
            elif kind == "standing_committee":
                self.standing_committee = email
            elif kind == "agency":
                self.agencies.setdefault(code, {})["email"] = email
            elif kind == "agency_head":
                self.agencies.setdefault(code, {})["head_email"] = email
            elif kind == "district_office":
                self.district_offices[code] = email

    def agency_email(self, agency: str) -> str:
        """Return the agency's mailbox."""
        return self.agencies.get(agency, {}).get("email") or f"{agency}@hanoi.invalid"

    def head_email(self, agency: str) -> str:
        """Return the mailbox of the agency's head."""
        return (self.agencies.get(agency, {}).get("head_email")
                or f"lanh-dao.{agency}@hanoi.invalid")

    def district_office(self, district: str, on: date | None = None) -> str | None:
        """Return the mailbox of a unit's office (Văn phòng HĐND và UBND) existing on ``on``.

        Before 1 July 2025 that is the district's office, after it the commune's or ward's.
        A unit abolished by ``on`` has no office any more (None): the city office, told at
        the same level, chases the item until it is handed over to a successor unit.
        """
        unit = self.units.get(district)
        if on is not None and unit is not None and not valid_on(unit, on):
            return None
        return (self.district_offices.get(district)
                or (unit or {}).get("office_email") or f"van-phong.{district}@hanoi.invalid")

    def recipients(self, mailboxes: Iterable[str], agency: str | None,
                   district: str | None, on: date | None = None) -> list[str]:
        """Return the addresses of ``mailboxes`` (a ladder step's) for an item, each once."""
        addresses: list[str] = []
        for mailbox in mailboxes:
            address = self.address(mailbox, agency, district, on)
            if address and address not in addresses:
                addresses.append(address)
        return addresses or [self.city_office]

    def address(self, mailbox: str, agency: str | None, district: str | None,
                on: date | None = None) -> str | None:
        """Return one mailbox's address for an item; None when the item has no such unit."""
        if mailbox in (AGENCY, AGENCY_HEAD) and not agency:
            return self.city_office  # not yet assigned: the secretariat chases it
        if mailbox == AGENCY:
            return self.agency_email(agency)  # type: ignore[arg-type]
        if mailbox == AGENCY_HEAD:
            return self.head_email(agency)  # type: ignore[arg-type]
        if mailbox == DISTRICT_OFFICE:
            return self.district_office(district, on) if district else None
        if mailbox == STANDING_COMMITTEE:
            return self.standing_committee
        if mailbox == CITY_OFFICE:
            return self.city_office
        return self.city_office


# -- the admin's addresses (issue 18: configured in the admin UI, not a JSON file) -----------
from sqlalchemy import Column, DateTime, MetaData, String, Table, delete, select  # noqa: E402

recipients_metadata = MetaData()
ladder_recipients = Table(
    "ladder_recipients", recipients_metadata,
    Column("kind", String(24), primary_key=True),
    Column("code", String(96), primary_key=True),   # "" for the city-wide mailboxes
    Column("email", String(254), nullable=False),
    Column("changed_by", String(64), nullable=False),
    Column("changed_at", DateTime(timezone=True), nullable=False),
)


def ladder_addresses(engine: Any) -> list[dict[str, Any]]:
    """Return the addresses the admin set, by kind and code."""
    recipients_metadata.create_all(engine)
    with engine.connect() as conn:
        return [dict(r) for r in conn.execute(select(ladder_recipients).order_by(
            ladder_recipients.c.kind, ladder_recipients.c.code)).mappings()]


def set_ladder_address(engine: Any, kind: str, code: str, email: str, *, by: str,
                       at: Any) -> None:
    """Set (or, with an empty ``email``, remove) one mailbox's address."""
    recipients_metadata.create_all(engine)
    c = ladder_recipients.c
    with engine.begin() as conn:
        conn.execute(delete(ladder_recipients).where(c.kind == kind, c.code == code))
        if email:
            conn.execute(ladder_recipients.insert().values(
                kind=kind, code=code, email=email, changed_by=by, changed_at=at))
