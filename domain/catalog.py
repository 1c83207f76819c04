"""Reference data kept in the event store: units, agencies, fields, groups, terms, sessions, lineage.

Every entry carries validity dates because Hanoi's units and departments changed in 2025.
Each change is an event naming who made it, when and why; an entry is ended (``valid_to``),
never deleted, so items of an abolished unit keep reading its name.
"""
from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.actor import Actor
from domain.errors import InvalidInput, N_
from domain.reference import check_entry, overlap
from domain.text import NAME_MAX, clean_text, text_problem

SECTIONS = ("units", "agencies", "fields", "competence_levels", "deputy_groups", "council_terms",
            "council_sessions", "lineage")
SHIPPED_REASON = N_("Shipped reference data")


def _require_section(section: str) -> None:
    if section not in SECTIONS:
        raise InvalidInput({"section": [N_("Unknown value.")]})


def _require_mapping(entry: object) -> None:
    if not isinstance(entry, dict):
        raise InvalidInput({"entry": [N_("Must be a mapping of fields.")]})


def _reason(reason: object) -> str:
    problem = text_problem(reason, max_length=NAME_MAX)
    if problem:
        raise InvalidInput({"reason": [problem]})
    return clean_text(reason, max_length=NAME_MAX)


class ReferenceCatalog(Aggregate):
    """One catalog per deployment, holding every reference entry by section and code."""

    @staticmethod
    def create_id() -> UUID:
        """Return the single catalog's fixed id."""
        return uuid5(NAMESPACE_URL, "petitions:reference-catalog")

    @event("CatalogStarted")
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in SECTIONS}

    def section(self, section: str) -> dict[str, dict[str, Any]]:
        """Return one section's entries (empty for a section this catalog never had)."""
        return self.entries.get(section, {})

    # -- commands -----------------------------------------------------------------------
    def record(self, section: str, entry: dict[str, Any], *, actor: str, at: datetime,
               role: str = "system", reason: str = SHIPPED_REASON) -> bool:
        """Add or change one entry as given (loading a file); False when already recorded so."""
        _require_section(section)
        _require_mapping(entry)
        code = entry.get("code")
        existing = self.section(section).get(code) if isinstance(code, str) else None
        if existing == entry:
            return False
        self._check(section, entry)
        stamp = {"actor": actor, "role": role, "at": at, "reason": reason}
        if existing is None:
            self._entry_added(section=section, entry=dict(entry), **stamp)
        else:
            self._entry_changed(section=section, entry=dict(entry), previous=existing, **stamp)
        return True

    def add(self, section: str, entry: dict[str, Any], *, by: Actor, at: datetime,
            reason: str) -> None:
        """Add a new entry; a code already recorded is refused (validity cannot overlap)."""
        _require_section(section)
        _require_mapping(entry)
        why = _reason(reason)
        existing = self.section(section).get(entry.get("code"))  # type: ignore[arg-type]
        if existing is not None:
            raise InvalidInput({"code": [overlap(existing, entry)]})
        self._check(section, entry)
        self._entry_added(section=section, entry=dict(entry), at=at, reason=why, **by.stamp())

    def change(self, section: str, code: str, changes: dict[str, Any], *, by: Actor,
               at: datetime, reason: str) -> bool:
        """Change fields of an entry (its code stays); False when nothing differs."""
        _require_section(section)
        _require_mapping(changes)
        existing = self._existing(section, code)
        why = _reason(reason)
        entry = {**existing, **changes, "code": code}
        if entry == existing:
            return False
        self._check(section, entry)
        self._entry_changed(section=section, entry=entry, previous=existing, at=at, reason=why,
                            **by.stamp())
        return True

    def end(self, section: str, code: str, valid_to: date, *, by: Actor, at: datetime,
            reason: str) -> None:
        """End an entry on ``valid_to`` (its last valid day); it stays readable for ever."""
        _require_section(section)
        existing = self._existing(section, code)
        why = _reason(reason)
        if not isinstance(valid_to, date):
            raise InvalidInput({"valid_to": [N_("Must be a date.")]})
        entry = {**existing, "valid_to": valid_to.isoformat()}
        self._check(section, entry)
        self._entry_ended(section=section, code=code, valid_to=valid_to.isoformat(), entry=entry,
                          at=at, reason=why, **by.stamp())

    def _existing(self, section: str, code: str) -> dict[str, Any]:
        existing = self.section(section).get(code)
        if existing is None:
            raise InvalidInput({"code": [N_("Unknown value.")]})
        return existing

    def _check(self, section: str, entry: dict[str, Any]) -> None:
        errors = check_entry(section, entry, self.entries)
        if errors:
            raise InvalidInput(errors)

    # -- events (the stored names are for ever) --------------------------------------------
    @event("EntryRecorded")
    def _entry_recorded(self, section: str, entry: dict[str, Any], actor: str, at: datetime) -> None:
        # Recorded by catalogs before issue 12 (no reason, no role); kept for replay.
        self.entries.setdefault(section, {})[entry["code"]] = entry

    @event("EntryAdded")
    def _entry_added(self, section: str, entry: dict[str, Any], actor: str, role: str,
                     at: datetime, reason: str) -> None:
        # A catalog started before a section existed lacks its key (snapshots included).
        self.entries.setdefault(section, {})[entry["code"]] = entry

    @event("EntryChanged")
    def _entry_changed(self, section: str, entry: dict[str, Any], previous: dict[str, Any],
                       actor: str, role: str, at: datetime, reason: str) -> None:
        self.entries.setdefault(section, {})[entry["code"]] = entry

    @event("EntryEnded")
    def _entry_ended(self, section: str, code: str, valid_to: str, entry: dict[str, Any],
                     actor: str, role: str, at: datetime, reason: str) -> None:
        self.entries.setdefault(section, {})[code] = entry
