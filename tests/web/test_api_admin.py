"""API twins of the integration and outbox pages (issue 18): webhooks, the ladder's
recipients, sending failed emails again — the same effects and refusals as the forms."""
from __future__ import annotations

from datetime import timedelta

import pytest

from petitions import webhooks
from petitions.notifications.sender import send_pending
from projections.outbox import outbox_rows
from tests.web.test_api_write import bearer, token_for
from tests.web.test_outbox import _Recording, failed  # noqa: F401 (a fixture)
from tests.web.test_recipients_admin import directory
from tests.web.test_reference_admin import SESSION


@pytest.fixture
def api(app):
    return app.test_client()


@pytest.fixture
def admin(app):
    return bearer(token_for(app, "admin"))


@pytest.fixture
def public_dns(monkeypatch):
    """Resolve every webhook host to a public address, as a registered integration's would."""
    monkeypatch.setattr(webhooks, "_resolve", lambda host: ["203.113.1.5"])


def hooks(app):
    return webhooks.list_webhooks(app.extensions["petitions"].views.engine)


# -- webhooks -----------------------------------------------------------------------------------
def test_an_admin_token_registers_a_webhook_and_gets_its_secret_once(app, api, admin,
                                                                     public_dns):
    made = api.post("/api/admin/webhooks", headers=admin, json={
        "url": "https://hooks.example.vn/in", "kinds": ["answered", "escalated"]})

    assert made.status_code == 201 and len(made.json["secret"]) == 64
    listed = hooks(app)
    assert [(h["id"], h["url"]) for h in listed] == [(made.json["id"],
                                                      "https://hooks.example.vn/in")]
    assert made.json["secret"] not in str(listed)


@pytest.mark.parametrize("url, message", [
    ("http://127.0.0.1:9/hook", "Địa chỉ trỏ tới mạng nội bộ, cục bộ hoặc dành riêng."),
    ("ftp://hooks.example.vn/in", "Nhập địa chỉ http:// hoặc https://."),
])
def test_a_private_or_non_http_webhook_is_a_422_on_the_url_and_nothing_is_registered(
        app, api, admin, url, message):
    refused = api.post("/api/admin/webhooks", headers=admin, json={"url": url,
                                                                   "kinds": ["answered"]})

    assert refused.status_code == 422
    assert refused.json["errors"] == {"url": [message]}
    assert hooks(app) == []


def test_a_webhook_is_turned_off_and_an_unknown_one_is_a_404(app, api, admin, public_dns):
    made = api.post("/api/admin/webhooks", headers=admin, json={
        "url": "https://hooks.example.vn/in", "kinds": ["answered"]}).json

    off = api.post(f"/api/admin/webhooks/{made['id']}/active", headers=admin,
                   json={"active": False})
    unknown = api.post("/api/admin/webhooks/999/active", headers=admin, json={"active": True})
    no_answer = api.post(f"/api/admin/webhooks/{made['id']}/active", headers=admin, json={})

    assert (off.status_code, unknown.status_code, no_answer.status_code) == (200, 404, 422)
    assert list(no_answer.json["errors"]) == ["active"]
    assert [h["active"] for h in hooks(app)] == [False]


@pytest.mark.parametrize("who", ["thu.ky", "dai.bieu", "can.bo.ba.dinh", "so.xay.dung"])
def test_only_an_admin_token_manages_webhooks_recipients_and_the_outbox(app, api, who):
    token = bearer(token_for(app, who))

    answers = [api.post("/api/admin/webhooks", headers=token,
                        json={"url": "https://hooks.example.vn/in"}).status_code,
               api.post("/api/admin/webhooks/1/active", headers=token,
                        json={"active": True}).status_code,
               api.post("/api/admin/recipients", headers=token,
                        json={"kind": "city_office", "email": "x@hanoi.gov.vn"}).status_code,
               api.post("/api/admin/outbox/retry", headers=token, json={}).status_code]

    assert answers == [403, 403, 403, 403]
    assert hooks(app) == [] and directory(app).city_office != "x@hanoi.gov.vn"


