"""Digest queries on SQLite and PostgreSQL agree with the board counters and the item rows."""
from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest

from petitions.runtime import Runtime
from projections.agency_board import agency_board
from projections.counters import ALL
from projections.digest_queries import DigestScope, escalated_items, resolved_since, session_summary
from projections.district_board import district_board
from projections.items import ItemFilter, list_items
from projections.session_board import session_board
from tests.integration.command_mix import mixed_store

SESSION = "XVI-20"


@pytest.fixture(scope="module",
                params=["sqlite", pytest.param("postgres", marks=pytest.mark.postgres)])
def runtime(request: pytest.FixtureRequest,
            tmp_path_factory: pytest.TempPathFactory) -> Iterator[Runtime]:
    """Views of one command mix, built once per store for the whole module."""
    with mixed_store(request.param, tmp_path_factory.mktemp("digest-queries"), 500, 13) as rt:
        yield rt


FIGURES = ("raised", "petitions", "open", "answered", "answered_on_time", "resolved",
           "overdue", "past_roadmap", "escalated")


@pytest.mark.parametrize("days_later", [0, 40], ids=["today", "forty-days-on"])
def test_session_summary_agrees_with_the_district_board(runtime, days_later):
    today = runtime.tracker.today() + timedelta(days=days_later)
    with runtime.views.connect() as conn:
        board = district_board(conn, SESSION, today=today)
        summaries = {d: session_summary(conn, SESSION, DigestScope(district=d), today=today)
                     for d in board if d != ALL}
        city = session_summary(conn, SESSION, DigestScope(), today=today)

    assert board[ALL]["overdue"] > 0 or not days_later
    for district, summary in [*summaries.items(), (ALL, city)]:
        counts, tally = board[district], summary.totals.counts()
        assert {name: tally[name] for name in (*FIGURES, "merged")} == {
            name: counts.get(name, 0) for name in (*FIGURES, "merged")}, district
        assert summary.by_outcome.get("resolved", 0) == counts.get("outcome:resolved", 0)


def test_the_answer_result_rows_add_up_to_the_items_raised(runtime):
    with runtime.views.connect() as conn:
        summary = session_summary(conn, SESSION, DigestScope(), today=runtime.tracker.today())

    assert sum(summary.by_outcome.values()) == summary.totals.raised > 0


def test_session_summary_by_agency_agrees_with_the_agency_board(runtime):
    today = runtime.tracker.today()
    with runtime.views.connect() as conn:
        board = agency_board(conn, SESSION, today=today)
        summary = session_summary(conn, SESSION, DigestScope(), today=today)

    by_agency = {code: t.assigned for code, t in summary.by_agency.items() if code}
    assert by_agency == {code: c["assigned"] for code, c in board.items() if code != ALL}


def test_session_summary_of_a_deputy_group_agrees_with_the_session_board(runtime):
    with runtime.views.connect() as conn:
        board = session_board(conn, SESSION)
        summaries = {g: session_summary(conn, SESSION, DigestScope(deputy_group=g),
                                        today=runtime.tracker.today())
                     for g in board if g not in (ALL, "-")}

    assert summaries
    for group, summary in summaries.items():
        assert (summary.totals.raised, summary.totals.answered, summary.totals.open,
                summary.totals.resolved) == (
            board[group]["raised"], board[group].get("answered", 0),
            board[group].get("open", 0), board[group].get("resolved", 0)), group


def test_escalated_items_come_highest_level_first_then_earliest_due(runtime):
    with runtime.views.connect() as conn:
        rows, total = escalated_items(conn, DigestScope())
        expected = list_items(conn, ItemFilter(escalated=True, open_only=True), limit=10_000)

    keys = [(-r["escalation_level"], r["due_date"], r["code"]) for r in rows]
    assert keys == sorted(keys)
    assert total == len(rows) == len(expected.rows) > 0


def test_resolved_since_leaves_out_items_concluded_before_the_date(runtime):
    with runtime.views.connect() as conn:
        everything, _ = resolved_since(conn, DigestScope(), None)
        assert everything, "the mix should conclude some items"
        cut = sorted(r["closed_on"] for r in everything)[len(everything) // 2]
        later, total = resolved_since(conn, DigestScope(), cut)

    assert total == len(later) == sum(1 for r in everything if r["closed_on"] >= cut)
    assert all(r["closed_on"] >= cut and r["status"] in ("resolved", "explained", "decided")
               for r in later)
