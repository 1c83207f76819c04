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


def stored_states(settings) -> bytes:
    with sqlite3.connect(settings.instance / "events.sqlite3") as conn:
        return b"".join(row[0] for row in conn.execute("SELECT state FROM stored_events"))


@pytest.fixture
def encrypted(tmp_path, clock):
    settings = sqlite_settings(tmp_path).with_(cipher_key=AESCipher.create_key(32))
    app = Tracker(settings, clock=clock)
    app.load_reference()
    yield settings, app
    app.close()


def test_a_denouncer_name_is_not_readable_in_the_encrypted_store(encrypted):
    settings, app = encrypted

    log_denunciation(app)

    assert SECRET_NAME.encode() not in stored_states(settings)
    assert "Nguyễn".encode() not in stored_states(settings)


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
