"""Live the demo's stories on the aggregates and save them in large batches (benchmarks).

The same stories and fates as the demo, carried out with the same domain methods
(``VoterPetition.log``, ``assign``, ``Complaint.receive``, ``escalate`` …), but saved with
one ``Tracker.save`` a batch instead of one transaction a command. Codes are taken from
the code counter a block at a time (``CodeCounter.allocate_block``) and the counter is
saved before the items that use its numbers, so a failed batch leaves a gap, never a
duplicate. Every event is made and checked by the domain exactly as in real use.
"""
from __future__ import annotations

import random
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, timezone
from typing import Any

from eventsourcing.application import AggregateNotFoundError

from domain.actor import SYSTEM
from domain.codes import CodeCounter
from domain.item_types import REGISTRY
from domain.complaint import Complaint
from domain.item import TrackedItem
from domain.petition import VoterPetition
from domain.reference import regular_sessions
from petitions.application import Tracker
from petitions.demo.fates import COMPLAINT, PETITION, Plan, plan_items
from petitions.demo.simulation import Simulation
from petitions.demo.stories import SECRETARIAT, Facts, Step

START = date(2025, 1, 2)
END = datetime(2026, 3, 2, 2, 0, tzinfo=timezone.utc)  # the benchmarks' "now"
SESSIONS = ("XVI-20", "XVI-22")
BATCH = 2000
PG_BATCH = 250


@dataclass
class BulkResult:
    """What a bulk load wrote."""

    items: int = 0
    events: int = 0
    seconds: float = 0.0
    first_position: int = 0
    last_position: int = 0
    fates: dict[str, int] = field(default_factory=dict)
    failures: list[str] = field(default_factory=list)

    @property
    def items_per_second(self) -> float:
        """Items written per second."""
        return self.items / self.seconds if self.seconds else 0.0


def load_bulk(tracker: Tracker, items: int, *, seed: int = 2025, batch: int = 0,
              progress: Callable[[int, int, int], None] | None = None) -> BulkResult:
    """Write ``items`` petitions and complaints with realistic histories; return the counts.

    ``progress(done, total, events)`` is called after every saved batch (``batch`` items a
    transaction; default 2,000, or 250 on PostgreSQL). Reference data is loaded first if
    the store has none.
    """
    started = time.perf_counter()
    # On PostgreSQL one save of ~11,000 events stalled inside psycopg's pipeline (the server
    # waiting on ClientRead, indefinitely); 250 items (~1,400 events) a save never did.
    batch = batch or (PG_BATCH if tracker.settings.is_postgres else BATCH)
    try:
        tracker.known_codes()
    except Exception:  # noqa: BLE001 - an empty store: load the shipped reference data
        tracker.load_reference()
    sim = _OnAggregates(tracker, random.Random(seed), batch)
    plans = plan_items(sim.rng, items, sim.world.units_on, START, END, SESSIONS)
    sim.expect(plans)
    result = BulkResult(first_position=tracker.position() + 1)
    fates: Counter[str] = Counter()
    for group in _batches(plans, batch):
        sim.run(group)
        result.events += len(tracker.save(*sim.items.values()))
        sim.items.clear()
        result.items += len(sim.created)
        fates.update(plan.fate.name for plan in sim.created)
        sim.created.clear()
        if progress:
            progress(result.items, items, result.events)
    result.seconds = time.perf_counter() - started
    result.last_position = tracker.position()
    result.fates = dict(fates)
    result.failures = sim.failures
    return result


def print_progress(prefix: str = "generating") -> Callable[[int, int, int], None]:
    """Return a progress callback that rewrites one line on stderr."""
    started = time.perf_counter()

    def show(done: int, total: int, events: int) -> None:
        elapsed = max(time.perf_counter() - started, 1e-9)
        sys.stderr.write(f"\r{prefix}: {done:,}/{total:,} items, {events:,} events, "
                         f"{done / elapsed:,.0f} items/s   ")
        if done >= total:
            sys.stderr.write("\n")
        sys.stderr.flush()
    return show


def _batches(plans: list[Plan], size: int) -> Iterator[list[Plan]]:
    """Yield the plans in date order, ``size`` at a time, duplicates with their survivor."""
    duplicates: dict[int, list[Plan]] = {}
    for plan in plans:
        if plan.survivor is not None:
            duplicates.setdefault(id(plan.survivor), []).append(plan)
    pending = sorted((p for p in plans if p.survivor is None), key=lambda p: p.start,
                     reverse=True)
    plans.clear()  # a saved batch's plans are not needed again: let them go
    while pending:
        group: list[Plan] = []
        while pending and len(group) < size:
            root = pending.pop()
            group += [root, *duplicates.pop(id(root), ())]
        yield group


