"""Deadlines on the real Vietnamese calendar (``holidays`` library), checked by hand.

2025 holidays used here (all confirmed in the library):
  Tết: Mon 27 Jan – Sat 1 Feb 2025 (27 Jan is "29 Tết", 28 Jan New Year's Eve, 29 Jan
  Tết, then days 2–4), so with the weekend the break runs Sat 25 Jan – Sun 2 Feb.
  30/4–1/5: Wed 30 Apr, Thu 1 May, and Fri 2 May (day off swapped with Sat 26 Apr),
  so the break runs Wed 30 Apr – Sun 4 May.
"""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from domain.calendar import WorkingCalendar
from domain.deadline import CALENDAR_DAYS, WORKING_DAYS, Deadline, DeadlinePolicy, Limit
from petitions.working_days import vietnam_calendar
from tests.unit.conftest import AT, KNOWN, SECRETARIAT, new_complaint

POLICY = DeadlinePolicy()
TET_BREAK = [date(2025, 1, 25) + timedelta(days=n) for n in range(9)]  # Sat 25 Jan – Sun 2 Feb
MAY_BREAK = [date(2025, 4, 30) + timedelta(days=n) for n in range(5)]  # Wed 30 Apr – Sun 4 May


@pytest.fixture(scope="module")
def vietnam() -> WorkingCalendar:
    """The calendar the application uses."""
    return vietnam_calendar()


def accept_on(day: date, calendar: WorkingCalendar, kind: str = "complaint",
              complexity: str = "normal", remote: bool = False, **changes: object):
    """Receive a đơn a few days before ``day`` and accept it on ``day``."""
    complaint = new_complaint(kind=kind, received_on=day - timedelta(days=3), today=day,
                              calendar=calendar, **changes)
    complaint.accept(agency="so-xay-dung", complexity=complexity, remote_area=remote,
                     known=KNOWN, policy=POLICY, calendar=calendar, today=day,
                     by=SECRETARIAT, at=AT)
    return complaint


# -- the calendar itself ----------------------------------------------------------------------
@pytest.mark.parametrize("day", [date(2025, 1, 27), date(2025, 1, 29), date(2025, 1, 31),
                                 date(2025, 4, 30), date(2025, 5, 1), date(2025, 5, 2)])
def test_public_holidays_are_not_working_days(vietnam: WorkingCalendar, day: date) -> None:
    assert not vietnam.is_working_day(day)


def test_the_swapped_day_off_is_named_by_the_library(vietnam: WorkingCalendar) -> None:
    assert "substituted" in (vietnam.holiday(date(2025, 5, 2)) or "")


def test_an_ordinary_tuesday_is_a_working_day(vietnam: WorkingCalendar) -> None:
    assert vietnam.is_working_day(date(2025, 3, 4))


def test_the_tet_break_holds_no_working_day(vietnam: WorkingCalendar) -> None:
    # From Fri 24 Jan to Mon 3 Feb the only working day counted is Mon 3 Feb itself.
    assert vietnam.working_days_between(date(2025, 1, 24), date(2025, 2, 3)) == 1


def test_working_days_can_be_counted_backwards(vietnam: WorkingCalendar) -> None:
    # Three working days before Tue 29 Apr 2025: Mon 28, Sat 26 (worked in exchange
    # for Fri 2 May), Fri 25 April.
    day, _ = vietnam.add_working_days(date(2025, 4, 29), -3)

    assert day == date(2025, 4, 25)


def test_a_declared_working_saturday_counts_as_a_working_day() -> None:
    # Sat 26 Apr 2025 was worked in exchange for Fri 2 May; the library lists no such days,
    # so the calendar accepts them from outside.
    calendar = WorkingCalendar(vietnam_calendar().holiday, working_weekend_days={date(2025, 4, 26)})

    day, _ = calendar.add_working_days(date(2025, 4, 25), 1)

    assert day == date(2025, 4, 26)


# -- calendar days vs working days across Tết ---------------------------------------------------
def test_working_days_skip_the_whole_tet_break(vietnam: WorkingCalendar) -> None:
    # Denunciation received Fri 24 Jan 2025, 7 working days: Tết and weekends skipped,
    # then Mon 3 (1), Tue 4, Wed 5, Thu 6, Fri 7 (5), Mon 10 (6), Tue 11 Feb (7).
    complaint = new_complaint(kind="denunciation", received_on=date(2025, 1, 24),
                              today=date(2025, 1, 24), calendar=vietnam)

    assert complaint.due_date == date(2025, 2, 11)


