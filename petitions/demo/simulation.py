"""Run stories interleaved in date order, checking escalations as the scheduler would.

A driver says how a step is carried out (``apply``) and how an item is escalated
(``escalate``); the simulation decides when: each step at an office hour of its day, and an
escalation check whenever an item's next ladder step falls due. Nothing happens after
``end`` ("now"): a story still running then stops where it is.
"""
from __future__ import annotations

import heapq
import random
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from functools import lru_cache
from typing import Any

from domain.calendar import WorkingCalendar
from domain.errors import DomainError
from domain.item_types import REGISTRY
from petitions.application import Tracker
from petitions.demo.fates import Plan
from petitions.demo.stories import CREATING, Facts, Step, Story, World, story

CHECK_TIME = time(7, 30)  # the scheduler's morning run, before office hours
# A fortnight after the reform the office hands the open items of the abolished districts
# to their successors, by lineage — all but those of the districts below, left for a user
# of the demo to hand over on the hand-over page.
HANDOVER_AT = time(9, 0)
HANDOVER_DAY = date(2025, 7, 15)
HANDOVER_REASON = ("Bàn giao theo sắp xếp đơn vị hành chính (Nghị quyết 1656/NQ-UBTVQH15), "
                   "đơn vị kế thừa chính theo danh sách kế thừa")
LEFT_FOR_THE_OFFICE = frozenset({"son-tay", "my-duc"})


class _HandOver:
    """The day the office hands over the abolished districts' open items."""


@dataclass(frozen=True, slots=True)
class _Check:
    code: str
    generation: int
    level: int


class Simulation:
    """Lives the stories of planned items; subclasses carry out their steps."""

    def __init__(self, tracker: Tracker, rng: random.Random, end: datetime) -> None:
        self.policy = tracker.policy
        self.zone = tracker.zone
        self.calendar = cached_calendar(tracker.calendar)
        self.world = World(tracker.reference(), rng, self.calendar)
        self.rng = rng
        self.end = end
        self.failures: list[str] = []
        self.created: list[Plan] = []
        self._queue: list[tuple[datetime, int, Any]] = []
        self._seq = 0
        self._generation: Counter[str] = Counter()

    # -- what drivers provide ----------------------------------------------------------------
    def apply(self, step: Step, args: dict[str, Any], at: datetime) -> Facts:
        """Carry out ``step`` at ``at`` with its Plan arguments replaced by their codes."""
        raise NotImplementedError

    def escalate(self, code: str, at: datetime) -> Facts:
        """Record every ladder level the item has reached at ``at``."""
        raise NotImplementedError

    def moved_to(self, at: datetime) -> None:
        """Hear that simulated time reached ``at`` (before anything happens then)."""

    def hand_over(self, code: str, to_unit: str, reason: str, at: datetime) -> bool:
        """Hand the item over to ``to_unit``; False if it is closed (nothing recorded)."""
        raise NotImplementedError

    # -- running ---------------------------------------------------------------------------
    def run(self, plans: list[Plan]) -> None:
        """Live every plan's story to its end (or to ``end``), all in date order."""
        for plan in plans:
            # A story starts at midnight of its first day: a duplicate takes the text of a
            # survivor whose story started on an earlier day.
            midnight = datetime.combine(plan.start, time(0), tzinfo=self.zone)
            self._push(midnight.astimezone(timezone.utc), plan)
        handover = datetime.combine(HANDOVER_DAY, HANDOVER_AT, tzinfo=self.zone)
        if plans and min(p.start for p in plans) < HANDOVER_DAY:
            self._push(handover.astimezone(timezone.utc), _HandOver())
        while self._queue:
            at, _, entry = heapq.heappop(self._queue)
            self.moved_to(at)
            if isinstance(entry, Plan):
                self._advance(story(self.world, entry), None, at)
            elif isinstance(entry, _Check):
                self._check(entry, at)
            elif isinstance(entry, _HandOver):
                self._hand_over_abolished(at)
            else:
                self._take(*entry, at)
        self._generation.clear()

    def _take(self, item_story: Story, step: Step, at: datetime) -> None:
        args = {k: v.code if isinstance(v, Plan) else v for k, v in step.args.items()}
        try:
            facts = self.apply(step, args, at)
        except DomainError as exc:
            self.failures.append(f"{at:%Y-%m-%d} {step.action}: {type(exc).__name__}: {exc}")
            return
        if step.action in CREATING:
            step.plan.code = facts.code
            self.created.append(step.plan)
        self._schedule_check(facts, at)
        self._advance(item_story, facts, at)

    def _advance(self, item_story: Story, facts: Facts | None, now: datetime) -> None:
        try:
            step = item_story.send(facts)  # type: ignore[arg-type]  # None starts it
        except StopIteration:
            return
        self._push(max(self.office_time(step.day), now), (item_story, step))

    def _push(self, at: datetime, entry: Any) -> None:
        if at <= self.end:
            self._seq += 1
            heapq.heappush(self._queue, (at, self._seq, entry))

    def office_time(self, day: date) -> datetime:
        """Return a random office hour of ``day`` in UTC."""
        local = datetime.combine(day, time(8, 0), tzinfo=self.zone) + timedelta(
            minutes=self.rng.randint(0, 9 * 60))
        return local.astimezone(timezone.utc)

    # -- the reform ------------------------------------------------------------------------
    def _hand_over_abolished(self, at: datetime) -> None:
        """Hand each open item of an abolished district to a successor; the stories go on
        under the new unit. Most go to the district's main successor; of a district that
        several communes and wards took in, every fourth goes to another of them."""
        day = at.astimezone(self.zone).date()
        seen: Counter[str] = Counter()
        for plan in self.created:
            old = plan.district
            if old in LEFT_FOR_THE_OFFICE or self.world.unit_on(old, day) == old:
                continue
            main = self.world.lineage.main_successor(old)
            others = [e.new_code for e in self.world.lineage.successors(old)
                      if main is None or e.new_code != main.new_code]
            seen[old] += 1
            target = others[seen[old] // 4 % len(others)] if others and seen[old] % 4 == 0 \
                else (main.new_code if main else None)
            if target and self.hand_over(plan.code or "", target, HANDOVER_REASON, at):
                plan.district = target

    # -- escalation --------------------------------------------------------------------------
    def _schedule_check(self, facts: Facts, now: datetime) -> None:
        self._generation[facts.code] += 1
        if not facts.is_open or facts.due_date is None or facts.status in REGISTRY.paused_statuses():
            return
        next_day = self.policy.next_step_date(
            facts.due_date, facts.escalation_level, self.calendar)
        if next_day is None:
            return
        when = datetime.combine(next_day, CHECK_TIME, tzinfo=self.zone)
        self._push(max(when.astimezone(timezone.utc), now),
                   _Check(facts.code, self._generation[facts.code], facts.escalation_level))

    def _check(self, check: _Check, at: datetime) -> None:
        if self._generation[check.code] != check.generation:
            return  # the item changed since; a newer check is planned
        facts = self.escalate(check.code, at)
        if facts.escalation_level > check.level:  # else nothing was due: plan nothing more
            self._schedule_check(facts, at)


def cached_calendar(calendar: WorkingCalendar) -> WorkingCalendar:
    """Return the same calendar with its holiday look-ups memoised (they dominate date maths)."""
    return WorkingCalendar(lru_cache(maxsize=None)(calendar.holiday),
                           getattr(calendar, "_working_weekend_days", ()))
