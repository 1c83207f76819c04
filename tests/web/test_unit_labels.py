"""Unit fields are labelled by the unit's kind and era: since 1 July 2025 Hanoi has communes
and wards ("Xã, phường"), before it districts ("Quận, huyện, thị xã"); a list of both says
"Địa bàn"."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone
from typing import Any

import pytest
from flask import Flask
from flask_babel import force_locale

from tests.conftest import FixedClock
from tests.web.conftest import PETITION, catch_up, log_petition
from web import labels


def field_label(html: str, name: str) -> str:
    """Return the text of the <label> of form field ``name``."""
    found = re.search(rf'<label for="{name}"[^>]*>(.*?)</label>', html, re.S)
    assert found, name
    return re.sub(r"<[^>]+>", "", found.group(1)).strip().rstrip("*").strip()


@pytest.mark.parametrize(("kind", "on", "vi", "en"), [
    ("phuong", None, "Xã, phường", "Commune / ward"),
    ("xa", date(2024, 1, 1), "Xã, phường", "Commune / ward"),
    ("quan", date(2026, 1, 1), "Quận, huyện, thị xã", "District / town"),
    ("thi_xa", None, "Quận, huyện, thị xã", "District / town"),
    (None, date(2025, 6, 30), "Quận, huyện, thị xã", "District / town"),
    (None, "2025-07-01", "Xã, phường", "Commune / ward"),
    (None, None, "Địa bàn", "Area"),
])
def test_the_label_follows_the_kind_first_then_the_date(app: Flask, kind: str | None, on: Any,
                                                         vi: str, en: str) -> None:
    for language, expected in (("vi", vi), ("en", en)):
        with app.test_request_context(), force_locale(language):
            assert labels.unit_label(kind, on) == expected


def test_a_petition_of_a_district_says_district_on_its_page(app: Flask, tracker: Any,
                                                            client_as: Any) -> None:
    code = log_petition(tracker)
    catch_up(app)

    page = client_as("secretariat").get(f"/items/{code}")

    assert "<dt>Quận, huyện, thị xã</dt><dd>Ba Đình</dd>" in page.text


def test_the_log_form_labels_the_unit_by_the_era_of_today(app: Flask, clock: FixedClock,
                                                          client_as: Any) -> None:
    client = client_as("secretariat")
    assert field_label(client.get("/petitions/new").text, "district") == "Quận, huyện, thị xã"

    clock.set(datetime(2026, 12, 1, 2, 0, tzinfo=timezone.utc))

    assert field_label(client.get("/petitions/new").text, "district") == "Xã, phường"


def test_a_refused_form_labels_the_unit_by_the_meeting_date_typed(client_as: Any) -> None:
    typed = {**PETITION, "meeting_date": "2025-08-01", "title": ""}

    page = client_as("secretariat").post("/petitions/new", data=typed)

    assert page.status_code == 422
    assert field_label(page.text, "district") == "Xã, phường"


def test_the_search_filter_covering_both_eras_says_area(client_as: Any) -> None:
    page = client_as("secretariat").get("/items")

    assert field_label(page.text, "f-district") == "Địa bàn"
