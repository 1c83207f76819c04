"""Issuing reports: the numbered register, the frozen figures and the files kept as issued.

Issuing renders the digest once in every format with the register's next number printed on
it, keeps the files content-addressed (``report_files``: SHA-256 → bytes, in the views
database but on its own metadata, so a rebuild of the views never drops them) and records
``ReportIssued`` on the register with the number, as-of date, figures and the files'
hashes, naming the actor. Downloading an issued report reads those bytes back: the same
file every time, whatever happened to the items since.
"""
from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime, timezone
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.persistence import IntegrityError
from sqlalchemy import Column, DateTime, Integer, LargeBinary, MetaData, String, Table, select
from sqlalchemy.engine import Engine

from domain.actor import Actor
from domain.report_register import ReportRegister
from petitions import permissions
from petitions.digest import FORMATS, DigestRequest, build, render_document
from petitions.digest.document import DEFAULT_ISSUER, ISSUERS, REPORT_TYPE, digest_document

reports_metadata = MetaData()
report_files = Table(
    "report_files", reports_metadata,
    Column("sha256", String(64), primary_key=True),
    Column("media_type", String(120), nullable=False),
    Column("size", Integer, nullable=False),
    Column("body", LargeBinary, nullable=False),
    Column("stored_at", DateTime(timezone=True), nullable=False),
)
FIRST_YEAR = 2024          # the first year the tracker holds items of
ISSUE_ATTEMPTS = 5         # numbers taken by others meanwhile before giving up


class ReportNotFound(LookupError):
    """No issued report has this issuer, year and number (or format)."""


@dataclass(frozen=True)
class IssuedReport:
    """One entry of the register, as the register page and the downloads show it."""

    issuer: str
    year: int
    number: int
    sign: str
    title: str
    scope: dict[str, str]
    as_of: date
    issued_on: date
    position: int
    chain: str
    signer: str
    figures: dict[str, Any]
    files: dict[str, str]
    actor: str
    at: datetime

    @classmethod
    def from_entry(cls, issuer: str, year: int, entry: dict[str, Any]) -> IssuedReport:
        """Build from the register's stored entry."""
        return cls(issuer, year, entry["number"], entry["sign"], entry["title"],
                   dict(entry["scope"]), date.fromisoformat(entry["as_of"]),
                   date.fromisoformat(entry["issued_on"]), entry["position"], entry["chain"],
                   entry["signer"], entry["figures"], dict(entry["files"]), entry["actor"],
                   entry["at"])

    @property
    def request(self) -> DigestRequest:
        """Return what the report covers, as a digest request."""
        return DigestRequest(self.scope.get("session", ""), self.scope.get("district", ""),
                             self.scope.get("deputy_group", ""))


def create_report_tables(engine: Engine) -> None:
    """Create the files table (idempotent)."""
    reports_metadata.create_all(engine)


def store_file(engine: Engine, body: bytes, media_type: str) -> str:
    """Keep ``body`` under its SHA-256 (once) and return the hash."""
    digest = hashlib.sha256(body).hexdigest()
    with engine.begin() as conn:
        found = conn.execute(select(report_files.c.sha256)
                             .where(report_files.c.sha256 == digest)).first()
        if found is None:
            conn.execute(report_files.insert().values(
                sha256=digest, media_type=media_type, size=len(body), body=body,
                stored_at=datetime.now(timezone.utc)))
    return digest


def read_file(engine: Engine, sha256: str) -> bytes:
    """Return the bytes kept under ``sha256``; refuse if they are missing or changed."""
    with engine.connect() as conn:
        body = conn.execute(select(report_files.c.body)
                            .where(report_files.c.sha256 == sha256)).scalar()
    if body is None or hashlib.sha256(body).hexdigest() != sha256:
        raise ReportNotFound(f"file {sha256[:12]} is missing or altered")
    return bytes(body)


def _register(tracker: Any, issuer: str, year: int) -> ReportRegister | None:
    try:
        return tracker.repository.get(ReportRegister.create_id(issuer, REPORT_TYPE, year))
    except AggregateNotFoundError:
        return None