def test_a_working_day_deadline_lists_every_day_it_skipped(vietnam: WorkingCalendar) -> None:
    deadline = POLICY.compute("denunciation_initial", date(2025, 1, 24), vietnam)

    assert list(deadline.skipped) == TET_BREAK + [date(2025, 2, 8), date(2025, 2, 9)]


def test_calendar_days_run_through_tet_and_roll_to_the_first_working_day(
    vietnam: WorkingCalendar,
) -> None:
    # Complaint received Fri 17 Jan 2025: 10 calendar days end Mon 27 Jan, a Tết holiday;
    # the deadline rolls over the break (27 Jan – 2 Feb) to Mon 3 Feb.
    deadline = POLICY.compute("complaint_accept", date(2025, 1, 17), vietnam)

    assert (deadline.due, deadline.rolled_over) == (date(2025, 2, 3), True)


def test_a_rolled_calendar_deadline_lists_the_days_it_rolled_over(vietnam: WorkingCalendar) -> None:
    deadline = POLICY.compute("complaint_accept", date(2025, 1, 17), vietnam)

    assert list(deadline.skipped) == TET_BREAK[2:]  # 27 Jan – 2 Feb


def test_ten_working_days_from_the_same_start_end_later_than_ten_calendar_days(
    vietnam: WorkingCalendar,
) -> None:
    # Fri 17 Jan 2025 + 10 working days: 20–24 Jan (5), Tết skipped, 3–7 Feb (10) → Fri 7 Feb.
    working = POLICY.compute("classify", date(2025, 1, 17), vietnam)
    calendar_days = POLICY.compute("complaint_accept", date(2025, 1, 17), vietnam)

    assert (working.due, calendar_days.due) == (date(2025, 2, 7), date(2025, 2, 3))


# -- across 30/4 – 1/5 --------------------------------------------------------------------------
def test_a_calendar_limit_ending_on_30_april_rolls_past_the_substitute_day(
    vietnam: WorkingCalendar,
) -> None:
    # Accepted Mon 31 Mar 2025 + 30 days = Wed 30 Apr, a holiday; 1 May, 2 May (swapped day
    # off) and the weekend follow, so the complaint is due Mon 5 May.
    complaint = accept_on(date(2025, 3, 31), vietnam)

    assert complaint.due_date == date(2025, 5, 5)


def test_the_rolled_deadline_explains_itself(vietnam: WorkingCalendar) -> None:
    complaint = accept_on(date(2025, 3, 31), vietnam)

    deadline = Deadline.from_dict(complaint.deadline)
    assert (deadline.start, deadline.amount, deadline.unit, deadline.skipped, deadline.rolled_over,
            deadline.basis) == (date(2025, 3, 31), 30, CALENDAR_DAYS, tuple(MAY_BREAK), True,
                                "Luật Khiếu nại 2011, Điều 28")


def test_working_days_skip_the_30_april_break(vietnam: WorkingCalendar) -> None:
    # Reflection received Tue 29 Apr 2025, 10 working days: 30 Apr – 4 May skipped,
    # Mon 5 (1) … Fri 9 (5), Mon 12 … Fri 16 May (10).
    complaint = new_complaint(kind="reflection", received_on=date(2025, 4, 29),
                              today=date(2025, 4, 29), calendar=vietnam)

    assert (complaint.due_date, complaint.deadline["unit"]) == (date(2025, 5, 16), WORKING_DAYS)


def test_a_calendar_limit_ending_on_a_working_day_does_not_roll(vietnam: WorkingCalendar) -> None:
    # Accepted Mon 3 Mar 2025 + 30 days = Wed 2 Apr, an ordinary working day.
    deadline = POLICY.compute("complaint_resolve_1", date(2025, 3, 3), vietnam)

    assert (deadline.due, deadline.skipped, deadline.rolled_over) == (date(2025, 4, 2), (), False)


def test_a_calendar_limit_ending_on_hung_kings_day_rolls_one_day(vietnam: WorkingCalendar) -> None:
    # Fri 7 Mar 2025 + 30 days = Sun 6 Apr; Mon 7 Apr is Hùng Kings' day → Tue 8 Apr.
    deadline = POLICY.compute("complaint_resolve_1", date(2025, 3, 7), vietnam)

    assert (deadline.due, deadline.skipped) == (date(2025, 4, 8), (date(2025, 4, 6), date(2025, 4, 7)))


def test_the_escalation_ladder_counts_working_days_over_the_break(vietnam: WorkingCalendar) -> None:
    # Due Tue 29 Apr 2025: level 1 one working day after → Mon 5 May (30 Apr – 4 May off).
    step = POLICY.step(1)

    assert POLICY.step_date(step, date(2025, 4, 29), vietnam) == date(2025, 5, 5)


