"""The escalation ladder's recipients are set by the admin in the UI (issue 18)."""
from __future__ import annotations

from petitions.notifications.recipients import RecipientDirectory
from tests.web.conftest import rendered


def directory(app):
    runtime = app.extensions["petitions"]
    reference = runtime.tracker.reference()
    return RecipientDirectory.load(reference["agencies"], runtime.settings.instance,
                                   units=reference["units"], engine=runtime.views.engine)


def test_the_admin_sets_an_agency_head_and_the_city_office(app, client_as):
    admin = client_as("admin")

    admin.post("/admin/recipients", data={"kind": "agency_head", "code": "so-xay-dung",
                                          "email": "giam-doc@soxaydung.hanoi.gov.vn"})
    admin.post("/admin/recipients", data={"kind": "city_office",
                                          "email": "vanphong@hdnd.hanoi.gov.vn"})

    found = directory(app)
    assert found.head_email("so-xay-dung") == "giam-doc@soxaydung.hanoi.gov.vn"
    assert found.city_office == "vanphong@hdnd.hanoi.gov.vn"
    rendered(admin.get("/admin/recipients"), "giam-doc@soxaydung.hanoi.gov.vn")


def test_an_unknown_code_or_a_bad_address_is_refused(app, client_as):
    admin = client_as("admin")

    unknown = admin.post("/admin/recipients", data={"kind": "agency", "code": "so-nope",
                                                    "email": "a@b.vn"})
    bad = admin.post("/admin/recipients", data={"kind": "agency", "code": "so-xay-dung",
                                                "email": "not-an-address"})

    assert (unknown.status_code, bad.status_code) == (422, 422)
    assert directory(app).agency_email("so-xay-dung") == "so-xay-dung@hanoi.invalid"


def test_only_the_admin_sees_the_page(client_as):
    assert client_as("secretariat").get("/admin/recipients").status_code == 403


def test_a_change_without_a_mailbox_kind_is_refused_beside_the_field(app, client_as):
    admin = client_as("admin")

    response = admin.post("/admin/recipients", data={"email": "a@b.vn"})

    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Một số trường chưa hợp lệ." in page and 'field has-error' in page
    assert directory(app).city_office != "a@b.vn"
