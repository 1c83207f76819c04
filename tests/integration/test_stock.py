"""Stock reports on SQLite and PostgreSQL: outstanding items at two days, by group, from the events."""
from __future__ import annotations

from collections import Counter
from datetime import date, datetime, timedelta, timezone

import pytest

from petitions.runtime import Runtime
from petitions.stock import StockRequest, StockUnavailable, build_stock
from projections.counters import ALL
from projections.district_board import district_board
from tests.conftest import SECRETARIAT, FixedClock

BA_DINH_PETITION = dict(
    title="Sửa đường Kim Mã", content="Cử tri kiến nghị sửa đường.", district="ba-dinh",
    deputy_group="to-01", session="XVI-19", field="transport",
    meeting_date=date(2025, 2, 20), meeting_place="Nhà văn hóa", voters="",
    received_on=date(2025, 2, 21))


@pytest.fixture
def runtime(settings) -> Runtime:
    rt = Runtime(settings, clock=FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)))
    rt.tracker.load_reference()
    yield rt
    rt.close()


def _move(rt: Runtime, days: int) -> None:
    rt.tracker.clock.set(rt.tracker.clock() + timedelta(days=days))


def test_a_stock_report_counts_outstanding_items_by_group_and_the_change_since_the_last(runtime):
    app = runtime.tracker
    first = app.log_petition(SECRETARIAT, **BA_DINH_PETITION).code
    second = app.log_petition(SECRETARIAT, **{**BA_DINH_PETITION, "field": "land"}).code
    app.set_categories(SECRETARIAT, second, categories=["Vướng mắc về đất đai", "Vốn"])
    _move(runtime, 40)   # 12 April 2025
    app.assign(SECRETARIAT, first, agency="so-xay-dung")
    app.close_item(SECRETARIAT, second, reason="Cử tri rút kiến nghị.")
    third = app.log_petition(SECRETARIAT, **{**BA_DINH_PETITION, "session": "XVI-20"}).code
    app.set_categories(SECRETARIAT, third, categories=["Thủ tục"])
    runtime.projector.catch_up()
    request = StockRequest(period="range", start=date(2025, 3, 10), end=date(2025, 4, 12))

    report = build_stock(runtime.views, app.reference(), request, today=app.today())

    assert (report.previous_as_of, report.as_of) == (date(2025, 3, 9), date(2025, 4, 12))
    assert (report.previous_total, report.total, report.change) == (2, 2, 0)
    categories = {r.key: (r.count, r.previous) for r in report.tables["category"]}
    assert categories == {"Vướng mắc về đất đai": (0, 1), "Vốn": (0, 1), "Thủ tục": (1, 0),
                          "": (1, 1)}
    sessions = {r.key: (r.count, r.previous) for r in report.tables["session"]}
    assert sessions == {"XVI-19": (1, 2), "XVI-20": (1, 0)}
    assert [i["code"] for i in report.carried_over] == [first]
    with runtime.views.connect() as conn:
        board = district_board(conn, ALL, today=date(2025, 4, 12), as_of=True)[ALL]
    assert report.total == board["open"]
    assert sum(r.count for r in report.tables["agency"]) == report.total
    assert Counter({r.key: r.count for r in report.tables["agency"]})["so-xay-dung"] == 1


def test_a_period_that_has_not_started_is_refused(runtime):
    app = runtime.tracker

    with pytest.raises(StockUnavailable):
        build_stock(runtime.views, app.reference(), StockRequest(period="year", year=2030),
                    today=app.today())


def test_petitions_stock_prints_the_stock_and_the_items_carried_over(
        runtime, monkeypatch, capsys):
    from petitions.cli import main as cli_main

    app = runtime.tracker
    code = app.log_petition(SECRETARIAT, **BA_DINH_PETITION).code
    _move(runtime, 10)
    runtime.projector.catch_up()
    if runtime.settings.database_url:
        pytest.skip("the command line reads the instance's SQLite files here")
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)
    monkeypatch.setenv("PETITIONS_SECRET_KEY", "test-secret")

    status = cli_main(["stock", "--from", "2025-03-04", "--to", "2025-03-10"])

    out = capsys.readouterr().out
    assert status == 0
    assert "Tồn đọng: 1 (trước: 1; thay đổi +0 " in out and code in out


def test_petitions_stock_refuses_a_half_year_written_wrongly(runtime, monkeypatch, capsys):
    from petitions.cli import main as cli_main

    if runtime.settings.database_url:
        pytest.skip("the command line reads the instance's SQLite files here")
    monkeypatch.setenv("PETITIONS_INSTANCE_PATH", runtime.settings.instance_path)
    monkeypatch.setenv("PETITIONS_SECRET_KEY", "test-secret")

    status = cli_main(["stock", "--half", "2025-3"])

    assert status == 2 and "YYYY-1" in capsys.readouterr().err


def test_half_year_year_and_session_periods_split_the_stock_every_way(runtime):
    from projections import figures

    app = runtime.tracker
    first = app.log_petition(SECRETARIAT, **BA_DINH_PETITION).code
    app.log_petition(SECRETARIAT, **{**BA_DINH_PETITION, "field": "land"})
    _move(runtime, 134)   # 15 July 2025
    app.assign(SECRETARIAT, first, agency="so-xay-dung")
    _move(runtime, 238)   # 10 March 2026
    runtime.projector.catch_up()
    reference, today = app.reference(), app.today()

    half = build_stock(runtime.views, reference, StockRequest(period="half", year=2025, half=2),
                       today=today)
    year = build_stock(runtime.views, reference,
                       StockRequest(period="year", year=2026, compare="last-year"), today=today)
    opens = date.fromisoformat(str(reference["council_sessions"]["XVI-20"]["opens_on"]))
    session = build_stock(runtime.views, reference,
                          StockRequest(period="session", session="XVI-20"), today=today)

    assert (half.previous_as_of, half.as_of) == (date(2025, 6, 30), date(2025, 12, 31))
    assert (year.previous_as_of, year.as_of) == (date(2025, 3, 10), today)
    assert session.as_of == min(opens - timedelta(days=1), today)
    assert (half.total, half.previous_total, half.carried_over_total) == (2, 2, 2)
    assert len(half.carried_over) == half.carried_over_total
    fields = {r.key: (r.count, r.previous, r.share) for r in half.tables["field"]}
    assert fields == {"transport": (1, 1, 50.0), "land": (1, 1, 50.0)}
    assert {r.key: r.count for r in half.tables["district"]} == {"ba-dinh": 2}
    assert {r.key: (r.count, r.previous) for r in half.tables["agency"]} == {
        "so-xay-dung": (1, 0), "": (1, 2)}
    for table in ("status_group", "kind", "field", "district", "session"):
        rows = half.tables[table]
        assert sum(r.count for r in rows) == half.total, table
        assert all(r.share == figures.rate(r.count, half.total) for r in rows), table
