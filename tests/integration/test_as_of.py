"""Boards, digests and items as of a past day agree with the raw events, on SQLite and PostgreSQL.

The expected counts are computed without the projector: each item's aggregate is replayed
from its own events up to the end of the day, and counted here.
"""
from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from petitions.digest.data import DigestRequest, build_digest
from petitions.runtime import Runtime
from projections.counters import ALL
from projections.digest_queries import DigestScope, session_summary
from projections.district_board import district_board
from projections.items import items_view
from tests.conftest import SECRETARIAT
from tests.integration.command_mix import mixed_store

SESSION = "XVI-20"


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A small store lived through some weeks, projected in batches that span several days."""
    with mixed_store(request.param, tmp_path_factory.mktemp("as-of"), 450, 21, project_every=61) as rt:
        _agencies_answer(rt)
        yield rt


def _agencies_answer(rt: Runtime) -> None:
    """Then some weeks in which agencies answer (the mix's office answers are refused), one
    a day, with every outcome; a third accepted: the figures of outcomes have values."""
    from itertools import cycle

    from domain.actor import Actor, Role
    from domain.errors import DomainError
    from tests.integration.command_mix import in_force

    app, clock = rt.tracker, rt.tracker.clock
    with rt.views.connect() as conn:
        codes = conn.execute(select(items_view.c.code).where(
            items_view.c.kind == "petition",
            items_view.c.status.in_(["logged", "classified", "assigned"]))
            .order_by(items_view.c.seq)).scalars().all()
    outcomes = cycle(["resolved", "being_resolved", "explained", "not_resolved"])
    for n, code in enumerate(codes[:28]):
        clock.set(clock() + timedelta(days=1))
        today = app.today()
        try:
            if not app.get_item(SECRETARIAT, code)["agency"]:
                app.assign(SECRETARIAT, code, agency=in_force("so-xay-dung", today),
                           due_date=today + timedelta(days=3 + n % 5))
            clock.set(clock() + timedelta(days=n % 7))
            agency = app.get_item(SECRETARIAT, code)["agency"]
            outcome = next(outcomes)
            app.record_answer(Actor("can.bo.co.quan", Role.AGENCY_STAFF, agency=agency), code,
                              outcome=outcome, text="Cơ quan đã trả lời.",
                              new_due_date=app.today() + timedelta(days=30)
                              if outcome == "being_resolved" else None)
            if n % 3 == 0:
                app.accept_answer(SECRETARIAT, code, voters_satisfied=True)
        except DomainError:
            continue
        if n % 5 == 0:
            rt.projector.catch_up()
    rt.projector.catch_up()


def _item_ids(rt: Runtime) -> list[uuid.UUID]:
    with rt.views.connect() as conn:
        return [uuid.UUID(i) for i in conn.execute(select(items_view.c.id)).scalars()]


def _replayed_counts(rt: Runtime, day: date, session: str | None = None
                     ) -> dict[str, Counter[str]]:
    """Count, per unit and city-wide, what each item's own events said by the end of ``day``
    (the items of one council session only, with ``session``)."""
    app = rt.tracker
    counts: dict[str, Counter[str]] = {}
    for item_id in _item_ids(rt):
        version = None
        for e in app.events.get(item_id):
            at = getattr(e, "at", None) or e.timestamp
            if at.astimezone(app.zone).date() > day:
                break
            version = e.originator_version
        if version is None:
            continue
        item = app.repository.get(item_id, version=version)
        if session is not None and getattr(item, "session", None) != session:
            continue
        count_item(counts, item, day)
    return counts


def count_item(counts: dict[str, Counter[str]], item: object, day: date) -> None:
    """Add what ``item`` (an aggregate as replayed) counts on ``day``, per unit and city-wide,
    by the figures' definitions, read off the aggregate, not the projector."""
    for key in (item.district, ALL):
        c = counts.setdefault(key, Counter())
        if item.status.value == "merged":
            c["merged"] += 1
            continue
        c["raised"] += 1
        c["answered"] += bool(item.answer_rounds or getattr(item, "decision", None))
        c["open"] += item.is_open
        c["overdue"] += item.is_overdue(day)
        c["escalated"] += item.escalation_level >= 1
        if item.outcome:
            c[f"outcome:{item.outcome}"] += 1


def _days(rt: Runtime) -> list[date]:
    first = date(2025, 3, 3)
    last = rt.tracker.today()
    span = (last - first).days
    assert span > 20, "the mix should live through several weeks"
    return [first, first.fromordinal(first.toordinal() + span // 3),
            first.fromordinal(first.toordinal() + 2 * span // 3), last]


NAMES = ("raised", "merged", "answered", "open", "overdue", "escalated", "outcome:resolved",
         "outcome:being_resolved", "outcome:explained", "outcome:not_resolved")


def test_the_board_as_of_each_day_counts_what_the_events_said_then(runtime):
    seen: Counter[str] = Counter()
    for day in _days(runtime):
        expected = _replayed_counts(runtime, day)
        seen.update({n: expected.get(ALL, Counter())[n] for n in NAMES})

        with runtime.views.connect() as conn:
            board = district_board(conn, ALL, today=day, as_of=True)

        for unit, counts in expected.items():
            got = board.get(unit, {})
            assert {n: got.get(n, 0) for n in NAMES} == {n: counts[n] for n in NAMES}, (day, unit)
        assert set(k for k, v in board.items() if v.get("raised") or v.get("merged")) \
            == set(expected), day
    # Every figure compared had a value on some day (0 == 0 everywhere would prove nothing).
    assert all(seen[n] for n in NAMES), seen


def test_one_sessions_board_as_of_each_day_counts_that_sessions_items_then(runtime):
    for day in _days(runtime)[1:]:
        expected = _replayed_counts(runtime, day, session=SESSION)

        with runtime.views.connect() as conn:
            board = district_board(conn, SESSION, today=day, as_of=True)

        assert expected, day
        for unit, counts in expected.items():
            got = board.get(unit, {})
            assert {n: got.get(n, 0) for n in NAMES} == {n: counts[n] for n in NAMES}, (day, unit)


def test_the_board_as_of_the_last_day_is_the_current_board(runtime):
    # The mix records some escalations with a later clock: the last day is theirs.
    app = runtime.tracker
    today = max((getattr(e, "at", None) or e.timestamp).astimezone(app.zone).date()
                for item_id in _item_ids(runtime) for e in app.events.get(item_id))

    with runtime.views.connect() as conn:
        now = district_board(conn, ALL, today=today)
        then = district_board(conn, ALL, today=today, as_of=True)

    assert then == now


def test_the_board_changes_between_two_days_as_the_events_say(runtime):
    first, middle, _, last = _days(runtime)

    with runtime.views.connect() as conn:
        early = district_board(conn, ALL, today=middle, as_of=True)[ALL]
        late = district_board(conn, ALL, today=last, as_of=True)[ALL]

    assert early["raised"] < late["raised"]
    assert early["raised"] == _replayed_counts(runtime, middle)[ALL]["raised"]


def test_digest_totals_as_of_a_day_match_the_board_as_of_that_day(runtime):
    for day in _days(runtime)[1:]:
        with runtime.views.connect() as conn:
            board = district_board(conn, SESSION, today=day, as_of=True).get(ALL, {})
            summary = session_summary(conn, SESSION, DigestScope(), today=day, as_of=True)

        tally = summary.totals.counts()
        for name in ("raised", "open", "answered", "answered_on_time", "resolved", "overdue",
                     "past_roadmap", "escalated", "merged"):
            assert tally[name] == board.get(name, 0), (day, name)


def test_a_digest_as_of_a_past_day_prints_that_days_figures(runtime):
    app = runtime.tracker
    day = _days(runtime)[2]
    request = DigestRequest(session=SESSION, as_of=day)

    digest = build_digest(runtime.views, app.reference(), request, now=app.now(), zone=app.zone)
    today_digest = build_digest(runtime.views, app.reference(), DigestRequest(session=SESSION),
                                now=app.now(), zone=app.zone)

    with runtime.views.connect() as conn:
        board = district_board(conn, SESSION, today=day, as_of=True).get(ALL, {})
    assert digest.as_of == day
    assert digest.headline[0].current == board.get("raised", 0)
    assert today_digest.headline[0].current >= digest.headline[0].current


def test_an_item_as_of_a_past_day_is_replayed_from_its_events(runtime):
    app = runtime.tracker
    day = _days(runtime)[1]
    # An item that changed after the day: its state then differs from its state now.
    for item_id in _item_ids(runtime):
        events = list(app.events.get(item_id))
        # Up to the first event after the day: one recorded with a later clock holds back
        # those after it, as the day versions fold them into its day.
        by_then = []
        for e in events:
            if (getattr(e, "at", None) or e.timestamp).astimezone(app.zone).date() > day:
                break
            by_then.append(e)
        if by_then and len(by_then) < len(events):
            break
    else:
        raise AssertionError("the mix should change some item after the day")
    expected = app.repository.get(item_id, version=by_then[-1].originator_version)
    now = app.repository.get(item_id)

    then = app.get_item(SECRETARIAT, expected.code, as_of=day)
    history = app.history(SECRETARIAT, expected.code, as_of=day)

    assert then["as_of"] == day
    assert then["version"] == expected.version < now.version
    assert then["status"] == expected.status.value
    assert [h["type"] for h in history] == [type(e).__name__ for e in by_then]
