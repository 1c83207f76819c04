"""Digests on the web: a request only queues a job and shows its progress; Word and Excel
beside the PDF; the office issues numbered reports and the register lists them."""
from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import datetime, timezone

import pytest
from docx import Document as read_docx
from flask import Flask
from openpyxl import load_workbook

from petitions.render_jobs import MAX_ACTIVE_PER_USER, run_pending
from petitions.reports import report_files
from tests.conftest import FixedClock
from tests.integration.digest_helpers import pdf_text
from tests.web.conftest import HOAN_KIEM, catch_up, log_petition, make_app, sign_in


@pytest.fixture
def app(tmp_path) -> Iterator[Flask]:
    """The web app with petitions in Ba Đình and Hoàn Kiếm for session XVI-20."""
    clock = FixedClock(datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc))
    app = make_app(tmp_path, clock)
    tracker = app.extensions["petitions"].tracker
    log_petition(tracker, session="XVI-20", title="Cải tạo vỉa hè phố Đội Cấn")
    log_petition(tracker, HOAN_KIEM, session="XVI-20", title="Chỉnh trang phố Hàng Bài")
    catch_up(app)
    yield app
    app.extensions["petitions"].close()



def work(app: Flask) -> None:
    """Run the queued jobs, as the scheduler's process or ``petitions worker`` does."""
    run_pending(app.extensions["petitions"])


def test_a_digest_request_returns_at_once_with_a_progress_page(app):
    client = sign_in(app.test_client(), "secretariat")

    queued = client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "pdf"})
    page = client.get(queued.location)

    assert queued.status_code == 303 and "/digests/jobs/" in queued.location
    assert page.status_code == 200 and '<progress class="job"' in page.text
    assert 'http-equiv="refresh"' in page.text
    assert len(app.extensions["petitions"].views.engine.connect().execute(
        report_files.select()).all()) == 0   # nothing was rendered inside the request


def test_the_finished_job_page_offers_the_file(app):
    client = sign_in(app.test_client(), "secretariat")
    queued = client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "pdf"})

    work(app)
    page = client.get(queued.location)
    response = client.get(queued.location + "/file")

    assert 'http-equiv="refresh"' not in page.text and "/file" in page.text
    assert response.mimetype == "application/pdf"
    assert "Số liệu tính đến ngày 03/03/2025" in pdf_text(response.data, _tmp(app))


def _tmp(app: Flask):
    from pathlib import Path
    return Path(app.extensions["petitions"].settings.instance_path)


def test_word_and_excel_files_come_from_the_same_form(app):
    client = sign_in(app.test_client(), "deputy")
    word = client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "docx"})
    excel = client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "xlsx"})

    work(app)
    docx = read_docx(io.BytesIO(client.get(word.location + "/file").data))
    book = load_workbook(io.BytesIO(client.get(excel.location + "/file").data))

    assert any("Số liệu tính đến ngày 03/03/2025" in p.text for p in docx.paragraphs)
    summary = {r[0]: r for r in book["Tong hop"].iter_rows(values_only=True) if r[0]}
    assert summary["Tổng số kiến nghị của kỳ họp"][1] == 2


def test_identical_requests_share_one_job(app):
    first = sign_in(app.test_client(), "secretariat").post(
        "/digests/jobs", data={"session": "XVI-20", "fmt": "pdf"})
    second = sign_in(app.test_client(), "deputy").post(
        "/digests/jobs", data={"session": "XVI-20", "fmt": "pdf"})

    assert first.location == second.location


def test_a_user_may_have_only_a_few_jobs_at_a_time(app):
    client = sign_in(app.test_client(), "secretariat")
    for district in ["", "ba-dinh", "hoan-kiem"][:MAX_ACTIVE_PER_USER]:
        client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "pdf",
                                           "district": district})

    refused = client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "docx"})

    assert refused.status_code == 429
    assert "đang được chuẩn bị" in refused.text


@pytest.mark.parametrize("form", [{"fmt": "odt"}, {"as_of": "31/12/2025"},
                                  {"as_of": "2030-01-01"}])
def test_a_bad_format_or_date_is_refused(app, form):
    client = sign_in(app.test_client(), "secretariat")

    response = client.post("/digests/jobs", data={"session": "XVI-20", "fmt": "pdf", **form})

    assert response.status_code == 400


def test_a_job_outside_the_users_scope_is_not_found(app):
    city = sign_in(app.test_client(), "secretariat").post(
        "/digests/jobs", data={"session": "XVI-20", "fmt": "pdf"})

    response = sign_in(app.test_client(), "district_staff").get(city.location)

    assert response.status_code == 404


def test_the_office_issues_a_report_that_the_register_lists(app):
    client = sign_in(app.test_client(), "secretariat")
    queued = client.post("/digests/issue", data={"session": "XVI-20", "issuer": "van-phong",
                                                 "signer": "Nguyễn Văn Ký"})

    work(app)
    page = client.get(queued.location)
    register = client.get("/digests/register")
    first = client.get("/digests/issued/van-phong/2025/1/pdf")
    again = sign_in(app.test_client(), "deputy").get("/digests/issued/van-phong/2025/1/pdf")

    assert "01/BC-VP" in page.text
    assert "01/BC-VP" in register.text and "Nguyễn Văn Ký" in register.text
    assert first.status_code == 200 and first.data == again.data
    assert first.headers["X-Report-Number"] == "01/BC-VP"
    assert "Số: 01/BC-VP" in pdf_text(first.data, _tmp(app))


def test_deputies_may_not_issue_reports(app):
    response = sign_in(app.test_client(), "deputy").post(
        "/digests/issue", data={"session": "XVI-20"})

    assert response.status_code == 403


def test_district_staff_see_only_their_districts_issued_reports(app):
    office = sign_in(app.test_client(), "secretariat")
    office.post("/digests/issue", data={"session": "XVI-20", "district": "hoan-kiem"})
    work(app)

    staff = sign_in(app.test_client(), "district_staff")   # Ba Đình

    assert "01/BC-VP" not in staff.get("/digests/register").text
    assert staff.get("/digests/issued/van-phong/2025/1/pdf").status_code == 404


def test_an_unknown_issued_report_is_not_found(app):
    client = sign_in(app.test_client(), "deputy")

    assert client.get("/digests/issued/van-phong/2025/9/pdf").status_code == 404
    assert client.get("/digests/issued/nope/2025/1/pdf").status_code == 404
    assert client.get("/digests/jobs/999").status_code == 404
