"""Event data encrypted at rest when PETITIONS_CIPHER_KEY is set."""
from __future__ import annotations

import sqlite3
from datetime import date

import pytest
from eventsourcing.cipher import AESCipher
from eventsourcing.persistence import MapperDeserialisationError

from petitions.application import Tracker
from tests.conftest import BA_DINH_STAFF, sqlite_settings

SECRET_NAME = "Nguyễn Thị Tố Cáo"


def log_denunciation(app: Tracker):
    return app.receive_complaint(
        BA_DINH_STAFF, kind="denunciation", channel="direct", title="Tố cáo sai phạm đất đai",
        content="Nội dung tố cáo", subject="Cán bộ địa chính phường",
        petitioner={"name": SECRET_NAME, "phone": "0912345678"}, anonymous=False,
        district="ba-dinh", field="land", received_on=date(2025, 3, 3))


def stored_states(settings, originator_id=None) -> bytes:
    """Return the stored states of every event (or of one aggregate's events), joined."""
    sql, args = "SELECT state FROM stored_events", ()
    if originator_id is not None:
        sql, args = sql + " WHERE originator_id = ?", (originator_id.hex,)
    with sqlite3.connect(settings.instance / "events.sqlite3") as conn:
        return b"".join(row[0] for row in conn.execute(sql, args))


@pytest.fixture
def encrypted(tmp_path, clock):
    settings = sqlite_settings(tmp_path).with_(cipher_key=AESCipher.create_key(32))
    app = Tracker(settings, clock=clock)
    app.load_reference()
    yield settings, app
    app.close()


def test_a_denouncer_name_is_not_readable_in_the_encrypted_store(encrypted):
    settings, app = encrypted

    receipt = log_denunciation(app)

    stored = stored_states(settings)
    # The denunciation really is in the store, name and all (an empty store hides it too).
    assert stored_states(settings, app.resolve_ref(receipt.code))
    assert app.get_item(BA_DINH_STAFF, receipt.code)["petitioner"]["name"] == SECRET_NAME
    assert SECRET_NAME.encode() not in stored
    assert "Nguyễn".encode() not in stored


def test_the_application_reads_encrypted_events_back(encrypted):
    settings, app = encrypted
    receipt = log_denunciation(app)

    item = Tracker(settings).get_item(BA_DINH_STAFF, receipt.code)

    assert item["petitioner"]["name"] == SECRET_NAME


def test_without_a_key_the_store_cannot_be_read(encrypted):
    settings, app = encrypted
    receipt = log_denunciation(app)

    with pytest.raises(MapperDeserialisationError):
        Tracker(settings.with_(cipher_key="")).get_item(BA_DINH_STAFF, receipt.code)
