"""Responsibility ("3 rõ"): who holds an item when, and the office's limit to reassign it.

An item is held by one body at a time: the council office (from logging, while it reviews
an answer, after an agency sent it back) or the lead agency (from assignment, after its
answer was returned, while it carries out an accepted roadmap). Each hand-off closes the
previous holder's spell; its length in working days is the delay that body held the item.
The same rules serve the item page (from the item's events) and the agency board (the
items view keeps the open spell and the finished ones per agency).
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from domain.calendar import WorkingCalendar
from domain.deadline import WORKING_DAYS, Deadline
from domain.errors import N_

OFFICE = "office"  # the holder's name for the council office (agencies go by their code)

# When an agency sends an item back as not its competence, the office reassigns it within
# this limit. Council practice, not a statute: labelled so wherever the due date is explained.
REASSIGN_DAYS = 5
REASSIGN_BASIS = N_("council practice: the office reassigns an item sent back within 5 "
                    "working days")
MAX_COOPERATING = 10


def reassign_deadline(today: date, calendar: WorkingCalendar) -> Deadline:
    """Return the office's deadline to reassign an item sent back on ``today``."""
    due, skipped = calendar.add_working_days(today, REASSIGN_DAYS)
    return Deadline(today, REASSIGN_DAYS, WORKING_DAYS, due, REASSIGN_BASIS, tuple(skipped))


# Events that hand the item to a body (or end it), by name: see ``Holds.apply``.
_CREATED = {"PetitionLogged", "ComplaintReceived"}
_TO_LEAD = {"AgencyAssigned", "ComplaintAccepted"}
_BACK_TO_LEAD = {"AnswerReturned"}
_TO_OFFICE = {"AnswerRecorded", "ReturnedNotCompetent"}
_ENDED = {"Withdrawn", "Closed", "PetitionMergedInto", "DecisionIssued", "ComplaintForwarded",
          "ComplaintReturned", "ComplaintFiled"}


@dataclass(frozen=True)
class Spell:
    """One body's hold of an item: from a hand-off to the next (``until`` None: still held)."""

    holder: str
    since: date
    until: date | None
    working_days: int

    def to_dict(self) -> dict[str, Any]:
        """Return the spell as plain data."""
        return {"holder": self.holder, "since": self.since, "until": self.until,
                "working_days": self.working_days}


@dataclass
class Holds:
    """Follow who holds an item, event by event; finished spells are returned as they end."""

    holder: str | None = None
    since: date | None = None
    lead: str | None = None
    spells: list[Spell] = field(default_factory=list)

    def apply(self, name: str, day: date, facts: dict[str, Any],
              calendar: WorkingCalendar) -> Spell | None:
        """Take one event (its class name, local date and facts); return the spell it ended."""
        if name in _CREATED:
            return self._hand_to(OFFICE, day, calendar)
        if name in _TO_LEAD:
            self.lead = facts.get("agency") or self.lead
            return self._hand_to(self.lead, day, calendar)
        if name in _BACK_TO_LEAD:
            return self._hand_to(self.lead, day, calendar)
        if name == "ReturnedNotCompetent":
            ended = self._hand_to(OFFICE, day, calendar)
            self.lead = None
            return ended
        if name in _TO_OFFICE:
            return self._hand_to(OFFICE, day, calendar)
        if name == "AnswerAccepted":
            # A roadmap is carried out by the lead agency; any other outcome ends the hold.
            keeps = facts.get("outcome") == "being_resolved"
            return self._hand_to(self.lead if keeps else None, day, calendar)
        if name in _ENDED:
            return self._hand_to(None, day, calendar)
        return None

    def _hand_to(self, holder: str | None, day: date, calendar: WorkingCalendar) -> Spell | None:
        if holder == self.holder:
            return None
        ended = None
        if self.holder is not None and self.since is not None:
            ended = Spell(self.holder, self.since, day,
                          calendar.working_days_between(self.since, max(day, self.since)))
            self.spells.append(ended)
        self.holder, self.since = holder, (day if holder is not None else None)
        return ended

    def current(self, today: date, calendar: WorkingCalendar) -> Spell | None:
        """Return the spell still running on ``today``, if someone holds the item."""
        if self.holder is None or self.since is None:
            return None
        return Spell(self.holder, self.since, None,
                     calendar.working_days_between(self.since, max(today, self.since)))


def hold_facts(event: Any) -> dict[str, Any]:
    """Return the facts of a stored event that ``Holds.apply`` reads."""
    return {"agency": getattr(event, "agency", None), "outcome": getattr(event, "outcome", None)}


def hand_offs(events: list[tuple[str, date, dict[str, Any]]], today: date,
              calendar: WorkingCalendar) -> list[Spell]:
    """Return every spell of an item, oldest first, the running one last (until None)."""
    holds = Holds()
    for name, day, facts in events:
        holds.apply(name, day, facts, calendar)
    running = holds.current(today, calendar)
    return [*holds.spells, *([running] if running else [])]