def _figures(digest: Any) -> dict[str, Any]:
    """Return the figures an issued report freezes (the summary and the outcome tables)."""
    def rows(lines: list[Any]) -> list[list[Any]]:
        return [[r.label, r.current, r.previous] for r in lines]
    return {"headline": rows(digest.headline), "by_outcome": rows(digest.by_outcome),
            "by_field": [[r.label, r.total] for r in digest.by_field],
            "by_agency": [[r.label, r.total] for r in digest.by_agency],
            "escalated": digest.escalated.total, "resolved": digest.resolved.total}


def issue_report(runtime: Any, actor: Actor, request: DigestRequest, *,
                 as_of: date | None = None, issuer: str = DEFAULT_ISSUER, signer: str = "",
                 job: str = "", progress: Any = None) -> IssuedReport:
    """Render the report with the register's next number, keep its files and record it."""
    permissions.require(actor, "issue_report")
    if not permissions.may_download_digest(actor, request.district, request.deputy_group):
        raise permissions.PermissionDenied(action="issue_report")
    if issuer not in ISSUERS:
        raise ReportNotFound(f"unknown issuer {issuer!r}")
    tracker = runtime.tracker
    step = progress or (lambda percent, what: None)
    step(5, "figures")
    digest = build(runtime, request, as_of=as_of)
    issued_on = tracker.today()
    for _ in range(ISSUE_ATTEMPTS):
        register = _register(tracker, issuer, issued_on.year) or ReportRegister(
            issuer, REPORT_TYPE, issued_on.year)
        number = register.next_number
        doc = digest_document(digest, issuer=issuer, number=number, issued_on=issued_on,
                              signer=signer)
        files = {}
        for n, fmt in enumerate(FORMATS):
            step(20 + 25 * n, "layout")
            body = render_document(digest, fmt, doc)
            files[fmt] = store_file(runtime.views.engine, body, FORMATS[fmt][0])
        register.issue(
            number=number, job=job, sign=doc.sign, title=doc.title,
            scope={"session": request.session, "district": request.district,
                   "deputy_group": request.deputy_group},
            as_of=doc.as_of.isoformat(), issued_on=issued_on.isoformat(),
            position=digest.position, chain=str(digest.chain), signer=signer,
            figures=_figures(digest), files=files, actor=actor.username,
            role=actor.role.value, at=tracker.now())
        try:
            tracker.save(register)
        except IntegrityError:
            continue  # another office took this number meanwhile: render with the next one
        step(100, "done")
        return IssuedReport.from_entry(issuer, issued_on.year, register.reports[-1])
    raise IntegrityError("the register kept moving; issue the report again")


def issued_reports(tracker: Any, *, today: date | None = None) -> list[IssuedReport]:
    """Return every issued report, newest first."""
    today = today or tracker.today()
    found = []
    for issuer in ISSUERS:
        for year in range(FIRST_YEAR, today.year + 1):
            register = _register(tracker, issuer, year)
            if register is not None:
                found += [IssuedReport.from_entry(issuer, year, e) for e in register.reports]
    return sorted(found, key=lambda r: (r.at, r.number), reverse=True)


def report_of_job(tracker: Any, job: str, issuer: str) -> IssuedReport | None:
    """Return the report that rendering job ``job`` issued, if an attempt already did."""
    year = tracker.today().year
    for y in (year, year - 1):  # a job that ran over New Year's night
        register = _register(tracker, issuer, y)
        for entry in (register.reports if register is not None else []):
            if entry.get("job") == job:
                return IssuedReport.from_entry(issuer, y, entry)
    return None


def issued_report(tracker: Any, issuer: str, year: int, number: int) -> IssuedReport:
    """Return one issued report, or raise ReportNotFound."""
    register = _register(tracker, issuer, year) if issuer in ISSUERS else None
    entry = register.report(number) if register is not None else None
    if entry is None:
        raise ReportNotFound(f"no report {number} of {year} from {issuer}")
    return IssuedReport.from_entry(issuer, year, entry)


def issued_file(runtime: Any, report: IssuedReport, fmt: str) -> bytes:
    """Return the file of ``report`` in ``fmt`` exactly as it was issued."""
    if fmt not in report.files:
        raise ReportNotFound(f"no {fmt} file")
    return read_file(runtime.views.engine, report.files[fmt])
