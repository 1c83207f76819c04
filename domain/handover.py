"""Handing an open item over to a successor unit: which units may give and take items.

An item keeps the unit it was logged under for ever (its creation event says so); when that
unit is abolished (Hanoi's 30 districts ended on 30 June 2025), the office hands its open
items to a unit in force, by an event on each item. The rules here judge the units by
their validity dates on the day of the hand-over; the lifecycle row (``domain.item``)
judges the item's status.
"""
from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from domain.errors import DomainError, N_
from domain.reference import valid_on


class HandoverError(DomainError):
    """A hand-over the units' validity does not allow; ``field`` names the unit at fault."""

    def __init__(self, template: str | None = None, *, field: str = "to_unit",
                 **params: Any) -> None:
        self.field = field
        super().__init__(template, **params)


def unit_name(units: Mapping[str, Mapping[str, Any]], code: str) -> str:
    """Return the unit's name for messages (its code when unknown)."""
    entry = units.get(code) or {}
    return str(entry.get("name") or code)


def check_hand_over(from_unit: str, to_unit: str, units: Mapping[str, Mapping[str, Any]],
                    on: date) -> None:
    """Refuse a hand-over from ``from_unit`` to ``to_unit`` on ``on`` unless the units allow it.

    The giving unit must have ended (a unit in force keeps its items); the taking unit must
    be known and in force on the day; an item is never handed to the unit it is with.
    """
    if not isinstance(to_unit, str) or to_unit not in units:
        raise HandoverError(N_("Unknown unit {unit}."), unit=str(to_unit or "—"))
    if to_unit == from_unit:
        raise HandoverError(N_("The item is already with {unit}."),
                            unit=unit_name(units, to_unit))
    if from_unit in units and valid_on(units[from_unit], on):
        raise HandoverError(
            N_("{unit} is still in force: only the items of an abolished unit are handed over."),
            unit=unit_name(units, from_unit), field="from_unit")
    if not valid_on(units[to_unit], on):
        raise HandoverError(
            N_("{unit} is not in force on {day}: hand over to a unit in force today."),
            unit=unit_name(units, to_unit), day=on.strftime("%d/%m/%Y"))
