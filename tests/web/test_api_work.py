"""API twins of an item's document forms (issue 18): attach a file, issue an urging letter —
the same checks as the forms (content, scope, version, role)."""
from __future__ import annotations

import base64
import io
from datetime import date

import pytest

from tests import sample_files as files
from tests.web.conftest import SECRETARIAT, catch_up, log_petition
from tests.web.test_handover import AFTER_REFORM, BASIS, history_types
from tests.web.test_api_write import bearer, token_for


@pytest.fixture
def api(app):
    return app.test_client()


def assigned(tracker) -> str:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 28))
    return code


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def attachments(tracker, code):
    return tracker.item_files(SECRETARIAT, code)["attachments"]


def test_district_staff_attach_a_scanned_pdf_to_their_item_and_the_deputy_sees_it(
        app, api, tracker, client_as):
    code = assigned(tracker)
    version = tracker.get_item(SECRETARIAT, code)["version"]

    saved = api.post(f"/api/items/{code}/attachments",
                     headers=bearer(token_for(app, "can.bo.ba.dinh")),
                     json={"file": b64(files.letter_pdf()), "filename": "bien-ban.pdf",
                           "expected_version": version})

    assert saved.status_code == 201 and saved.json["code"] == code
    (attached,) = attachments(tracker, code)
    assert attached["filename"] == "bien-ban.pdf"
    page = client_as("deputy").get(f"/items/{code}").get_data(as_text=True)
    assert "bien-ban.pdf" in page


@pytest.mark.parametrize("body, field", [
    ({"file": b64(files.renamed_executable()), "filename": "scan.pdf"}, "file"),
    ({"file": b64(files.pdf_with_javascript()), "filename": "scan.pdf"}, "file"),
    ({"file": "not base64 !", "filename": "scan.pdf"}, "file"),
    ({"filename": "scan.pdf"}, "file"),
])
def test_a_disguised_executable_a_scripted_pdf_bad_base64_or_no_file_is_a_422(
        app, api, tracker, body, field):
    code = assigned(tracker)

    refused = api.post(f"/api/items/{code}/attachments",
                       headers=bearer(token_for(app, "can.bo.ba.dinh")), json=body)

    assert refused.status_code == 422 and field in refused.json["errors"]
    assert attachments(tracker, code) == []


def test_a_stale_version_is_a_409_and_another_districts_token_a_404(app, api, tracker):
    code = assigned(tracker)
    body = {"file": b64(files.png_image()), "filename": "anh.png"}

    stale = api.post(f"/api/items/{code}/attachments",
                     headers=bearer(token_for(app, "can.bo.ba.dinh")),
                     json={**body, "expected_version": 1})
    other = api.post(f"/api/items/{code}/attachments",
                     headers=bearer(token_for(app, "can.bo.hoan.kiem")), json=body)

    assert (stale.status_code, other.status_code) == (409, 404)
    assert attachments(tracker, code) == []


def test_a_deputy_token_may_not_attach(app, api, tracker):
    code = assigned(tracker)

    refused = api.post(f"/api/items/{code}/attachments",
                       headers=bearer(token_for(app, "dai.bieu")),
                       json={"file": b64(files.png_image()), "filename": "a.png"})

    assert refused.status_code == 403 and attachments(tracker, code) == []


def test_the_office_token_urges_one_item_and_gets_the_numbered_letter(app, api, tracker):
    code = assigned(tracker)

    issued = api.post(f"/api/items/{code}/urging-letter",
                      headers=bearer(token_for(app, "thu.ky")), json={"signer": "Trần Thị C"})

    assert issued.status_code == 201
    assert issued.json["reference"] == "1/VP-HĐND" and issued.json["item_codes"] == [code]
    (letter,) = tracker.item_files(SECRETARIAT, code)["documents"]
    assert letter["reference"] == "1/VP-HĐND"


def test_an_item_without_an_agency_cannot_be_urged_and_an_agency_token_may_not_urge(
        app, api, tracker):
    logged = log_petition(tracker)
    code = assigned(tracker)

    unassigned = api.post(f"/api/items/{logged}/urging-letter",
                          headers=bearer(token_for(app, "thu.ky")), json={})
    agency = api.post(f"/api/items/{code}/urging-letter",
                      headers=bearer(token_for(app, "so.xay.dung")), json={})

    assert unassigned.status_code == 422 and "codes" in unassigned.json["errors"]
    assert agency.status_code == 403
    assert tracker.item_files(SECRETARIAT, code)["documents"] == []


