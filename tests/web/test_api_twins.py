"""API twins of the creation forms (issue 18): commitments, documents, urging letters, bulk."""
from __future__ import annotations

import base64
from datetime import date

import pytest

from tests import sample_files as files
from tests.web.conftest import HOAN_KIEM, SECRETARIAT, catch_up, log_petition
from tests.web.test_api_write import bearer, token_for
from tests.web.test_commitments import COMMITMENT_FORM, SESSION_FORM


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def office(app):
    return bearer(token_for(app, "thu.ky"))


def events(app) -> int:
    return app.extensions["petitions"].tracker.position()


def assigned(tracker, actor=None) -> str:
    code = log_petition(tracker, *([actor] if actor else []))
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 3, 28))
    return code


# -- commitments --------------------------------------------------------------------------------
def test_the_office_records_a_session_its_conclusion_and_a_commitment_as_json(app, api, office):
    session = api.post("/api/commitments/questioning", json=SESSION_FORM, headers=office)
    concluded = api.post(f"/api/commitments/questioning/{session.json['code']}/conclusion",
                         json={"conclusion_no": "16/KL-HĐND", "conclusion_date": "2024-12-06"},
                         headers=office)
    saved = api.post("/api/commitments", json=COMMITMENT_FORM, headers=office)
    catch_up(app)

    assert (session.status_code, concluded.status_code, saved.status_code) == (201, 200, 201)
    assert session.json["code"] == "XVI-19-CV1" and saved.json["code"].startswith("CK-2025-")
    one = api.get("/api/commitments/questioning/XVI-19-CV1", headers=office).json
    assert "16/KL-HĐND" in str(one["conclusion"])
    assert [c["code"] for c in one["commitments"]] == [saved.json["code"]]
    listed = api.get("/api/commitments?agency=so-xay-dung&limit=1", headers=office).json
    assert [c["code"] for c in listed["commitments"]] == [saved.json["code"]]
    assert listed["next"] is None
    agency = bearer(token_for(app, "so.xay.dung"))
    assert api.get("/api/commitments", headers=agency).json["commitments"]


def test_a_deputy_or_a_district_token_may_not_record_or_read_sessions(app, api):
    deputy = bearer(token_for(app, "dai.bieu"))
    district = bearer(token_for(app, "can.bo.ba.dinh"))
    before = events(app)

    assert api.post("/api/commitments/questioning", json=SESSION_FORM,
                    headers=deputy).status_code == 403
    assert api.post("/api/commitments", json=COMMITMENT_FORM, headers=deputy).status_code == 403
    assert api.get("/api/commitments", headers=district).status_code == 403
    assert events(app) == before


def test_a_bad_session_date_is_a_422_naming_the_field_and_nothing_is_stored(app, api, office):
    before = events(app)

    response = api.post("/api/commitments/questioning",
                        json={**SESSION_FORM, "held_on": "31/02/2025"}, headers=office)
    unknown = api.post("/api/commitments", json={**COMMITMENT_FORM, "questioning": "XVI-19-CV9"},
                       headers=office)
    paged = api.get("/api/commitments?limit=1000", headers=office)

    assert response.status_code == 422 and "held_on" in response.json["errors"]
    assert unknown.status_code == 422 and "questioning" in unknown.json["errors"]
    assert paged.status_code == 422 and "limit" in paged.json["errors"]
    assert events(app) == before


def test_an_unknown_session_is_a_404(app, api, office):
    assert api.get("/api/commitments/questioning/XVI-19-CV7", headers=office).status_code == 404
    assert api.post("/api/commitments/questioning/XVI-19-CV7/conclusion",
                    json={"conclusion_no": "1/KL"}, headers=office).status_code == 404


# -- documents ----------------------------------------------------------------------------------
DOCUMENT = {"direction": "incoming", "doc_type": "quyet_dinh", "number": "12",
            "sign": "QĐ-UBND", "issued_on": "2025-03-01", "issuer": "UBND quận Ba Đình",
            "summary": "Quyết định", "purpose": "decision"}


