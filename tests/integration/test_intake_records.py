"""The records a spreadsheet import stores straight from its fields are the mapper's own."""
from __future__ import annotations

import json
from datetime import date, datetime, timezone

import pytest
from eventsourcing.cipher import AESCipher

from domain.intake import ImportedRow
from domain.petition import VoterPetition
from petitions.application import Tracker
from petitions.intake.created import CreatedRecords
from tests.conftest import SECRETARIAT, FixedClock, sqlite_settings
from tests.intake_helpers import CLOCK_START, filled_template, petition_row

AT = datetime(2026, 11, 20, 2, 0, tzinfo=timezone.utc)
STAMP = datetime(2026, 11, 20, 2, 0, 1, 123456, tzinfo=timezone.utc)
FIELDS = {
    "code": "KN-2026-00001", "title": "Lắp đèn \"tín hiệu\"\tở nút giao\n", "content": "Nội dung",
    "district": "00004", "deputy_group": "XVII-to-01", "session": "XVII-03",
    "field": "transport", "meeting_date": date(2026, 11, 10), "meeting_place": "Nhà văn hóa",
    "voters": "Ông Nguyễn Văn An", "received_on": date(2026, 11, 10), "at": AT,
    **SECRETARIAT.stamp(),
}


@pytest.fixture(params=["plain", "encrypted"])
def app(request, tmp_path):
    settings = sqlite_settings(tmp_path)
    if request.param == "encrypted":
        settings = settings.with_(cipher_key=AESCipher.create_key(32))
    tracker = Tracker(settings, clock=FixedClock(CLOCK_START))
    yield tracker
    tracker.close()


def mapped(app, event_class, originator_id, aggregate, **fields):
    """Return the record the library's mapper makes of the event built the usual way."""
    event = event_class(originator_id=originator_id, originator_version=1, timestamp=STAMP,
                        originator_topic=f"{aggregate.__module__}:{aggregate.__qualname__}",
                        **fields)
    return event, app.mapper.to_stored_event(event)


def test_a_petition_record_decodes_to_the_event_the_mapper_stores(app):
    item_id = VoterPetition.create_id(FIELDS["code"])
    event, expected = mapped(app, VoterPetition.PetitionLogged, item_id, VoterPetition,
                             **FIELDS)

    record = CreatedRecords(app.mapper, STAMP).record(
        VoterPetition, VoterPetition.PetitionLogged, item_id, FIELDS)

    assert (record.originator_id, record.originator_version, record.topic) == (
        expected.originator_id, expected.originator_version, expected.topic)
    assert app.mapper.to_domain_event(record) == event
    if not app.mapper.cipher:  # encrypted states differ by their nonce
        assert json.loads(record.state) == json.loads(expected.state)


def test_a_marker_record_is_the_mappers_own(app):
    fields = {"fingerprint": "abc", "code": "KN-2026-00001", "source": "a.xlsx", "row": 7,
              "at": AT, **SECRETARIAT.stamp()}
    marker_id = ImportedRow.create_id("abc")
    event, expected = mapped(app, ImportedRow.RowImported, marker_id, ImportedRow, **fields)

    record = CreatedRecords(app.mapper, STAMP).record(
        ImportedRow, ImportedRow.RowImported, marker_id, fields)

    assert app.mapper.to_domain_event(record) == event


def test_a_value_of_another_type_is_encoded_the_librarys_way(app):
    fields = {**FIELDS, "voters": ["Ông An", "bà Bình"]}  # a list: not a plain value
    item_id = VoterPetition.create_id(FIELDS["code"])
    event, _ = mapped(app, VoterPetition.PetitionLogged, item_id, VoterPetition, **fields)

    record = CreatedRecords(app.mapper, STAMP).record(
        VoterPetition, VoterPetition.PetitionLogged, item_id, fields)

    assert app.mapper.to_domain_event(record) == event


@pytest.mark.parametrize("added, removed, message", [
    ({"unknown": 1}, (), "has no field 'unknown'"),
    ({}, ("voters",), "needs a value for 'voters'"),
    ({"timestamp": STAMP}, (), "has no field 'timestamp'"),
], ids=["unknown field", "missing field", "the stamp"])
def test_a_missing_or_unknown_field_is_refused_as_the_constructor_refuses_it(
        app, added, removed, message):
    fields = {**{k: v for k, v in FIELDS.items() if k not in removed}, **added}
    with pytest.raises(TypeError, match=message):
        CreatedRecords(app.mapper, STAMP).record(
            VoterPetition, VoterPetition.PetitionLogged, VoterPetition.create_id("X"),
            fields)


def test_rows_imported_since_the_check_are_found_by_their_markers_and_not_added(tmp_path):
    app = Tracker(sqlite_settings(tmp_path), clock=FixedClock(CLOCK_START))
    app.load_reference()
    content = filled_template(app, [petition_row(1), petition_row(2)])
    first = app.check_intake(SECRETARIAT, content, "a.xlsx")
    second = app.check_intake(SECRETARIAT, content, "a.xlsx")  # before either imports
    app.import_rows(SECRETARIAT, first.rows[:1], source="a.xlsx")
    before = app.position()

    app.import_rows(SECRETARIAT, second.rows, source="a.xlsx")

    assert [(r.status, r.code) for r in second.rows] == [
        ("already", first.rows[0].code), ("imported", "KN-2026-00002")]
    assert app.position() == before + 3  # the counter's block, one petition, its marker
    app.close()


def test_equal_times_in_other_zones_keep_their_own_offsets(app):
    from datetime import timedelta

    hanoi = AT.astimezone(timezone(timedelta(hours=7)))
    created = CreatedRecords(app.mapper, STAMP)
    fields = {"fingerprint": "abc", "code": "KN-2026-00001", "source": "a.xlsx", "row": 7,
              **SECRETARIAT.stamp()}
    marker_id = ImportedRow.create_id("abc")

    records = [created.record(ImportedRow, ImportedRow.RowImported, marker_id,
                              {**fields, "at": at}) for at in (AT, hanoi)]

    assert [app.mapper.to_domain_event(r).at.utcoffset() for r in records] == [
        timedelta(0), timedelta(hours=7)]
