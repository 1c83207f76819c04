"""The hash chain over the event log, on SQLite and PostgreSQL: kept once, checked by ``verify``.

Tampering is done the way an intruder with database access would: one byte of one stored
event changed (or a row deleted) with SQL, behind the application's back.
"""
from __future__ import annotations

import sqlite3
import threading

import psycopg
import pytest
from sqlalchemy import select
from eventsourcing.cipher import AESCipher

from petitions.application import Tracker
from petitions.cli import main
from petitions.integrity import check_chain
from petitions.runtime import Runtime
from petitions.settings import Settings
from projections.items import items_view
from projections.chain import chain_head, event_chain, verify_chain
from tests.conftest import PG_URL, SECRETARIAT
from tests.integration.command_mix import run_mix
from tests.integration.test_cli import store  # noqa: F401  (points the CLI at the store)
from tests.integration.test_projections import runtime  # noqa: F401


def execute(settings: Settings, sql_sqlite: str, sql_postgres: str, *args: object) -> list:
    """Run SQL straight on the event store, as someone with database access could."""
    if settings.is_postgres:
        with psycopg.connect(PG_URL, autocommit=True,
                             options=f"-csearch_path={settings.database_schema}") as conn:
            cursor = conn.execute(sql_postgres, args)
            return cursor.fetchall() if cursor.description else []
    with sqlite3.connect(settings.instance / "events.sqlite3") as conn:
        return conn.execute(sql_sqlite, args).fetchall()


