"""One definition of each figure: the board, the PDF digest, the JSON API and the CSV agree.

The data set is built through the application on a fixed clock (Monday 3 March 2025), then
read on Thursday 6 March. Session XVI-19, Ba Đình:

- P1 answered on time, accepted as resolved;
- P2 due 4 March, answered late on 6 March (awaiting review);
- P3 due 5 March, never answered: overdue;
- P4 due 4 March, parked: not overdue;
- P5 merged into P3: not raised;
- P6 answered on time, accepted as being resolved with a roadmap to 5 March: past its
  roadmap date, not overdue.

Hoàn Kiếm: P7 only logged; P8 answered on time, accepted as explained.
"""
from __future__ import annotations

import csv
import io
from datetime import date, datetime, timezone
from pathlib import Path
from typing import Any

import pytest
from flask import Flask

from tests.conftest import FixedClock
from tests.integration.digest_helpers import pdf_text, row_numbers
from tests.web.conftest import (
    BA_DINH, HOAN_KIEM, SECRETARIAT, XAY_DUNG, catch_up, download_digest, log_petition, receive_complaint,
)
from tests.web.test_boards import cells
from web.views.items import EXPORT_COLUMNS

SESSION = "XVI-19"
THURSDAY = datetime(2025, 3, 6, 2, 0, tzinfo=timezone.utc)  # 09:00 in Hanoi
FIGURES = ("raised", "answered", "answered_on_time", "answered_late", "resolved", "overdue",
           "past_roadmap")
# How each figure is labelled on the board (counts table) and in the digest (headline).
BOARD_LABELS = {"raised": "Số kiến nghị, đơn thư", "answered": "Đã trả lời",
                "answered_on_time": "Trả lời đúng hạn", "answered_late": "Trả lời quá hạn",
                "resolved": "Đã giải quyết xong", "overdue": "Quá hạn",
                "past_roadmap": "Quá hạn lộ trình"}
DIGEST_LABELS = {"raised": "Tổng số kiến nghị của kỳ họp", "answered": "Đã được trả lời",
                 "answered_on_time": "Trả lời đúng hạn", "answered_late": "Trả lời quá hạn",
                 "resolved": "Đã giải quyết xong", "overdue": "Quá hạn",
                 "past_roadmap": "Quá hạn lộ trình"}
# The CSV's header row, in the words of the screens.
EXPORT_HEADERS_VI = {
    "code": "Mã số", "kind": "Loại", "title": "Trích yếu nội dung", "status": "Trạng thái",
    "district": "Địa bàn", "deputy_group": "Tổ đại biểu", "session": "Kỳ họp",
    "field": "Lĩnh vực", "agency": "Cơ quan có trách nhiệm giải quyết", "outcome": "Kết quả",
    "received_on": "Ngày nhận", "due_date": "Hạn xử lý", "closed_on": "Ngày kết thúc",
    "overdue": "Quá hạn", "escalation_level": "Lần đôn đốc", "answered_on": "Ngày trả lời",
    "raised": "Đã nêu", "answered": "Đã trả lời", "answered_on_time": "Trả lời đúng hạn",
    "answered_late": "Trả lời quá hạn", "resolved": "Đã giải quyết xong",
    "past_roadmap": "Quá hạn lộ trình", "escalated": "Đã đôn đốc",
    "forwarded_late": "Chuyển đơn quá hạn",
}
# P2 is the late answer; P6 missed its roadmap date but answered on time: not late.
EXPECTED = {
    "": {"raised": 7, "answered": 4, "answered_on_time": 3, "answered_late": 1, "resolved": 1,
         "overdue": 1, "past_roadmap": 1},
    "ba-dinh": {"raised": 5, "answered": 3, "answered_on_time": 2, "answered_late": 1,
                "resolved": 1, "overdue": 1, "past_roadmap": 1},
}


def assigned(tracker: Any, due: date, **changes: Any) -> str:
    """Log a petition of SESSION and assign it to the construction department, due ``due``."""
    code = log_petition(tracker, session=SESSION, **changes)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=due)
    return code


