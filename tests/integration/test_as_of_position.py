"""Boards, lists, digests and items just after a given event, on SQLite and PostgreSQL.

The expected state is computed without the projector: the log is read up to the position,
each item's aggregate replayed to the last version it had reached there, and counted here.
"""
from __future__ import annotations

import uuid
from collections import Counter
from collections.abc import Iterator
from datetime import date

import pytest

from petitions.application import ItemNotFound
from petitions.digest.data import DigestRequest, build_digest
from petitions.runtime import Runtime
from projections.counters import ALL
from projections.digest_queries import DigestScope, session_summary
from projections.district_board import district_board
from projections.items import ItemFilter, list_items
from projections.positions import AtPosition, PositionOutOfReach
from tests.conftest import SECRETARIAT
from tests.integration.command_mix import mixed_store
from tests.integration.test_as_of import count_item

SESSION = "XVI-20"
NAMES = ("raised", "merged", "answered", "open", "overdue", "escalated", "outcome:resolved",
         "outcome:being_resolved", "outcome:explained", "outcome:not_resolved")


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """A small store lived through some weeks (commands on a moving clock)."""
    with mixed_store(request.param, tmp_path_factory.mktemp("at-position"), 300, 5,
                     project_every=47) as rt:
        yield rt


def _versions_at(rt: Runtime, n: int) -> dict[uuid.UUID, int]:
    """Each item's last version among the events recorded up to position ``n``."""
    app = rt.tracker
    items = {uuid.UUID(i) for i in _all_ids(rt)}
    versions: dict[uuid.UUID, int] = {}
    start = 1
    while start <= n:
        page = list(app.recorder.select_notifications(start=start, limit=500, stop=n))
        if not page:
            break
        for note in page:
            if note.originator_id in items:
                versions[note.originator_id] = note.originator_version
        start = page[-1].id + 1
    return versions


def _day_of(rt: Runtime, n: int) -> date:
    app = rt.tracker
    note = list(app.recorder.select_notifications(start=n, limit=1))[0]
    event = app.mapper.to_domain_event(note)
    return (getattr(event, "at", None) or event.timestamp).astimezone(app.zone).date()


def _counts_at(rt: Runtime, n: int) -> dict[str, Counter[str]]:
    """Count, per unit and city-wide, the items as their events had made them at ``n``."""
    app = rt.tracker
    day = _day_of(rt, n)
    counts: dict[str, Counter[str]] = {}
    for item_id, version in _versions_at(rt, n).items():
        count_item(counts, app.repository.get(item_id, version=version), day)
    return counts


