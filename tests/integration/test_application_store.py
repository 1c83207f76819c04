"""The application on the real event stores (SQLite and PostgreSQL): round trip, snapshots,
upcasting, optimistic concurrency and code allocation."""
from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import date, timedelta
from typing import Any
from uuid import UUID

import pytest
from eventsourcing.domain import CanMutateAggregate
from eventsourcing.persistence import IntegrityError

from domain.actor import SYSTEM
from domain.calendar import CalendarDay
from domain.codes import CODE_PATTERN
from domain.complaint import Complaint
from domain.petition import VoterPetition
from petitions.application import Tracker
from petitions.errors import ConflictError, ItemNotFound
from petitions.settings import Settings
from tests import sample_files
from tests.conftest import BA_DINH_STAFF, SECRETARIAT, XAY_DUNG_STAFF, FixedClock
from tests.integration import (
    assigned_petition, complaint_data, log_petition, petition_data, receive_complaint,
)


class RecordingTracker(Tracker):
    """The tracker, keeping every event it saved as it was in memory."""

    name = "tracker"  # the library names a subclass's tables after it otherwise

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.saved: list[Any] = []
        super().__init__(*args, **kwargs)

    def _notify(self, recordings: list[Any]) -> None:
        self.saved.extend(r.domain_event for r in recordings)


@pytest.fixture
def app(settings: Settings, clock: FixedClock) -> Iterator[RecordingTracker]:
    """A tracker on the real store with the reference data loaded."""
    tracker = RecordingTracker(settings, clock=clock)
    tracker.load_reference()
    yield tracker
    tracker.close()


@pytest.fixture
def fresh(settings: Settings, clock: FixedClock, app: Tracker) -> Iterator[Tracker]:
    """A second tracker on the same store, which has seen nothing in memory."""
    tracker = Tracker(settings, clock=clock)
    yield tracker
    tracker.close()


def event_names(*classes: type) -> set[str]:
    """Return the names of every event class an aggregate class defines."""
    return {
        f"{cls.__name__}.{name}" for cls in classes for name, value in vars(cls).items()
        if isinstance(value, type) and issubclass(value, CanMutateAggregate)
        and name not in ("Event", "Created")
    }