def answered(tracker: Any, code: str, outcome: str, **extra: Any) -> None:
    """Record the agency's answer and accept it."""
    tracker.record_answer(XAY_DUNG, code, outcome=outcome, text="Đã trả lời cử tri.", **extra)
    tracker.accept_answer(SECRETARIAT, code)


@pytest.fixture
def data_set(app: Flask, tracker: Any, clock: FixedClock) -> None:
    """The items of the module docstring, read on Thursday 6 March 2025."""
    p1 = assigned(tracker, date(2025, 3, 10), title="Sửa mặt đường Kim Mã")
    answered(tracker, p1, "resolved")
    p2 = assigned(tracker, date(2025, 3, 4), title="Lắp đèn đường Đội Cấn")
    p3 = assigned(tracker, date(2025, 3, 5), title="Nạo vét cống Liễu Giai")
    p4 = assigned(tracker, date(2025, 3, 4), title="Cây xanh phố Giảng Võ")
    tracker.park(SECRETARIAT, p4, reason="Chờ quy hoạch")
    p5 = log_petition(tracker, session=SESSION, title="Nạo vét cống Liễu Giai (tổ 12)")
    tracker.merge_petitions(SECRETARIAT, p5, p3, reason="Cùng nội dung")
    p6 = assigned(tracker, date(2025, 3, 10), title="Di dời chợ tạm Ngọc Hà")
    answered(tracker, p6, "being_resolved", new_due_date=date(2025, 3, 5))
    log_petition(tracker, HOAN_KIEM, session=SESSION, title="Chỉnh trang hồ Gươm")
    p8 = assigned(tracker, date(2025, 3, 10), actor=HOAN_KIEM, title="Vỉa hè phố Huế")
    answered(tracker, p8, "explained")
    receive_complaint(tracker, BA_DINH)  # no council session: in none of the session's figures
    clock.set(THURSDAY)
    tracker.record_answer(XAY_DUNG, p2, outcome="resolved", text="Đã lắp đèn.")
    catch_up(app)


def scope_args(district: str) -> dict[str, str]:
    """Return the query string of SESSION narrowed to ``district`` ("" = city-wide)."""
    return {"session": SESSION, **({"district": district} if district else {})}


def board_html(client: Any, district: str) -> dict[str, int]:
    """Read the figures from the counts table of the city or district board page."""
    url = f"/boards/district/{district}" if district else "/boards"
    page = client.get(url, query_string={"session": SESSION}).text
    return {name: int(cells(page, label)[0].replace(".", ""))
            for name, label in BOARD_LABELS.items()}


def board_json(client: Any, district: str) -> dict[str, int]:
    """Read the figures from the JSON board endpoints."""
    if district:
        counts = client.get(f"/api/boards/district/{district}",
                            query_string={"session": SESSION}).get_json()
    else:
        counts = client.get("/api/boards/districts", query_string={"session": SESSION}
                            ).get_json()["*"]
    return {name: counts.get(name, 0) for name in FIGURES}


def digest_pdf(client: Any, district: str, tmp_path: Path) -> dict[str, int]:
    """Read the figures from the headline table of the PDF digest."""
    response = download_digest(client, **scope_args(district))
    assert response.status_code == 200
    text = pdf_text(response.data, tmp_path)
    return {name: row_numbers(text, label)[0] for name, label in DIGEST_LABELS.items()}


def api_rows(client: Any, district: str) -> dict[str, int]:
    """Sum the per-item figures of the JSON item list over every page."""
    totals = dict.fromkeys(FIGURES, 0)
    args, after = scope_args(district), None
    while True:
        data = client.get("/api/items", query_string={**args, **({"after": after} if after else {})}
                          ).get_json()
        for row in data["items"]:
            for name in FIGURES:
                totals[name] += bool(row[name])
        after = data["next"]
        if not after:
            return totals


