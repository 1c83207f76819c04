"""The lineage of the 1 July 2025 reform: which old districts each new commune or ward came from.

Read from ``petitions/reference/lineage-2025-07-01.tsv`` (its format is the shared data
contract: one row per (new unit, old district) edge, ``main=1`` on the district that gave a
new unit most of its old wards and communes). Two questions are asked of it here: which
former district a commune or ward is rolled up to on the boards (its main predecessor), and
to which successor the open items of an abolished district are handed over by lineage.
"""
from __future__ import annotations

import csv
from dataclasses import dataclass, field
from pathlib import Path

from domain.errors import N_

LINEAGE_FILE = Path(__file__).parent / "reference" / "lineage-2025-07-01.tsv"

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


def parse_lineage(lines: list[str]) -> Lineage:
    """Read the lineage file's lines (header row first; ``#`` lines are comments)."""
    rows = csv.DictReader((line for line in lines if line.strip() and not line.startswith("#")),
                          delimiter="\t")
    edges = []
    for row in rows:
        units = tuple(u.strip() for u in (row.get("old_units") or "").split(";") if u.strip())
        edges.append(Edge(
            new_code=(row.get("new_code") or "").strip(),
            new_name=(row.get("new_name") or "").strip(),
            old_code=(row.get("old_code") or "").strip(),
            share=(row.get("share") or "").strip(),
            main=(row.get("main") or "").strip() == "1",
            old_units=units, basis=(row.get("basis") or "").strip(),
            note=(row.get("note") or "").strip(),
        ))
    return Lineage([e for e in edges if e.new_code and e.old_code])


_CACHE: dict[Path, tuple[float, Lineage]] = {}


def load_lineage(path: Path | None = None) -> Lineage:
    """Return the shipped lineage (empty when the file is missing), re-read when it changes."""
    path = path or LINEAGE_FILE
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return Lineage()
    cached = _CACHE.get(path)
    if cached is None or cached[0] != stamp:
        with path.open(encoding="utf-8") as handle:
            cached = (stamp, parse_lineage(handle.read().splitlines()))
        _CACHE[path] = cached
    return cached[1]
