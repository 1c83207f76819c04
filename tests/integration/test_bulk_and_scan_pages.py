"""The benchmarks' bulk loader and the keyset pages of the escalation scan."""
from __future__ import annotations

from datetime import date, datetime, timezone

from domain.codes import CodeCounter
from domain.item import Status
from petitions.demo import load_bulk
from petitions.runtime import Runtime
from projections.items import due_for_escalation, due_page, items_view

NOW = datetime(2026, 3, 2, tzinfo=timezone.utc)


def test_a_block_of_codes_continues_after_single_allocations():
    counter = CodeCounter("KN", 2025)
    counter.allocate(NOW)

    codes = counter.allocate_block(3, NOW)

    assert codes == ["KN-2025-00002", "KN-2025-00003", "KN-2025-00004"]


def test_bulk_items_are_projected_once_each_with_unique_codes(settings):
    runtime = Runtime(settings)
    load_bulk(runtime.tracker, 60, batch=25)

    runtime.projector.catch_up()

    with runtime.views.connect() as conn:
        codes = [row.code for row in conn.execute(items_view.select())]
    runtime.close()
    assert len(codes) == 60 and len(set(codes)) == 60


def test_every_bulk_step_is_accepted_by_the_domain(settings):
    runtime = Runtime(settings)

    result = load_bulk(runtime.tracker, 300, batch=100)

    runtime.close()
    assert result.failures == []
    assert result.items == 300


def test_bulk_data_has_items_in_every_status(settings):
    runtime = Runtime(settings)
    load_bulk(runtime.tracker, 300, batch=100)

    runtime.projector.catch_up()

    with runtime.views.connect() as conn:
        statuses = {row.status for row in conn.execute(items_view.select())}
    runtime.close()
    # An item sent back as not the agency's competence (issue 13) has no demo story yet:
    # petitions/demo is another change's; its fates should add one, and this exemption go.
    assert statuses == {status.value for status in Status} - {Status.SENT_BACK.value}


def test_scan_pages_return_every_due_item_once(settings):
    runtime = Runtime(settings)
    load_bulk(runtime.tracker, 120, batch=60)
    runtime.projector.catch_up()
    today = date(2026, 6, 1)

    paged, cursor = [], ""
    with runtime.views.connect() as conn:
        while True:
            ids, cursor = due_page(conn, today, 7, cursor)
            paged += ids
            if not cursor:
                break
        expected = due_for_escalation(conn, today, 10_000)
    runtime.close()

    assert expected and sorted(paged) == sorted(expected)