class _OnAggregates(Simulation):
    def __init__(self, tracker: Tracker, rng: random.Random, batch: int) -> None:
        super().__init__(tracker, rng, END)
        self.tracker = tracker
        self.batch = batch
        self._known_on: dict[date, Any] = {}
        self.levels = tracker.reference()["competence_levels"]
        self.sessions = regular_sessions(tracker.reference())
        self.items: dict[str, TrackedItem] = {}
        self._expected: Counter[tuple[str, int]] = Counter()
        self._counters: dict[tuple[str, int], CodeCounter] = {}
        self._reserved: dict[tuple[str, int], list[str]] = {}

    # -- codes -------------------------------------------------------------------------------
    def expect(self, plans: list[Plan]) -> None:
        """Count the codes the plans will take, by prefix and year, to size the blocks."""
        for plan in plans:
            prefix = REGISTRY.get(plan.kind).code_prefix
            self._expected[prefix, plan.start.year] += 2 if plan.fate.name == "second_round" else 1

    def _code(self, prefix: str, at: datetime, today: date) -> str:
        key = (prefix, today.year)
        reserved = self._reserved.setdefault(key, [])
        if not reserved:
            counter = self._counters.get(key) or self._counter(*key)
            count = max(1, min(self.batch, self._expected[key]))
            reserved.extend(reversed(counter.allocate_block(count, at)))
            self.tracker.save(counter)
            self._counters[key] = counter
        self._expected[key] -= 1
        return reserved.pop()

    def _counter(self, prefix: str, year: int) -> CodeCounter:
        try:
            return self.tracker.repository.get(CodeCounter.create_id(prefix, year))
        except AggregateNotFoundError:
            return CodeCounter(prefix, year)

    def _known(self, day: date) -> Any:
        """The codes in force on ``day`` (as the application judges each command)."""
        if day not in self._known_on:
            self._known_on[day] = self.tracker.known_codes(on=day)
        return self._known_on[day]

    # -- steps -------------------------------------------------------------------------------
    def apply(self, step: Step, args: dict[str, Any], at: datetime) -> Facts:
        today = at.astimezone(self.zone).date()
        # As the application does: codes judged on the meeting date, the receipt date, or today.
        on = args.get("meeting_date") if step.action == "log_petition" else (
            args.get("received_on") if step.action == "receive_complaint" else today)
        known = self._known(on or today)
        context = {"known": known, "competence_levels": self.levels,
                   "policy": self.policy, "calendar": self.calendar, "today": today,
                   "sessions": self.sessions}
        if step.action == "log_petition":
            item: TrackedItem = VoterPetition.log(
                code=self._code(REGISTRY.get(PETITION).code_prefix, at, today), known=known, by=step.by,
                at=at, today=today, **args)
        elif step.action == "receive_complaint":
            first = self.items.get(args.pop("first_round") or "")
            item = Complaint.receive(
                code=self._code(REGISTRY.get(COMPLAINT).code_prefix, at, today), known=known,
                policy=self.policy, calendar=self.calendar, today=today, by=step.by, at=at,
                first_round=first, **args)
            if isinstance(first, Complaint):
                first.link_second_round(item, by=step.by, at=at)
        else:
            item = self.items[step.plan.code or ""]
            if step.action == "merge_petitions":
                args["survivor"] = self.items[args["survivor"]]
            method, needs = _METHODS[step.action]
            getattr(item, method)(by=step.by, at=at, **args,
                                  **{name: context[name] for name in needs})
        self.items[item.code] = item
        return _facts(item)

    def hand_over(self, code: str, to_unit: str, reason: str, at: datetime) -> bool:
        # As Tracker.hand_over does, on the aggregate in memory (items of this batch only).
        item = self.items.get(code)
        if item is None or not item.is_open:
            return False
        item.hand_over(to_unit, reason, units=self.tracker.reference()["units"],
                       today=at.astimezone(self.zone).date(), by=SECRETARIAT[0], at=at)
        return True

    def escalate(self, code: str, at: datetime) -> Facts:
        # As Tracker.escalate_item does, on the aggregate in memory.
        item = self.items[code]
        today = at.astimezone(self.zone).date()
        for level in item.escalations_due(today, self.policy, self.calendar):
            item.escalate(level, self.policy.step(level).notify, today=today,
                          policy=self.policy, calendar=self.calendar, by=SYSTEM, at=at)
        return _facts(item)


# The aggregate method each Tracker command calls, and what the application adds to the
# command's arguments (the rest are the step's).
_METHODS: dict[str, tuple[str, tuple[str, ...]]] = {
    "classify_petition": ("classify", ("known", "competence_levels")),
    "merge_petitions": ("merge_into", ()),
    "assign": ("assign", ("known", "policy", "calendar", "today", "sessions")),
    "note_progress": ("note_progress", ()),
    "record_answer": ("record_answer", ("today",)),
    "accept_answer": ("accept_answer", ()),
    "return_answer": ("return_answer", ()),
    "park": ("park", ()),
    "resume": ("resume", ()),
    "withdraw": ("withdraw", ()),
    "close_item": ("close", ()),
    "accept_complaint": ("accept", ("known", "policy", "calendar", "today")),
    "forward_complaint": ("forward", ("policy", "calendar", "today")),
    "record_result_notice": ("record_result_notice", ("today",)),
    "return_complaint": ("return_with_guidance", ()),
    "file_complaint": ("file_away", ()),
    "extend_deadline": ("extend_resolution", ("policy", "today")),  # stories extend only complaints
    "issue_decision": ("issue_decision", ("today",)),
}


def _facts(item: TrackedItem) -> Facts:
    return Facts(item.code, item.status, item.is_open, item.due_date, item.escalation_level)
