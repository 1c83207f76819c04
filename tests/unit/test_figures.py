"""The figure definitions over one item: overdue, past roadmap date, raised, answer results."""
from __future__ import annotations

from datetime import date

import pytest

from domain.item import Status
from projections import figures

DUE = date(2025, 3, 4)


@pytest.mark.parametrize(("status", "expected"), [
    ("assigned", True), ("accepted", True), ("received", True),
    ("answered", False), ("parked", False),                       # paused
    ("being_resolved", False), ("not_resolved", False),           # answered
    ("resolved", False), ("forwarded", True), ("result_notified", False), ("merged", False),
    ("closed", False),
])
def test_overdue_means_owing_the_answer_past_the_deadline(status, expected):
    assert figures.is_overdue(status, DUE, date(2025, 3, 5)) is expected


def test_an_item_due_today_is_not_overdue_yet():
    assert not figures.is_overdue("assigned", DUE, DUE)


def test_only_a_petition_being_resolved_can_miss_its_roadmap_date():
    missed = [s.value for s in Status if figures.is_past_roadmap(s.value, DUE, date(2025, 3, 5))]

    assert missed == ["being_resolved"]


@pytest.mark.parametrize("today", [date(2025, 1, 1), date(2025, 3, 1), date(2025, 3, 5),
                                   date(2026, 1, 31)])
def test_the_buckets_before_today_hold_exactly_the_earlier_due_dates(today):
    ranges = figures.before(today)
    days = [date(2024, 12, 31), date(2025, 1, 1), date(2025, 2, 28), date(2025, 3, 1),
            date(2025, 3, 4), date(2025, 3, 5), date(2025, 3, 6), date(2026, 1, 30),
            date(2026, 1, 31)]

    for due in days:
        hits = sum(low <= bucket < high for bucket in figures.due_buckets(due)
                   for low, high in ranges)
        assert hits == (1 if due < today else 0), due