def test_the_office_registers_a_document_with_its_file_and_the_item_records_it(
        app, api, office, tracker):
    code = assigned(tracker)
    body = {**DOCUMENT, "item_codes": code, "filename": "qd.png",
            "file": base64.b64encode(files.png_image()).decode()}

    response = api.post("/api/documents", json=body, headers=office)
    catch_up(app)

    assert response.status_code == 201, response.json
    assert response.json["reference"].startswith("12/QĐ-UBND") and response.json["file"]
    assert any(e["type"] == "DocumentLinked" for e in tracker.history(SECRETARIAT, code))
    listed = api.get("/api/documents?direction=incoming", headers=office).json
    assert [d["id"] for d in listed["documents"]] == [response.json["id"]]


def test_another_districts_token_does_not_see_the_document(app, api, office, tracker):
    code = assigned(tracker)
    api.post("/api/documents", json={**DOCUMENT, "item_codes": code}, headers=office)
    catch_up(app)

    own = api.get("/api/documents", headers=bearer(token_for(app, "can.bo.ba.dinh"))).json
    other = api.get("/api/documents", headers=bearer(token_for(app, "can.bo.hoan.kiem"))).json

    assert len(own["documents"]) == 1 and other["documents"] == []


@pytest.mark.parametrize("change, field", [
    ({"file": "not base64!", "filename": "x.pdf"}, "file"),
    ({"file": base64.b64encode(files.renamed_executable()).decode(), "filename": "cv.pdf"},
     "file"),
    ({"item_codes": "KN-2025-99999"}, "item_codes"),
    ({"issued_on": "2025-13-01"}, "issued_on"),
])
def test_a_bad_document_is_a_422_naming_the_field_and_nothing_is_stored(
        app, api, office, tracker, change, field):
    code = assigned(tracker)
    before = events(app)

    response = api.post("/api/documents", json={**DOCUMENT, "item_codes": code, **change},
                        headers=office)

    assert response.status_code == 422 and field in response.json["errors"], response.json
    assert events(app) == before


def test_a_district_or_deputy_token_may_not_register_or_urge(app, api, tracker):
    code = assigned(tracker)
    for who in ("can.bo.ba.dinh", "dai.bieu"):
        headers = bearer(token_for(app, who))
        assert api.post("/api/documents", json={**DOCUMENT, "item_codes": code},
                        headers=headers).status_code == 403
        assert api.post("/api/documents/urge", json={"codes": [code]},
                        headers=headers).status_code == 403


def test_urging_letters_are_issued_for_the_listed_items_and_the_rest_refused(
        app, api, office, tracker):
    code = assigned(tracker)
    unassigned = log_petition(tracker, HOAN_KIEM)

    response = api.post("/api/documents/urge", json={
        "codes": [code, unassigned, "KN-2025-99999"], "signer": "Trần Thị C"}, headers=office)

    assert response.status_code == 200, response.json
    assert [d["item_codes"] for d in response.json["issued"]] == [[code]]
    assert [r["code"] for r in response.json["refused"]] == [unassigned, "KN-2025-99999"]
    assert any(e["type"] == "DocumentLinked" for e in tracker.history(SECRETARIAT, code))


# -- bulk actions -------------------------------------------------------------------------------
def test_a_bulk_assignment_answers_one_outcome_per_code(app, api, office, tracker):
    codes = [log_petition(tracker), log_petition(tracker, HOAN_KIEM)]
    tracker.withdraw(SECRETARIAT, codes[1], reason="Cử tri rút kiến nghị")

    response = api.post("/api/bulk/assign", json={
        "codes": [*codes, "KN-2025-99999"],
        "params": {"agency": "so-xay-dung", "due_date": "2025-04-30"}}, headers=office)

    assert response.status_code == 200, response.json
    assert [(o["code"], o["done"]) for o in response.json["outcomes"]] == [
        (codes[0], True), (codes[1], False), ("KN-2025-99999", False)]
    assert all(o["reason"] for o in response.json["outcomes"][1:])
    assert tracker.get_item(SECRETARIAT, codes[0])["agency"] == "so-xay-dung"