# -- hand-over of an abolished district's items ---------------------------------------------------
def test_preview_then_hand_over_moves_each_open_item_once_through_the_api(
        app, api, tracker, clock):
    office = bearer(token_for(app, "thu.ky"))
    codes = [log_petition(tracker), log_petition(tracker, title="Lát vỉa hè")]
    catch_up(app)
    clock.set(AFTER_REFORM)  # Ba Đình district ended on 30/6/2025
    body = {"from_unit": "ba-dinh", "to_unit": "00004", "reason": BASIS}

    preview = api.post("/api/handover/preview", headers=office, json=body)
    moved_before = [history_types(tracker, c).count("UnitHandedOver") for c in codes]
    done = api.post("/api/handover", headers=office, json=body)
    again = api.post("/api/handover", headers=office, json=body)

    assert preview.status_code == 200 and preview.json["done"] is False
    assert sorted(m["code"] for m in preview.json["moves"]) == sorted(codes)
    assert preview.json["counts"] == [{"from_unit": "ba-dinh", "to_unit": "00004", "items": 2}]
    assert moved_before == [0, 0]
    assert done.status_code == 200 and done.json["total"] == 2
    assert again.json["total"] == 0
    assert [history_types(tracker, c).count("UnitHandedOver") for c in codes] == [1, 1]


def test_a_hand_over_to_an_abolished_unit_is_a_422_on_that_field_and_a_district_token_403(
        app, api, tracker, clock):
    code = log_petition(tracker)
    catch_up(app)
    clock.set(AFTER_REFORM)
    body = {"from_unit": "ba-dinh", "to_unit": "hoan-kiem", "reason": BASIS}

    refused = api.post("/api/handover", headers=bearer(token_for(app, "thu.ky")), json=body)
    district = api.post("/api/handover/preview",
                        headers=bearer(token_for(app, "can.bo.ba.dinh")),
                        json={**body, "to_unit": "00004"})

    assert refused.status_code == 422 and list(refused.json["errors"]) == ["to_unit"]
    assert district.status_code == 403
    assert "UnitHandedOver" not in history_types(tracker, code)


# -- digests and issued reports ----------------------------------------------------------------
def test_a_digest_queued_through_the_api_answers_202_then_its_job_gives_the_xlsx(
        app, api, tracker):
    from openpyxl import load_workbook

    from petitions.render_jobs import run_pending
    log_petition(tracker, session="XVI-20", title="Cải tạo vỉa hè phố Đội Cấn")
    catch_up(app)
    office = bearer(token_for(app, "thu.ky"))

    queued = api.post("/api/digests", headers=office, json={"session": "XVI-20", "fmt": "xlsx"})
    early = api.get(queued.json["url"] + "/file", headers=office)
    run_pending(app.extensions["petitions"])
    job = api.get(queued.json["url"], headers=office)
    file = api.get(job.json["file"], headers=office)

    assert queued.status_code == 202 and queued.json["status"] == "queued"
    assert early.status_code == 409
    assert job.json["status"] == "done"
    assert file.status_code == 200
    sheets = load_workbook(io.BytesIO(file.data)).sheetnames
    assert sheets


@pytest.mark.parametrize("body, field", [
    ({"session": "XVI-20", "fmt": "odt"}, "fmt"),
    ({"session": "XVI-20", "as_of": "2030-01-01"}, "as_of"),
    ({"session": "XVI-20", "as_of": "31/02/2025"}, "as_of"),
    ({"session": "XVI-20", "district": "ba-dinh", "group": "to-01"}, "group"),
])
def test_a_bad_format_a_future_or_bad_day_or_two_scopes_is_a_422_and_nothing_is_queued(
        app, api, body, field):
    office = bearer(token_for(app, "thu.ky"))

    refused = api.post("/api/digests", headers=office, json=body)

    assert refused.status_code == 422 and field in refused.json["errors"]
    assert queued_jobs(app) == 0


def test_a_district_token_may_not_queue_another_districts_digest_nor_see_its_job(app, api):
    office = bearer(token_for(app, "thu.ky"))
    theirs = api.post("/api/digests", headers=office,
                      json={"session": "XVI-20", "district": "hoan-kiem"}).json
    district = bearer(token_for(app, "can.bo.ba.dinh"))

    refused = api.post("/api/digests", headers=district,
                       json={"session": "XVI-20", "district": "hoan-kiem"})
    peek = api.get(theirs["url"], headers=district)

    assert (refused.status_code, peek.status_code) == (403, 404)
    assert queued_jobs(app) == 1


