"""Commitment screens: questioning session and commitment forms, reports, register, board."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import catch_up, rendered

SESSION_FORM = {
    "kind": "questioning", "council_session": "XVI-19", "held_on": "2024-12-04",
    "topic": "Xử lý các dự án chậm triển khai", "leader_name": "Nguyễn Văn B",
    "leader_position": "Giám đốc Sở Xây dựng", "agency": "so-xay-dung",
    "deputies": "Đại biểu Trần Thị C\nĐại biểu Lê Văn D", "conclusion_no": "15/KL-HĐND",
    "conclusion_date": "2024-12-05", "conclusion_text": "Xử lý dứt điểm trước 30/6/2025."}
COMMITMENT_FORM = {
    "questioning": "XVI-19-CV1", "title": "Hoàn thành 8 dự án chậm triển khai",
    "content": "Giám đốc Sở hứa hoàn thành 8 dự án trước 30/6/2025.", "agency": "so-xay-dung",
    "leader_name": "Nguyễn Văn B", "leader_position": "Giám đốc Sở", "field": "land",
    "target_date": "2025-06-30", "unit": "projects", "target": "8"}
REPORT_FORM = {"council_session": "XVI-19", "as_of": "2025-03-01", "text": "Đã xong 4 dự án.",
               "value": "4", "unit": "projects"}


@pytest.fixture
def office(client_as: Any) -> Any:
    return client_as("secretariat")


@pytest.fixture
def commitment(app: Flask, office: Any) -> str:
    """A commitment recorded through the forms; returns its code."""
    assert office.post("/commitments/questioning/new", data=SESSION_FORM).status_code == 303
    saved = office.post("/commitments/new", data=COMMITMENT_FORM)
    assert saved.status_code == 303, saved.get_data(as_text=True)[:400]
    catch_up(app)
    return saved.location.rsplit("/", 1)[-1]


def count_events(app: Flask) -> int:
    return app.extensions["petitions"].tracker.position()


def test_the_office_records_a_session_and_a_commitment_with_a_ck_code(
        app: Flask, office: Any, commitment: str) -> None:
    page = office.get(f"/items/{commitment}")

    body = rendered(page, commitment, "—/08 dự án", "Kết luận số 15/KL-HĐND ngày 05/12/2024")
    assert commitment.startswith("CK-2025-")
    assert "Hạn do Kết luận số 15/KL-HĐND của phiên chất vấn ngày 04/12/2024" in body


def test_the_agency_reports_and_the_deputy_sees_the_measure_after_review(
        app: Flask, client_as: Any, office: Any, commitment: str) -> None:
    agency = client_as("agency_staff")
    reported = agency.post(f"/items/{commitment}/do/report_progress", data=REPORT_FORM)
    assert reported.status_code == 303
    assert office.post(f"/items/{commitment}/do/accept_report", data={}).status_code == 303

    page = client_as("deputy").get(f"/items/{commitment}", headers={"Accept-Language": "vi"})

    body = rendered(page, "04/08 dự án", "data:image/svg+xml", "báo cáo tiến độ",
                    "chấp nhận báo cáo tiến độ")
    assert "<script" not in body.split("<main", 1)[-1].split("</main>")[0]


@pytest.mark.parametrize("changes, field", [
    ({"target_date": "2024-11-30"}, "target_date"),
    ({"unit": "km"}, "unit"),
])
def test_a_bad_commitment_is_refused_beside_its_field_and_nothing_is_stored(
        app: Flask, office: Any, commitment: str, changes: dict[str, str], field: str) -> None:
    before = count_events(app)

    page = office.post("/commitments/new", data={**COMMITMENT_FORM, **changes},
                       headers={"Accept-Language": "en"})

    assert page.status_code == 422
    assert f'id="{field}-error"' in page.get_data(as_text=True)
    assert count_events(app) == before


@pytest.mark.parametrize("changes, field", [
    ({"value": "9"}, "note"),
    ({"unit": "hectares"}, "unit"),
    ({"value": "bốn"}, "value"),
])
def test_a_bad_progress_report_is_refused_and_nothing_is_stored(
        app: Flask, client_as: Any, commitment: str, changes: dict[str, str],
        field: str) -> None:
    before = count_events(app)

    page = client_as("agency_staff").post(f"/items/{commitment}/do/report_progress",
                                          data={**REPORT_FORM, **changes})

    assert page.status_code == 422
    assert f'id="report_progress-{field}' in page.get_data(as_text=True) or \
        f'{field}-error' in page.get_data(as_text=True)
    assert count_events(app) == before


def test_a_report_on_a_dropped_commitment_is_refused(
        app: Flask, client_as: Any, office: Any, commitment: str) -> None:
    office.post(f"/items/{commitment}/do/drop", data={"reason": "Không còn phù hợp"})
    before = count_events(app)

    page = client_as("agency_staff").post(f"/items/{commitment}/do/report_progress",
                                          data=REPORT_FORM, headers={"Accept-Language": "en"})

    assert page.status_code in (400, 403)
    assert count_events(app) == before


def test_the_register_filters_by_agency_and_status(office: Any, commitment: str) -> None:
    listed = rendered(office.get("/commitments?agency=so-xay-dung&status=recorded"), commitment)
    other = rendered(office.get("/commitments?agency=so-tai-chinh"))

    assert commitment in listed
    assert commitment not in other


def test_a_malformed_register_filter_is_a_400_with_a_message(office: Any) -> None:
    page = office.get("/commitments?due_from=31-31-2025")

    assert page.status_code == 400


def test_the_board_counts_the_commitment_for_its_agency_and_leader(
        office: Any, commitment: str) -> None:
    body = rendered(office.get("/commitments/board"), "Kết quả thực hiện cam kết",
                    "Nguyễn Văn B")

    assert "Sở Xây dựng" in body


def test_district_staff_see_no_commitments(client_as: Any, commitment: str) -> None:
    staff = client_as("district_staff")

    assert staff.get("/commitments").status_code == 403
    assert staff.get(f"/items/{commitment}").status_code == 404


def test_only_the_office_records_sessions(client_as: Any) -> None:
    assert client_as("agency_staff").post("/commitments/questioning/new",
                                          data=SESSION_FORM).status_code == 403
    assert client_as("deputy").get("/commitments/questioning/new").status_code == 403
