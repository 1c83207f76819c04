"""The lineage of the 1 July 2025 reform: which old districts each new commune or ward came from.

Read from the reference data's ``lineage`` section (loaded from
``petitions/reference/lineage-2025-07-01.tsv``: one edge per (new unit, old district),
``main`` on the district that gave a new unit most of its old wards and communes), so an
admin's correction counts at once. Two questions are asked of it here: which
former district a commune or ward is rolled up to on the boards (its main predecessor), and
to which successor the open items of an abolished district are handed over by lineage.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from domain.errors import N_
from domain.reference import LINEAGE

# The rules, in the words the boards and the hand-over preview show (English msgids).
ROLLUP_RULE = N_(
    "Each commune and ward is counted under the former district it mostly came from: the "
    "district that gave it most of its old wards and communes (Resolution "
    "1656/NQ-UBTVQH15; lineage file, main predecessor). Items logged before 1 July 2025 "
    "stay under their own district.")
HANDOVER_RULE = N_(
    "By lineage, the open items of an abolished district go to its main successor: among "
    "the communes and wards it is the main predecessor of, the one that took in most of its "
    "old wards and communes (ties: the lowest code).")


@dataclass(frozen=True)
class Edge:
    """One row of the lineage: a new unit took in (part of) an old district."""

    new_code: str
    new_name: str
    old_code: str
    share: str
    main: bool
    old_units: tuple[str, ...] = ()
    basis: str = ""
    note: str = ""


@dataclass
class Lineage:
    """Every edge of the reform's lineage, with the look-ups the boards and hand-overs need."""

    edges: list[Edge] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._main = {e.new_code: e.old_code for e in self.edges if e.main}

    def __bool__(self) -> bool:
        return bool(self.edges)

    @classmethod
    def from_entries(cls, entries: Iterable[Mapping[str, Any]]) -> Lineage:
        """Build the lineage from its catalog entries (``petitions.reference.parse_lineage``)."""
        return cls([Edge(new_code=e["new_code"], new_name=e.get("new_name") or "",
                         old_code=e["old_code"], share=e.get("share") or "",
                         main=bool(e.get("main")), old_units=tuple(e.get("old_units") or ()),
                         basis=e.get("basis") or "", note=e.get("note") or "")
                    for e in entries])

    def main_predecessor(self, new_code: str) -> str | None:
        """Return the former district ``new_code`` mostly came from (None: not a new unit)."""
        return self._main.get(new_code)

    def rollup_key(self, unit: str) -> str:
        """Return the former district a unit's items are rolled up to (itself if old)."""
        return self._main.get(unit, unit)

    def main_predecessors(self) -> dict[str, str]:
        """Return ``{new unit: former district it mostly came from}``."""
        return dict(self._main)

    def successors(self, old_code: str) -> list[Edge]:
        """Return the edges from ``old_code`` to the new units that took it in, by code."""
        return sorted((e for e in self.edges if e.old_code == old_code),
                      key=lambda e: e.new_code)

    def main_successor(self, old_code: str) -> Edge | None:
        """Return the successor the open items of ``old_code`` go to by lineage (HANDOVER_RULE)."""
        edges = self.successors(old_code)
        mains = [e for e in edges if self._main.get(e.new_code) == old_code] or edges
        if not mains:
            return None
        return min(mains, key=lambda e: (-len(e.old_units), e.new_code))


def lineage_of(reference: Mapping[str, Any]) -> Lineage:
    """Return the lineage recorded in the reference data (its ``lineage`` section)."""
    return Lineage.from_entries(reference.get(LINEAGE, {}).values())
