"""The intake pages: template, upload and preview, import, result file; scope of uploads."""
from __future__ import annotations

import io
import re

import openpyxl
import pytest

from tests.conftest import SECRETARIAT, FixedClock
from tests.intake_helpers import CLOCK_START, filled_template, petition_row
from tests.web.conftest import make_app, sign_in


@pytest.fixture
def app(tmp_path):
    return make_app(tmp_path, FixedClock(CLOCK_START))


def _upload(client, content: bytes, name: str = "tiep-xuc.xlsx"):
    return client.post("/intake/preview", data={"file": (io.BytesIO(content), name)},
                       content_type="multipart/form-data")


def _import_path(preview) -> str:
    return re.search(r'action="/intake/([0-9a-f]{64}/import)"',
                     preview.get_data(as_text=True)).group(1)


def test_the_template_downloads_with_vietnamese_sheets_and_headers(app):
    client = sign_in(app.test_client(), "secretariat")

    response = client.get("/intake/template.xlsx")

    book = openpyxl.load_workbook(io.BytesIO(response.data))
    assert book.sheetnames == ["Hướng dẫn", "Kiến nghị cử tri", "Đơn thư", "Danh mục"]
    assert book["Kiến nghị cử tri"]["A1"].value == "Ngày tiếp xúc cử tri *"


def test_the_preview_shows_each_error_by_row_and_column_in_vietnamese(app):
    client = sign_in(app.test_client(), "secretariat")
    tracker = app.extensions["petitions"].tracker
    content = filled_template(tracker, [petition_row(1), petition_row(2, title="")])
    before = tracker.position()

    response = _upload(client, content)

    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "Kiến nghị cử tri, dòng 3" in page and "Trích yếu nội dung" in page
    assert "Trường này là bắt buộc." in page
    assert tracker.position() == before


def test_importing_after_the_preview_creates_the_valid_rows_and_offers_the_result(app):
    client = sign_in(app.test_client(), "secretariat")
    tracker = app.extensions["petitions"].tracker
    content = filled_template(tracker, [petition_row(1), petition_row(2, title="")])
    upload = _upload(client, content)
    action = _import_path(upload)

    done = client.post(f"/intake/{action}")
    result = client.get(done.location)
    sheet = client.get(done.location + ".xlsx")

    assert done.status_code == 303
    assert tracker.get_item(SECRETARIAT, "KN-2026-00001")["title"] == petition_row(1)[6]
    assert result.status_code == 200
    rows = list(openpyxl.load_workbook(io.BytesIO(sheet.data))["Kiến nghị cử tri"].iter_rows(
        min_row=2, values_only=True))
    assert [r[1] for r in rows] == ["Đã nhập", "Có lỗi, không nhập"]


def test_another_user_cannot_reach_an_upload(app):
    owner = sign_in(app.test_client(), "secretariat")
    tracker = app.extensions["petitions"].tracker
    upload = _upload(owner, filled_template(tracker, [petition_row(1)]))
    action = _import_path(upload)

    other = sign_in(app.test_client(), "district_staff")

    assert other.post(f"/intake/{action}").status_code == 404


def test_a_renamed_executable_gets_a_clear_message_and_422(app):
    client = sign_in(app.test_client(), "secretariat")

    response = _upload(client, b"MZ" + b"\x00" * 500, "don.xlsx")

    assert response.status_code == 422
    assert "không phải là bảng tính" in response.get_data(as_text=True)


def test_a_file_larger_than_the_form_limit_can_be_uploaded(app):
    client = sign_in(app.test_client(), "secretariat")
    header = ("Ngày tiếp xúc cử tri;Địa điểm tiếp xúc;Đơn vị (phường, xã);Tổ đại biểu;Kỳ họp;"
              "Lĩnh vực;Tiêu đề;Nội dung kiến nghị\n")
    line = "10/11/2026;Nhà văn hóa;00004;XVII-to-01;XVII-03;transport;Đèn số {i};{text}\n"
    content = (header + "".join(line.format(i=i, text="Nội dung dài " * 400)
                                for i in range(300))).encode()
    assert len(content) > 1024 * 1024  # the app's limit for forms

    response = _upload(client, content, "tiep-xuc.csv")

    assert response.status_code == 200 and "Nhập 300 dòng hợp lệ" in response.get_data(as_text=True)


def test_the_agency_cannot_import(app):
    client = sign_in(app.test_client(), "agency_staff")

    assert client.get("/intake").status_code == 403


def test_the_import_may_reach_another_web_process_that_shares_only_the_database(tmp_path):
    """Preview on one worker, import and result on another: nothing is kept on disk between."""
    import dataclasses

    from tests.conftest import sqlite_settings

    settings = dataclasses.replace(sqlite_settings(tmp_path), attachment_store="database")
    first = make_app(tmp_path, FixedClock(CLOCK_START), SETTINGS=settings)
    client = sign_in(first.test_client(), "secretariat")
    tracker = first.extensions["petitions"].tracker
    action = _import_path(_upload(client, filled_template(tracker, [petition_row(1)])))
    on_disk = sorted(p.name for p in settings.instance.iterdir())
    # Another process of the same deployment (its own app and runtime, the same database).
    second = make_app(tmp_path / "elsewhere", FixedClock(CLOCK_START), SETTINGS=settings,
                      AUTH_CLOCK=first.config["AUTH_CLOCK"])
    second.config["TOTP_SECRETS"] = first.config["TOTP_SECRETS"]
    other = sign_in(second.test_client(), "secretariat")

    done = other.post(f"/intake/{action}")
    result = other.get(done.location)
    sheet = other.get(done.location + ".xlsx")
    stranger = sign_in(second.test_client(), "district_staff")

    assert "intake" not in on_disk and "attachments" not in on_disk, on_disk
    assert done.status_code == 303 and result.status_code == 200 and sheet.status_code == 200
    assert second.extensions["petitions"].tracker.get_item(SECRETARIAT, "KN-2026-00001")
    assert stranger.post(f"/intake/{action}").status_code == 404
    assert stranger.get(done.location).status_code == 404
