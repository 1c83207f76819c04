"""The write API with tokens (issue 18): same schemas and refusals as the forms, JSON errors."""
from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from tests.web.conftest import PETITION, SECRETARIAT, log_petition, HOAN_KIEM

NOW = datetime(2025, 3, 3, 2, 0, tzinfo=timezone.utc)


def token_for(app, username, **kw):
    return app.extensions["petitions_tokens"].create(
        username, "test", created_by="admin", now=NOW, **kw).secret


def bearer(token):
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
def api(app):
    return app.test_client()


def test_a_district_token_logs_a_petition_in_its_own_district(app, api):
    token = token_for(app, "can.bo.ba.dinh")
    body = {k: v for k, v in PETITION.items() if k != "district"}

    response = api.post("/api/petitions", json=body, headers=bearer(token))

    assert response.status_code == 201, response.json
    item = api.get(f"/api/items/{response.json['code']}", headers=bearer(token)).json
    assert item["district"] == "ba-dinh"


def test_a_token_of_district_a_gets_404_on_district_bs_items(app, api, tracker):
    other = log_petition(tracker, HOAN_KIEM)
    token = token_for(app, "can.bo.ba.dinh")

    read = api.get(f"/api/items/{other}", headers=bearer(token))
    act = api.post(f"/api/items/{other}/actions/withdraw", json={"reason": "Cử tri rút."},
                   headers=bearer(token))

    assert (read.status_code, act.status_code) == (404, 404)


def test_invalid_fields_come_back_as_json_with_a_field_map(app, api):
    token = token_for(app, "can.bo.ba.dinh")

    response = api.post("/api/petitions", json={"title": "x", "received_on": "31/02/2025"},
                        headers=bearer(token))

    assert response.status_code == 422
    assert response.json["error"] == "invalid" and "received_on" in response.json["errors"]


def test_a_stale_expected_version_is_a_409(app, api, tracker):
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 4, 30))
    token = token_for(app, "so.xay.dung")

    response = api.post(f"/api/items/{code}/actions/progress",
                        json={"text": "Đang khảo sát.", "expected_version": 1},
                        headers=bearer(token))

    assert response.status_code == 409 and response.json["error"] == "conflict"


def test_an_action_the_status_does_not_allow_is_refused_as_by_the_form(app, api, tracker):
    code = log_petition(tracker)
    token = token_for(app, "so.xay.dung")

    response = api.post(f"/api/items/{code}/actions/answer",
                        json={"outcome": "resolved", "text": "Xong."}, headers=bearer(token))

    assert response.status_code in (400, 404)


def test_a_role_that_may_never_act_gets_403(app, api, tracker):
    code = log_petition(tracker)

    response = api.post(f"/api/items/{code}/actions/assign", json={"agency": "so-xay-dung"},
                        headers=bearer(token_for(app, "dai.bieu")))

    assert response.status_code == 403


@pytest.mark.parametrize("spoil", ["revoked", "expired", "scope", "garbage", "inactive"])
def test_a_spoiled_token_is_refused_with_why_and_nothing_runs(app, api, spoil):
    tokens = app.extensions["petitions_tokens"]
    token = token_for(app, "can.bo.ba.dinh", expires_on=date(2025, 3, 3))
    if spoil == "revoked":
        tokens.revoke(token.split("_")[1], by="admin", now=NOW)
    elif spoil == "expired":
        app.config["AUTH_CLOCK"].set(NOW + timedelta(days=2))
    elif spoil == "scope":
        _move(app)
    elif spoil == "garbage":
        token = "pt_nope_nope"
    elif spoil == "inactive":
        _deactivate(app)
    body = {k: v for k, v in PETITION.items() if k != "district"}

    response = api.post("/api/petitions", json=body, headers=bearer(token))

    assert response.status_code == 401
    expected = {"garbage": "invalid"}.get(spoil, spoil)
    assert response.json["reason"] == expected
    assert app.extensions["petitions"].tracker.position() > 0  # reference data only


def _move(app):
    from domain.actor import Actor, Role

    accounts = app.extensions["petitions_accounts"]
    accounts.change_role(Actor("admin", Role.ADMIN), "can.bo.ba.dinh", "district_staff",
                         district="hoan-kiem", agency=None, deputy_group=None,
                         reference=None, today=date(2025, 3, 3))


def _deactivate(app):
    from domain.actor import Actor, Role

    app.extensions["petitions_accounts"].deactivate(Actor("admin", Role.ADMIN),
                                                    "can.bo.ba.dinh")


def test_changes_need_a_token_not_just_a_session(client_as, tracker):
    code = log_petition(tracker)

    response = client_as("district_staff").post(f"/api/items/{code}/actions/progress",
                                                json={"text": "x"})

    assert response.status_code == 401 and response.json["reason"] == "token_required"


def test_a_user_makes_a_token_sees_it_once_and_revokes_it(app, client_as):
    client = client_as("deputy")

    made = client.post("/account/tokens", data={"name": "Hệ thống của tổ"})
    page = client.get("/account/tokens").get_data(as_text=True)

    secret = made.get_data(as_text=True).split('id="token-secret">')[1].split("<")[0]
    assert made.status_code == 201 and secret.startswith("pt_") and secret not in page
    token_id = secret.split("_")[1]
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 303
    assert app.test_client().get("/api/items", headers=bearer(secret)).status_code == 401


def test_a_user_cannot_revoke_someone_elses_token(app, client_as):
    secret = token_for(app, "can.bo.ba.dinh")

    response = client_as("deputy").post(f"/account/tokens/{secret.split('_')[1]}/revoke")

    assert response.status_code == 404


def test_the_openapi_description_validates_as_openapi_3(api):
    from openapi_spec_validator import validate

    spec = api.get("/api/openapi.json").json

    validate(spec)
    assert "/api/items/{ref}/actions/answer" in spec["paths"]
    assert "Petition" in spec["components"]["schemas"]


def test_the_docs_page_lists_the_operations(api):
    body = api.get("/api/docs").get_data(as_text=True)

    assert "/api/petitions" in body and "logPetition" not in body
