"""The in-app inbox, the unread count and notification preferences (issue 18)."""
from __future__ import annotations

from datetime import date

from petitions.notifications import notices
from petitions.settings import Settings
from tests.web.conftest import XAY_DUNG, catch_up, log_petition, rendered
from tests.conftest import SECRETARIAT
from web.cli import with_served_base_url


def answered_item(app, tracker, text="Đã sửa."):
    """Log a Ba Đình petition, assign it to the Department of Construction, answer it."""
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung", due_date=date(2025, 4, 30))
    tracker.record_answer(XAY_DUNG, code, outcome="resolved", text=text)
    catch_up(app)
    return code


def test_the_unit_sees_the_answer_in_its_inbox_with_an_unread_count(app, tracker, client_as):
    code = answered_item(app, tracker)
    client = client_as("district_staff")

    body = rendered(client.get("/inbox"), code, "Sửa mặt đường Kim Mã")

    assert 'class="unread-count"' in rendered(client.get("/items"))
    assert "unread" in body


def test_opening_a_notice_marks_it_read_and_shows_the_item(app, tracker, client_as):
    code = answered_item(app, tracker)
    client = client_as("district_staff")
    [notice] = notices.inbox(app.extensions["petitions"].views.engine, "can.bo.ba.dinh")

    response = client.post("/inbox/read", data={"id": notice["id"], "open": code})

    assert response.status_code == 302 and response.location.endswith(f"/items/{code}")
    assert 'class="unread-count"' not in rendered(client.get("/inbox"))


def test_preferences_are_saved_per_kind(app, client_as):
    client = client_as("deputy")
    form = {k: "in_app" for k in notices.KINDS} | {"answered": "email",
                                                   "email": "dai.bieu@hanoi.invalid"}

    response = client.post("/account/notifications", data=form)

    assert response.status_code == 302
    saved = notices.get_settings(app.extensions["petitions"].views.engine, "dai.bieu")
    assert saved["prefs"]["answered"] == "email" and saved["email"] == "dai.bieu@hanoi.invalid"


def test_email_without_an_address_or_an_unknown_channel_is_refused(app, client_as):
    client = client_as("deputy")

    no_address = client.post("/account/notifications", data={"answered": "email"})
    unknown = client.post("/account/notifications", data={"answered": "pigeon"})
    bad_email = client.post("/account/notifications", data={"email": "not an address"})

    assert (no_address.status_code, unknown.status_code, bad_email.status_code) == (422,) * 3
    assert notices.get_settings(app.extensions["petitions"].views.engine,
                                "dai.bieu")["email"] == ""


def test_serving_on_another_port_points_email_links_at_it(monkeypatch):
    monkeypatch.delenv("PETITIONS_BASE_URL", raising=False)

    served = with_served_base_url(Settings(), "127.0.0.1", 5601)
    kept = with_served_base_url(Settings(base_url="https://kn.hanoi.gov.vn"), "0.0.0.0", 5601)

    assert served.base_url == "http://127.0.0.1:5601"
    assert kept.base_url == "https://kn.hanoi.gov.vn"
