"""Logging a voter petition: reference codes, dates, and what the petition starts with."""
from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from domain.codes import item_id_for_code
from domain.errors import InvalidInput
from domain.item import Status
from tests.unit.conftest import DISTRICT, TODAY, new_petition


def test_a_logged_petition_is_in_status_logged() -> None:
    petition = new_petition()

    assert petition.status is Status.LOGGED


def test_a_petition_id_is_derived_from_its_code() -> None:
    petition = new_petition(code="KN-2025-00042")

    assert petition.id == item_id_for_code("KN-2025-00042")


def test_a_logged_petition_has_no_agency_and_no_due_date() -> None:
    petition = new_petition()

    assert (petition.agency, petition.due_date) == (None, None)


def test_the_logging_event_records_the_actor_and_role() -> None:
    petition = new_petition()

    logged = petition.pending_events[0]
    assert (type(logged).__name__, logged.actor, logged.role) == (
        "PetitionLogged", DISTRICT.username, "district_staff")


@pytest.mark.parametrize("field_name, value", [
    ("district", "atlantis"), ("deputy_group", "to-99"), ("session", "XV-01"),
    ("field", "astrology"),
])
def test_an_unknown_reference_code_is_refused(field_name: str, value: str) -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(**{field_name: value})

    assert refused.value.errors == {field_name: ["Unknown value."]}


def test_a_missing_district_is_refused_as_required() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(district="")

    assert refused.value.errors == {"district": ["This field is required."]}


def test_a_meeting_place_is_required() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(meeting_place=" ")

    assert "meeting_place" in refused.value.errors


def test_the_voters_are_optional() -> None:
    petition = new_petition(voters=None)

    assert petition.voters == ""


def test_a_meeting_date_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(meeting_date=TODAY + timedelta(days=1), received_on=TODAY)

    assert refused.value.errors == {"meeting_date": ["The meeting date cannot be in the future."]}


def test_a_received_date_in_the_future_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(received_on=TODAY + timedelta(days=1))

    assert refused.value.errors == {"received_on": ["The date received cannot be in the future."]}


def test_a_petition_received_before_its_meeting_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(meeting_date=date(2025, 2, 20), received_on=date(2025, 2, 19))

    assert refused.value.errors == {"received_on": ["The date received cannot be before the meeting."]}


def test_a_petition_received_on_the_day_of_the_meeting_is_accepted() -> None:
    petition = new_petition(meeting_date=TODAY, received_on=TODAY)

    assert petition.received_on == TODAY


def test_a_datetime_instead_of_a_date_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(received_on=datetime(2025, 2, 24, 8, 0))

    assert refused.value.errors == {"received_on": ["Must be a date."]}


def test_a_date_given_as_text_is_refused() -> None:
    with pytest.raises(InvalidInput) as refused:
        new_petition(meeting_date="2025-02-20")

    assert refused.value.errors == {"meeting_date": ["Must be a date."]}