# -- second-round limits on the real calendar ------------------------------------------------
def decided_first_round(calendar: WorkingCalendar):
    first = accept_on(date(2025, 2, 3), calendar)
    first.issue_decision(result="incorrect", text="Giữ nguyên", decision_no="",
                         decided_on=date(2025, 2, 28),
                         today=date(2025, 3, 3), by=SECRETARIAT, at=AT)
    return first


@pytest.mark.parametrize("complexity, remote, due", [
    ("normal", False, date(2025, 4, 17)),   # Mon 3 Mar + 45 = Thu 17 Apr
    ("complex", False, date(2025, 5, 5)),   # + 60 = Fri 2 May, swapped day off → Mon 5 May
    ("normal", True, date(2025, 5, 5)),     # remote: 60 days, same as above
    ("complex", True, date(2025, 5, 12)),   # remote and complex: + 70 = Mon 12 May
])
def test_second_round_limits_on_the_vietnamese_calendar(
    vietnam: WorkingCalendar, complexity: str, remote: bool, due: date,
) -> None:
    first = decided_first_round(vietnam)

    second = accept_on(date(2025, 3, 3), vietnam, complexity=complexity, remote=remote,
                       code="DT-2025-00002", first_round=first)

    assert (second.round_no, second.due_date) == (2, due)


def test_a_second_round_deadline_cites_article_37(vietnam: WorkingCalendar) -> None:
    second = accept_on(date(2025, 3, 3), vietnam, code="DT-2025-00002",
                       first_round=decided_first_round(vietnam))

    assert second.deadline["basis"] == "Luật Khiếu nại 2011, Điều 37"


# -- extensions ---------------------------------------------------------------------------------
def test_a_denunciation_extension_explains_itself(vietnam: WorkingCalendar) -> None:
    # Accepted Mon 3 Mar 2025, due Wed 2 Apr; extended to Tue 29 Apr = 27 more days (≤ 30).
    denunciation = accept_on(date(2025, 3, 3), vietnam, kind="denunciation", complexity="complex")

    denunciation.extend_resolution(date(2025, 4, 29), "Phải xác minh ở nhiều nơi", policy=POLICY,
                                   decision_no="12/QĐ-UBND", decision_date=date(2025, 3, 3),
                                   by=SECRETARIAT, at=AT)

    assert (denunciation.deadline["start"], denunciation.deadline["amount"],
            denunciation.deadline["basis"]) == (date(2025, 4, 2), 27, "Phải xác minh ở nhiều nơi")


# -- the policy as data ------------------------------------------------------------------------
def test_an_admin_can_count_a_limit_in_working_days(vietnam: WorkingCalendar) -> None:
    # 30 working days from Mon 3 Mar 2025: March has 20 more (4–31), April 1–4 (24),
    # Mon 7 Apr is a holiday, 8–11 (28), 14–15 (30) → Tue 15 Apr.
    policy = POLICY.with_limit("petition_answer", Limit(30, WORKING_DAYS, "Quyết định của Thường trực"))

    deadline = policy.compute("petition_answer", date(2025, 3, 3), vietnam)

    assert (deadline.due, date(2025, 4, 7) in deadline.skipped) == (date(2025, 4, 15), True)


def test_a_deadline_survives_the_round_trip_through_an_event(vietnam: WorkingCalendar) -> None:
    deadline = POLICY.compute("complaint_accept", date(2025, 1, 17), vietnam)

    assert Deadline.from_dict(deadline.to_dict()) == deadline


def test_an_unknown_limit_cannot_be_configured() -> None:
    with pytest.raises(KeyError):
        POLICY.with_limit("nap_time", Limit(1, CALENDAR_DAYS, "—"))


@pytest.mark.parametrize("amount, unit", [(0, CALENDAR_DAYS), (5, "fortnights")])
def test_a_limit_must_be_positive_and_in_a_known_unit(amount: int, unit: str) -> None:
    with pytest.raises(ValueError):
        Limit(amount, unit, "—")


def test_a_saturday_worked_in_exchange_for_a_bridge_day_counts_as_a_working_day():
    from petitions.working_days import vietnam_calendar

    calendar = vietnam_calendar()

    # Sat 26/4/2025 was worked so that Fri 2/5/2025 could be a day off.
    assert calendar.is_working_day(date(2025, 4, 26))
    assert not calendar.is_working_day(date(2025, 5, 2))
    assert not calendar.is_working_day(date(2025, 4, 19))
