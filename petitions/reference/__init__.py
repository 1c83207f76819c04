"""Reference data shipped with the package (Hanoi's 30 district-level units and more)."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any


@lru_cache(maxsize=None)
def shipped_reference(name: str = "hanoi") -> dict[str, list[dict[str, Any]]]:
    """Return the reference data file ``petitions/reference/<name>.json``."""
    text = resources.files("petitions.reference").joinpath(f"{name}.json").read_text("utf-8")
    return json.loads(text)