def csv_rows(client: Any, district: str) -> dict[str, int]:
    """Sum the per-item figures of the CSV export."""
    text = client.get("/items/export.csv", query_string=scope_args(district)).text
    header, *lines = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    assert header == [EXPORT_HEADERS_VI[column] for column in EXPORT_COLUMNS]
    rows = [dict(zip(EXPORT_COLUMNS, line)) for line in lines]
    return {name: sum(row[name] == "True" for row in rows) for name in FIGURES}


@pytest.mark.parametrize("district", ["", "ba-dinh"], ids=["city", "district"])
@pytest.mark.parametrize("read", [board_html, board_json, digest_pdf, api_rows, csv_rows],
                         ids=["board", "board-json", "pdf-digest", "api-items", "csv-export"])
def test_every_output_gives_the_same_figures_for_the_same_session_and_scope(
        data_set: None, client_as: Any, tmp_path: Path, district: str, read: Any) -> None:
    client = client_as("secretariat")

    found = read(client, district, tmp_path) if read is digest_pdf else read(client, district)

    assert found == EXPECTED[district]


# -- each definition ------------------------------------------------------------------------
def district_counts(client: Any, session: str | None = SESSION) -> dict[str, Any]:
    """Return Ba Đình's board counts for ``session`` (JSON; None = every session)."""
    return client.get("/api/boards/district/ba-dinh",
                      query_string={"session": session} if session else {}).get_json()


def test_a_merged_duplicate_is_not_raised(app: Flask, tracker: Any, client_as: Any) -> None:
    survivor = log_petition(tracker, session=SESSION)
    duplicate = log_petition(tracker, session=SESSION, title="Sửa mặt đường Kim Mã (tổ 7)")
    tracker.merge_petitions(SECRETARIAT, duplicate, survivor, reason="Cùng nội dung")
    catch_up(app)

    counts = district_counts(client_as("secretariat"))
    session = client_as("secretariat").get(f"/boards/session/{SESSION}").text

    assert (counts["raised"], counts["merged"]) == (1, 1)
    assert cells(session, "Kỳ họp này")[0] == "1"


def test_a_complaint_is_not_in_the_resolved_rate(app: Flask, tracker: Any, client_as: Any
                                                 ) -> None:
    petition = assigned(tracker, date(2025, 3, 10))
    answered(tracker, petition, "resolved")
    complaint = receive_complaint(tracker)
    tracker.accept_complaint(SECRETARIAT, complaint, agency="so-xay-dung")
    tracker.issue_decision(SECRETARIAT, complaint, result="correct", text="Khiếu nại đúng.",
                           decision_no="12/QĐ-UBND", decided_on=date(2025, 3, 3))
    catch_up(app)

    counts = district_counts(client_as("secretariat"), None)  # every session: complaints too

    assert (counts["raised"], counts["resolved"], counts["resolved_rate"]) == (2, 1, 100.0)


