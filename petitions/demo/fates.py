"""The one table of fates (how a demo item's story ends, and how often) and the plan of items.

Both drivers plan their items here: the demo through the Tracker's commands and the bulk
loader of the benchmarks differ only in their period and their voter meetings.
"""
from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from petitions.demo import corpus

PETITION, COMPLAINT = "petition", "complaint"
PETITION_SHARE = 0.6

# Voter meetings (tiếp xúc cử tri) before each council session, first and last day.
MEETINGS: dict[str, tuple[date, date]] = {
    "XVI-19": (date(2024, 10, 14), date(2024, 11, 22)),
    # Ends a fortnight before 1 July 2025, so that the petitions and their duplicates (a
    # few days later) are all received under the districts, before the reform.
    "XVI-20": (date(2025, 5, 12), date(2025, 6, 13)),
    # After the reform: the voters meet in the communes and wards.
    "XVI-22": (date(2025, 10, 13), date(2025, 11, 21)),
    "XVII-02": (date(2026, 5, 18), date(2026, 6, 26)),
    "XVII-03": (date(2026, 10, 12), date(2026, 11, 20)),   # before the year-end 2026 session
}


@dataclass(frozen=True)
class Fate:
    """How an item's story ends; ``weight`` is its share among the items of its type."""

    name: str
    kind: str                       # PETITION or COMPLAINT
    weight: int
    complaint_kind: str = ""        # the one kind of đơn this fate fits ("" = any kind)
    takes_duplicates: bool = False  # stays open long enough for duplicates to merge into
    needs_days: int = 0             # received at least this many days before "now"


FATES: tuple[Fate, ...] = (
    Fate("logged", PETITION, 2),
    Fate("classified", PETITION, 3),
    Fate("assigned", PETITION, 6, takes_duplicates=True),
    Fate("overdue", PETITION, 5, takes_duplicates=True),
    Fate("answered", PETITION, 4),
    Fate("resolved", PETITION, 22),
    Fate("explained", PETITION, 12),
    Fate("being_resolved", PETITION, 10, takes_duplicates=True),
    Fate("roadmap_done", PETITION, 5, takes_duplicates=True),
    Fate("not_resolved", PETITION, 4, takes_duplicates=True),
    Fate("reassigned", PETITION, 3, takes_duplicates=True),
    Fate("returned", PETITION, 6, takes_duplicates=True),
    Fate("parked", PETITION, 2),
    Fate("parked_resumed", PETITION, 2),
    Fate("merged", PETITION, 6),
    Fate("withdrawn", PETITION, 3),
    Fate("closed", PETITION, 2),
    Fate("received", COMPLAINT, 3),
    Fate("accepted", COMPLAINT, 6),
    Fate("decided", COMPLAINT, 20, complaint_kind="complaint"),
    # The first round's decision and the second round after it need time.
    Fate("second_round", COMPLAINT, 5, complaint_kind="complaint", needs_days=150),
    Fate("denunciation_extended", COMPLAINT, 4, complaint_kind="denunciation"),
    Fate("denunciation_decided", COMPLAINT, 6, complaint_kind="denunciation"),
    Fate("reflection_decided", COMPLAINT, 12, complaint_kind="reflection"),
    Fate("forwarded", COMPLAINT, 7),
    # Forwarded, then the competent body's result notice came back (issue 13).
    Fate("result_notified", COMPLAINT, 5, needs_days=60),
    Fate("guided", COMPLAINT, 8),
    Fate("filed", COMPLAINT, 5),
    Fate("anonymous_filed", COMPLAINT, 4, complaint_kind="denunciation"),
    Fate("withdrawn", COMPLAINT, 3),
    Fate("parked", COMPLAINT, 2),
)


def fate(kind: str, name: str) -> Fate:
    """Return the fate called ``name`` among those of ``kind``."""
    return next(f for f in FATES if f.kind == kind and f.name == name)


@dataclass(eq=False, slots=True)
class Plan:
    """One item to create: where and when it arises, and how its story ends."""

    fate: Fate
    district: str
    start: date
    session: str = ""
    field_code: str = ""
    survivor: Plan | None = None   # the petition a merged duplicate is merged into
    code: str | None = None        # set by the driver once the item exists
    title: str = ""
    content: str = ""

    @property
    def kind(self) -> str:
        """PETITION or COMPLAINT."""
        return self.fate.kind


def plan_items(rng: random.Random, count: int, units: list[str] | Callable[[date], list[str]],
               start: date, end: datetime, sessions: tuple[str, ...]) -> list[Plan]:
    """Decide every item's origin and fate, deterministic for the state of ``rng``.

    Petitions arise at the voter meetings before ``sessions``, complaints on any day from
    ``start`` to a few days before ``end``. Every fate appears when ``count`` has room.
    ``units`` are the units items arise in, or a function giving those in force on a day
    (the districts before 1 July 2025, the communes and wards after).
    """
    units_on = units if callable(units) else (lambda day: units)
    # Only the voter meetings that began by "now": petitions of later ones would not exist.
    sessions = tuple(s for s in sessions if MEETINGS[s][0] <= end.date()) or sessions[:1]
    n_petitions = round(count * PETITION_SHARE)
    plans: list[Plan] = []
    for i, chosen in enumerate(_fates(rng, PETITION, n_petitions)):
        session = sessions[i % len(sessions)]
        first, last = MEETINGS[session]
        meeting = first + timedelta(days=rng.randint(0, (last - first).days))
        received = meeting + timedelta(days=rng.randint(0, 6))
        plans.append(Plan(chosen, rng.choice(units_on(received)), received, session=session,
                          field_code=rng.choice(list(corpus.PETITION_TEMPLATES))))
    survivors: dict[str, list[Plan]] = {}
    for plan in plans:
        if plan.fate.takes_duplicates:
            survivors.setdefault(plan.session, []).append(plan)
    anyone = [s for session in sessions for s in survivors.get(session, [])]
    for plan in plans:
        if plan.fate.name != "merged":
            continue
        if not anyone:  # no petition to merge into: the duplicate runs its course
            plan.fate = fate(PETITION, "resolved")
            continue
        survivor = rng.choice(survivors.get(plan.session) or anyone)
        # Raised again at another voter meeting of the same district and session.
        plan.survivor = survivor
        plan.session, plan.field_code = survivor.session, survivor.field_code
        plan.district = survivor.district
        plan.start = survivor.start + timedelta(days=rng.randint(1, 5))
    span = max((end.date() - start).days - 3, 1)
    for chosen in _fates(rng, COMPLAINT, count - n_petitions):
        received = start + timedelta(days=rng.randint(0, max(span - chosen.needs_days, 0)))
        plans.append(Plan(chosen, rng.choice(units_on(received)), received))
    # A second-round complaint is an item of its own: it takes the place of a decided one.
    extra = sum(1 for p in plans if p.fate.name == "second_round")
    decided = [i for i, p in enumerate(plans) if p.kind == COMPLAINT and p.fate.name == "decided"]
    dropped = set(decided[max(len(decided) - extra, 0):])
    return [p for i, p in enumerate(plans) if i not in dropped and p.start <= end.date()]


def _fates(rng: random.Random, kind: str, count: int) -> list[Fate]:
    table = [f for f in FATES if f.kind == kind]
    chosen = table[:count]  # each fate once while there is room, then by weight
    chosen += rng.choices(table, weights=[f.weight for f in table],
                          k=max(count - len(chosen), 0))
    rng.shuffle(chosen)
    return chosen
