"""Personal data of voters and petitioners shows only to those who handle the item."""
from __future__ import annotations

from typing import Any

import pytest
from flask import Flask

from tests.web.conftest import SECRETARIAT, log_petition, receive_complaint

VOTERS = "Nguyễn Văn An, tổ 5"
PETITIONER_PHONE = "0912345678"


@pytest.mark.parametrize("who", ["district_staff", "secretariat", "admin"])
def test_handlers_see_the_voters(app: Flask, tracker: Any, client_as: Any, who: str) -> None:
    code = log_petition(tracker)

    response = client_as(who).get(f"/items/{code}")

    assert VOTERS in response.text


def test_deputy_does_not_see_the_voters(app: Flask, tracker: Any, client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("deputy").get(f"/items/{code}")

    assert VOTERS not in response.text


def test_deputy_does_not_see_the_voters_in_the_history_api(app: Flask, tracker: Any,
                                                           client_as: Any) -> None:
    code = log_petition(tracker)

    response = client_as("deputy").get(f"/api/items/{code}/history")

    assert VOTERS not in response.get_data(as_text=True)


def test_deputy_does_not_see_the_petitioner(app: Flask, tracker: Any, client_as: Any) -> None:
    code = receive_complaint(tracker)

    response = client_as("deputy").get(f"/items/{code}")

    assert PETITIONER_PHONE not in response.text
    assert "Trần Văn Bình" not in response.text


def test_assigned_agency_sees_the_petitioner(app: Flask, tracker: Any, client_as: Any) -> None:
    code = receive_complaint(tracker)
    tracker.accept_complaint(SECRETARIAT, code, agency="so-xay-dung")

    response = client_as("agency_staff").get(f"/items/{code}")

    assert PETITIONER_PHONE in response.text