def test_an_item_due_yesterday_is_overdue_today_and_not_after_its_answer(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    code = assigned(tracker, date(2025, 3, 4))
    catch_up(app)
    on_due_day = district_counts(client_as("secretariat"))["overdue"]
    clock.set(datetime(2025, 3, 5, 2, 0, tzinfo=timezone.utc))
    day_after = district_counts(client_as("secretariat"))["overdue"]  # no event in between

    tracker.record_answer(XAY_DUNG, code, outcome="resolved", text="Đã sửa xong.")
    catch_up(app)

    assert (on_due_day, day_after, district_counts(client_as("secretariat"))["overdue"]) == (
        0, 1, 0)


def test_a_parked_item_is_not_overdue(app: Flask, tracker: Any, client_as: Any,
                                      clock: FixedClock) -> None:
    code = assigned(tracker, date(2025, 3, 4))
    tracker.park(SECRETARIAT, code, reason="Chờ quy hoạch")
    catch_up(app)
    clock.set(THURSDAY)

    counts = district_counts(client_as("secretariat"))

    assert (counts["open"], counts["overdue"]) == (1, 0)


def test_a_missed_roadmap_date_is_counted_as_such_and_not_as_overdue(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    code = assigned(tracker, date(2025, 3, 10))
    answered(tracker, code, "being_resolved", new_due_date=date(2025, 3, 5))
    catch_up(app)
    clock.set(THURSDAY)

    counts = district_counts(client_as("secretariat"))
    item = client_as("secretariat").get(f"/api/items/{code}").get_json()

    assert (counts["past_roadmap"], counts["overdue"]) == (1, 0)
    assert (item["past_roadmap"], item["overdue"]) == (True, False)


def test_a_follow_up_after_a_missed_roadmap_date_is_not_a_late_answer(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    code = assigned(tracker, date(2025, 3, 10))
    answered(tracker, code, "being_resolved", new_due_date=date(2025, 3, 5))
    clock.set(THURSDAY)
    tracker.record_answer(XAY_DUNG, code, outcome="resolved", text="Đã di dời xong chợ.")
    catch_up(app)

    counts = district_counts(client_as("secretariat"))

    assert (counts["answered"], counts["answered_on_time"], counts.get("answered_late", 0)) == (
        1, 1, 0)


def test_the_on_time_rate_divides_by_the_answered_items(data_set: None, client_as: Any
                                                        ) -> None:
    counts = district_counts(client_as("secretariat"))

    assert (counts["on_time_rate"], counts["answered_rate"]) == (66.7, 60.0)


def test_the_board_says_what_overdue_means(app: Flask, client_as: Any) -> None:
    page = client_as("secretariat").get("/boards/district/ba-dinh").text

    assert "Quá hạn: chưa trả lời, không tạm dừng" in page


def forwarded_denunciation(tracker: Any, title: str) -> str:
    """Receive a Ba Đình denunciation on Tuesday 25 February 2025 and forward it today.

    Its forwarding limit is 5 working days from receipt: Tuesday 4 March 2025.
    """
    code = tracker.receive_complaint(
        BA_DINH, kind="denunciation", channel="direct", title=title,
        content="Tố cáo cán bộ phường nhận tiền.", subject="Ông Lê Văn C",
        petitioner={"name": "Nguyễn Văn D"}, anonymous=False, district="ba-dinh",
        field="land", received_on=date(2025, 2, 25)).code
    tracker.forward_complaint(SECRETARIAT, code, to_body="Thanh tra Chính phủ",
                              reason="Không thuộc thẩm quyền của Thành phố.")
    return code


def test_a_denunciation_forwarded_late_is_one_figure_on_the_board_the_api_and_the_csv(
        app: Flask, tracker: Any, client_as: Any, clock: FixedClock) -> None:
    forwarded_denunciation(tracker, "Tố cáo chuyển đúng hạn")         # on Monday 3 March
    clock.set(THURSDAY)
    late = forwarded_denunciation(tracker, "Tố cáo chuyển quá hạn")   # on Thursday 6 March
    catch_up(app)
    client = client_as("secretariat")

    city_board = int(cells(client.get("/boards").text, "Đơn tố cáo chuyển quá hạn")[0])
    district_board = int(cells(client.get("/boards/district/ba-dinh").text,
                               "Đơn tố cáo chuyển quá hạn")[0])
    city_json = client.get("/api/boards/districts").get_json()["*"]["forwarded_late"]
    district_json = client.get("/api/boards/district/ba-dinh").get_json()["forwarded_late"]
    items = client.get("/api/items", query_string={"district": "ba-dinh"}).get_json()["items"]
    text = client.get("/items/export.csv", query_string={"district": "ba-dinh"}).text
    header, *lines = csv.reader(io.StringIO(text.lstrip("\ufeff")))
    exported = [dict(zip(EXPORT_COLUMNS, line)) for line in lines]

    assert (city_board, district_board, city_json, district_json) == (1, 1, 1, 1)
    assert [row["code"] for row in items if row["forwarded_late"]] == [late]
    assert [row["code"] for row in exported if row["forwarded_late"] == "True"] == [late]
