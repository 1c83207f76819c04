"""Read models on SQLite and PostgreSQL: rebuild equals live, counters agree, search folds."""
from __future__ import annotations

import threading
import uuid
from collections import Counter
from datetime import date
from typing import Any

import pytest
from sqlalchemy import select

from domain.item import Status
from petitions.runtime import Runtime
from projections import counters, figures, items
from projections.counters import ALL
from projections.district_board import district_board, district_summary
from projections.runner import Projector
from projections.store import Views
from tests.conftest import PG_URL, SECRETARIAT
from tests.integration.command_mix import run_mix


@pytest.fixture
def runtime(settings, clock):
    rt = Runtime(settings, clock=clock)
    rt.tracker.load_reference()
    yield rt
    rt.close()


def other_views(runtime: Runtime, tmp_path: Any) -> Views:
    """A second, empty views database over the same event store."""
    if runtime.views.dialect == "sqlite":
        views = Views(f"sqlite:///{tmp_path / f'rebuilt-{uuid.uuid4().hex[:6]}.sqlite3'}")
    else:
        import psycopg

        schema = f"v_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE SCHEMA "{schema}"')
        views = Views(runtime.settings.views_url(), schema)
    views.create_all()
    return views


def projector_for(runtime: Runtime, views: Views) -> Projector:
    app = runtime.tracker
    return Projector(app, views, policy=app.policy, calendar=app.calendar, zone=app.zone)


def snapshot(views: Views) -> tuple[list[dict], dict]:
    with views.connect() as conn:
        rows = [dict(r._mapping) for r in conn.execute(
            select(items.items_view).order_by(items.items_view.c.id))]
        counts = {
            (r.board, r.k1, r.k2, r.metric): r.n
            for r in conn.execute(select(counters.board_counts)) if r.n
        }
        counts.update({
            (r.board, r.k1, r.k2, r.figure, r.bucket): r.n
            for r in conn.execute(select(counters.due_counts)) if r.n
        })
    for row in rows:
        row.pop("updated_at")  # same instant, but SQLite and PostgreSQL differ in tz form
    return rows, counts


def test_views_rebuilt_from_scratch_equal_the_live_views(runtime, tmp_path):
    run_mix(runtime, 1500, project_every=37)
    runtime.projector.catch_up()
    fresh = other_views(runtime, tmp_path)

    projector_for(runtime, fresh).catch_up()

    assert snapshot(fresh) == snapshot(runtime.views)


def test_board_counters_agree_with_the_item_rows(runtime):
    run_mix(runtime, 800, seed=11, project_every=50)
    runtime.projector.catch_up()

    rows, counts = snapshot(runtime.views)

    expected: Counter = Counter()
    for row in rows:
        expected.update(counters.row_counts(row))
    assert counts == {k: v for k, v in expected.items() if v}


def test_item_rows_agree_with_a_replay_of_the_aggregates(runtime):
    run_mix(runtime, 800, seed=5, project_every=40)
    runtime.projector.catch_up()

    rows, _ = snapshot(runtime.views)

    for row in rows:
        item = runtime.tracker.repository.get(uuid.UUID(row["id"]))
        assert (row["status"], row["agency"], row["due_date"], row["escalation_level"]) == (
            item.status.value, item.agency, item.due_date, item.escalation_level), row["code"]


def test_two_projectors_running_at_once_leave_the_same_view_as_one(runtime, tmp_path):
    run_mix(runtime, 600, seed=3)
    shared = other_views(runtime, tmp_path)
    errors: list[BaseException] = []

    def follow() -> None:
        try:
            projector_for(runtime, Views(shared.url, shared.schema)).catch_up(batch=20)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=follow) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    runtime.projector.catch_up()

    assert errors == []
    assert snapshot(shared) == snapshot(runtime.views)


def test_rebuild_replaces_the_view_with_an_equal_one(runtime):
    run_mix(runtime, 400, seed=9, project_every=25)
    runtime.projector.catch_up()
    before = snapshot(runtime.views)

    runtime.projector.rebuild()

    assert snapshot(runtime.views) == before


def test_status_reports_the_lag_of_each_view(runtime):
    run_mix(runtime, 30, seed=2)
    runtime.projector.catch_up()
    log_petition(runtime, "Chiếu sáng ngõ 12")

    statuses = {s.name: s for s in runtime.projector.status()}

    assert statuses["items"].lag >= 1


def log_petition(runtime: Runtime, title: str, content: str = "", district: str = "ba-dinh"):
    today = runtime.tracker.today()
    return runtime.tracker.log_petition(
        SECRETARIAT, title=title, content=content or title, district=district,
        deputy_group="to-01", session="XVI-20", field="water_drainage",
        meeting_date=today, meeting_place="Nhà văn hóa phường Kim Mã", voters="Lê Văn C",
        received_on=today)


