"""Bulk data for benchmarks: N realistic items with their histories, loaded in minutes.

Unlike the demo (``petitions/demo.py``), which runs every command through the application
one transaction at a time, this builds the aggregates in memory with the same domain
methods (``VoterPetition.log``, ``assign``, ``record_answer``, ``Complaint.receive``,
``accept``, ``issue_decision``, ``escalate`` …) on a clock that moves through the year, and
saves them in large batches with ``Tracker.save``. Codes are taken from the code counter
a block at a time (``CodeCounter.allocate_block``), so they stay unique and in order of
receipt, and the counter is saved before the items that use its numbers.

Every event is therefore made and checked by the domain exactly as in real use; only the
transaction boundaries differ (one per batch instead of one per command).
"""
from __future__ import annotations

import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from functools import lru_cache
from typing import Any

from eventsourcing.application import AggregateNotFoundError
from eventsourcing.domain import Aggregate

from domain.actor import SYSTEM, Actor, Role
from domain.calendar import WorkingCalendar
from domain.codes import CodeCounter
from domain.item_types import REGISTRY
from domain.complaint import Complaint
from domain.item import TrackedItem
from domain.petition import VoterPetition
from petitions import demo_corpus as corpus
from petitions.application import Tracker

YEAR = 2025
START = date(YEAR, 1, 2)
SPAN_DAYS = 350                # items are received from 2 January to mid-December
END = datetime(YEAR + 1, 3, 2, 2, 0, tzinfo=timezone.utc)  # the benchmarks' "now"
PETITION_SHARE = 0.6
BATCH = 2000
PG_BATCH = 250

PETITION_FATES = {"logged": 3, "classified": 4, "assigned": 12, "answered": 6,
                  "resolved": 40, "returned": 8, "being_resolved": 10, "withdrawn": 4,
                  "merged": 5, "parked": 3}
COMPLAINT_FATES = {"received": 4, "forwarded": 15, "guided": 10, "filed": 6,
                   "accepted": 15, "decided": 45, "extended": 5}
SECRETARY = Actor("thu.ky.bulk", Role.SECRETARIAT)


@dataclass
class BulkResult:
    """What a bulk load wrote."""

    items: int = 0
    events: int = 0
    seconds: float = 0.0
    first_position: int = 0
    last_position: int = 0
    fates: dict[str, int] = field(default_factory=dict)

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
        known = tracker.known_codes()
    except Exception:  # noqa: BLE001 - an empty store: load the shipped reference data
        tracker.load_reference()
        known = tracker.known_codes()
    gen = _Generator(tracker, known, random.Random(seed))
    result = BulkResult(first_position=tracker.position() + 1)
    done = 0
    while done < items:
        size = min(batch, items - done)
        aggregates = gen.batch(done, items, size)
        recordings = tracker.save(*aggregates)
        result.events += len(recordings)
        done += size
        if progress:
            progress(done, items, result.events)
    result.items = done
    result.seconds = time.perf_counter() - started
    result.last_position = tracker.position()
    result.fates = dict(gen.fates)
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


def cached_calendar(calendar: WorkingCalendar) -> WorkingCalendar:
    """Return the same calendar with its holiday look-ups memoised (they dominate date maths)."""
    return WorkingCalendar(lru_cache(maxsize=None)(calendar.holiday),
                           getattr(calendar, "_working_weekend_days", ()))