def test_the_office_issues_a_numbered_report_and_a_deputy_token_may_not(app, api, tracker):
    from petitions.render_jobs import run_pending
    log_petition(tracker, session="XVI-20")
    catch_up(app)

    deputy = api.post("/api/digests/issue", headers=bearer(token_for(app, "dai.bieu")),
                      json={"session": "XVI-20"})
    long_signer = api.post("/api/digests/issue", headers=bearer(token_for(app, "thu.ky")),
                           json={"session": "XVI-20", "signer": "x" * 101})
    issued = api.post("/api/digests/issue", headers=bearer(token_for(app, "thu.ky")),
                      json={"session": "XVI-20", "signer": "Nguyễn Văn A"})
    run_pending(app.extensions["petitions"])
    job = api.get(issued.json["url"], headers=bearer(token_for(app, "thu.ky"))).json

    assert (deputy.status_code, long_signer.status_code, issued.status_code) == (403, 422, 202)
    assert job["status"] == "done" and job["kind"] == "issue"


def queued_jobs(app) -> int:
    from sqlalchemy import func, select

    from petitions.render_jobs import render_jobs
    with app.extensions["petitions"].views.engine.connect() as conn:
        return conn.execute(select(func.count()).select_from(render_jobs)).scalar_one()


def test_a_digest_just_after_an_event_is_rendered_with_that_event_and_its_figures(
        app, api, tracker):
    from openpyxl import load_workbook

    from petitions.render_jobs import run_pending

    first = log_petition(tracker, session="XVI-20")
    moment = tracker.position()
    log_petition(tracker, session="XVI-20", title="Lắp đèn đường Đội Cấn")
    catch_up(app)
    office = bearer(token_for(app, "thu.ky"))

    queued = api.post("/api/digests", headers=office,
                      json={"session": "XVI-20", "fmt": "xlsx", "position": moment})
    wrong = api.post("/api/digests", headers=office, json={"session": "XVI-20", "position": 10 ** 9})
    both = api.post("/api/digests", headers=office, json={
        "session": "XVI-20", "position": moment, "as_of": tracker.today().isoformat()})
    run_pending(app.extensions["petitions"])
    job = api.get(queued.json["url"], headers=office)
    book = load_workbook(io.BytesIO(api.get(job.json["file"], headers=office).data))
    cells = [str(c) for sheet in book.worksheets for row in sheet.iter_rows(values_only=True)
             for c in row if c]

    assert queued.status_code == 202, queued.json
    assert job.json["status"] == "done"
    assert any(f"Số liệu tính đến sự kiện số {moment}" in c for c in cells), cells[:20]
    headline = {r[0]: r[1] for r in book["Tong hop"].iter_rows(values_only=True) if r[0]}
    assert headline["Tổng số kiến nghị của kỳ họp"] == 1  # the second came after the event
    assert wrong.status_code == both.status_code == 422
    assert "position" in wrong.json["errors"] and "position" in both.json["errors"]
    assert first


def test_a_digest_as_of_a_past_day_counts_what_was_recorded_by_then(app, api, tracker, clock):
    from datetime import timedelta

    from openpyxl import load_workbook

    from petitions.render_jobs import run_pending

    log_petition(tracker, session="XVI-20")
    day_one = tracker.today()
    clock.set(clock() + timedelta(days=7))
    log_petition(tracker, session="XVI-20", title="Lắp đèn đường Đội Cấn")
    catch_up(app)
    office = bearer(token_for(app, "thu.ky"))

    queued = [api.post("/api/digests", headers=office,
                       json={"session": "XVI-20", "fmt": "xlsx", **body}).json
              for body in ({"as_of": day_one.isoformat()}, {})]
    run_pending(app.extensions["petitions"])
    raised = []
    for job in queued:
        done = api.get(job["url"], headers=office).json
        book = load_workbook(io.BytesIO(api.get(done["file"], headers=office).data))
        rows = {r[0]: r[1] for r in book["Tong hop"].iter_rows(values_only=True) if r[0]}
        raised.append(rows["Tổng số kiến nghị của kỳ họp"])

    assert raised == [1, 2]
