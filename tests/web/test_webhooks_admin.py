"""The admin's webhook page (issue 18)."""
from __future__ import annotations

from tests.web.conftest import rendered


def test_a_private_url_is_refused_beside_the_field(client_as):
    response = client_as("admin").post("/admin/webhooks", data={
        "url": "http://127.0.0.1:9/hook", "kinds": ["answered"]})

    body = response.get_data(as_text=True)
    assert response.status_code == 422 and "field-error" in body


def test_a_registered_webhook_shows_its_secret_once(client_as, monkeypatch):
    import petitions.webhooks as hooks

    monkeypatch.setattr(hooks, "_resolve", lambda host: ["203.113.1.5"])
    admin = client_as("admin")

    made = admin.post("/admin/webhooks", data={"url": "https://hooks.example.vn/in",
                                                "kinds": ["answered", "escalated"]})
    page = rendered(admin.get("/admin/webhooks"), "https://hooks.example.vn/in")

    secret = made.get_data(as_text=True).split('class="token-secret">')[1].split("<")[0]
    assert made.status_code == 201 and len(secret) == 64 and secret not in page


def test_others_may_not_manage_webhooks(client_as):
    assert client_as("secretariat").get("/admin/webhooks").status_code == 403