def live_every_event(app: Tracker, clock: FixedClock) -> None:
    """Drive petitions and complaints through every command the application offers."""
    a = assigned_petition(app).code
    app.note_progress(XAY_DUNG_STAFF, a, text="Đã khảo sát hiện trường.")
    app.set_categories(SECRETARIAT, a, categories=["Vướng mắc về đất đai"])  # issue 16
    duplicate = log_petition(app, district="hoan-kiem", deputy_group="to-02").code
    app.merge_petitions(SECRETARIAT, duplicate, a, reason="Trùng nội dung.")
    app.record_answer(XAY_DUNG_STAFF, a, outcome="explained", text="Đã giải trình.")
    app.return_answer(SECRETARIAT, a, reason="Chưa rõ lộ trình.")
    app.record_answer(XAY_DUNG_STAFF, a, outcome="being_resolved", text="Có lộ trình.",
                      new_due_date=date(2025, 6, 30))
    app.accept_answer(SECRETARIAT, a, comment="Đồng ý.", voters_satisfied=True)
    app.extend_deadline(SECRETARIAT, a, new_due_date=date(2025, 8, 29), reason="Chờ vốn.")
    clock.set(clock() + timedelta(days=190))
    app.escalate_item(a)
    app.record_notification_sent(a, 1, ["so-xay-dung@hanoi.invalid"])
    app.publish_answer(SECRETARIAT, a, text="Đã giải trình.")  # issue 18
    app.record_notices_sent(a, 7, "answered", ["dai.bieu"])
    app.park(SECRETARIAT, a, reason="Chờ hướng dẫn.")
    app.resume(SECRETARIAT, a, reason="Đã có hướng dẫn.")
    app.close_item(SECRETARIAT, a, reason="Đã hoàn thành.")
    app.withdraw(BA_DINH_STAFF, log_petition(app).code, reason="Cử tri rút kiến nghị.")
    # After the reform, open items of quận Ba Đình are handed over to phường Ba Đình.
    app.hand_over(SECRETARIAT, log_petition(app).code, to_unit="00004", reason="NQ 1656")
    app.hand_over(SECRETARIAT, receive_complaint(app).code, to_unit="00004", reason="NQ 1656")
    sent_back = assigned_petition(app).code
    app.send_back(XAY_DUNG_STAFF, sent_back, reason="Không thuộc thẩm quyền.")
    app.assign(SECRETARIAT, sent_back, agency="cong-an-thanh-pho",
               cooperating=["so-xay-dung"], leader_name="Trần Minh")

    # Received after 1 July 2025: in phường Ba Đình, which took over from quận Ba Đình.
    first = receive_complaint(app, received_on=app.today(), district="00004").code
    app.accept_complaint(SECRETARIAT, first, agency="so-xay-dung")
    app.set_categories(SECRETARIAT, first, categories=["Vướng mắc về thủ tục"])
    app.issue_decision(XAY_DUNG_STAFF, first, result="incorrect", text="Không đúng.",
                       decided_on=app.today(), decision_no="12/QĐ-SXD")
    app.publish_answer(SECRETARIAT, first, text="Khiếu nại không đúng.")
    app.record_notices_sent(first, 9, "answered", ["can.bo.phuong.ba.dinh"])
    second = app.receive_complaint(SECRETARIAT, **complaint_data(
        received_on=app.today(), district="00004", first_round=first)).code
    app.forward_complaint(SECRETARIAT, second, to_body="Thanh tra Chính phủ", reason="Thẩm quyền.")
    app.record_result_notice(SECRETARIAT, second, notice_no="5/TB-TTCP",
                             notice_date=app.today(), summary="Đã giải quyết.")
    app.return_complaint(SECRETARIAT, receive_complaint(app).code, reason="Hướng dẫn.")
    app.file_complaint(SECRETARIAT, receive_complaint(app).code, reason="Trùng đơn.")
    denunciation = receive_complaint(app, kind="denunciation", received_on=app.today(),
                                     district="00004").code
    app.accept_complaint(SECRETARIAT, denunciation, agency="thanh-tra-thanh-pho",
                         complexity="complex")
    app.extend_deadline(SECRETARIAT, denunciation, reason="Xác minh nhiều nơi.",
                        decision_no="12/QĐ-TTTP", decision_date=app.today(),
                        new_due_date=app.get_item(SECRETARIAT, denunciation)["due_date"]
                        + timedelta(days=30))
    # Documents and files (issue 17): a reply letter, a file on a note, a linked decision.
    app.attach_file(SECRETARIAT, denunciation, data=sample_files.png_image(), filename="a.png")
    app.register_document(SECRETARIAT, {
        "number": "3", "sign": "QĐ-TTTP", "issued_on": app.today(), "issuer": "Thanh tra",
        "doc_type": "quyet_dinh", "direction": "incoming", "summary": "Thụ lý tố cáo",
        "item_codes": [denunciation]}, purpose="acceptance")
    app.park(SECRETARIAT, denunciation, reason="Chờ giám định.")
    app.resume(SECRETARIAT, denunciation)
    clock.set(clock() + timedelta(days=70))
    app.escalate_item(denunciation)
    app.record_notification_sent(denunciation, 1, ["thanh-tra@hanoi.invalid"])
    app.note_progress(SECRETARIAT, denunciation, text="Đã đôn đốc.")
    app.withdraw(SECRETARIAT, denunciation, reason="Rút tố cáo.")
    app.close_item(SECRETARIAT, receive_complaint(app).code, reason="Đã xử lý.")
    moved = [receive_complaint(app, received_on=app.today()).code, assigned_petition(app).code]
    app.attach_file(XAY_DUNG_STAFF, moved[1], data=sample_files.jpeg_image(), filename="b.jpg")
    app.register_document(SECRETARIAT, {
        "number": "4", "sign": "SXD", "issued_on": app.today(), "issuer": "Sở Xây dựng",
        "doc_type": "cong_van", "direction": "incoming", "summary": "Trả lời",
        "item_codes": [moved[1]]}, purpose="answer")
    app.calendar = app.calendar.with_official([
        CalendarDay(app.get_item(SECRETARIAT, code)["due_date"], "day_off", "Nghỉ bù", "CV 1")
        for code in moved])
    for code in moved:
        app.recompute_item(SYSTEM, code, reason="Lịch nghỉ chính thức")


