"""No input a user can type makes any route answer 500."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import COMPLAINT, PETITION, SECRETARIAT, log_petition
from web.actions import FORMS as ACTION_TABLE

ODD = ["x" * 200_000, "\x00", "a\x00b", "2025-13-45", "0000-00-00", "31/02/2025", "-1",
       "99999999999999999999", "1e9", "<>\"'&", "../../etc/passwd", "🙂" * 50,
       "   ", "NaN", "ba-dinh\x00", "KN-2025-99999", "00000000-0000-0000-0000-000000000000"]
ACTIONS = ["classify", "assign", "merge", "answer", "accept_answer", "return_answer",
           "progress", "extend", "park", "resume", "withdraw", "close"]


@pytest.mark.parametrize("value", ODD)
def test_odd_values_in_the_petition_form_never_cause_a_server_error(
        app: Flask, client_as: Any, value: str) -> None:
    client = client_as("district_staff")

    statuses = {name: client.post("/petitions/new", data={**PETITION, name: value}).status_code
                for name in PETITION}

    assert all(status < 500 for status in statuses.values()), statuses


@pytest.mark.parametrize("value", ODD)
def test_odd_values_in_the_complaint_form_never_cause_a_server_error(
        app: Flask, client_as: Any, value: str) -> None:
    client = client_as("secretariat")
    fields = list(COMPLAINT) + ["anonymous", "several_places", "first_round"]

    statuses = {name: client.post("/complaints/new", data={**COMPLAINT, name: value}).status_code
                for name in fields}

    assert all(status < 500 for status in statuses.values()), statuses


@pytest.mark.parametrize("action", ACTIONS)
def test_odd_values_in_item_actions_never_cause_a_server_error(
        app: Flask, tracker: Any, client_as: Any, action: str) -> None:
    code = log_petition(tracker)
    tracker.assign(SECRETARIAT, code, agency="so-xay-dung")
    client = client_as("secretariat")

    fields = list(ACTION_TABLE[action].schema().fields)

    statuses = {(name, value[:10]): client.post(
        f"/items/{code}/do/{action}", data={"expected_version": "2", name: value}).status_code
        for name in fields for value in ODD[:9]}

    assert all(status < 500 for status in statuses.values()), statuses


@pytest.mark.parametrize("value", ODD)
def test_odd_filters_never_cause_a_server_error(app: Flask, client_as: Any, value: str) -> None:
    client = client_as("deputy")
    names = ["q", "district", "status", "overdue", "order", "after", "session", "agency"]

    statuses = {name: client.get("/items", query_string={name: value}).status_code
                for name in names}
    statuses["api"] = client.get("/api/items", query_string={"q": value,
                                                             "after": value}).status_code

    assert all(status < 500 for status in statuses.values()), statuses


@pytest.mark.parametrize("ref", ["not-a-code", "00000000-0000-0000-0000-000000000000",
                                 "KN-2025-99999", "x" * 300, "%00", "..%2F..", "DT-0-0",
                                 "kn-2025-00001", "{}"])
def test_odd_item_references_are_not_found(app: Flask, client_as: Any, ref: str) -> None:
    client = client_as("secretariat")

    statuses = [client.get(f"/items/{ref}").status_code,
                client.get(f"/api/items/{ref}").status_code,
                client.post(f"/items/{ref}/do/withdraw", data={"reason": "x"}).status_code]

    assert statuses == [404, 404, 404]


@pytest.mark.parametrize("path", ["/boards/district/x%00", "/boards/agency/" + "y" * 500,
                                  "/boards/session/XVI-99", "/boards?session=%00",
                                  "/queues/agency?agency=%00&after=%00"])
def test_odd_board_addresses_never_cause_a_server_error(app: Flask, client_as: Any,
                                                        path: str) -> None:
    response = client_as("secretariat").get(path)

    assert response.status_code < 500


def test_odd_sign_in_input_never_causes_a_server_error(app: Flask) -> None:
    client = app.test_client()

    statuses = [client.post("/login", data={"username": value, "password": value}).status_code
                for value in ODD[:4]]

    assert all(status in (400, 401, 413, 429) for status in statuses), statuses


def test_invalid_utf8_in_a_form_never_causes_a_server_error(app: Flask, client_as: Any) -> None:
    body = b"title=%FF%FE%00&content=%C3%28&meeting_date=%E2%82"

    response = client_as("district_staff").post(
        "/petitions/new", data=body, content_type="application/x-www-form-urlencoded")

    assert response.status_code < 500
