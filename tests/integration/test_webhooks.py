"""Signed webhooks (issue 18): each event once, HMAC-signed, retried; private URLs refused."""
from __future__ import annotations

import hashlib
import hmac
import json
import threading
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from domain.actor import Actor, Role
from domain.errors import InvalidInput
from petitions.webhooks import (
    deliver_webhooks, recent_deliveries, register_webhook, url_problem,
)
from tests.integration.escalation_helpers import assigned_petition, hanoi, runtime_for

XAY_DUNG = Actor("so.xay.dung", Role.AGENCY_STAFF, agency="so-xay-dung")


class Receiver:
    def __init__(self):
        self.calls, self.status = [], 200
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.calls.append((dict(self.headers), body))
                self.send_response(receiver.status)
                self.end_headers()

            def log_message(self, *args):
                pass

        self.server = HTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver():
    r = Receiver()
    yield r
    r.server.shutdown()


@pytest.fixture
def runtime(settings, clock):
    rt = runtime_for(settings.with_(webhooks_allow_private=True), clock)
    yield rt
    rt.close()


def answered(runtime, clock):
    clock.set(hanoi(date(2025, 3, 3)))
    receipt = assigned_petition(runtime.tracker, date(2025, 4, 30))
    runtime.tracker.record_answer(XAY_DUNG, receipt.code, outcome="resolved", text="Xong.")
    runtime.projector.catch_up()
    return receipt.code


def test_each_event_is_delivered_once_signed(runtime, clock, receiver):
    _, secret = register_webhook(runtime.views.engine, receiver.url, ["answered"],
                                 by="admin", now=clock(), allow_private=True)
    code = answered(runtime, clock)
    runtime.projector.rebuild()

    deliver_webhooks(runtime.tracker, runtime.views.engine)
    deliver_webhooks(runtime.tracker, runtime.views.engine)

    [(headers, body)] = receiver.calls
    expected = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    assert headers["X-Petitions-Signature"] == expected
    sent = json.loads(body)
    assert (sent["code"], sent["event"]) == (code, "answered")
    assert "Sửa đường" not in body.decode() and "Nguyễn" not in body.decode()


def test_a_failing_receiver_is_retried_after_its_backoff(runtime, clock, receiver):
    register_webhook(runtime.views.engine, receiver.url, ["answered", "assigned"],
                     by="admin", now=clock(), allow_private=True)
    answered(runtime, clock)
    receiver.status = 500

    first = deliver_webhooks(runtime.tracker, runtime.views.engine)
    receiver.status = 204
    clock.set(clock() + timedelta(minutes=5))
    second = deliver_webhooks(runtime.tracker, runtime.views.engine)

    assert first == {"sent": 0, "failed": 2} and second == {"sent": 2, "failed": 0}
    assert {d["status"] for d in recent_deliveries(runtime.views.engine)} == {"sent"}


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/x", "http://10.0.0.5/x", "http://169.254.169.254/latest",
    "http://[::1]/x", "ftp://example.com/x", "file:///etc/passwd", "javascript:alert(1)",
    "http://user:pw@example.com/", "http://localhost:8080/"])
def test_private_addresses_and_other_schemes_are_refused(url):
    assert url_problem(url, resolve=lambda h: ["127.0.0.1"] if h == "localhost" else [
        h.strip("[]")] if h[0].isdigit() or ":" in h else ["93.184.215.14"]) is not None


def test_a_public_https_address_is_accepted():
    assert url_problem("https://hooks.example.vn/x", resolve=lambda h: ["203.113.1.5"]) is None


def test_registering_a_private_url_changes_nothing(runtime, clock):
    with pytest.raises(InvalidInput) as refused:
        register_webhook(runtime.views.engine, "http://192.168.1.10/hook", ["answered"],
                         by="admin", now=clock())

    assert "url" in refused.value.errors
    assert recent_deliveries(runtime.views.engine) == []