def test_a_bulk_action_without_its_required_field_is_a_422_and_nothing_is_done(
        app, api, office, tracker):
    code = log_petition(tracker)
    before = events(app)

    missing = api.post("/api/bulk/assign", json={"codes": [code]}, headers=office)
    bad = api.post("/api/bulk/extend", json={"codes": [code], "params": {
        "new_due_date": "30/02/2025", "reason": "x"}}, headers=office)
    none = api.post("/api/bulk/accept_answer", json={"codes": []}, headers=office)

    assert missing.status_code == 422 and "agency" in missing.json["errors"]
    assert bad.status_code == 422 and "params_new_due_date" in bad.json["errors"]
    assert none.status_code == 422 and "codes" in none.json["errors"]
    assert events(app) == before


def test_a_bulk_action_is_refused_to_a_deputy_and_unknown_actions_are_404(app, api, office,
                                                                          tracker):
    code = log_petition(tracker)
    deputy = bearer(token_for(app, "dai.bieu"))

    assert api.post("/api/bulk/assign", json={"codes": [code], "params": {
        "agency": "so-xay-dung"}}, headers=deputy).status_code == 403
    assert api.post("/api/bulk/nope", json={"codes": [code]}, headers=office).status_code == 404


def test_the_description_lists_the_twins_and_validates(api):
    from openapi_spec_validator import validate

    spec = api.get("/api/openapi.json").json

    validate(spec)
    for path in ("/api/commitments", "/api/commitments/questioning",
                 "/api/commitments/questioning/{code}/conclusion", "/api/documents",
                 "/api/documents/urge", "/api/bulk/{name}"):
        assert path in spec["paths"], path


# -- the holiday calendar (admin) -----------------------------------------------------------------
SATURDAY = {"day": "2026-11-07", "kind": "working_day", "name": "Làm bù",
            "document": "Công văn 1/VPCP-KGVX"}


def test_an_admin_token_records_a_working_saturday_shown_on_the_calendar_page(app, api,
                                                                               client_as):
    admin = bearer(token_for(app, "admin"))
    saved = api.post("/api/admin/calendar", json=SATURDAY, headers=admin)

    assert saved.status_code == 201 and "moved" in saved.json
    assert "07/11/2026" in client_as("admin").get("/admin/calendar").get_data(as_text=True)


def test_a_calendar_day_without_its_document_is_refused_as_the_form_refuses_it(app, api):
    admin = bearer(token_for(app, "admin"))
    before = events(app)
    refused = api.post("/api/admin/calendar", json={**SATURDAY, "document": ""}, headers=admin)

    assert refused.status_code == 422 and "document" in refused.json["errors"]
    assert events(app) == before


def test_a_secretariat_token_may_not_change_the_calendar(app, api, office):
    assert api.post("/api/admin/calendar", json=SATURDAY, headers=office).status_code == 403


# -- user accounts (admin) ------------------------------------------------------------------------
NEW_USER = {"username": "so.y.te", "role": "agency_staff", "agency": "so-y-te",
            "password": "a long password", "language": "vi"}


@pytest.fixture
def admin(app):
    return bearer(token_for(app, "admin"))


def test_an_admin_token_creates_a_user_listed_on_the_users_page(app, api, admin, client_as):
    saved = api.post("/api/admin/users", json=NEW_USER, headers=admin)

    assert saved.status_code == 201
    assert (saved.json["username"], saved.json["agency"]) == ("so.y.te", "so-y-te")
    assert "password" not in saved.json
    assert "so.y.te" in client_as("admin").get("/admin/users").get_data(as_text=True)


