"""The register of issued reports: one per issuing body, document type and year.

Decree 30/2020/NĐ-CP numbers an office's documents from 01 on 1 January to 31 December each
year, so the register for (issuer, type, year) hands out 1, 2, 3 … and nothing else. An
issued report is frozen: its number, as-of date, figures and the hashes of its files are in
the event, so later changes to items never reach it; a new figure needs a new report.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event


class ReportRegisterError(Exception):
    """A report could not be entered in the register."""


class ReportNumberTaken(ReportRegisterError):
    """Someone issued a report with this number first; take the next one."""


class ReportAlreadyIssued(ReportRegisterError):
    """The same rendering job already issued its report (a worker finished twice)."""


class ReportRegister(Aggregate):
    """The numbered register of one issuer's reports of one type in one year."""

    @staticmethod
    def create_id(issuer: str, doc_type: str, year: int) -> UUID:
        """Derive the register's id from issuer, document type and year."""
        return uuid5(NAMESPACE_URL, f"petitions:report-register:{issuer}:{doc_type}:{year}")

    @event("ReportRegisterOpened")
    def __init__(self, issuer: str, doc_type: str, year: int) -> None:
        self.issuer = issuer
        self.doc_type = doc_type
        self.year = year
        self.reports: list[dict[str, Any]] = []

    @property
    def next_number(self) -> int:
        """Return the number the next report will take."""
        return len(self.reports) + 1

    def report(self, number: int) -> dict[str, Any] | None:
        """Return the entry of report ``number`` (None if not issued)."""
        return self.reports[number - 1] if 0 < number <= len(self.reports) else None

    def issue(self, *, number: int, job: str, sign: str, title: str, scope: dict[str, str],
              as_of: str, issued_on: str, position: int, chain: str, signer: str,
              figures: dict[str, Any], files: dict[str, str], actor: str, role: str,
              at: datetime) -> None:
        """Enter report ``number`` (the register's next) with its frozen figures and files."""
        if number != self.next_number:
            raise ReportNumberTaken(f"number {number} is taken; the next is {self.next_number}")
        if job and any(r.get("job") == job for r in self.reports):
            raise ReportAlreadyIssued(f"job {job} already issued its report")
        if not files:
            raise ReportRegisterError("an issued report keeps its files")
        self._issued(number=number, job=job, sign=sign, title=title, scope=dict(scope),
                     as_of=as_of, issued_on=issued_on, position=position, chain=chain,
                     signer=signer, figures=figures, files=dict(files), actor=actor,
                     role=role, at=at)

    @event("ReportIssued")
    def _issued(self, number: int, job: str, sign: str, title: str, scope: dict[str, str],
                as_of: str, issued_on: str, position: int, chain: str, signer: str,
                figures: dict[str, Any], files: dict[str, str], actor: str, role: str,
                at: datetime) -> None:
        self.reports.append({
            "number": number, "job": job, "sign": sign, "title": title, "scope": scope,
            "as_of": as_of, "issued_on": issued_on, "position": position, "chain": chain,
            "signer": signer, "figures": figures, "files": files, "actor": actor,
            "role": role, "at": at,
        })
