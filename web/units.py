"""Units as the hand-over and the boards see them: in force today or ended, by era."""
from __future__ import annotations

from typing import Any

from flask import current_app

from domain.reference import valid_on
from web.labels import ref_name, reference


def _today() -> Any:
    return current_app.extensions["petitions"].tracker.today()


def unit_has_ended(code: Any) -> bool:
    """Tell whether the unit ``code`` is no longer in force today (unknown: False)."""
    entry = reference().get("units", {}).get(str(code or ""))
    return bool(entry) and not valid_on(entry, _today())


def units_in_force() -> list[tuple[str, str]]:
    """Return (code, name) of the units in force today, by name: the successors one may pick."""
    today = _today()
    units = reference().get("units", {})
    pairs = [(code, ref_name("units", code)) for code, entry in units.items()
             if valid_on(entry, today)]
    return sorted(pairs, key=lambda pair: pair[1])


def is_new_unit(code: Any) -> bool:
    """Tell whether ``code`` is a commune or ward of the 2025 reform (valid from 1 July 2025)."""
    entry = reference().get("units", {}).get(str(code or "")) or {}
    return str(entry.get("valid_from") or "") >= "2025-07-01"
