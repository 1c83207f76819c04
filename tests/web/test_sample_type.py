"""A type declared only in the tests is listed, escalated, offered its actions and labelled.

Nothing but ``tests/sample_type.py`` (one aggregate and its declaration) is added: the
projection selects its events, the escalation scan finds it past due, the item page offers
the declared actions that have forms, and lists show its status and kind in words.
"""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any

import pytest
from flask import Flask

from domain.actor import SYSTEM
from domain.item_types import ItemType
from projections.items import get_row
from tests import sample_type
from tests.web.conftest import SECRETARIAT, catch_up
from tests.web.test_actions import declared, offered

CODE = "HD-2025-00001"


@pytest.fixture
def inquiry_type() -> Iterator[ItemType]:
    """The inquiry type, registered for one test."""
    yield sample_type.register()
    sample_type.unregister()


@pytest.fixture
def inquiry(inquiry_type: ItemType, app: Flask, tracker: Any) -> str:
    """An inquiry received five weeks ago, due three weeks ago, saved and projected."""
    today = tracker.today()
    tracker.save(sample_type.Inquiry(
        code=CODE, title="Hỏi về lịch cắt điện khu Kim Mã", content="Khi nào có điện lại?",
        district="ba-dinh", field="other", agency="so-xay-dung",
        received_on=today - timedelta(days=35), due_date=today - timedelta(days=21),
        at=tracker.now(), **SECRETARIAT.stamp()))
    catch_up(app)
    return CODE


def row(app: Flask, code: str) -> dict[str, Any]:
    runtime = app.extensions["petitions"]
    with runtime.views.connect() as conn:
        found = get_row(conn, code)
    assert found is not None
    return found


def test_the_projection_lists_the_new_type_in_its_first_status(app: Flask, inquiry: str) -> None:
    listed = row(app, inquiry)

    assert (listed["kind"], listed["status"], listed["is_open"], listed["active"]) == (
        "inquiry", "opened", True, True)
    assert listed["due_date"] < date(2025, 3, 3)


def test_the_escalation_scan_escalates_the_new_type(app: Flask, tracker: Any,
                                                    inquiry: str) -> None:
    summary = tracker.escalate_overdue(actor=SYSTEM)
    catch_up(app)

    assert {e.code for e in summary.escalations} == {inquiry}
    assert row(app, inquiry)["escalation_level"] == 3


def test_the_item_page_offers_the_declared_actions_of_the_new_type(
        app: Flask, client_as: Any, inquiry: str) -> None:
    page = client_as("secretariat").get(f"/items/{inquiry}")

    names = offered(page.get_data(as_text=True))

    assert page.status_code == 200
    assert names == declared("secretariat", row(app, inquiry))
    assert names == ["progress", "extend", "park", "withdraw", "close", "categorise"]


def test_lists_show_the_new_type_s_status_and_kind_in_words(
        app: Flask, client_as: Any, inquiry: str) -> None:
    page = client_as("secretariat").get("/items?kind=inquiry", headers={"Accept-Language": "en"})
    html = page.get_data(as_text=True)

    assert page.status_code == 200
    assert inquiry in html
    assert "waiting for a reply" in html
    assert re.search(r'<option value="inquiry"[^>]*>inquiry</option>', html)