def by_originator(events: list[Any]) -> dict[UUID, list[Any]]:
    """Group events by the aggregate they belong to, in order."""
    grouped: dict[UUID, list[Any]] = {}
    for e in events:
        grouped.setdefault(e.originator_id, []).append(e)
    return grouped


def project(events: list[Any]) -> Any:
    """Rebuild an aggregate from events held in memory."""
    aggregate = None
    for e in events:
        aggregate = e.mutate(aggregate)
    return aggregate


def state(aggregate: Any) -> dict[str, Any]:
    """Return an aggregate's attributes without the library's bookkeeping."""
    return {k: v for k, v in vars(aggregate).items() if k != "_pending_events"}


# -- round trip -------------------------------------------------------------------------------
def test_the_scenario_records_every_event_type_of_petitions_and_complaints(
        app: RecordingTracker, clock: FixedClock) -> None:
    live_every_event(app, clock)

    recorded = {
        f"{type(events[0]).__qualname__.split('.')[0]}.{type(e).__name__}"
        for events in by_originator(app.saved).values() for e in events
    }

    assert event_names(VoterPetition, Complaint) <= recorded


def test_every_event_reads_back_from_the_store_equal_to_the_one_saved(
        app: RecordingTracker, fresh: Tracker, clock: FixedClock) -> None:
    live_every_event(app, clock)

    for originator_id, saved in by_originator(app.saved).items():
        assert list(fresh.events.get(originator_id)) == saved


def test_every_item_reloads_equal_to_its_state_in_memory(
        app: RecordingTracker, fresh: Tracker, clock: FixedClock) -> None:
    live_every_event(app, clock)

    for originator_id, saved in by_originator(app.saved).items():
        assert state(fresh.repository.get(originator_id)) == state(project(saved))


# -- snapshots --------------------------------------------------------------------------------
def test_a_snapshot_is_stored_every_interval_of_one_petition(app: Tracker) -> None:
    interval = Tracker.snapshotting_intervals[VoterPetition]
    code = assigned_petition(app).code
    for n in range(50):
        app.note_progress(XAY_DUNG_STAFF, code, text=f"Ghi nhận tiến độ lần {n + 1}.")

    snapshots = list(app.snapshots.get(app.resolve_ref(code)))

    assert [s.originator_version for s in snapshots] == list(range(interval, 51, interval))


def test_a_petition_loaded_from_its_snapshot_equals_one_replayed_from_every_event(
        app: Tracker, fresh: Tracker) -> None:
    code = assigned_petition(app).code
    for n in range(55):
        app.note_progress(XAY_DUNG_STAFF, code, text=f"Ghi nhận tiến độ lần {n + 1}.")
    item_id = app.resolve_ref(code)

    from_snapshot = fresh.repository.get(item_id)
    replayed = project(list(fresh.events.get(item_id)))

    assert from_snapshot.version == 58
    assert state(from_snapshot) == state(replayed)