def test_without_a_token_the_admin_twins_answer_401(api):
    assert api.post("/api/admin/outbox/retry", json={}).status_code == 401


# -- the ladder's recipients -------------------------------------------------------------------
def test_an_admin_token_sets_an_agency_head_and_the_city_office(app, api, admin):
    head = api.post("/api/admin/recipients", headers=admin, json={
        "kind": "agency_head", "code": "so-xay-dung", "email": "giam-doc@soxaydung.hanoi.gov.vn"})
    office = api.post("/api/admin/recipients", headers=admin, json={
        "kind": "city_office", "email": "vanphong@hdnd.hanoi.gov.vn"})

    assert (head.status_code, office.status_code) == (200, 200)
    found = directory(app)
    assert found.head_email("so-xay-dung") == "giam-doc@soxaydung.hanoi.gov.vn"
    assert found.city_office == "vanphong@hdnd.hanoi.gov.vn"


@pytest.mark.parametrize("body, field", [
    ({"kind": "agency", "code": "so-nope", "email": "a@b.vn"}, "code"),
    ({"kind": "agency", "code": "so-xay-dung", "email": "not-an-address"}, "email"),
    ({"code": "so-xay-dung", "email": "a@b.vn"}, "kind"),
    ({"kind": "nobody", "email": "a@b.vn"}, "kind"),
])
def test_an_unknown_code_a_bad_address_or_no_kind_is_a_422_on_that_field(app, api, admin,
                                                                          body, field):
    refused = api.post("/api/admin/recipients", headers=admin, json=body)

    assert refused.status_code == 422 and field in refused.json["errors"]
    assert directory(app).agency_email("so-xay-dung") == "so-xay-dung@hanoi.invalid"


# -- the outbox ---------------------------------------------------------------------------------
def test_retry_of_one_email_sends_it_at_the_next_run_before_its_backoff_ends(
        app, api, admin, tracker, failed, clock):  # noqa: F811
    engine = app.extensions["petitions"].views.engine
    row = next(r for r in outbox_rows(engine) if r["level"] == 1)
    clock.set(clock() + timedelta(seconds=10))  # both emails still wait for their backoff

    answer = api.post("/api/admin/outbox/retry", headers=admin, json={"id": row["id"]})
    server = _Recording()
    report = send_pending(tracker, engine, smtp=lambda settings: server)

    assert (answer.status_code, answer.json) == (200, {"queued": 1})
    assert report.sent == 1
    assert server.subjects == [f"[Lần đôn đốc thứ 1] {failed}: Ngập úng phố Huế"]


def test_retry_of_every_failed_email_queues_both_and_a_bad_id_is_a_422(
        app, api, admin, tracker, failed, clock):  # noqa: F811
    engine = app.extensions["petitions"].views.engine
    clock.set(clock() + timedelta(seconds=10))

    bad = api.post("/api/admin/outbox/retry", headers=admin, json={"id": "seven"})
    every = api.post("/api/admin/outbox/retry", headers=admin, json={})
    report = send_pending(tracker, engine, smtp=lambda settings: _Recording())

    assert bad.status_code == 422 and list(bad.json["errors"]) == ["id"]
    assert every.json == {"queued": 2} and report.sent == 2


def test_the_admin_twins_are_in_the_openapi_description(api):
    paths = api.get("/api/openapi.json").json["paths"]

    assert {"/api/admin/webhooks", "/api/admin/webhooks/{hook_id}/active",
            "/api/admin/recipients", "/api/admin/outbox/retry"} <= set(paths)


def test_a_webhook_kind_that_is_not_text_is_a_422_naming_its_position(app, api, admin):
    refused = api.post("/api/admin/webhooks", headers=admin, json={
        "url": "https://hooks.example.vn/in", "kinds": [7]})

    assert refused.status_code == 422 and list(refused.json["errors"]) == ["kinds_0"]
    assert hooks(app) == []


