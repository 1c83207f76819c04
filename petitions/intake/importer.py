"""Check every row of an intake file, then import the valid ones in batches.

Each row is checked by the same domain rules as the form (``VoterPetition.log``,
``Complaint.receive``), with units, groups and sessions judged on the row's own date. A
row's fingerprint (its kind and checked values) names a marker (``domain.intake.ImportedRow``)
saved in the same transaction as the item, so importing a file again adds nothing, and two
imports of one file at once cannot both add a row: the second conflicts and re-checks.
"""
from __future__ import annotations

import functools
import hashlib
import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from eventsourcing.application import ProcessingEvent
from eventsourcing.persistence import StoredEvent

from domain.actor import Actor
from domain.complaint import Complaint
from domain.errors import InvalidInput, N_, PermissionDenied
from domain.intake import ImportedRow
from domain.item_types import type_of
from domain.petition import VoterPetition
from domain.reference import display_name, valid_on
from petitions import permissions
from petitions.intake.created import CreatedRecords
from petitions.intake.sheets import (
    CHOICES, COMPLAINTS, PETITIONS, Sheet, SheetSpec, fold, read, to_date, to_flag, to_text,
)

BATCH = 200
SAVE_RETRIES = 5
SIMILAR_ROWS = 500  # duplicate suggestions for the first rows only (each is a search)
PLACEHOLDER = {"petition": "KN-0000-00000", "complaint": "DT-0000-00000"}
NOT_YOUR_UNIT = N_("You may import rows of your own unit only.")


@dataclass
class RowResult:
    """One row: what it says once checked, its problems, and what became of it."""

    sheet: str
    row: int
    kind: str
    cells: dict[str, Any]
    data: dict[str, Any] = field(default_factory=dict)
    errors: dict[str, list[str]] = field(default_factory=dict)
    fingerprint: str = ""
    status: str = "valid"      # valid | invalid | imported | already | repeated
    code: str = ""             # the item created (imported) or found (already)
    repeats: int = 0           # the earlier row of the same file it repeats
    similar: list[dict[str, Any]] = field(default_factory=list)
    checked: dict[str, Any] = field(default_factory=dict)  # a petition's cleaned fields

    @functools.cached_property
    def marker_id(self) -> Any:
        """Return the id of the row's marker (derived once from its fingerprint, which the
        check sets before anything asks)."""
        return ImportedRow.create_id(self.fingerprint)

    @property
    def title(self) -> str:
        """Return the row's title as typed (for lists of rows)."""
        return to_text(self.cells.get("title"))[:200]


@dataclass
class _Batch:
    """Rows numbered and encoded, to be written in one transaction."""

    rows: list[RowResult]  # the rows it imports
    counters: dict[tuple[str, int], Any] = field(default_factory=dict)  # (prefix, year)
    processing: ProcessingEvent[Any] = field(default_factory=ProcessingEvent)  # for snapshots
    stored: list[StoredEvent] = field(default_factory=list)  # counters first, then the items


@dataclass
class IntakeReport:
    """A checked (and maybe imported) file: every row, and the sheets' notes."""

    filename: str
    rows: list[RowResult]
    sheets: list[Sheet]
    dry_run: bool = True

    def count(self, status: str) -> int:
        """Count the rows in ``status``."""
        return sum(1 for r in self.rows if r.status == status)

    @property
    def invalid(self) -> list[RowResult]:
        """Return the rows with errors."""
        return [r for r in self.rows if r.status == "invalid"]

    @property
    def blank_rows(self) -> int:
        """Count the blank rows skipped."""
        return sum(s.blank_rows for s in self.sheets)

    def summary(self) -> dict[str, int]:
        """Return the count of rows per status, plus the blank rows skipped."""
        counts = {s: self.count(s) for s in ("valid", "invalid", "imported", "already",
                                            "repeated")}
        return {**counts, "rows": len(self.rows), "blank": self.blank_rows}


