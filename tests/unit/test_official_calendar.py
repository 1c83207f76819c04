"""The official calendar (shipped file over the holidays library), checked by hand.

Hand counts (HANOI-2026.md, research file §7):
  a denunciation received Fri 26/12/2025: 7 working days skip Sat 27, Sun 28, Thu 1/1,
  Fri 2/1 (swap, 12729/VPCP-KGVX), Sat 3 and Sun 4 → due Thu 8/1/2026;
  a đơn received Tue 10/2/2026: 10 working days skip 14–22/2 (Tết Bính Ngọ, 9441/TB-BNV)
  and the weekend of 28/2 → due Tue 3/3/2026.
"""
from __future__ import annotations

from datetime import date

import pytest

from domain.calendar import DAY_OFF, WORKING_DAY, WEEKEND, CalendarDay, check_calendar_day
from domain.deadline import DeadlinePolicy
from domain.errors import InvalidInput
from petitions.working_days import official_calendar, shipped_calendar_days, vietnam_calendar
from tests.unit.conftest import new_complaint

POLICY = DeadlinePolicy()


@pytest.fixture(scope="module")
def official():
    """The calendar the application uses before any admin change."""
    return official_calendar()


def test_a_denunciation_received_on_26_december_2025_is_due_on_8_january_2026(official) -> None:
    deadline = POLICY.compute("denunciation_initial", date(2025, 12, 26), official)

    assert deadline.due == date(2026, 1, 8)


def test_the_library_alone_would_give_7_january_2026(official) -> None:
    deadline = POLICY.compute("denunciation_initial", date(2025, 12, 26), vietnam_calendar())

    assert deadline.due == date(2026, 1, 7)


def test_a_denunciation_logged_on_26_december_2025_carries_the_due_date_8_january(official) -> None:
    item = new_complaint(kind="denunciation", received_on=date(2025, 12, 26),
                         today=date(2025, 12, 26), calendar=official)

    assert item.due_date == date(2026, 1, 8)


def test_a_don_received_on_10_february_2026_is_due_on_3_march_2026(official) -> None:
    deadline = POLICY.compute("classify", date(2026, 2, 10), official)

    assert deadline.due == date(2026, 3, 3)


def test_each_skipped_day_says_why_with_the_announcing_document(official) -> None:
    deadline = POLICY.compute("denunciation_initial", date(2025, 12, 26), official)
    reasons = dict(zip(deadline.skipped, deadline.reasons))

    assert "12729/VPCP-KGVX" in reasons[date(2026, 1, 2)]
    assert reasons[date(2025, 12, 27)] == WEEKEND


def test_saturday_10_january_2026_is_a_make_up_working_day(official) -> None:
    assert official.is_working_day(date(2026, 1, 10))


def test_24_november_2026_is_a_working_day_though_the_library_lists_it(official) -> None:
    assert vietnam_calendar().holiday(date(2026, 11, 24)) is not None
    assert official.is_working_day(date(2026, 11, 24))


@pytest.mark.parametrize("day,working", [
    (date(2025, 5, 2), False), (date(2025, 4, 26), True),
    (date(2026, 4, 27), False), (date(2026, 8, 31), False), (date(2026, 8, 22), True),
])
def test_the_swaps_of_2025_and_2026_follow_the_announcements(official, day, working) -> None:
    assert official.is_working_day(day) is working


def test_every_shipped_day_names_its_document() -> None:
    days = shipped_calendar_days()

    assert {d.day.year for d in days} >= {2025, 2026}
    assert all(d.document and d.name for d in days)


def test_a_year_nobody_entered_follows_the_library(official) -> None:
    # Tết Đinh Mùi 2027 falls on Sat 6 Feb; the library knows the days around it.
    assert official.holiday(date(2027, 2, 8)) == vietnam_calendar().holiday(date(2027, 2, 8))
    assert not official.is_working_day(date(2027, 2, 8))


def test_an_announced_day_overrides_the_library_in_any_year() -> None:
    day_off = CalendarDay(date(2027, 3, 5), DAY_OFF, "Nghỉ hoán đổi", "Công văn 1/VPCP-KGVX")

    calendar = official_calendar([day_off])

    assert not calendar.is_working_day(date(2027, 3, 5))
    assert calendar.reason_off(date(2027, 3, 5)) == "Nghỉ hoán đổi (Công văn 1/VPCP-KGVX)"


@pytest.mark.parametrize("data,field", [
    ({"day": "2026-02-30", "kind": DAY_OFF, "name": "x", "document": "y"}, "day"),
    ({"day": "2026-03-02", "kind": "holiday", "name": "x", "document": "y"}, "kind"),
    ({"day": "2026-03-02", "kind": WORKING_DAY, "name": "x", "document": " "}, "document"),
    ({"day": None, "kind": WORKING_DAY, "name": "", "document": "y"}, "name"),
])
def test_a_bad_calendar_entry_is_refused_field_by_field(data, field) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_calendar_day(data)

    assert field in refused.value.errors


def test_the_projector_s_cached_calendar_keeps_the_make_up_saturday(official) -> None:
    from projections.runner import _memoised

    cached = _memoised(official)

    assert cached.is_working_day(date(2026, 1, 10))
    assert not cached.is_working_day(date(2026, 1, 2))


def test_the_cached_calendar_counts_working_days_as_the_day_by_day_walk(official) -> None:
    import random
    from datetime import timedelta

    cached = official.memoised()
    rng = random.Random(7)
    for _ in range(300):
        start = date(2024, 6, 1) + timedelta(days=rng.randrange(900))
        end = start + timedelta(days=rng.randrange(-120, 400))
        assert cached.working_days_between(start, end) == \
            official.working_days_between(start, end), (start, end)
    early = date(2019, 1, 1)  # before the running count starts: walked as before
    assert cached.working_days_between(early, date(2019, 3, 1)) == \
        official.working_days_between(early, date(2019, 3, 1))
