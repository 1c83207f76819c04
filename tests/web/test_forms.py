"""Forms: errors in Vietnamese beside the fields, nothing stored, stale versions refused."""
from __future__ import annotations

import re
from typing import Any

from flask import Flask

from tests.web.conftest import PETITION, SECRETARIAT, XAY_DUNG, catch_up, log_petition


def test_a_missing_title_is_reported_in_vietnamese_beside_the_field(
        app: Flask, client_as: Any) -> None:
    response = client_as("district_staff").post("/petitions/new", data={**PETITION, "title": ""})

    assert response.status_code == 422
    assert 'id="title-error">Trường này là bắt buộc.' in response.text


def test_a_refused_form_stores_nothing(app: Flask, tracker: Any, client_as: Any) -> None:
    before = tracker.position()

    client_as("district_staff").post("/petitions/new", data={**PETITION, "title": ""})

    assert tracker.position() == before


def test_a_refused_form_keeps_what_was_typed(app: Flask, client_as: Any) -> None:
    response = client_as("district_staff").post("/petitions/new", data={**PETITION, "title": ""})

    assert PETITION["content"] in response.text


def test_a_bad_date_is_reported_beside_the_field(app: Flask, client_as: Any) -> None:
    response = client_as("district_staff").post(
        "/petitions/new", data={**PETITION, "meeting_date": "31/02/2025"})

    assert 'id="meeting_date-error">Nhập ngày theo dạng dd/mm/yyyy.' in response.text


def test_a_date_typed_as_dd_mm_yyyy_is_accepted(app: Flask, client_as: Any) -> None:
    response = client_as("district_staff").post(
        "/petitions/new", data={**PETITION, "meeting_date": "20/02/2025"})

    assert response.status_code == 303


def test_errors_show_in_english_for_a_user_who_chose_english(app: Flask, client_as: Any) -> None:
    client = client_as("district_staff")
    client.post("/language", data={"lang": "en"})

    response = client.post("/petitions/new", data={**PETITION, "title": ""})

    assert 'id="title-error">This field is required.' in response.text


def test_the_new_item_page_shows_the_petition_at_once(app: Flask, client_as: Any) -> None:
    client = client_as("district_staff")
    saved = client.post("/petitions/new", data=PETITION)

    page = client.get(saved.location)

    assert PETITION["title"] in page.text
    assert "Cán bộ quận Ba Đình đã tiếp nhận kiến nghị" in page.text


def test_the_new_item_is_listed_right_after_saving(app: Flask, client_as: Any) -> None:
    client = client_as("district_staff")
    saved = client.post("/petitions/new", data=PETITION)
    code = saved.location.rsplit("/", 1)[1]

    page = client.get("/items?q=kim+ma")

    assert code in page.text


def test_a_stale_version_shows_that_someone_else_changed_the_item(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.classify_petition(SECRETARIAT, code, field="transport", competence="city")

    response = client_as("secretariat").post(
        f"/items/{code}/do/assign", data={"agency": "so-xay-dung", "expected_version": "1"})

    assert response.status_code == 409
    assert "Người khác vừa thay đổi kiến nghị, đơn thư này" in response.text
    assert "phiên bản 2" in response.text


def test_a_stale_version_saves_nothing(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.classify_petition(SECRETARIAT, code, field="transport", competence="city")

    client_as("secretariat").post(
        f"/items/{code}/do/assign", data={"agency": "so-xay-dung", "expected_version": "1"})

    assert tracker.get_item(SECRETARIAT, code)["agency"] is None


def test_the_timeline_shows_the_assignment_with_the_due_date(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)

    client = client_as("secretariat")
    client.post(f"/items/{code}/do/assign", data={"agency": "so-xay-dung",
                                                 "expected_version": "1"})
    page = client.get(f"/items/{code}")

    assert ("Văn phòng Đoàn ĐBQH và HĐND TP đã chuyển kiến nghị đến cơ quan có trách nhiệm giải quyết: "
            "Sở Xây dựng") in page.text
    # No date typed: due the last working day before regular session XVI-20 opens.
    assert "Trả lời trước kỳ họp thường lệ XVI-20 khai mạc ngày 01/07/2025" in page.text
    assert "30/06/2025" in page.text


def test_a_wrong_action_for_the_status_is_explained(app: Flask, tracker: Any,
                                                    client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("secretariat").post(
        f"/items/{code}/do/accept_answer", data={"expected_version": "1"})

    assert response.status_code == 400
    assert "Không thể đồng ý kết quả trả lời của kiến nghị, đơn thư đang ở trạng thái «đã tiếp nhận»" in response.text


def test_a_deputy_follows_an_item_and_sees_it_in_the_followed_list(
        app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)
    catch_up(app)
    client = client_as("deputy")
    client.post(f"/items/{code}/follow")

    page = client.get("/items/following")

    assert code in page.text


def test_a_failing_read_model_does_not_hide_a_saved_command(app: Flask, client_as: Any,
                                                            monkeypatch: Any) -> None:
    def broken(receipt: Any) -> None:
        raise RuntimeError("projection failed")

    monkeypatch.setattr(app.extensions["petitions"], "wait_for", broken)

    response = client_as("district_staff").post("/petitions/new", data=PETITION)

    assert response.status_code == 303


def test_the_review_form_shows_the_answer_being_reviewed(app: Flask, tracker: Any,
                                                         client_as: Any) -> None:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
    tracker.record_answer(XAY_DUNG, code, outcome="explained", text="Đã có kế hoạch sửa đường.")

    page = client_as("secretariat").get(f"/items/{code}")

    form = re.search(r'id="action-accept_answer">(.*?)</details>', page.text, re.DOTALL)
    assert form is not None
    assert "Đã có kế hoạch sửa đường." in form.group(1)
    assert "giải trình, cung cấp thông tin" in form.group(1)
