"""Reference data shipped with the package: Hanoi's units of both eras, agencies, sessions, lineage.

``hanoi.json`` holds the entries by section; ``lineage-2025-07-01.tsv`` the old → new unit
edges of the 1 July 2025 reform (format: the lineage contract, one row per edge).
"""
from __future__ import annotations

import csv
import io
import json
from functools import lru_cache
from importlib import resources
from typing import Any

from domain.reference import lineage_code

LINEAGE_FILE = "lineage-2025-07-01.tsv"
LINEAGE_COLUMNS = ("new_code", "new_name", "old_code", "share", "main", "old_units", "basis",
                   "note")


@lru_cache(maxsize=None)
def shipped_reference(name: str = "hanoi") -> dict[str, list[dict[str, Any]]]:
    """Return the reference data file ``petitions/reference/<name>.json``."""
    text = resources.files("petitions.reference").joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)


def parse_lineage(text: str) -> list[dict[str, Any]]:
    """Turn lineage TSV text into catalog entries (one per old → new edge), in file order.

    Comment lines (``#``) are skipped; a missing column raises ValueError naming it.
    """
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t",
                            quoting=csv.QUOTE_NONE)
    missing = [c for c in LINEAGE_COLUMNS if c not in (reader.fieldnames or ())]
    if missing:
        raise ValueError(f"lineage file lacks the columns {', '.join(missing)}")
    entries = []
    for row in reader:
        old_units = [u.strip() for u in (row["old_units"] or "").split(";") if u.strip()]
        entries.append({
            "code": lineage_code(row["old_code"], row["new_code"]),
            "old_code": row["old_code"], "new_code": row["new_code"],
            "new_name": row["new_name"], "share": row["share"], "main": row["main"] == "1",
            "old_units": old_units, "basis": row["basis"] or None, "note": row["note"] or None,
        })
    return entries


@lru_cache(maxsize=None)
def shipped_lineage(name: str = LINEAGE_FILE) -> tuple[dict[str, Any], ...]:
    """Return the shipped lineage edges as catalog entries."""
    text = resources.files("petitions.reference").joinpath(name).read_text("utf-8")
    return tuple(parse_lineage(text))
