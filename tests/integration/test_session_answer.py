"""Through the application with the shipped reference data: a voter petition assigned without
a typed date is answered before the next regular council session (council practice)."""
from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.conftest import SECRETARIAT
from tests.integration.escalation_helpers import hanoi, runtime_for


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings, clock)
    yield rt
    rt.close()


def assigned_on(runtime, clock, day: date, due_date: date | None = None) -> dict:
    clock.set(hanoi(day))
    tracker = runtime.tracker
    code = tracker.log_petition(
        SECRETARIAT, title="Sửa đường Quán Thánh", district="00004",
        deputy_group="XVII-to-01", content="Cử tri đề nghị sửa mặt đường bị hỏng.",
        session="XVII-03", field="transport", meeting_date=day - timedelta(days=5),
        meeting_place="Nhà văn hoá phường Ba Đình", voters="Ông Nguyễn Văn An",
        received_on=day - timedelta(days=3)).code
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=due_date)
    return tracker.get_item(SECRETARIAT, code)


def test_assigned_10_november_2026_it_is_due_the_day_before_xvii_03_opens(runtime, clock):
    item = assigned_on(runtime, clock, date(2026, 11, 10))

    # XVII-03 opens Tuesday 8 December 2026: due Monday 7 December, the last working day before.
    assert item["due_date"] == date(2026, 12, 7)
    explained = item["deadline_explained"]
    assert (explained["rule"], explained["session"], explained["practice"]) == (
        "petition_answer_session", "XVII-03", True)
    assert "trả lời trước kỳ họp thường lệ XVII-03 khai mạc ngày 08/12/2026" in \
        explained["basis"]


def test_with_no_later_regular_session_known_the_30_day_practice_applies(runtime, clock):
    item = assigned_on(runtime, clock, date(2026, 12, 14))

    assert item["due_date"] == date(2027, 1, 13)
    assert (item["deadline_explained"]["rule"], item["deadline_explained"]["session"],
            item["deadline_explained"]["practice"]) == ("petition_answer", None, True)


def test_a_due_date_the_office_types_still_wins(runtime, clock):
    item = assigned_on(runtime, clock, date(2026, 11, 10), due_date=date(2026, 11, 30))

    assert item["due_date"] == date(2026, 11, 30)