def test_loading_a_long_petition_reads_only_the_events_after_its_snapshot(
        app: Tracker, fresh: Tracker, monkeypatch: pytest.MonkeyPatch) -> None:
    receipt = assigned_petition(app)
    code = receipt.code
    for n in range(52):
        app.note_progress(XAY_DUNG_STAFF, code, text=f"Ghi nhận tiến độ lần {n + 1}.")
    store = fresh.repository.event_store
    reads: list[Any] = []
    real_get = store.get

    def get(*args: Any, **kwargs: Any) -> Any:
        events = list(real_get(*args, **kwargs))
        # Only the item's own reads count (the page also reads the calendar and the policy).
        if (args[0] if args else kwargs.get("originator_id")) == receipt.id:
            reads.append(len(events))
        return events

    monkeypatch.setattr(store, "get", get)

    item = fresh.get_item(SECRETARIAT, code)

    assert item["version"] == 55
    assert reads == [5]


# -- upcasting --------------------------------------------------------------------------------
@pytest.mark.skipif(VoterPetition.AgencyAssigned.class_version < 2,
                    reason="AgencyAssigned has no second version yet")
def test_a_stored_version_one_assignment_is_upcast_when_read(app: Tracker, fresh: Tracker) -> None:
    code = log_petition(app).code
    petition = app.repository.get(app.resolve_ref(code))
    app.assign(SECRETARIAT, code, agency="so-xay-dung")  # v2 stored, to read its shape
    v2 = next(e for e in app.events.get(petition.id) if type(e).__name__ == "AgencyAssigned")
    stored = app.mapper.to_stored_event(v2)
    old_state = app.mapper.transcoder.decode(stored.state)
    old_state.pop("previous_agency")
    old_state.pop("class_version", None)
    other = log_petition(app).code
    other_id = app.resolve_ref(other)
    app.recorder.insert_events([type(stored)(
        originator_id=other_id, originator_version=2, topic=stored.topic,
        state=app.mapper.transcoder.encode(old_state))])

    upcast = next(e for e in fresh.events.get(other_id) if type(e).__name__ == "AgencyAssigned")

    assert upcast.previous_agency is None
    assert fresh.get_item(SECRETARIAT, other)["agency"] == "so-xay-dung"


# -- concurrency ------------------------------------------------------------------------------
# Only a safety net against a deadlock: the threads' own ends decide, never this.
THREAD_TIMEOUT = 240


def run_together(count: int, work: Any) -> list[Any]:
    """Run ``work(n)`` in ``count`` threads released at once; return results or errors."""
    barrier = threading.Barrier(count)
    results: list[Any] = [None] * count

    def run(n: int) -> None:
        barrier.wait()
        try:
            results[n] = work(n)
        except Exception as exc:  # collected and checked by the test
            results[n] = exc

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=THREAD_TIMEOUT)
    # A thread still running would count as neither committed nor refused: a hang, not a result.
    assert not any(t.is_alive() for t in threads), f"still running after {THREAD_TIMEOUT}s"
    return results


def test_twenty_concurrent_updates_are_each_committed_or_refused_as_conflicts(
        app: Tracker) -> None:
    code = assigned_petition(app).code

    results = run_together(20, lambda n: app.note_progress(
        XAY_DUNG_STAFF, code, text=f"Cập nhật đồng thời {n}."))

    committed = [r for r in results if not isinstance(r, Exception)]
    refused = [r for r in results if isinstance(r, ConflictError)]
    notes = [e for e in app.history(SECRETARIAT, code) if e["type"] == "ProgressNoted"]
    assert len(committed) + len(refused) == 20
    assert len(notes) == len(committed) >= 1


def test_concurrent_updates_with_the_same_expected_version_commit_exactly_one(
        app: Tracker) -> None:
    receipt = assigned_petition(app)

    results = run_together(20, lambda n: app.note_progress(
        XAY_DUNG_STAFF, receipt.code, text=f"Cập nhật {n}.", expected_version=receipt.version))

    assert sum(not isinstance(r, Exception) for r in results) == 1
    assert all(isinstance(r, ConflictError) for r in results if isinstance(r, Exception))


