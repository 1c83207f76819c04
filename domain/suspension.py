"""When parking an item stops its clock, and by how much the due date moves on resuming.

Three cases, decided by the item's kind and the day the pause starts:

- **Suspension by decision** (tạm đình chỉ) of a denunciation (Luật Tố cáo 2018, Điều 34,
  in force from 1 January 2019) or of a complaint (Luật Khiếu nại 2011, Điều 11a, added by
  Luật 136/2025/QH15, in force from 1 July 2026): the grounds, the decision's number and
  its date are recorded, and the time suspended is not counted.
  Before 1 July 2026 the Complaints Law had no suspension: a complaint's suspension
  decision dated earlier is refused (the office may still park it, see below).
- **Pause** (tạm dừng) of a voter petition or a petition/reflection đơn: council practice,
  no decision; the agency owes nothing meanwhile, so the time paused is not counted either.
- **Parking without a decision** (tạm gác lại) of a complaint or denunciation: escalation
  waits, but the statutory limit keeps running — the due date does not move on resuming.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from domain.calendar import WorkingCalendar
from domain.deadline import WORKING_DAYS
from domain.errors import N_

# Grounds of a suspension (code → label msgid), by the article that lists them.
AWAITING_RESULT = "awaiting_result"
AWAITING_EXAMINATION = "awaiting_examination"
FORCE_MAJEURE = "force_majeure"
GROUNDS: dict[str, str] = {
    AWAITING_RESULT: N_("waiting for another body's result on a linked matter"),
    AWAITING_EXAMINATION: N_("waiting for an additional or repeated expert examination"),
    FORCE_MAJEURE: N_("force majeure or another objective obstacle"),
}

# What a pause without legal effect is based on (shown where the due date is explained).
COUNCIL_PRACTICE = N_("council practice: a paused petition owes nothing meanwhile")


@dataclass(frozen=True)
class SuspensionLaw:
    """The article that lets a kind of item be suspended by decision, and from when."""

    effective_from: date
    basis: str
    grounds: frozenset[str]
    too_early: str  # the refusal of a decision dated before ``effective_from``


SUSPENSION_LAWS: dict[str, SuspensionLaw] = {
    "denunciation": SuspensionLaw(
        date(2019, 1, 1), "Luật Tố cáo 2018, Điều 34",
        frozenset({AWAITING_RESULT, AWAITING_EXAMINATION}),
        N_("A denunciation can be suspended only by a decision dated from 1 January 2019 "
           "(Denunciations Law 2018).")),
    "complaint": SuspensionLaw(
        date(2026, 7, 1), "Luật Khiếu nại 2011, Điều 11a (Luật 136/2025/QH15)",
        frozenset({FORCE_MAJEURE, AWAITING_RESULT}),
        N_("A complaint can be suspended only by a decision dated from 1 July 2026 "
           "(Law 136/2025/QH15). Before that, park it without a decision: the time still "
           "counts towards the limit.")),
}


@dataclass(frozen=True)
class ClockStop:
    """What a pause does to the clock: whether it stops, from when, and on what basis."""

    stops_clock: bool
    starts_on: date
    basis: str


def clock_stop(kind: str, *, starts_on: date, by_decision: bool) -> ClockStop | str:
    """Return what a pause of an item of ``kind`` from ``starts_on`` does, or why it is refused.

    A refusal is returned as a message template (the caller puts it beside a field).
    """
    law = SUSPENSION_LAWS.get(kind)
    if law is None:
        if by_decision:
            return N_("Only complaints and denunciations are suspended by a decision.")
        return ClockStop(True, starts_on, COUNCIL_PRACTICE)
    if not by_decision:
        return ClockStop(False, starts_on, "")
    if starts_on < law.effective_from:
        return law.too_early
    return ClockStop(True, starts_on, law.basis)


def law_for(kind: str) -> SuspensionLaw | None:
    """Return the suspension law of ``kind``, if its items can be suspended by decision."""
    return SUSPENSION_LAWS.get(kind)


def days_stopped(start: date, end: date, unit: str, calendar: WorkingCalendar) -> int:
    """Count the days from ``start`` to ``end`` in ``unit`` (the limit's own unit)."""
    if end <= start:
        return 0
    if unit == WORKING_DAYS:
        return calendar.working_days_between(start, end)
    return (end - start).days


def moved_due(due: date, days: int, unit: str, calendar: WorkingCalendar) -> date:
    """Return ``due`` moved later by ``days`` of ``unit``; a day off rolls to the next working one."""
    if days <= 0:
        return due
    if unit == WORKING_DAYS:
        return calendar.add_working_days(due, days)[0]
    return calendar.next_working_day(due + timedelta(days=days))[0]


def suspension_record(parked: dict[str, Any], resumed_on: date, days: int, previous_due: date,
                      new_due: date, unit: str) -> dict[str, Any]:
    """Return one finished suspension as plain data (kept on the item and shown on its page)."""
    return {**parked, "resumed_on": resumed_on, "days": days, "unit": unit,
            "previous_due_date": previous_due, "new_due_date": new_due}