class _Generator:
    """Makes one batch of items at a time; the clock moves with the item's index."""

    def __init__(self, tracker: Tracker, known: Any, rng: random.Random) -> None:
        self.app = tracker
        self.known = known
        self.rng = rng
        self.policy = tracker.policy
        self.calendar = cached_calendar(tracker.calendar)
        self.zone = tracker.zone
        self.units = sorted(known.units)
        groups = tracker.reference()["deputy_groups"]
        self.group_of = {u: code for code, e in groups.items() for u in e.get("units", [])}
        self.sessions = [s for s in sorted(known.sessions) if s.startswith("XVI")][-3:] or \
            sorted(known.sessions)[:1]
        self.agencies = sorted(a for a in known.agencies if not a.startswith("ubnd-"))
        self.fields = sorted(known.fields)
        self.staff = {u: Actor(f"can.bo.{u}", Role.DISTRICT_STAFF, district=u)
                      for u in self.units}
        self.fates: dict[str, int] = {}
        self.open_petitions: list[VoterPetition] = []
        self.end_day = END.astimezone(self.zone).date()

    # -- codes -------------------------------------------------------------------------------
    def _codes(self, prefix: str, count: int, at: datetime) -> tuple[CodeCounter, list[str]]:
        try:
            counter = self.app.repository.get(CodeCounter.create_id(prefix, YEAR))
        except AggregateNotFoundError:
            counter = CodeCounter(prefix, YEAR)
        return counter, counter.allocate_block(count, at)

    # -- one batch -----------------------------------------------------------------------------
    def batch(self, offset: int, total: int, size: int) -> list[Aggregate]:
        """Build ``size`` items (the ``offset``-th onwards of ``total``) and their counters."""
        rng = self.rng
        kinds = ["petition" if rng.random() < PETITION_SHARE else "complaint"
                 for _ in range(size)]
        first_day = self._day(offset, total)
        at = self._moment(first_day)
        # Codes are reserved first: a failed batch only leaves a gap, never a duplicate.
        petition_counter, petition_codes = self._codes(
            REGISTRY.get("petition").code_prefix, max(1, kinds.count("petition")), at)
        complaint_counter, complaint_codes = self._codes(
            REGISTRY.get("complaint").code_prefix, max(1, kinds.count("complaint")), at)
        self.app.save(petition_counter, complaint_counter)
        built: list[Aggregate] = []
        self.open_petitions = []
        next_petition, next_complaint = iter(petition_codes), iter(complaint_codes)
        for i, kind in enumerate(kinds):
            day = self._day(offset + i, total)
            if kind == "petition":
                built.append(self._petition(next(next_petition), day))
            else:
                built.append(self._complaint(next(next_complaint), day))
        return built

    def _day(self, index: int, total: int) -> date:
        return START + timedelta(days=SPAN_DAYS * index // max(total, 1))

    def _moment(self, day: date, hours: float | None = None) -> datetime:
        hour = 8 + (self.rng.random() * 9 if hours is None else hours)
        local = datetime(day.year, day.month, day.day, tzinfo=self.zone) + timedelta(hours=hour)
        return local.astimezone(timezone.utc)

    def _fate(self, weights: dict[str, int]) -> str:
        fate = self.rng.choices(list(weights), weights=list(weights.values()))[0]
        self.fates[fate] = self.fates.get(fate, 0) + 1
        return fate

    def _fill(self, template: str, day: date, **extra: str) -> str:
        values = {"street": self.rng.choice(corpus.STREETS),
                  "place": self.rng.choice(corpus.PLACES), "date": day.strftime("%d/%m/%Y")}
        values.update(extra)
        return template.format(**values)

    def _person(self) -> str:
        rng = self.rng
        return " ".join((rng.choice(corpus.FAMILY_NAMES), rng.choice(corpus.MIDDLE_NAMES),
                         rng.choice(corpus.GIVEN_NAMES)))

    def _later(self, day: date, low: int, high: int) -> date:
        # Nothing happens after the benchmarks' "now".
        return min(day + timedelta(days=self.rng.randint(low, high)), self.end_day)

    def _agency(self, district: str) -> str:
        if self.rng.random() < 0.3:
            return f"ubnd-{district}"
        return self.rng.choice(self.agencies)

    # -- petitions -----------------------------------------------------------------------------
    def _petition(self, code: str, day: date) -> VoterPetition:
        rng, known = self.rng, self.known
        district = rng.choice(self.units)
        field_code = rng.choice(list(corpus.PETITION_TITLES))
        staff = self.staff[district]
        petition = VoterPetition.log(
            code=code, title=self._fill(rng.choice(corpus.PETITION_TITLES[field_code]), day),
            content=self._fill(rng.choice(corpus.PETITION_TEMPLATES[field_code]), day),
            district=district, deputy_group=self.group_of.get(district, "to-01"),
            session=rng.choice(self.sessions), field=field_code,
            meeting_date=day - timedelta(days=rng.randint(0, 5)),
            meeting_place=rng.choice(corpus.MEETING_PLACES),
            voters="; ".join(f"Cử tri {self._person()}" for _ in range(rng.randint(1, 3))),
            received_on=day, known=known, by=staff, at=self._moment(day), today=day)
        fate = self._fate(PETITION_FATES)
        if fate == "logged":
            return petition
        day = self._later(day, 1, 6)
        if fate == "merged" and self.open_petitions:
            survivor = rng.choice(self.open_petitions)
            if survivor.district == district and survivor.is_open:
                petition.merge_into(survivor, "Trùng nội dung.", by=SECRETARY,
                                    at=self._moment(day))
                return petition
        if fate == "merged":
            fate = "resolved"  # no open duplicate at hand: the petition runs its course
        agency = self._agency(district)
        petition.classify(field=field_code, competence="city", note="", known=known,
                          competence_levels=self.app.reference()["competence_levels"],
                          by=SECRETARY, at=self._moment(day))
        if fate == "classified":
            return petition
        if fate == "withdrawn":
            day = self._later(day, 2, 15)
            petition.withdraw(rng.choice(corpus.WITHDRAW_REASONS), by=staff,
                              at=self._moment(day))
            return petition
        day = self._later(day, 1, 6)
        petition.assign(agency=agency, due_date=None, note="Giao cơ quan chủ trì trả lời.",
                        known=known, policy=self.policy, calendar=self.calendar, today=day,
                        by=SECRETARY, at=self._moment(day))
        agency_staff = Actor(f"cb.{agency}", Role.AGENCY_STAFF, agency=agency)
        for _ in range(rng.randint(0, 2)):
            day = self._later(day, 2, 6)
            petition.note_progress(rng.choice(corpus.PROGRESS_NOTES), by=agency_staff,
                                   at=self._moment(day))
        if fate == "assigned":
            self.open_petitions.append(petition)
            self._escalate(petition)
            return petition
        if fate == "parked":
            day = self._later(day, 2, 8)
            petition.park("Tạm gác lại chờ văn bản hướng dẫn.", by=SECRETARY,
                          at=self._moment(day))
            return petition
        day = self._later(day, 4, 20) if rng.random() < 0.85 else self._later(day, 32, 55)
        self._escalate(petition, before=day)
        outcome = {"returned": "explained", "answered": "resolved"}.get(fate, fate)
        self._answer(petition, outcome, day, agency_staff)
        if fate == "answered":
            return petition
        day = self._later(day, 2, 10)
        if fate == "returned":
            petition.return_answer(reason=rng.choice(corpus.RETURN_REASONS), by=SECRETARY,
                                   at=self._moment(day))
            day = self._later(day, 5, 20)
            self._answer(petition, "resolved", day, agency_staff)
            day = self._later(day, 2, 10)
        petition.accept_answer(comment="Tổ đại biểu đã thông tin tới cử tri.",
                               voters_satisfied=rng.random() < 0.8, by=SECRETARY,
                               at=self._moment(day))
        if fate == "being_resolved":
            self.open_petitions.append(petition)
            self._escalate(petition)
        return petition

    def _answer(self, petition: VoterPetition, outcome: str, day: date, actor: Actor) -> None:
        new_due = day + timedelta(days=self.rng.randint(60, 240)) \
            if outcome == "being_resolved" else None
        text = self._fill(self.rng.choice(corpus.ANSWER_TEMPLATES[outcome]),
                          (new_due or day))
        petition.record_answer(outcome=outcome, text=text, new_due_date=new_due, today=day,
                               by=actor, at=self._moment(day))

    def _escalate(self, item: TrackedItem, before: date | None = None) -> None:
        # As the scheduler would have: every ladder level reached by the day before "now"
        # (or before the given day), so the scan still finds the steps due today.
        last = min(before or self.end_day, self.end_day) - timedelta(days=1)
        levels = item.escalations_due(last, self.policy, self.calendar)
        for level in levels:
            item.escalate(level, self.policy.step(level).notify, today=last,
                          policy=self.policy, calendar=self.calendar, by=SYSTEM,
                          at=self._moment(last, 0.0))

    # -- complaints ----------------------------------------------------------------------------
    def _complaint(self, code: str, day: date) -> Complaint:
        rng, known = self.rng, self.known
        fate = self._fate(COMPLAINT_FATES)
        kind = "denunciation" if fate == "extended" else rng.choice(
            ("complaint", "complaint", "denunciation", "reflection", "reflection"))
        district = rng.choice(self.units)
        field_code = rng.choice(("land", "construction_urban_order", "environment", "transport",
                                 "social_policy"))
        agency = self._agency(district)
        content = self._fill(rng.choice(corpus.COMPLAINT_TEMPLATES[kind]), day, agency=agency)
        title = content.split(";")[0].split(", ")[0][:120].rstrip(".")
        complaint = Complaint.receive(
            code=code, kind=kind, channel=rng.choice(corpus.CHANNELS), title=title,
            content=content, subject="" if kind == "reflection" else agency,
            petitioner={"name": self._person(), "address": rng.choice(corpus.PLACES),
                        "phone": f"09{rng.randint(10_000_000, 99_999_999)}",
                        "id_number": f"001{rng.randint(100_000_000, 999_999_999)}"},
            anonymous=False, district=district, field=field_code, received_on=day,
            known=known, policy=self.policy, calendar=self.calendar, today=day,
            by=SECRETARY, at=self._moment(day))
        if fate == "received":
            self._escalate(complaint)
            return complaint
        day = self._later(day, 1, 8)
        at = self._moment(day)
        if fate == "forwarded":
            complaint.forward(to_body="Thanh tra Chính phủ",
                              reason=rng.choice(corpus.CLASSIFY_REASONS["forward"]),
                              by=SECRETARY, at=at)
            return complaint
        if fate == "guided":
            complaint.return_with_guidance(reason=rng.choice(corpus.CLASSIFY_REASONS["return"]),
                                           by=SECRETARY, at=at)
            return complaint
        if fate == "filed":
            complaint.file_away(reason=rng.choice(corpus.CLASSIFY_REASONS["file"]),
                                by=SECRETARY, at=at)
            return complaint
        complaint.accept(agency=agency, complexity="complex" if fate == "extended" else "normal",
                         remote_area=False, known=known, policy=self.policy,
                         calendar=self.calendar, today=day, by=SECRETARY, at=at)
        staff = Actor(f"cb.{agency}", Role.AGENCY_STAFF, agency=agency)
        for _ in range(rng.randint(0, 2)):
            day = self._later(day, 3, 8)
            complaint.note_progress(rng.choice(corpus.PROGRESS_NOTES), by=staff,
                                    at=self._moment(day))
        if fate == "accepted":
            self._escalate(complaint)
            return complaint
        if fate == "extended":
            day = self._later(day, 5, 12)
            due = complaint.due_date or day  # accept() has just set it
            complaint.extend_resolution(due + timedelta(days=30),
                                        rng.choice(corpus.EXTENSION_REASONS),
                                        policy=self.policy, by=SECRETARY, at=self._moment(day))
        day = self._later(day, 6, 20)
        self._escalate(complaint, before=day)
        result = rng.choice(("correct", "partly_correct", "incorrect", "incorrect"))
        complaint.issue_decision(result=result, text="Kết luận nội dung đơn; yêu cầu thực hiện.",
                                 decision_no=f"{rng.randint(100, 9999)}/QĐ-UBND",
                                 decided_on=day, today=day, by=staff, at=self._moment(day))
        return complaint