def test_search_without_diacritics_finds_vietnamese_text(runtime):
    log_petition(runtime, "Đề nghị cải tạo hệ thống thoát nước phố Đội Cấn")
    log_petition(runtime, "Sửa chữa đèn chiếu sáng")
    receipt = log_petition(runtime, "Ngập úng khi mưa lớn", content="Đường Đê La Thành ngập")
    runtime.wait_for(receipt)

    with runtime.views.connect() as conn:
        found = items.list_items(conn, items.ItemFilter(text="thoat nuoc doi can")).rows
        by_d = items.list_items(conn, items.ItemFilter(text="de la thanh")).rows
        upper = items.list_items(conn, items.ItemFilter(text="THOÁT NƯỚC")).rows

    assert [r["title"] for r in found] == ["Đề nghị cải tạo hệ thống thoát nước phố Đội Cấn"]
    assert [r["title"] for r in by_d] == ["Ngập úng khi mưa lớn"]
    assert len(upper) == 1


def test_a_logged_petition_is_listed_as_soon_as_the_caller_waits_for_it(runtime):
    receipt = log_petition(runtime, "Cây xanh đổ")

    runtime.wait_for(receipt)

    with runtime.views.connect() as conn:
        row = items.get_row(conn, receipt.code)
    assert row is not None and row["status"] == Status.LOGGED.value


def test_keyset_pages_cover_every_item_once(runtime):
    for n in range(23):
        last = log_petition(runtime, f"Kiến nghị số {n}")
    runtime.wait_for(last)
    seen: list[str] = []
    cursor = None

    with runtime.views.connect() as conn:
        while True:
            page = items.list_items(conn, items.ItemFilter(district="ba-dinh"), cursor, limit=5)
            seen += [r["code"] for r in page.rows]
            cursor = page.next_cursor
            if cursor is None:
                break

    assert len(seen) == 23 and len(set(seen)) == 23


def test_a_malformed_cursor_gives_the_first_page(runtime):
    runtime.wait_for(log_petition(runtime, "Kiến nghị"))

    with runtime.views.connect() as conn:
        page = items.list_items(conn, items.ItemFilter(), cursor="%%%not-a-cursor")

    assert len(page.rows) == 1


def test_district_board_counts_answers_on_time(runtime):
    app = runtime.tracker
    receipt = log_petition(runtime, "Thoát nước")
    app.assign(SECRETARIAT, receipt.code, agency="so-xay-dung", due_date=date(2025, 3, 20))
    app.record_answer(SECRETARIAT, receipt.code, outcome="resolved", text="Đã nạo vét cống")
    last = app.accept_answer(SECRETARIAT, receipt.code)
    runtime.wait_for(last)

    with runtime.views.connect() as conn:
        board = district_summary(conn, "ba-dinh", "XVI-20", today=app.today())

    assert board["outcome:resolved"] == 1
    assert board["answered_on_time"] == 1 and board["on_time_rate"] == 100.0


def test_an_item_past_its_due_date_is_listed_as_overdue_before_any_scan(runtime, clock):
    app = runtime.tracker
    receipt = log_petition(runtime, "Thoát nước")
    app.assign(SECRETARIAT, receipt.code, agency="so-xay-dung", due_date=date(2025, 3, 5))
    on_time = log_petition(runtime, "Chiếu sáng")
    last = app.assign(SECRETARIAT, on_time.code, agency="so-xay-dung", due_date=date(2025, 3, 20))
    runtime.wait_for(last)

    with runtime.views.connect() as conn:
        late = items.list_items(conn, items.ItemFilter(overdue=True, today=date(2025, 3, 6)))
        not_late = items.list_items(conn, items.ItemFilter(overdue=False, today=date(2025, 3, 6)))

    assert [r["code"] for r in late.rows] == [receipt.code]
    assert late.rows[0]["overdue"] is True
    assert receipt.code not in [r["code"] for r in not_late.rows]


@pytest.mark.parametrize("today", [date(2025, 1, 1), date(2025, 3, 1), date(2025, 3, 17),
                                   date(2025, 4, 30), date(2025, 12, 31), date(2026, 7, 1)])
def test_dated_counters_give_the_overdue_figures_of_the_rows_on_any_day(runtime, today):
    run_mix(runtime, 800, seed=11, project_every=50)
    runtime.projector.catch_up()
    rows, _ = snapshot(runtime.views)

    with runtime.views.connect() as conn:
        board = district_board(conn, ALL, today=today)

    for district in {r["district"] for r in rows}:
        mine = [r for r in rows if r["district"] == district and figures.is_raised(r)]
        assert (board[district]["overdue"], board[district]["past_roadmap"]) == (
            sum(figures.is_overdue(r["status"], r["due_date"], today) for r in mine),
            sum(figures.is_past_roadmap(r["status"], r["due_date"], today) for r in mine),
        ), district