# -- reference data -----------------------------------------------------------------------------
def test_an_admin_token_adds_a_session_changes_and_ends_an_agency(app, api, admin, tracker):
    added = api.post("/api/admin/reference/council_sessions", headers=admin, json=SESSION)
    changed = api.post("/api/admin/reference/agencies/so-du-lich", headers=admin, json={
        **tracker.reference()["agencies"]["so-du-lich"], "name": "Sở Du lịch Hà Nội",
        "reason": "Tên đầy đủ"})
    ended = api.post("/api/admin/reference/agencies/so-du-lich/end", headers=admin,
                     json={"valid_to": "2026-12-31", "reason": "Sáp nhập theo nghị quyết mới"})

    assert (added.status_code, changed.status_code, ended.status_code) == (201, 200, 200)
    assert added.json["entry"]["code"] == "XVII-04"
    agency = tracker.reference()["agencies"]["so-du-lich"]
    assert (agency["name"], agency["valid_to"]) == ("Sở Du lịch Hà Nội", "2026-12-31")
    assert ended.json["entry"]["valid_to"] == "2026-12-31"


def test_a_session_closing_before_it_opens_is_a_422_with_the_forms_message(api, admin,
                                                                           tracker):
    refused = api.post("/api/admin/reference/council_sessions", headers=admin,
                       json={**SESSION, "closes_on": "2026-12-20"})

    assert refused.status_code == 422
    assert "Ngày bế mạc không được trước ngày khai mạc." in str(refused.json["errors"])
    assert "XVII-04" not in tracker.reference()["council_sessions"]


def test_ending_before_the_start_or_without_a_day_is_a_422_and_an_unknown_entry_a_404(
        api, admin, tracker):
    early = api.post("/api/admin/reference/units/00097/end", headers=admin,
                     json={"valid_to": "2025-01-01", "reason": "Thử"})
    no_day = api.post("/api/admin/reference/units/00097/end", headers=admin,
                      json={"reason": "Thử"})
    unknown = api.post("/api/admin/reference/units/99999/end", headers=admin,
                       json={"valid_to": "2026-12-31", "reason": "Thử"})
    section = api.post("/api/admin/reference/planets", headers=admin, json=SESSION)

    assert (early.status_code, no_day.status_code) == (422, 422)
    assert list(no_day.json["errors"]) == ["valid_to"]
    assert (unknown.status_code, section.status_code) == (404, 404)
    assert tracker.reference()["units"]["00097"]["valid_to"] is None


def test_the_secretariat_token_keeps_sessions_but_not_units(app, api, tracker):
    office = bearer(token_for(app, "thu.ky"))

    session = api.post("/api/admin/reference/council_sessions", headers=office, json=SESSION)
    unit = api.post("/api/admin/reference/units/00097/end", headers=office,
                    json={"valid_to": "2026-12-31", "reason": "Thử"})

    assert (session.status_code, unit.status_code) == (201, 403)
    assert tracker.reference()["units"]["00097"]["valid_to"] is None


# -- the deadline policy ------------------------------------------------------------------------
POLICY = {"code": "2027", "name": "Quy định thử", "effective_from": "2027-01-04",
          "basis": "Nghị định 1/2027/NĐ-CP",
          "limits": {"classify": {"amount": "15", "unit": "working_days",
                                  "basis": "Nghị định 1/2027"}}}


def test_an_admin_token_adds_a_policy_version_with_one_limit_changed(api, admin, tracker):
    added = api.post("/api/admin/policy", headers=admin, json=POLICY)

    assert added.status_code == 201 and "moved" in added.json
    assert "Quy định thử" in [v["name"] for v in tracker.policy_history()]


def test_a_policy_version_with_a_bad_limit_is_a_422_on_that_limit(api, admin, tracker):
    before = tracker.policy_history()
    bad = {**POLICY, "limits": {"classify": {**POLICY["limits"]["classify"], "amount": "-3"}}}

    refused = api.post("/api/admin/policy", headers=admin, json=bad)

    assert refused.status_code == 422 and "limits_classify_amount" in refused.json["errors"]
    assert tracker.policy_history() == before


def test_only_the_admin_token_adds_a_policy_version(app, api):
    office = bearer(token_for(app, "thu.ky"))

    assert api.post("/api/admin/policy", headers=office, json=POLICY).status_code == 403
