"""Live the demo's stories through the Tracker's commands, on a simulated clock.

Every step is one command, so every event is made by the application exactly as in real
use, one transaction at a time; codes are allocated in order of receipt and the history
dates look real because the clock moves from October 2024 to "now".
"""
from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from domain.item import Status
from petitions.application import Tracker
from petitions.demo.fates import plan_items
from petitions.demo.simulation import Simulation
from petitions.demo.stories import CREATING, SECRETARIAT, Facts, Step

START = datetime(2024, 10, 1, 1, 0, tzinfo=timezone.utc)
# The voter meetings whose petitions the demo logs: two before the reform (districts), three
# after it (communes and wards), the last before the year-end 2026 session of term XVII.
SESSIONS = ("XVI-19", "XVI-20", "XVI-22", "XVII-02", "XVII-03")


class SimulatedClock:
    """The clock the demo moves through time; the tracker reads it."""

    def __init__(self, now: datetime = START) -> None:
        self.current = now

    def __call__(self) -> datetime:
        return self.current

    def set(self, now: datetime) -> None:
        """Move the clock to ``now``."""
        self.current = now


@dataclass
class DemoResult:
    """What a demo run did."""

    created: int = 0
    by_status: Counter[str] = field(default_factory=Counter)
    by_kind: Counter[str] = field(default_factory=Counter)
    escalated: int = 0
    second_rounds: int = 0
    anonymous_filed: int = 0
    failures: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)   # every item created, in order
    documents: dict[str, int] = field(default_factory=dict)
    already_loaded: bool = False
    marker: dict[str, Any] = field(default_factory=dict)


def run_demo(tracker: Tracker, clock: SimulatedClock, *, items: int, seed: int,
             end: datetime, progress: Callable[[int, str], None] | None) -> DemoResult:
    """Plan ``items`` items and live them through ``tracker``, whose clock is ``clock``."""
    sim = _ThroughCommands(tracker, clock, random.Random(seed), end, progress)
    sim.run(plan_items(sim.rng, items, sim.world.units_on, START.date(), end, SESSIONS))
    return sim.summarise()


class _ThroughCommands(Simulation):
    def __init__(self, tracker: Tracker, clock: SimulatedClock, rng: random.Random,
                 end: datetime, progress: Callable[[int, str], None] | None) -> None:
        super().__init__(tracker, rng, end)
        self.tracker = tracker
        self.clock = clock
        self.progress = progress
        self.day = START.date()

    def moved_to(self, at: datetime) -> None:
        self.clock.set(at)
        day = at.date()
        if day > self.day and self.progress:
            self.progress((day - self.day).days, day.isoformat())
        self.day = max(day, self.day)

    def apply(self, step: Step, args: dict[str, Any], at: datetime) -> Facts:
        command = getattr(self.tracker, step.action)
        if step.action in CREATING:
            receipt = command(step.by, **args)
        else:
            receipt = command(step.by, step.plan.code, **args)
        return self._facts(receipt.code)

    def escalate(self, code: str, at: datetime) -> Facts:
        self.tracker.escalate_item(code, now=at)
        return self._facts(code)

    def hand_over(self, code: str, to_unit: str, reason: str, at: datetime) -> bool:
        office = SECRETARIAT[0]
        if not self.tracker.get_item(office, code)["is_open"]:
            return False
        self.tracker.hand_over(office, code, to_unit=to_unit, reason=reason)
        return True

    def _facts(self, code: str) -> Facts:
        item = self.tracker.get_item(SECRETARIAT[0], code)
        due: date | None = item["due_date"]
        return Facts(code, Status(item["status"]), item["is_open"], due,
                     item["escalation_level"])

    def summarise(self) -> DemoResult:
        """Count the items created by status and kind, read back from the store."""
        result = DemoResult(failures=self.failures)
        for plan in self.created:
            item = self.tracker.get_item(SECRETARIAT[0], plan.code)
            result.codes.append(plan.code)
            result.created += 1
            result.by_status[item["status"]] += 1
            result.by_kind[plan.kind] += 1
            result.escalated += item["escalation_level"] >= 1
            result.second_rounds += item.get("round_no") == 2
            result.anonymous_filed += (bool(item.get("anonymous"))
                                       and item["status"] == Status.FILED.value)
        return result
