"""Who sees the personal data of voters, petitioners and denouncers (application on POPO)."""
from __future__ import annotations

from datetime import date

import pytest

from petitions.application import Tracker
from petitions.item_data import HIDDEN
from petitions.settings import Settings
from tests.conftest import BA_DINH_STAFF, DEPUTY, SECRETARIAT, XAY_DUNG_STAFF, FixedClock
from tests.unit.conftest import AT

DENOUNCER = {"name": "Phạm Văn Tố", "phone": "0912000111"}


@pytest.fixture
def app() -> Tracker:
    tracker = Tracker(Settings(), env={"PERSISTENCE_MODULE": "eventsourcing.popo"},
                      clock=FixedClock(AT))
    tracker.load_reference()
    return tracker


def accepted(app: Tracker, kind: str) -> str:
    receipt = app.receive_complaint(
        BA_DINH_STAFF, kind=kind, channel="direct", title="Sai phạm cấp phép xây dựng",
        content="Nội dung", subject="Sở Xây dựng", petitioner=dict(DENOUNCER),
        anonymous=False, district="ba-dinh", field="land", received_on=date(2025, 3, 3))
    app.accept_complaint(SECRETARIAT, receipt.code, agency="so-xay-dung")
    return receipt.code


def test_the_agency_resolving_a_denunciation_does_not_see_who_denounced(app):
    code = accepted(app, "denunciation")

    item = app.get_item(XAY_DUNG_STAFF, code)
    received = app.history(XAY_DUNG_STAFF, code)[0]

    assert item["petitioner"] == HIDDEN
    assert received["facts"]["petitioner"] == HIDDEN


def test_the_agency_resolving_a_complaint_sees_who_complains(app):
    code = accepted(app, "complaint")

    assert app.get_item(XAY_DUNG_STAFF, code)["petitioner"]["name"] == DENOUNCER["name"]


@pytest.mark.parametrize("actor", [SECRETARIAT, BA_DINH_STAFF], ids=["secretariat", "district"])
def test_the_council_office_and_receiving_district_see_who_denounced(app, actor):
    code = accepted(app, "denunciation")

    assert app.get_item(actor, code)["petitioner"]["name"] == DENOUNCER["name"]


def test_a_deputy_never_sees_who_denounced(app):
    code = accepted(app, "denunciation")

    assert app.get_item(DEPUTY, code)["petitioner"] == HIDDEN
