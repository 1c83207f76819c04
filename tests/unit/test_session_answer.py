"""A voter petition assigned to an agency is answered by the next regular council session.

NQLT 72/2025 sets no day count for agencies' answers to HĐND-level petitions: the limit is the
council's practice (answered before the next regular session), with a 30-day practice limit
when no later regular session is known. The date the office types by hand still wins.
"""
from __future__ import annotations

from datetime import date, timedelta

from domain.deadline import RegularSession
from tests.unit.conftest import TODAY, assign, new_petition

# TODAY is Monday 3 March 2025.
MID_YEAR = RegularSession("XVI-20", date(2025, 7, 1))      # a Tuesday
YEAR_END = RegularSession("XVI-22", date(2025, 12, 2))
PAST = RegularSession("XVI-19", date(2024, 12, 3))


def assigned(*sessions: RegularSession, due_date: date | None = None):
    petition = new_petition()
    assign(petition, due_date=due_date, sessions=sessions)
    return petition


def test_the_answer_is_due_the_day_before_the_next_regular_session_opens() -> None:
    petition = assigned(PAST, YEAR_END, MID_YEAR)

    assert petition.due_date == date(2025, 6, 30)
    assert (petition.deadline["session"], petition.deadline["session_opens_on"]) == (
        "XVI-20", date(2025, 7, 1))


def test_the_session_limit_is_labelled_council_practice_naming_the_session() -> None:
    petition = assigned(MID_YEAR)

    assert petition.deadline["practice"] is True
    assert petition.deadline["rule"] == "petition_answer_session"
    assert "kỳ họp thường lệ XVI-20 khai mạc ngày 01/07/2025" in petition.deadline["basis"]
    assert "72/2025" in petition.deadline["basis"]


def test_a_session_opening_on_a_monday_makes_the_answer_due_the_friday_before() -> None:
    # The answer is ready before the session opens: the last working day before it.
    petition = assigned(RegularSession("XVI-20", date(2025, 6, 30)))

    assert petition.due_date == date(2025, 6, 27)


def test_a_session_opening_the_next_working_day_leaves_the_answer_for_the_one_after() -> None:
    petition = assigned(RegularSession("soon", TODAY + timedelta(days=1)), MID_YEAR)

    assert petition.deadline["session"] == "XVI-20"


def test_with_no_later_regular_session_the_30_day_practice_limit_applies() -> None:
    petition = assigned(PAST)

    assert petition.due_date == TODAY + timedelta(days=30)
    assert (petition.deadline["rule"], petition.deadline["practice"]) == ("petition_answer", True)
    assert "session" not in petition.deadline
    assert "30 ngày" in petition.deadline["basis"]


def test_a_due_date_typed_by_the_office_still_wins() -> None:
    petition = assigned(MID_YEAR, due_date=date(2025, 4, 15))

    assert petition.due_date == date(2025, 4, 15)


def test_a_day_off_declared_later_on_the_due_day_moves_the_answer_a_working_day_earlier() -> None:
    from domain.calendar import CalendarDay, WorkingCalendar
    from domain.deadline import DEFAULT_POLICY

    petition = assigned(MID_YEAR)  # due Monday 30 June 2025
    day_off = WorkingCalendar(lambda day: None).with_official(
        [CalendarDay(date(2025, 6, 30), "day_off", "Nghỉ", "CV 1")])

    moved = DEFAULT_POLICY.recompute(petition.deadline, day_off)

    assert (moved.due, moved.session) == (date(2025, 6, 27), "XVI-20")
