"""Builders shared by the escalation, scheduler and notification tests."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from domain.actor import SYSTEM
from domain.deadline import Deadline
from domain.petition import VoterPetition
from petitions.application import Receipt, Tracker
from petitions.runtime import Runtime
from tests.conftest import SECRETARIAT

HANOI = ZoneInfo("Asia/Ho_Chi_Minh")


def hanoi(day: date, hour: int = 9) -> datetime:
    """Return ``day`` at ``hour`` o'clock in Hanoi, as an aware datetime."""
    return datetime.combine(day, time(hour), HANOI)


def assigned_petition(tracker: Tracker, due: date, *, agency: str = "so-xay-dung",
                      title: str = "Sửa đường Đội Cấn") -> Receipt:
    """Log a Ba Đình petition today and assign it to ``agency``, due on ``due``."""
    today = tracker.today()
    receipt = tracker.log_petition(
        SECRETARIAT, title=title, content="Cử tri đề nghị sửa mặt đường bị hỏng.",
        district="ba-dinh", deputy_group="to-01", session="XVI-19", field="transport",
        meeting_date=today - timedelta(days=2), meeting_place="Nhà văn hoá phường Đội Cấn",
        voters="Ông Nguyễn Văn A", received_on=today)
    return tracker.assign(SECRETARIAT, receipt.code, agency=agency, due_date=due)


def bulk_overdue_petitions(tracker: Tracker, count: int, due: date,
                           batch: int = 250) -> list[str]:
    """Store ``count`` petitions assigned with ``due`` quickly (batched saves); return codes.

    Builds the aggregates directly, bypassing the code counter: this is test data only.
    """
    known = tracker.known_codes()
    at = tracker.now()
    today = tracker.today()
    codes: list[str] = []
    pending: list[VoterPetition] = []
    for n in range(1, count + 1):
        code = f"KN-2024-{n:05d}"
        petition = VoterPetition.log(
            code=code, title=f"Kiến nghị số {n}", content="Cử tri đề nghị sửa đường.",
            district="ba-dinh", deputy_group="to-01", session="XVI-19", field="transport",
            meeting_date=due - timedelta(days=40), meeting_place="Nhà văn hoá",
            voters="", received_on=due - timedelta(days=35), known=known, by=SECRETARIAT,
            at=at, today=today)
        # Assign as the secretariat did back then, so the due date may lie in the past.
        petition._assigned(
            agency="so-xay-dung", previous_agency=None, due_date=due,
            deadline=Deadline.fixed(due - timedelta(days=30), due, "test").to_dict(),
            note="", cooperating=[], leader_name="", leader_position="", at=at,
            **SECRETARIAT.stamp())
        pending.append(petition)
        codes.append(code)
        if len(pending) >= batch:
            tracker.save(*pending)
            pending = []
    tracker.save(*pending)
    return codes


def escalations_in_store(tracker: Tracker) -> Counter:
    """Count stored ``Escalated`` events by (item id, level, due date)."""
    counted: Counter = Counter()
    start = 1
    while True:
        notifications = tracker.recorder.select_notifications(start=start, limit=5000)
        if not notifications:
            return counted
        for n in notifications:
            if n.topic.endswith(".Escalated"):
                event = tracker.mapper.to_domain_event(n)
                counted[(event.originator_id, event.level, event.due_date)] += 1
        start = notifications[-1].id + 1


def event_types(tracker: Tracker, code: str) -> list[str]:
    """Return the types of an item's events, oldest first."""
    return [e["type"] for e in tracker.history(SYSTEM, code)]


def levels_fired_each_day(runtime: Runtime, clock: Any, first: date,
                          last: date) -> dict[date, list[int]]:
    """Scan every day from ``first`` to ``last`` at 9:00 in Hanoi; return {day: levels recorded}."""
    fired = {}
    day = first
    while day <= last:
        clock.set(hanoi(day))
        runtime.projector.catch_up()
        summary = runtime.tracker.escalate_overdue(runtime.tracker.now())
        if summary.levels:
            fired[day] = [e.level for e in summary.escalations]
        day += timedelta(days=1)
    return fired


def runtime_for(settings: Any, clock: Any) -> Runtime:
    """Build a runtime on ``settings`` with reference data loaded."""
    runtime = Runtime(settings, clock=clock)
    runtime.tracker.attach_views(runtime.views.engine)
    runtime.tracker.load_reference()
    return runtime
