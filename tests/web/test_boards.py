"""Boards: rates come from the projections, counts use Vietnamese separators, charts are legible."""
from __future__ import annotations

import re
from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import SECRETARIAT, XAY_DUNG, catch_up, download_digest, log_petition, rendered


def answered_once(tracker: Any) -> str:
    """Two petitions in Ba Đình; one answered on time by the agency (its code returned)."""
    answered = log_petition(tracker)
    log_petition(tracker, title="Lắp đèn đường Đội Cấn")
    tracker.assign(SECRETARIAT, answered, agency="so-xay-dung")
    tracker.record_answer(XAY_DUNG, answered, outcome="resolved", text="Đã sửa xong mặt đường.")
    return answered


@pytest.fixture
def in_xvi_19(app: Flask, tracker: Any) -> None:
    """One petition raised at session XVI-19, the last in the reference being XVII-02."""
    log_petition(tracker, session="XVI-19")
    catch_up(app)


def cells(html: str, heading: str) -> list[str]:
    """Return the cells of the table row headed ``heading``."""
    row = re.search(rf'<th scope="row">{re.escape(heading)}</th>(.*?)</tr>', html, re.DOTALL)
    assert row is not None, heading
    return [c.strip() for c in re.findall(r"<td>(.*?)</td>", row.group(1), re.DOTALL)]


@pytest.mark.parametrize(("heading", "expected"), [
    ("Trả lời đúng hạn", ["1", "100,0%"]),  # on time of the answered items, not of all
    ("Đã giải quyết xong", ["0", "0,0%"]),   # resolved of the voter petitions
    ("Đang xử lý", ["2", "—"]),               # a count without a defined rate
], ids=["on-time-of-answered", "resolved-of-petitions", "open-has-no-rate"])
def test_the_counts_table_shows_the_rates_the_projections_define(
        app: Flask, tracker: Any, client_as: Any, heading: str, expected: list[str]) -> None:
    answered_once(tracker)
    catch_up(app)

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    assert cells(page.text, heading) == expected


def chart_svg(html: str, alt_start: str) -> str:
    """Decode the chart whose alt text starts with ``alt_start``."""
    import base64

    found = re.search(rf'<img src="data:image/svg\+xml;charset=utf-8;base64,([^"]+)" '
                      rf'alt="{re.escape(alt_start)}', html)
    assert found is not None, alt_start
    return base64.b64decode(found.group(1)).decode("utf-8")


def test_the_status_chart_shows_four_groups_of_statuses(app: Flask, tracker: Any,
                                                        client_as: Any) -> None:
    answered_once(tracker)
    catch_up(app)

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    svg = chart_svg(page.text, "Biểu đồ: số kiến nghị, đơn thư theo trạng thái")
    assert "đã trả lời, chờ xem xét" in svg
    assert "đã phân loại" not in svg
    assert svg.count('class="legend reactive') == 4


BIG = {"raised": 12345, "open": 2345, "answered": 10000, "answered_on_time": 9000,
       "on_time_rate": 90.0, "resolved_rate": 50.0, "outcome:resolved": 6172, "resolved": 6172,
       "status:logged": 2345, "status:resolved": 10000}


def test_board_counts_use_vietnamese_thousands_separators(app: Flask, client_as: Any,
                                                          monkeypatch: Any) -> None:
    monkeypatch.setattr("web.queries.district", lambda *args: dict(BIG))

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    assert cells(page.text, "Số kiến nghị, đơn thư")[0] == "12.345"


def test_chart_values_use_vietnamese_thousands_separators(app: Flask, client_as: Any,
                                                          monkeypatch: Any) -> None:
    monkeypatch.setattr("web.queries.district", lambda *args: dict(BIG))

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    assert ">6.172<" in chart_svg(page.text, "Biểu đồ: trả lời theo kết quả")


def test_the_city_board_links_the_newest_sessions_that_have_petitions(
        in_xvi_19: None, client_as: Any) -> None:
    page = client_as("secretariat").get("/boards")

    assert "/boards/session/XVI-19" in page.text
    assert "/boards/session/XVII-02" not in page.text


def test_the_digest_form_starts_on_the_newest_session_that_has_petitions(
        in_xvi_19: None, client_as: Any) -> None:
    page = client_as("secretariat").get("/digests")

    assert '<option value="XVI-19" selected>' in page.text


def test_a_digest_without_a_session_is_the_newest_session_that_has_petitions(
        in_xvi_19: None, client_as: Any) -> None:
    response = download_digest(client_as("secretariat"))

    assert response.status_code == 200
    assert "XVI-19" in response.headers["Content-Disposition"]


def test_an_administrator_may_download_a_digest(in_xvi_19: None, client_as: Any) -> None:
    response = download_digest(client_as("admin"), session="XVI-19")

    assert response.status_code == 200
    assert response.mimetype == "application/pdf"


def bars_and_values(svg: str) -> list[tuple[dict[str, float], dict[str, str]]]:
    """Pair each bar of a pygal chart with its printed value (same order in the SVG)."""
    def attrs(tag: str) -> dict[str, str]:
        return dict(re.findall(r'([\w-]+)="([^"]*)"', tag))
    bars = [{k: float(v) for k, v in attrs(t).items() if k in ("x", "y", "width", "height")}
            for t in re.findall(r'<rect[^>]*class="rect reactive[^>]*>', svg)]
    values = [attrs(t) for t in re.findall(r'<text[^>]*class="value"[^>]*>', svg)]
    return list(zip(bars, values))


def test_a_bar_value_is_printed_above_its_bar(app: Flask, tracker: Any, client_as: Any) -> None:
    tracker.accept_answer(SECRETARIAT, answered_once(tracker))
    catch_up(app)

    page = client_as("secretariat").get("/boards/district/ba-dinh")

    bar, value = bars_and_values(chart_svg(page.text, "Biểu đồ: trả lời theo kết quả"))[0]
    assert float(value["y"]) < bar["y"]


def test_a_horizontal_bar_value_starts_past_the_end_of_its_bar(app: Flask, tracker: Any,
                                                               client_as: Any) -> None:
    answered_once(tracker)
    catch_up(app)

    page = client_as("secretariat").get("/boards/agencies")

    bar, value = bars_and_values(chart_svg(page.text, "Biểu đồ: tỷ lệ trả lời đúng hạn"))[0]
    assert value["text-anchor"] == "start"
    assert float(value["x"]) >= bar["x"] + bar["width"]


def test_a_district_without_items_shows_no_status_chart(app: Flask, client_as: Any) -> None:
    page = client_as("secretariat").get("/boards/district/hoan-kiem")

    assert "Biểu đồ: số kiến nghị, đơn thư theo trạng thái" not in rendered(page, "Tổng hợp của Hoàn Kiếm")