def _positions(rt: Runtime) -> list[int]:
    """Four positions among the items' events (the log opens with the reference data)."""
    head = rt.tracker.position()
    items = {uuid.UUID(i) for i in _all_ids(rt)}
    first = next(n.id for n in rt.tracker.recorder.select_notifications(start=1, limit=head)
                 if n.originator_id in items)
    span = head - first
    return [first + span // 4, first + span // 2, first + 3 * span // 4, head - 1]


def _assert_board_matches(rt: Runtime, moment: AtPosition) -> None:
    expected = _counts_at(rt, moment.n)
    with rt.views.connect() as conn:
        board = district_board(conn, ALL, today=moment, as_of=True)
    for unit, counts in expected.items():
        got = board.get(unit, {})
        assert {k: got.get(k, 0) for k in NAMES} == {k: counts[k] for k in NAMES}, \
            (moment, unit)
    assert {k for k, v in board.items() if v.get("raised") or v.get("merged")} \
        == set(expected), moment


def test_the_board_just_after_an_event_counts_what_the_log_said_up_to_it(runtime):
    for n in _positions(runtime):
        moment = runtime.at_position(n)
        assert moment.n == n and moment == AtPosition(_day_of(runtime, n), n)
        _assert_board_matches(runtime, moment)


def test_a_list_just_after_an_event_holds_the_items_of_that_moment(runtime):
    n = _positions(runtime)[1]
    moment = runtime.at_position(n)
    expected = {str(i): runtime.tracker.repository.get(i, version=v).status.value
                for i, v in _versions_at(runtime, n).items()}

    with runtime.views.connect() as conn:
        page = list_items(conn, ItemFilter(as_of=moment), limit=10_000)

    assert {r["id"]: r["status"] for r in page.rows} == expected
    assert page.rows == sorted(page.rows, key=lambda r: -r["seq"])  # newest first, as today


def test_the_digest_totals_just_after_an_event_match_the_board_then(runtime):
    n = _positions(runtime)[2]
    moment = runtime.at_position(n)
    with runtime.views.connect() as conn:
        board = district_board(conn, SESSION, today=moment, as_of=True).get(ALL, {})
        summary = session_summary(conn, SESSION, DigestScope(), today=moment, as_of=True)
    tally = summary.totals.counts()
    for name in ("raised", "open", "answered", "resolved", "overdue", "escalated", "merged"):
        assert tally[name] == board.get(name, 0), name

    app = runtime.tracker
    digest = build_digest(runtime.views, app.reference(), DigestRequest(session=SESSION,
                          as_of=moment), now=app.now(), zone=app.zone)
    assert digest.position == n  # it prints the event its figures stand at
    assert digest.headline[0].current == tally["raised"]


def test_an_item_just_after_an_event_is_replayed_to_its_version_then(runtime):
    n = _positions(runtime)[1]
    moment = runtime.at_position(n)
    versions = _versions_at(runtime, n)
    app = runtime.tracker
    changed = next(i for i, v in versions.items()
                   if app.repository.get(i).version > v)   # changed after n
    item = app.repository.get(changed, version=versions[changed])

    shown = app.get_item(SECRETARIAT, item.code, as_of=moment)
    history = app.history(SECRETARIAT, item.code, as_of=moment)

    assert shown["status"] == item.status.value
    assert len(history) == versions[changed]
    later = next(i for i in (uuid.UUID(r) for r in _all_ids(runtime)) if i not in versions)
    with pytest.raises(ItemNotFound):
        app.get_item(SECRETARIAT, app.repository.get(later).code, as_of=moment)


def _all_ids(rt: Runtime) -> list[str]:
    from sqlalchemy import select

    from projections.items import items_view
    with rt.views.connect() as conn:
        return list(conn.execute(select(items_view.c.id)).scalars())


def test_later_events_do_not_change_the_state_at_an_earlier_position(runtime):
    n = _positions(runtime)[2]
    before = runtime.at_position(n)
    with runtime.views.connect() as conn:
        board_before = district_board(conn, ALL, today=before, as_of=True)
    app = runtime.tracker
    # An item not touched since n changes now: the rows kept for n must grow by it.
    versions = _versions_at(runtime, n)
    untouched = [i for i, v in versions.items() if app.repository.get(i).version == v
                 and app.repository.get(i).is_open]
    code = app.repository.get(untouched[0]).code
    app.set_categories(SECRETARIAT, code, categories=["dat-dai"])
    runtime.projector.catch_up()

    again = runtime.at_position(n)
    with runtime.views.connect() as conn:
        board_again = district_board(conn, ALL, today=again, as_of=True)

    assert board_again == board_before
    _assert_board_matches(runtime, again)


def test_a_position_not_recorded_yet_is_refused(runtime):
    head = runtime.tracker.position()
    with pytest.raises(PositionOutOfReach) as refused:
        runtime.at_position(head + 1_000)
    assert refused.value.reason == "unknown"
    with pytest.raises(PositionOutOfReach):
        runtime.at_position(0)


def test_a_read_after_the_projector_moved_on_completes_the_rows_and_reads_again(runtime):
    from projections.positions import current, read_at

    n = _positions(runtime)[1]
    moment = runtime.at_position(n)
    app = runtime.tracker
    versions = _versions_at(runtime, n)
    untouched = next(i for i, v in versions.items() if app.repository.get(i).version == v
                     and app.repository.get(i).is_open)
    app.set_categories(SECRETARIAT, app.repository.get(untouched).code, categories=["von"])
    runtime.projector.catch_up()  # not prepared again: the kept rows miss that item
    with runtime.views.connect() as conn:
        assert not current(conn, moment)

    board = read_at(moment, runtime.at_position, runtime.views,
                    lambda conn: district_board(conn, ALL, today=moment, as_of=True))

    expected = _counts_at(runtime, n)
    assert {k: board[ALL].get(k, 0) for k in NAMES} == {k: expected[ALL][k] for k in NAMES}
    with runtime.views.connect() as conn:
        assert current(conn, moment)


def test_a_position_too_far_back_to_replay_is_refused_and_its_day_is_the_way(
        runtime, monkeypatch):
    from projections import positions

    head = runtime.tracker.position()
    monkeypatch.setattr(positions, "REACH", 10)

    with pytest.raises(PositionOutOfReach) as refused:
        runtime.at_position(head - 50)
    near = runtime.at_position(head - 5)

    assert refused.value.reason == "too_old"
    assert near.n == head - 5
