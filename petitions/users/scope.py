"""Which scope codes an account may be given: units, agencies and groups valid on a date.

People move with the reform (issue 12): an account's unit must exist on the day it is given,
and a refusal names the successors (``petitions.reference.scope.check_scope``).
"""
from __future__ import annotations

from datetime import date
from typing import Any

from petitions.reference.scope import check_scope


def scope_errors(reference: dict[str, Any] | None, on: date, *, district: str | None,
                 agency: str | None, deputy_group: str | None) -> dict[str, list[str]]:
    """Return errors per field for scope codes the reference data does not allow."""
    if reference is None:
        return {}
    problems = check_scope(reference, on, district=district, agency=agency,
                           deputy_group=deputy_group)
    return {p.field: [p.message] for p in problems}
