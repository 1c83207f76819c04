"""Rows taken in from spreadsheets: a marker per row fingerprint makes an import idempotent."""
from __future__ import annotations

from datetime import datetime
from uuid import UUID

from eventsourcing.domain import Aggregate, event

from domain.ids import derived_id


class ImportedRow(Aggregate):
    """One spreadsheet row taken in as an item; its id is derived from the row's fingerprint.

    Saved in the same transaction as the item it created, so a row is imported at most once:
    a second import of the same row finds the marker (or conflicts on it) and adds nothing.
    """

    @staticmethod
    def create_id(fingerprint: str) -> UUID:
        """Derive the marker's id from the row's fingerprint."""
        return derived_id(f"petitions:imported-row:{fingerprint}")

    @event("RowImported")
    def __init__(self, fingerprint: str, code: str, source: str, row: int, at: datetime,
                 actor: str, role: str) -> None:
        self.fingerprint = fingerprint
        self.code = code
        self.source = source
        self.row = row
        self.at = at
        self.actor = actor
        self.role = role
