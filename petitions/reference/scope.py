"""Whether a user's scope (unit, agency, deputy group) exists on a day, and who took it over.

People move with the reform: staff of an abolished district are told at sign-in, and the
admin moves them to a successor commune or ward. The admin's user form calls
``check_scope`` with the codes typed and today's date, and shows each problem's
``message`` beside its field (``field``); nothing is saved while there is one.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from domain.errors import Message
from domain.reference import display_name, refusal, successors, valid_on

# The user field, the reference section it names.
SCOPE_FIELDS = (("district", "units"), ("agency", "agencies"), ("deputy_group", "deputy_groups"))


@dataclass(frozen=True)
class ScopeProblem:
    """One scope code that is not valid on the day: why, and who follows it."""

    field: str
    code: str
    name: str
    message: Message
    successors: tuple[tuple[str, str], ...]  # (code, name), valid on the day


def check_scope(reference: dict[str, dict[str, dict[str, Any]]], on: date,
                **codes: str | None) -> list[ScopeProblem]:
    """Return the problems of the scope codes given (``district=``, ``agency=``, ``deputy_group=``).

    An empty list means every code names an entry valid on ``on``. An unknown code is a
    problem too (with no successors).
    """
    problems = []
    for field, section in SCOPE_FIELDS:
        code = codes.get(field)
        if not code:
            continue
        entries = reference.get(section, {})
        entry = entries.get(code)
        if entry is None:
            problems.append(ScopeProblem(field, code, code,
                                         Message("{code} is not a known entry.", code=code), ()))
            continue
        if valid_on(entry, on):
            continue
        later = tuple((c, display_name(entries.get(c), c))
                      for c in successors(reference, section, code)
                      if c in entries and valid_on(entries[c], on))
        message = refusal(reference, section, code, on)
        problems.append(ScopeProblem(field, code, display_name(entry, code),
                                     message or Message("{code} is not a known entry.", code=code),
                                     later))
    return problems