def fingerprint(kind: str, data: dict[str, Any]) -> str:
    """Return the fingerprint of a checked row: its kind and values, not where it sits."""
    payload = json.dumps([kind, sorted((k, str(v)) for k, v in data.items())],
                         ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


class Resolver:
    """Turn a typed name or code into the reference code valid on a day."""

    def __init__(self, reference: dict[str, dict[str, dict[str, Any]]]) -> None:
        self.reference = reference
        self._names: dict[str, dict[str, list[str]]] = {}

    def code(self, section: str, value: Any, day: date | None) -> str:
        """Return the code for ``value`` (a code, a name or a name with its kind)."""
        text = to_text(value).strip()
        entries = self.reference.get(section, {})
        if not text or text in entries:
            return text
        for candidate in (text.lower(), text.upper()):
            if candidate in entries:
                return candidate
        codes = self._by_name(section).get(fold(text), [])
        if day is not None:
            # "Ba Đình" was a district to 30/06/2025 and is a ward since: the row's date says.
            dated = [c for c in codes if valid_on(entries[c], day.isoformat())]
            if dated:
                return dated[0]
        return codes[0] if codes else text

    def _by_name(self, section: str) -> dict[str, list[str]]:
        if section not in self._names:
            names: dict[str, list[str]] = {}
            for code, entry in self.reference.get(section, {}).items():
                for name in {display_name(entry, code), entry.get("name"),
                             entry.get("name_vi"), entry.get("name_en")}:
                    if name:
                        names.setdefault(fold(name), []).append(code)
            self._names[section] = names
        return self._names[section]


def _choice(column: str, value: Any) -> str:
    words = CHOICES[column]
    text = fold(to_text(value))
    for code, word in words.items():
        if text in (fold(word), code):
            return code
    return to_text(value).strip()


class IntakeCommands:
    """The intake use cases of the tracker application (mixed into ``Tracker``)."""

    def check_intake(self, actor: Actor, content: bytes, filename: str, *,
                     similar: Callable[[RowResult], list[dict[str, Any]]] | None = None,
                     ) -> IntakeReport:
        """Read and check every row of an intake file; nothing is stored.

        Rows already imported (by fingerprint) are marked with their item's code; ``similar``
        suggests existing petitions a row may duplicate (the first rows only).
        """
        self._require_intake(actor)
        sheets = read(content, filename)
        resolver = Resolver(self.reference())  # type: ignore[attr-defined]
        rows: list[RowResult] = []
        seen: dict[str, int] = {}
        for sheet in sheets:
            for number, cells in sheet.rows:
                result = self._check_row(actor, sheet.spec, sheet.name, number, cells, resolver)
                if result.status == "valid":
                    if result.fingerprint in seen:
                        result.status, result.repeats = "repeated", seen[result.fingerprint]
                    else:
                        seen[result.fingerprint] = number
                rows.append(result)
        self._mark_imported([r for r in rows if r.status == "valid"])
        if similar is not None:
            for result in [r for r in rows if r.kind == "petition" and r.status == "valid"
                           ][:SIMILAR_ROWS]:
                result.similar = similar(result)
        return IntakeReport(filename, rows, sheets)

    def import_intake(self, actor: Actor, content: bytes, filename: str, *,
                      dry_run: bool = False, batch: int = BATCH,
                      progress: Callable[[int], None] | None = None) -> IntakeReport:
        """Check an intake file and import its valid rows, one transaction per batch.

        Rows with errors are left out (the report says why); a row imported before is not
        imported again. ``progress`` is told how many rows each batch settled.
        """
        report = self.check_intake(actor, content, filename)
        report.dry_run = dry_run
        if not dry_run:
            self.import_checked(actor, report.rows, source=filename, batch=batch,
                                progress=progress)
        return report

    def import_checked(self, actor: Actor, rows: list[RowResult], *, source: str,
                       batch: int = BATCH, progress: Callable[[int], None] | None = None,
                       ) -> None:
        """Import the valid ``rows`` a batch a transaction (``import_rows``).

        ``progress`` is told how many rows each batch settled. (Encoding the next batch in
        this thread while another writes the last was slower: the writer waits for the
        interpreter's lock at every row it inserts.)
        """
        valid = [r for r in rows if r.status == "valid"]
        for start in range(0, len(valid), batch):
            chunk = valid[start:start + batch]
            self.import_rows(actor, chunk, source=source)
            if progress:
                progress(len(chunk))

    def import_rows(self, actor: Actor, rows: list[RowResult], *, source: str) -> None:
        """Create the items of checked rows and their markers in one transaction.

        The rows were checked against the markers when the file was read; a row imported
        since (by another import of the same file) is caught by its marker's uniqueness in
        the store, which refuses the whole transaction: the rows are then checked against
        the markers again and the rest imported.
        """
        from eventsourcing.persistence import IntegrityError

        for attempt in range(SAVE_RETRIES):
            if attempt:
                self._mark_imported(rows)
            prepared = self._prepare_rows(actor, rows, source)
            if prepared is None:
                return
            try:
                self._write_rows(prepared)
            except Exception as error:
                self._discard_rows(prepared)
                if not isinstance(error, IntegrityError):
                    raise  # the store is down: nothing of the batch is written
                # Another writer took the same numbers, or imported some of these rows:
                # reload the counters and check the markers again.
                continue
            self._settle_rows(prepared)
            return
        from petitions.errors import ConflictError

        raise ConflictError(code=source)

    def _prepare_rows(self, actor: Actor, rows: list[RowResult], source: str) -> _Batch | None:
        """Number the valid ``rows`` and encode their records; None if no row is left to
        import."""
        todo = [r for r in rows if r.status == "valid"]
        if not todo:
            return None
        prepared = _Batch(todo)
        at, today = self.now(), self.today()  # type: ignore[attr-defined]
        created = CreatedRecords(self.mapper, at)  # type: ignore[attr-defined]
        stamp = actor.stamp()
        records, built = [], []
        for kind in ("petition", "complaint"):
            of_kind = [r for r in todo if r.kind == kind]
            if not of_kind:
                continue
            key = (type_of(_CLASSES[kind]).code_prefix, today.year)
            counter = self._counter(*key)  # type: ignore[attr-defined]
            prepared.counters[key] = counter
            for result, code in zip(of_kind, counter.allocate_block(len(of_kind), at)):
                if result.checked:
                    # A petition checked moments ago is logged from its cleaned fields, by
                    # the event ``VoterPetition.log_checked`` would record.
                    records.append(created.record(
                        VoterPetition, VoterPetition.PetitionLogged,
                        VoterPetition.create_id(code),
                        {**result.checked, "code": code, "at": at, **stamp}))
                else:
                    built.append(self._build(actor, kind, result.data, code))
                records.append(created.record(ImportedRow, ImportedRow.RowImported,
                                              result.marker_id, {
                                                  "fingerprint": result.fingerprint,
                                                  "code": code, "source": source[:200],
                                                  "row": result.row, "at": at, **stamp}))
                result.code = code
        # Counters first, then the items built, then the records: one transaction.
        for aggregate in (*prepared.counters.values(), *built):
            prepared.processing.events.extend(aggregate.collect_events())
            prepared.processing.aggregates[aggregate.id] = aggregate
        prepared.stored = [*map(self.mapper.to_stored_event,  # type: ignore[attr-defined]
                                prepared.processing.events), *records]
        return prepared

    def _write_rows(self, prepared: _Batch) -> None:
        """Store a batch's records in one transaction (``IntegrityError`` if any is taken).

        The recorder is called directly: the records are encoded already, and the steps of
        the application's ``save`` around the insert (collecting the aggregates' events,
        snapshots) are ``_prepare_rows``'s and ``_settle_rows``'s here.
        """
        self.recorder.insert_events(prepared.stored)  # type: ignore[attr-defined]

    def _settle_rows(self, prepared: _Batch) -> None:
        """A batch is written: keep its counters, snapshot them at their interval, and mark
        its rows imported."""
        with self._counter_lock:  # type: ignore[attr-defined]
            for key, counter in prepared.counters.items():
                self._counters[key] = counter  # type: ignore[attr-defined]
        self._take_snapshots(prepared.processing)  # type: ignore[attr-defined]
        for result in prepared.rows:
            result.status = "imported"

    def _discard_rows(self, prepared: _Batch) -> None:
        """A batch is not written: forget its counters (reloaded from the store next) and
        its rows' codes."""
        with self._counter_lock:  # type: ignore[attr-defined]
            for key in prepared.counters:
                self._counters.pop(key, None)  # type: ignore[attr-defined]
        for result in prepared.rows:
            result.code = ""

    # -- internals ---------------------------------------------------------------------------
    def _require_intake(self, actor: Actor) -> None:
        if not (permissions.may_log(actor, "petition") or permissions.may_log(actor, "complaint")):
            raise PermissionDenied(action="log")

    def _mark_imported(self, rows: list[RowResult]) -> None:
        """Mark the rows whose fingerprint was imported before, with the item's code."""
        from petitions.intake.markers import find_markers

        ids = {r.marker_id: r for r in rows}
        found = find_markers(self.recorder, ids)  # type: ignore[attr-defined]
        for marker_id, stored in found.items():
            marker = self.mapper.to_domain_event(stored)  # type: ignore[attr-defined]
            ids[marker_id].status, ids[marker_id].code = "already", marker.code

    def _check_row(self, actor: Actor, spec: SheetSpec, sheet: str, number: int,
                   cells: dict[str, Any], resolver: Resolver) -> RowResult:
        result = RowResult(sheet, number, spec.kind, cells)
        errors: dict[str, list[str]] = {}
        data: dict[str, Any] = {}
        for column in spec.columns:
            value = cells.get(column.field)
            if column.kind in READERS:
                read_value, fallback = READERS[column.kind]
                parsed = read_value(value)
                if isinstance(parsed, str):  # the message saying what is wrong
                    errors.setdefault(column.field, []).append(parsed)
                    parsed = fallback
                data[column.field] = parsed
            elif column.kind == "choice":
                data[column.field] = _choice(column.field, value)
            else:
                data[column.field] = to_text(value)
        on = data.get("meeting_date") if spec is PETITIONS else data.get("received_on")
        for column in spec.columns:
            if column.kind == "code":
                data[column.field] = resolver.code(column.section, cells.get(column.field), on)
        if spec is PETITIONS and data.get("received_on") is None:
            data["received_on"] = data.get("meeting_date")
            if "meeting_date" in errors:
                errors["received_on"] = []  # its default is the meeting date: said once
        if not permissions.in_scope(actor, data.get("district") or None, None):
            errors.setdefault("district", []).append(NOT_YOUR_UNIT)
        if not permissions.may_log(actor, spec.kind):
            errors.setdefault("title", []).append(
                N_("You may not log items of this kind."))
        try:
            built = self._build(actor, spec.kind, data, PLACEHOLDER[spec.kind])
            if spec.kind == "petition":
                result.checked = VoterPetition.checked_fields(built)
        except InvalidInput as err:
            for name, messages in err.errors.items():
                column = "petitioner_name" if name == "petitioner" else name
                if column not in errors:  # a date the file got wrong is not also "missing"
                    errors[column] = list(messages)
        result.data = data
        errors = {name: messages for name, messages in errors.items() if messages}
        if errors:
            result.errors, result.status = errors, "invalid"
        else:
            result.fingerprint = fingerprint(spec.kind, data)
        return result

    def _build(self, actor: Actor, kind: str, data: dict[str, Any], code: str) -> Any:
        """Build the item of a row with ``code`` (the domain checks every field)."""
        day = data.get("meeting_date") if kind == "petition" else data.get("received_on")
        known = self.known_codes(on=day if isinstance(day, date) else None)  # type: ignore[attr-defined]
        common = {"code": code, "known": known, "by": actor, "at": self.now(),  # type: ignore[attr-defined]
                  "today": self.today()}  # type: ignore[attr-defined]
        if kind == "petition":
            return VoterPetition.log(**common, **{k: data.get(k) for k in (
                "title", "content", "district", "deputy_group", "session", "field",
                "meeting_date", "meeting_place", "voters", "received_on")})
        person = {key: data.get(f"petitioner_{key}") or ""
                  for key in ("name", "address", "phone", "id_number")}
        anonymous = bool(data.get("anonymous"))
        return Complaint.receive(
            **common, policy=self.policy, calendar=self.calendar,  # type: ignore[attr-defined]
            kind=data.get("kind"), channel=data.get("channel"), title=data.get("title"),
            content=data.get("content"), subject=data.get("subject") or "",
            petitioner=None if anonymous else person, anonymous=anonymous,
            district=data.get("district"), field=data.get("field"),
            received_on=data.get("received_on"), learned_on=data.get("learned_on"))


_CLASSES = {"petition": VoterPetition, "complaint": Complaint}
# Cells read into a value, or a message (str) saying what is wrong; the value used then.
READERS: dict[str, tuple[Callable[[Any], Any], Any]] = {"date": (to_date, None),
                                                         "flag": (to_flag, False)}


__all__ = ["COMPLAINTS", "IntakeCommands", "IntakeReport", "PETITIONS", "RowResult",
           "fingerprint"]