def change_one_byte(settings: Settings, position: int) -> None:
    """Flip one bit in the middle of the stored state of the event at ``position``."""
    (state,), = execute(settings, "SELECT state FROM stored_events WHERE rowid = ?",
                        "SELECT state FROM tracker_events WHERE notification_id = %s", position)
    changed = bytearray(state)
    changed[len(changed) // 2] ^= 0x01
    execute(settings, "UPDATE stored_events SET state = ? WHERE rowid = ?",
            "UPDATE tracker_events SET state = %s WHERE notification_id = %s",
            bytes(changed), position)


def delete_event(settings: Settings, position: int) -> None:
    execute(settings, "DELETE FROM stored_events WHERE rowid = ?",
            "DELETE FROM tracker_events WHERE notification_id = %s", position)


def item_event_position(runtime: Runtime, code: str) -> int:
    """Return the position of the item's first event (its creation)."""
    item_id = runtime.tracker.resolve_ref(code)
    with runtime.views.connect() as conn:
        return conn.execute(event_chain.select()
                            .where(event_chain.c.originator_id == str(item_id))
                            .order_by(event_chain.c.position)).first().position


# -- the demo, through the command line -------------------------------------------------------
@pytest.mark.slow
def test_verify_passes_on_the_demo_and_names_the_event_after_one_byte_is_changed(
        store, capsys):  # noqa: F811
    assert main(["init"]) == 0
    assert main(["demo", "--items", "20", "--quiet"]) == 0
    capsys.readouterr()

    intact = main(["verify"])
    passed = capsys.readouterr().out
    runtime = Runtime(store)
    try:
        with runtime.views.connect() as conn:
            code = conn.execute(select(items_view.c.code).order_by(items_view.c.seq)).scalar()
        position = item_event_position(runtime, code)
    finally:
        runtime.close()
    change_one_byte(store, position)
    broken = main(["verify"])
    failed = capsys.readouterr().err

    assert intact == 0
    assert "Hash chain: intact" in passed
    assert broken == 1
    assert f"BROKEN at event {position:,} ({code}, version 1, PetitionLogged, dated " in failed
    assert "its stored bytes differ" in failed


def test_verify_at_prints_the_link_a_digest_printed_at_that_event(store, capsys):  # noqa: F811
    main(["init"])
    main(["project", "--once"])
    runtime = Runtime(store)
    try:
        with runtime.views.connect() as conn:
            printed = chain_head(conn, at_most=40)
    finally:
        runtime.close()
    capsys.readouterr()

    status = main(["verify", "--at", "40"])

    assert status == 0
    assert f"Link at event 40: {printed.short} (checked against the store)." in \
        capsys.readouterr().out


# -- what verify finds -----------------------------------------------------------------------
def test_a_changed_byte_is_named_by_position_item_code_and_time(runtime, settings):  # noqa: F811
    run_mix(runtime, 60, seed=3)
    runtime.projector.catch_up()
    receipt = runtime.tracker.log_petition(
        SECRETARIAT, title="Đèn đường hỏng ngõ 5", content="Đèn đường hỏng", district="ba-dinh",
        deputy_group="to-01", session="XVI-20", field="transport",
        meeting_date=runtime.tracker.today(), meeting_place="Nhà văn hóa", voters="Lê Văn C",
        received_on=runtime.tracker.today())
    logged_at = runtime.tracker.now()
    run_mix(runtime, 20, seed=4)
    runtime.projector.catch_up()

    change_one_byte(settings, receipt.position)
    report = check_chain(runtime)

    assert not report.ok
    assert report.verification.broken.position == receipt.position
    assert report.verification.broken.reason == "changed"
    assert report.verification.checked == receipt.position - 1
    assert report.code == receipt.code
    assert report.recorded_at == logged_at


def test_an_event_deleted_from_the_store_is_named(runtime, settings):  # noqa: F811
    run_mix(runtime, 40, seed=5)
    runtime.projector.catch_up()
    middle = runtime.tracker.position() // 2

    delete_event(settings, middle)
    report = check_chain(runtime)

    assert report.verification.broken.position == middle
    assert report.verification.broken.reason == "missing"
    assert "gone from the store" in report.lines(runtime.tracker.zone)[0]


def test_a_rebuild_of_the_views_does_not_recompute_the_chain(runtime, settings):  # noqa: F811
    run_mix(runtime, 40, seed=6)
    runtime.projector.catch_up()
    with runtime.views.connect() as conn:
        before = chain_head(conn)
    change_one_byte(settings, 5)

    runtime.projector.rebuild()
    with runtime.views.connect() as conn:
        after = chain_head(conn)

    assert after == before
    assert check_chain(runtime).verification.broken.position == 5


def test_events_not_yet_chained_are_counted_not_reported_as_a_break(runtime):  # noqa: F811
    run_mix(runtime, 20, seed=7)
    runtime.projector.catch_up()
    chained = runtime.tracker.position()
    run_mix(runtime, 5, seed=8)

    report = check_chain(runtime)

    assert report.ok
    assert report.verification.head.position == chained
    assert report.verification.unchained == runtime.tracker.position() - chained > 0


def test_two_projectors_at_once_chain_each_event_exactly_once(
        runtime, settings, clock):  # noqa: F811
    run_mix(runtime, 120, seed=9)
    other = Runtime(settings, clock=clock)
    try:
        threads = [threading.Thread(target=rt.projector.catch_up, kwargs={"batch": 7})
                   for rt in (runtime, other)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        other.close()
    with runtime.views.connect() as conn:
        positions = [row.position for row in conn.execute(
            event_chain.select().order_by(event_chain.c.position))]

    assert positions == list(range(1, runtime.tracker.position() + 1))
    assert check_chain(runtime).ok


def test_the_chain_of_an_encrypted_store_verifies_without_the_key(tmp_path, clock):
    key = AESCipher.create_key(32)
    settings = Settings(instance_path=str(tmp_path / "instance"), secret_key="t", cipher_key=key)
    runtime = Runtime(settings, clock=clock)
    runtime.tracker.load_reference()
    run_mix(runtime, 20, seed=10)
    runtime.projector.catch_up()
    runtime.close()

    keyless = Tracker(settings.with_(cipher_key=""))
    runtime = Runtime(settings.with_(cipher_key=""))
    try:
        verification = verify_chain(keyless.recorder, runtime.views.engine)
    finally:
        keyless.close()
        runtime.close()

    assert verification.ok
    assert verification.checked == verification.head.position > 0
