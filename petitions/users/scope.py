"""Which scope codes an account may be given: units valid on a date, known agencies and groups.

SEAM (issue 14 / the reference helper): units change (Hanoi's 2025 reorganisation ended the
district-level units on 30 June 2025 and created new ones); the reference helper is adding
"is this unit valid on a date, and its successors". Until it lands, :func:`unit_problem`
accepts every unit the reference data knows — the units the app already uses — and names
no successors. Replace its body with a call to that function; nothing else changes.
"""
from __future__ import annotations

from datetime import date
from typing import Any

from domain.errors import N_


def unit_problem(reference: dict[str, Any], code: str, on: date) -> str | None:
    """Return why ``code`` cannot be an account's unit on ``on`` (None when it can)."""
    if code not in reference.get("units", {}):
        return N_("Unknown value.")
    return None


def scope_errors(reference: dict[str, Any] | None, on: date, *, district: str | None,
                 agency: str | None, deputy_group: str | None) -> dict[str, list[str]]:
    """Return errors per field for scope codes the reference data does not allow."""
    if reference is None:
        return {}
    errors: dict[str, list[str]] = {}
    if district and (problem := unit_problem(reference, district, on)):
        errors["district"] = [problem]
    if agency and agency not in reference.get("agencies", {}):
        errors["agency"] = [N_("Unknown value.")]
    if deputy_group and deputy_group not in reference.get("deputy_groups", {}):
        errors["deputy_group"] = [N_("Unknown value.")]
    return errors
