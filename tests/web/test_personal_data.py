"""Personal data of voters and petitioners shows only to those who handle the item.

Each test that a page hides something first checks the page really rendered the item (and,
where cheap, that a handler's page shows what the other one hides): an error page hides all.
"""
from __future__ import annotations

import json
from typing import Any

import pytest
from flask import Flask

from petitions.item_data import HIDDEN
from tests.web.conftest import (
    COMPLAINT, PETITION, SECRETARIAT, log_petition, receive_complaint, rendered,
)

VOTERS = "Nguyễn Văn An, tổ 5"
PETITIONER_PHONE = "0912345678"
PETITIONER_NAME = "Trần Văn Bình"


@pytest.mark.parametrize("who", ["district_staff", "secretariat", "admin"])
def test_handlers_see_the_voters(app: Flask, tracker: Any, client_as: Any, who: str) -> None:
    code = log_petition(tracker)

    response = client_as(who).get(f"/items/{code}")

    assert VOTERS in rendered(response, code, PETITION["title"])


def test_deputy_does_not_see_the_voters(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("deputy").get(f"/items/{code}")

    page = rendered(response, code, PETITION["title"], PETITION["meeting_place"])
    assert VOTERS not in page
    assert VOTERS in rendered(client_as("district_staff").get(f"/items/{code}"))


def test_deputy_does_not_see_the_voters_in_the_history_api(app: Flask, tracker: Any,
                                                           client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("deputy").get(f"/api/items/{code}/history")

    rendered(response)
    # Read the JSON itself: its text escapes every Vietnamese letter, so a name in it
    # would never match the plain string.
    history = response.get_json()
    logged = history[0]
    assert (logged["type"], logged["facts"]["code"]) == ("PetitionLogged", code)
    assert logged["facts"]["voters"] == HIDDEN
    assert VOTERS not in json.dumps(history, ensure_ascii=False)
    handler = client_as("district_staff").get(f"/api/items/{code}/history").get_json()
    assert handler[0]["facts"]["voters"] == VOTERS


def test_deputy_does_not_see_the_petitioner(app: Flask, tracker: Any, client_as: Any) -> None:
    code = receive_complaint(tracker)

    response = client_as("deputy").get(f"/items/{code}")

    page = rendered(response, code, COMPLAINT["title"])
    assert PETITIONER_PHONE not in page
    assert PETITIONER_NAME not in page
    assert PETITIONER_NAME in rendered(client_as("district_staff").get(f"/items/{code}"))


def test_assigned_agency_sees_the_petitioner(app: Flask, tracker: Any, client_as: Any) -> None:
    code = receive_complaint(tracker)
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")

    response = client_as("agency_staff").get(f"/items/{code}")

    assert PETITIONER_PHONE in rendered(response, code, COMPLAINT["title"])
