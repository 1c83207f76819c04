"""The reference codes a command may use, handed in by the application."""
from __future__ import annotations

from collections.abc import Container
from dataclasses import dataclass


@dataclass(frozen=True)
class KnownCodes:
    """Codes of units, agencies, fields, deputy groups and sessions in force."""

    units: Container[str] = ()
    agencies: Container[str] = ()
    fields: Container[str] = ()
    deputy_groups: Container[str] = ()
    sessions: Container[str] = ()