def test_a_taken_user_name_is_refused_with_the_forms_message(app, api, admin, client_as):
    refused = api.post("/api/admin/users", json={**NEW_USER, "username": "dai.bieu"},
                       headers=admin)
    short = api.post("/api/admin/users", json={**NEW_USER, "password": "short"}, headers=admin)
    form = client_as("admin").post("/admin/users", data={**NEW_USER, "username": "dai.bieu"})

    assert refused.status_code == 422
    assert refused.json["errors"]["username"] == ["Tên đăng nhập đã được dùng."]
    assert "Tên đăng nhập đã được dùng." in form.get_data(as_text=True)
    assert short.status_code == 422 and "password" in short.json["errors"]
    assert app.extensions["petitions_users"].get("so.y.te") is None


def test_an_admin_token_changes_a_role_shown_on_the_accounts_page(app, api, admin, client_as):
    changed = api.post("/api/admin/users/dai.bieu/role",
                       json={"role": "agency_staff", "agency": "so-y-te"}, headers=admin)

    assert changed.status_code == 200
    assert (changed.json["role"], changed.json["agency"]) == ("agency_staff", "so-y-te")
    user = app.extensions["petitions_users"].get("dai.bieu")
    assert (user.role.value, user.agency, user.deputy_group) == ("agency_staff", "so-y-te", None)


def test_a_role_without_its_unit_is_refused_and_nothing_changes(app, api, admin):
    refused = api.post("/api/admin/users/can.bo.ba.dinh/role",
                       json={"role": "district_staff", "district": ""}, headers=admin)
    missing = api.post("/api/admin/users/nobody/role", json={"role": "deputy"}, headers=admin)

    assert refused.status_code == 422 and "district" in refused.json["errors"]
    assert missing.status_code == 404
    assert app.extensions["petitions_users"].get("can.bo.ba.dinh").district == "ba-dinh"


def test_an_admin_token_deactivates_and_reactivates_an_account(app, api, admin):
    off = api.post("/api/admin/users/dai.bieu/deactivate", headers=admin)
    stopped = app.extensions["petitions_users"].get("dai.bieu").active
    on = api.post("/api/admin/users/dai.bieu/reactivate", headers=admin)

    assert (off.status_code, off.json["active"]) == (200, False) and not stopped
    assert (on.status_code, on.json["active"]) == (200, True)
    assert app.extensions["petitions_users"].get("dai.bieu").active


def test_an_admin_token_cannot_deactivate_its_own_account(app, api, admin):
    refused = api.post("/api/admin/users/admin/deactivate", headers=admin)

    assert refused.status_code == 400
    assert refused.json["message"] == \
        "Không thể tự khóa tài khoản của mình hoặc tự đổi vai trò của mình."
    assert app.extensions["petitions_users"].get("admin").active


def test_an_admin_token_resets_a_lost_second_factor(app, api, admin):
    from petitions.users import history

    reset = api.post("/api/admin/users/thu.ky/two-factor-reset", headers=admin)

    assert reset.status_code == 200 and reset.json["username"] == "thu.ky"
    latest = history.of_user(app.extensions["petitions_users"].engine, "thu.ky")[0]
    assert (latest["kind"], latest["actor"]) == ("TwoFactorReset", "admin")


@pytest.mark.parametrize("path", [
    "/api/admin/users", "/api/admin/users/dai.bieu/role", "/api/admin/users/dai.bieu/deactivate",
    "/api/admin/users/dai.bieu/reactivate", "/api/admin/users/dai.bieu/two-factor-reset"])
def test_a_secretariat_token_may_not_manage_accounts(app, api, office, path):
    refused = api.post(path, json={**NEW_USER, "role": "admin"}, headers=office)

    assert refused.status_code == 403
    assert app.extensions["petitions_users"].get("dai.bieu").role.value == "deputy"
    assert app.extensions["petitions_users"].get("so.y.te") is None