def test_ten_threads_logging_at_once_get_unique_gap_free_codes(app: Tracker) -> None:
    results = run_together(10, lambda n: [log_petition(app).code for _ in range(3)])

    codes = [code for result in results for code in result]
    numbers = sorted(int(CODE_PATTERN.match(code).group(3)) for code in codes)
    assert numbers == list(range(1, 31))


# -- codes ------------------------------------------------------------------------------------
def test_an_item_is_found_by_its_code_typed_loosely(app: Tracker) -> None:
    receipt = log_petition(app)

    item = app.get_item(SECRETARIAT, f"  {receipt.code.lower()} ")

    assert item["id"] == receipt.id


def test_an_unknown_code_is_reported_as_not_found(app: Tracker) -> None:
    log_petition(app)

    with pytest.raises(ItemNotFound):
        app.get_item(SECRETARIAT, "KN-2025-99999")


def test_a_complaint_code_does_not_find_a_petition_command(app: Tracker) -> None:
    code = receive_complaint(app).code
    before = app.position()

    with pytest.raises(ItemNotFound):
        app.classify_petition(SECRETARIAT, code, field="land", competence="city")
    assert app.position() == before


def test_the_first_petition_of_the_year_is_numbered_one(app: Tracker) -> None:
    code = app.log_petition(SECRETARIAT, **petition_data()).code

    assert code == "KN-2025-00001"


# -- saving several aggregates (the tracker's own save, without the library's protocol checks) --
def test_a_batch_with_one_stale_aggregate_stores_none_of_its_events(
        app: Tracker, fresh: Tracker) -> None:
    first, second = assigned_petition(app), assigned_petition(app)
    one = fresh.repository.get(fresh.resolve_ref(first.code))
    stale = fresh.repository.get(fresh.resolve_ref(second.code))
    app.note_progress(SECRETARIAT, second.code, text="Ghi chú trước.")  # ``stale`` is now behind
    position = app.position()
    one.note_progress("Ghi chú một.", by=SECRETARIAT, at=app.now())
    stale.note_progress("Ghi chú hai.", by=SECRETARIAT, at=app.now())

    with pytest.raises(IntegrityError):
        fresh.save(one, stale)

    assert app.position() == position
    assert [e["type"] for e in app.history(SECRETARIAT, first.code)].count("ProgressNoted") == 0


def test_a_batch_of_aggregates_is_stored_in_order_and_each_is_snapshotted_at_its_interval(
        app: RecordingTracker) -> None:
    items = [app.repository.get(app.resolve_ref(assigned_petition(app).code)) for _ in range(3)]
    interval = Tracker.snapshotting_intervals[VoterPetition]
    notes = interval - items[0].version % interval
    app.saved.clear()
    for n in range(notes):
        for item in items:
            item.note_progress(f"Ghi chú {n}.", by=SECRETARIAT, at=app.now())

    recordings = app.save(*items)

    assert [r.domain_event.originator_id for r in recordings] == [
        item.id for item in items for _ in range(notes)]
    assert len(app.saved) == len(recordings)  # the application's hook heard every event
    for item in items:
        assert [s.originator_version for s in app.snapshots.get(item.id)] == [interval]


def test_nothing_to_save_goes_the_library_way_and_stores_nothing(app: Tracker) -> None:
    position = app.position()
    assert app.save(None) == []
    assert app.position() == position


def test_the_notification_ids_of_a_batch_are_those_the_store_gives_its_events(
        app: RecordingTracker) -> None:
    items = [app.repository.get(app.resolve_ref(assigned_petition(app).code)) for _ in range(3)]
    for n in range(2):
        for item in items:
            item.note_progress(f"Ghi chú {n}.", by=SECRETARIAT, at=app.now())
    position = app.position()

    recordings = app.save(*items)

    stored = app.recorder.select_notifications(position + 1, limit=100)
    assert [(r.notification.id, r.domain_event.originator_id, r.domain_event.originator_version)
            for r in recordings] == [(n.id, n.originator_id, n.originator_version)
                                     for n in stored]
