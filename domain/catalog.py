"""Reference data kept in the event store: units, agencies, fields, groups, sessions.

Units and agencies carry validity dates because Hanoi's units changed in 2025;
an entry is superseded by recording it again, never deleted.
"""
from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import NAMESPACE_URL, UUID, uuid5

from eventsourcing.domain import Aggregate, event

from domain.errors import InvalidInput, N_

SECTIONS = ("units", "agencies", "fields", "competence_levels", "deputy_groups", "council_terms",
            "council_sessions")


class ReferenceCatalog(Aggregate):
    """One catalog per deployment, holding every reference entry by section and code."""

    @staticmethod
    def create_id() -> UUID:
        """Return the single catalog's fixed id."""
        return uuid5(NAMESPACE_URL, "petitions:reference-catalog")

    @event("CatalogStarted")
    def __init__(self) -> None:
        self.entries: dict[str, dict[str, dict[str, Any]]] = {s: {} for s in SECTIONS}

    def record(self, section: str, entry: dict[str, Any], *, actor: str, at: datetime) -> bool:
        """Add or change one entry; return False when it is already recorded as given."""
        if section not in SECTIONS:
            raise InvalidInput({"section": [N_("Unknown value.")]})
        if not isinstance(entry, dict):
            raise InvalidInput({"entry": [N_("Must be a mapping of fields.")]})
        code = entry.get("code")
        if not isinstance(code, str) or not code.strip():
            raise InvalidInput({"code": [N_("This field is required.")]})
        if self.entries.get(section, {}).get(code) == entry:
            return False
        self._entry_recorded(section=section, entry=entry, actor=actor, at=at)
        return True

    @event("EntryRecorded")
    def _entry_recorded(self, section: str, entry: dict[str, Any], actor: str, at: datetime) -> None:
        # A catalog started before a section existed lacks its key (snapshots included).
        self.entries.setdefault(section, {})[entry["code"]] = entry
